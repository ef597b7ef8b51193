"""What the sandbox runs: trusted harness code calling one blank on fixture inputs.

Each probe returns plain data (rows, columns, facts); none of them knows the
expected answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pyspark.sql.functions as f
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming import DataStreamWriter
from pyspark.sql.types import StructType

from grader.exercise.contract import BLANKS, COUNTS_DDL, TRANSACTION_DDL
from grader.sandbox.errors import MissingFunction, WrongReturnType
from grader.sandbox.jvm_facts import streaming_facts, writer_facts
from grader.streaming.memory_stream import MemoryStream
from grader.streaming.runner import StreamRun, StreamTimeout

MAX_ROWS = 200
Probe = Callable[[SparkSession, dict[str, ModuleType], dict[str, Any]], dict[str, Any]]


def blank(modules: dict[str, ModuleType], name: str) -> Callable[..., Any]:
    module = modules[BLANKS[name]]
    fn = getattr(module, name, None)
    if not callable(fn):
        raise MissingFunction(f"{module.__name__}.py has no function {name}()")
    return fn


def _dataframe(value: object, what: str) -> DataFrame:
    if not isinstance(value, DataFrame):
        raise WrongReturnType(f"a DataFrame from {what}", value)
    return value


def _columns(df: DataFrame) -> list[list[str]]:
    return [[fld.name, fld.dataType.simpleString()] for fld in df.schema.fields]


def _rows(df: DataFrame) -> tuple[list[dict[str, Any]], bool]:
    rows = [r.asDict(recursive=True) for r in df.limit(MAX_ROWS + 1).collect()]
    return rows[:MAX_ROWS], len(rows) > MAX_ROWS


def _raw_static(spark: SparkSession, lines: list[str]) -> DataFrame:
    return spark.createDataFrame([(line,) for line in lines], "value STRING")


def _parse(raw: DataFrame, schema: StructType | str) -> DataFrame:
    return raw.select(f.from_json("value", schema).alias("data")).select("data.*")


def _student_schema(modules: dict[str, ModuleType]) -> StructType:
    schema = blank(modules, "transaction_schema")()
    if not isinstance(schema, StructType):
        raise WrongReturnType("a StructType from transaction_schema()", schema)
    return schema


def _counts_max(df: DataFrame) -> DataFrame:
    """Counts rows aggregated like ``flagged_counts``' output, built by trusted code."""
    return df.groupBy("userID").agg(f.max("count").alias("count"))


def _transform(
    spark: SparkSession, modules: dict[str, ModuleType], target: str
) -> Callable[[DataFrame], DataFrame]:
    """The function under test, from the input the grader builds to the blank's output."""
    if target == "select_names":
        return lambda raw: blank(modules, "select_names")(raw, schema_of(spark, TRANSACTION_DDL))
    if target == "parse_transactions":
        return lambda raw: blank(modules, "parse_transactions")(
            raw, schema_of(spark, TRANSACTION_DDL)
        )
    if target == "flagged_counts":
        return lambda raw: blank(modules, "flagged_counts")(_parse(raw, TRANSACTION_DDL))
    if target == "suspicious_users":
        return lambda counts: blank(modules, "suspicious_users")(counts)
    if target == "pipeline":

        def chain(raw: DataFrame) -> DataFrame:
            schema = _student_schema(modules)
            parsed = _dataframe(blank(modules, "parse_transactions")(raw, schema), "parse")
            counts = _dataframe(blank(modules, "flagged_counts")(parsed), "flagged_counts")
            return blank(modules, "suspicious_users")(counts)

        return chain
    raise ValueError(f"unknown target {target}")


def schema_of(spark: SparkSession, ddl: str) -> StructType:
    """A StructType from DDL text, on Spark 3.5 and 4.x alike."""
    return spark.createDataFrame([], ddl).schema


def probe_schema(spark: SparkSession, modules: dict[str, ModuleType], params: dict[str, Any]):
    schema = _student_schema(modules)
    fields = [[fld.name, fld.dataType.simpleString()] for fld in schema.fields]
    parsed = _parse(_raw_static(spark, params["lines"]), schema)
    rows, truncated = _rows(parsed)
    return {"fields": fields, "rows": rows, "columns": _columns(parsed), "truncated": truncated}


def probe_static(spark: SparkSession, modules: dict[str, ModuleType], params: dict[str, Any]):
    target = params["target"]
    if target == "suspicious_users":
        source = spark.createDataFrame(params["rows"], COUNTS_DDL)
        source = _counts_max(source)
    else:
        source = _raw_static(spark, params["lines"])
    out = _dataframe(_transform(spark, modules, target)(source), target)
    rows, truncated = _rows(out)
    return {
        "rows": rows,
        "columns": _columns(out),
        "truncated": truncated,
        "is_streaming": out.isStreaming,
    }


def probe_stream(spark: SparkSession, modules: dict[str, ModuleType], params: dict[str, Any]):
    target = params["target"]
    typed = target == "suspicious_users"
    source = MemoryStream(spark, schema=schema_of(spark, COUNTS_DDL) if typed else None)
    data = _counts_max(source.to_df()) if typed else source.to_df()
    out = _dataframe(_transform(spark, modules, target)(data), target)
    if not out.isStreaming:
        raise WrongReturnType("a streaming DataFrame (it must keep its streaming input)", out)
    run = StreamRun(out, output_mode=params["output_mode"], timeout=params["timeout"])
    restart_after = set(params.get("restart_after", []))
    batches = params["batches"]
    try:
        run.start()
        for index, batch in enumerate(batches):
            source.add_data(batch)
            run.process_all_available()
            if index in restart_after and index < len(batches) - 1:
                run.stop()
                run.start()
    finally:
        run.stop()
    return {
        "batches": [
            {
                "batch_id": b.batch_id,
                "rows": b.rows[:MAX_ROWS],
                "columns": [list(c) for c in b.columns],
                "truncated": len(b.rows) > MAX_ROWS,
            }
            for b in run.batches
        ],
        "columns": _columns(out),
    }


def probe_socket(spark: SparkSession, modules: dict[str, ModuleType], params: dict[str, Any]):
    before = len(spark.streams.active)
    df = _dataframe(
        blank(modules, "socket_source")(spark, params["host"], params["port"]), "socket_source"
    )
    facts: dict[str, Any] = {
        "is_streaming": df.isStreaming,
        "columns": _columns(df),
        "started_queries": len(spark.streams.active) - before,
        "rows": [],
    }
    if not df.isStreaming:
        return facts
    run = StreamRun(df, output_mode="append", timeout=params["timeout"])
    deadline = time.monotonic() + params["timeout"]
    run.start()
    try:
        while time.monotonic() < deadline:
            run.process_all_available()
            if sum(len(b.rows) for b in run.batches) >= params["expected_count"]:
                break
            if run.query is not None:
                run.query.awaitTermination(0.1)  # bounded wait for the next lines
        else:
            raise StreamTimeout(f"fewer lines than sent arrived within {params['timeout']:g} s")
    finally:
        run.stop()
    facts["rows"] = [row for b in run.batches for row in b.rows][:MAX_ROWS]
    return facts


def probe_writer(spark: SparkSession, modules: dict[str, ModuleType], params: dict[str, Any]):
    source = MemoryStream(spark, schema=schema_of(spark, TRANSACTION_DDL))
    counts = source.to_df().groupBy("name").count()
    before = len(spark.streams.active)
    fn = blank(modules, "console_writer")
    writer = fn(counts) if params.get("mode") is None else fn(counts, params["mode"])
    started = len(spark.streams.active) - before
    if not isinstance(writer, DataStreamWriter):
        raise WrongReturnType("a DataStreamWriter (df.writeStream..., not started)", writer)
    facts: dict[str, Any] = {"started_queries": started, "writer": writer_facts(writer)}
    query = writer.start()
    try:
        facts["query"] = streaming_facts(query)
    finally:
        query.stop()
    return facts


PROBES: dict[str, Probe] = {
    "schema": probe_schema,
    "static": probe_static,
    "stream": probe_stream,
    "socket": probe_socket,
    "writer": probe_writer,
}
