"""The kinds of queries grading runs, on tiny inputs: what the class-data archive records."""

from __future__ import annotations

import json

from pyspark.sql import SparkSession
from pyspark.sql import functions as f

from grader.streaming.memory_stream import MemoryStream
from grader.streaming.runner import StreamRun

# Deliberately not the exercise's schema: the warm-up must not spell out an answer.
SCHEMA = "who STRING, spent DOUBLE, marked INT"
LINES = [json.dumps({"who": w, "spent": s, "marked": m}) for w, s, m in
         [("Ann", 1.5, 1), ("Bob", 2.0, 0), ("Ann", 3.25, 1)]]  # fmt: skip


def warm_up(spark: SparkSession) -> None:
    """Static parsing, stateful streaming in update and complete mode with a restart."""
    raw = spark.createDataFrame([(line,) for line in LINES], "value string")
    parsed = raw.select(f.from_json("value", SCHEMA).alias("m")).select("m.*")
    parsed.where("marked > 0").groupBy("who").agg(f.sum("spent")).collect()
    for mode in ("update", "complete"):
        source = MemoryStream(spark)
        rows = source.to_df().select(f.from_json("value", SCHEMA).alias("m")).select("m.*")
        counts = rows.where(f.col("marked") > 0).groupBy("who").count()
        many = counts.where("count > 1").select(f.concat(f.col("who"), f.lit("*")).alias("w"))
        for df in (counts, many):
            run = StreamRun(df, output_mode=mode, timeout=120)
            run.start()
            source.add_data(LINES)
            run.process_all_available()
            run.stop()
            run.start()  # restart from the checkpoint
            source.add_data(LINES[:1])
            run.process_all_available()
            run.stop()
    writer = counts.writeStream.format("console").outputMode("update").trigger(availableNow=True)
    writer.start().awaitTermination(120)
