"""The naive way to grade: a fresh SparkSession per check, notebook-style waiting.

Runs the same checks as the rubric on the reference solutions, but each in a new
process with its own SparkSession, each streaming check with a processing-time
trigger of 2 seconds, the memory sink and a ``time.sleep`` after every micro-batch,
as a notebook would. Used by ``benchmarks/run.py`` as the baseline (d).

    python benchmarks/naive.py CHECK_NAME     # one check, in this process
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WAIT_PER_BATCH = 3.0  # seconds a notebook user waits for a 2-second trigger to fire


def run_check(name: str) -> None:
    import pyspark.sql.functions as f
    from pyspark.sql import SparkSession

    from fixtures.loader import load_scenario
    from grader.checks.rubric import load_rubric
    from grader.streaming.memory_stream import MemoryStream
    from solutions import aggregation, parser, query, schema

    spec = {s.name: s for s in load_rubric()}[name]
    spark = SparkSession.builder.master("local[*]").appName("naive").getOrCreate()
    sch = schema.transaction_schema()
    scenario = None
    if spec.scenario:
        folder = "public" if spec.visibility == "public" else "hidden"
        path = ROOT / "fixtures" / "scenarios" / folder / f"{spec.scenario}.json"
        if not path.exists():
            path = ROOT / "fixtures" / "scenarios" / "public" / f"{spec.scenario}.json"
        scenario = load_scenario(path)
    transforms = {
        "select_names": lambda raw: parser.select_names(raw, sch),
        "parse_transactions": lambda raw: parser.parse_transactions(raw, sch),
        "flagged_counts": lambda raw: aggregation.flagged_counts(
            parser.parse_transactions(raw, sch)),
        "pipeline": lambda raw: aggregation.suspicious_users(
            aggregation.flagged_counts(parser.parse_transactions(raw, sch))),
        "suspicious_users": lambda counts: aggregation.suspicious_users(
            counts.groupBy("userID").agg(f.max("count").alias("count"))),
    }
    if spec.kind in ("schema_fields", "schema_parse", "static") and scenario is not None:
        lines = [line for batch in scenario.batches for line in batch]
        raw = spark.createDataFrame([(line,) for line in lines], "value STRING")
        target = spec.exercise if spec.kind == "static" else "parse_transactions"
        if target == "suspicious_users":
            rows = [dict(r) for b in scenario.count_batches for r in b]
            transforms[target](spark.createDataFrame(rows, "userID STRING, count BIGINT")).collect()
        else:
            transforms[target](raw).collect()
    elif spec.kind == "stream":
        typed = spec.exercise == "suspicious_users"
        counts_schema = spark.createDataFrame([], "userID STRING, count BIGINT").schema
        source = MemoryStream(spark, schema=counts_schema if typed else None)
        out = transforms[spec.exercise](source.to_df())
        table = f"naive_{int(time.time() * 1000)}"
        query_ = (out.writeStream.format("memory").queryName(table).outputMode(spec.mode)
                  .trigger(processingTime="2 seconds").start())
        for batch in (scenario.count_batches if typed else scenario.batches):
            source.add_data([dict(r) if typed else r for r in batch])
            time.sleep(WAIT_PER_BATCH)
            spark.table(table).collect()
        query_.stop()
    elif spec.kind == "writer":
        source = MemoryStream(spark)
        writer = query.console_writer(source.to_df().groupBy("value").count(),
                                      spec.mode if spec.mode != "default" else "update")
        started = writer.start()
        time.sleep(WAIT_PER_BATCH)
        started.stop()
    elif spec.kind == "socket":
        import subprocess

        producer = subprocess.Popen(
            [sys.executable, str(ROOT / "exercises/utils/producer.py"), "--port", "0",
             "--hostname", "127.0.0.1", "--rate", "0", "--replay",
             str(ROOT / "fixtures/messages/lecture.jsonl")],
            stderr=subprocess.PIPE, text=True)
        assert producer.stderr is not None
        port = int(producer.stderr.readline().rsplit(":", 1)[1])
        df = query.socket_source(spark, "127.0.0.1", port)
        q = df.writeStream.format("memory").queryName("naive_socket").start()
        time.sleep(WAIT_PER_BATCH)
        spark.table("naive_socket").collect()
        q.stop()
        producer.kill()
    spark.stop()
    print(json.dumps({"check": name, "ok": True}))


if __name__ == "__main__":
    run_check(sys.argv[1])
