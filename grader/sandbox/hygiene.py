"""After each probe: find and undo what the submission left behind in the session."""

from __future__ import annotations

from typing import Any

from pyspark.sql import SparkSession

# Watched even where the full runtime configuration cannot be listed (Spark 3.5).
WATCHED_CONF = (
    "spark.sql.shuffle.partitions",
    "spark.sql.session.timeZone",
    "spark.sql.ansi.enabled",
    "spark.sql.caseSensitive",
    "spark.sql.adaptive.enabled",
    "spark.sql.json.enablePartialResults",
    "spark.sql.streaming.checkpointLocation",
)


def spark_alive(spark: SparkSession) -> bool:
    try:
        jsc = spark.sparkContext._jsc
        return jsc is not None and not jsc.sc().isStopped()
    except Exception:  # noqa: BLE001 - a dead gateway means a dead session
        return False


def conf_snapshot(spark: SparkSession) -> dict[str, str]:
    every = getattr(spark.conf, "getAll", None)
    if isinstance(every, dict):
        return {k: str(v) for k, v in every.items()}
    return {key: str(spark.conf.get(key, None)) for key in WATCHED_CONF}


def restore(spark: SparkSession, baseline: dict[str, str]) -> dict[str, Any]:
    """Stop leftover queries, drop temp views, undo conf changes; report what was found."""
    report: dict[str, Any] = {"spark_alive": spark_alive(spark)}
    if not report["spark_alive"]:
        return report
    stopped = 0
    for query in spark.streams.active:
        try:
            query.stop()
            stopped += 1
        except Exception:  # noqa: BLE001 - best effort; the sandbox is recycled if it fails
            pass
    views = [t.name for t in spark.catalog.listTables() if t.isTemporary]
    for name in views:
        spark.catalog.dropTempView(name)
    current = conf_snapshot(spark)
    changed = {
        key: [baseline.get(key), current.get(key)]
        for key in sorted(set(baseline) | set(current))
        if baseline.get(key) != current.get(key)
    }
    for key, (before, _after) in changed.items():
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)
    report.update(stopped_queries=stopped, temp_views=views, conf_changed=changed)
    return report
