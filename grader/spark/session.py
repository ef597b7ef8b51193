"""One tuned SparkSession per process.

Grading runs many tiny streaming queries, so the session is tuned for latency
rather than throughput: one shuffle partition, no UI, no adaptive execution,
and a JVM that starts fast (see ``grader/spark/jvm.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

from pyspark.sql import SparkSession

from grader.spark import jvm

DEFAULT_MASTER = "local[*]"

BASE_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    # Tiny inputs: interpreting beats compiling generated code for every new query.
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.streaming.forceDeleteTempCheckpointLocation": "true",
    "spark.sql.streaming.stateStore.minDeltasForSnapshot": "1000",
    "spark.sql.streaming.minBatchesToRetain": "2",
    "spark.driver.memory": "1g",
    "spark.executor.memory": "512m",
}


def session_conf(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The configuration every grading session starts with, plus ``extra``."""
    conf = dict(BASE_CONF)
    conf["spark.sql.streaming.checkpointLocation"] = tempfile.mkdtemp(prefix="grader-ckpt-")
    conf["spark.sql.warehouse.dir"] = tempfile.mkdtemp(prefix="grader-warehouse-")
    flags = jvm.jvm_flags()
    driver = flags
    if jvm.enabled():  # map the class-data archive in when there is one
        archive = os.environ.get("GRADER_CDS_ARCHIVE") or str(jvm.archive_path(flags))
        driver = f"{flags} {jvm.use_flags(archive)}".strip()
    # The driver's temporary files go where this process keeps its own (the sandbox folder).
    conf["spark.driver.extraJavaOptions"] = f"{driver} -Djava.io.tmpdir={tempfile.gettempdir()}"
    conf["spark.executor.extraJavaOptions"] = flags
    conf.update(extra or {})
    return conf


def is_local(master: str) -> bool:
    """True for the masters on this machine: ``local``, ``local[4]``, ``local-cluster[...]``."""
    return master.startswith("local")


def build_session(
    *,
    master: str | None = None,
    app_name: str = "streaming-grader",
    extra_conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """Create (or return the running) SparkSession with the grading configuration."""
    master = master or DEFAULT_MASTER
    if is_local(master):
        # Loopback only: no warning about the host name, no traffic off the machine. A
        # cluster's executors must reach the driver, so there Spark picks the address.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in session_conf(extra_conf).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
