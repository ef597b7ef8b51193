"""After each probe: find and undo what the submission left behind in the session."""

from __future__ import annotations

import threading
from typing import Any

from pyspark.sql import SparkSession

from grader.sandbox.leftovers import descendants, kill_stray_processes

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


def jvm_processes(spark: SparkSession) -> set[int]:
    """The Spark driver JVM and what it started (Python workers for UDFs)."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    if proc is None:
        return set()
    return {proc.pid} | descendants(proc.pid)


def stray_threads(before: set[int]) -> list[str]:
    """Non-daemon threads started since ``before`` (thread idents) and still running."""
    return sorted(
        t.name
        for t in threading.enumerate()
        if t.ident not in before and not t.daemon and t is not threading.main_thread()
    )


def temp_views(spark: SparkSession) -> list[str]:
    try:
        return [t.name for t in spark.catalog.listTables() if t.isTemporary]
    except Exception:  # noqa: BLE001 - some views cannot be listed; the session is dropped anyway
        return []


def close_probe_session(session: SparkSession, before: dict[str, str]) -> dict[str, Any]:
    """Stop the probe session's queries; report its leftovers and configuration changes."""
    try:
        if not spark_alive(session):
            return {}
        stopped = 0
        for query in session.streams.active:
            try:
                query.stop()
                stopped += 1
            except Exception:  # noqa: BLE001 - best effort
                pass
        after = conf_snapshot(session)
    except Exception:  # noqa: BLE001 - the JVM died meanwhile; the health check reports it
        return {}
    changed = {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    return {"stopped_queries": stopped, "temp_views": temp_views(session), "conf_changed": changed}


def restore(
    spark: SparkSession, baseline: dict[str, str], threads_before: set[int] | None = None
) -> dict[str, Any]:
    """Stop leftover queries, drop temp views, undo conf changes; report what was found."""
    report: dict[str, Any] = {"spark_alive": spark_alive(spark)}
    report["stray_processes"] = kill_stray_processes(jvm_processes(spark))
    report["stray_threads"] = stray_threads(threads_before or set())
    if not report["spark_alive"]:
        return report
    try:
        report.update(_undo(spark, baseline))
    except Exception:
        if spark_alive(spark):
            raise  # the worker ends; the blank's checks fail as a crash, the grader goes on
        report["spark_alive"] = False  # the JVM died meanwhile
    return report


def _undo(spark: SparkSession, baseline: dict[str, str]) -> dict[str, Any]:
    stopped = 0
    for query in spark.streams.active:
        try:
            query.stop()
            stopped += 1
        except Exception:  # noqa: BLE001 - best effort; the sandbox is recycled if it fails
            pass
    views = temp_views(spark)
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
    return {"stopped_queries": stopped, "temp_views": views, "conf_changed": changed}
