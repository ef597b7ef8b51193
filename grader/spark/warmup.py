"""The kinds of queries grading runs, on tiny inputs: what the class-data archive records."""

from __future__ import annotations

import json

from pyspark.sql import SparkSession
from pyspark.sql import functions as f
from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

from grader.streaming.memory_stream import MemoryStream
from grader.streaming.runner import StreamRun

SCHEMA = StructType(
    [
        StructField("name", StringType()),
        StructField("amount", DoubleType()),
        StructField("flag", IntegerType()),
    ]
)
LINES = [json.dumps({"name": n, "amount": a, "flag": g}) for n, a, g in
         [("Ann", 1.5, 1), ("Bob", 2.0, 0), ("Ann", 3.25, 1)]]  # fmt: skip


def warm_up(spark: SparkSession) -> None:
    """Static parsing, stateful streaming in update and complete mode with a restart."""
    raw = spark.createDataFrame([(line,) for line in LINES], "value string")
    parsed = raw.select(f.from_json("value", SCHEMA).alias("data")).select("data.*")
    parsed.where("flag = 1").groupBy("name").count().collect()
    for mode in ("update", "complete"):
        source = MemoryStream(spark)
        rows = source.to_df().select(f.from_json("value", SCHEMA).alias("data")).select("data.*")
        counts = rows.where(f.col("flag") == 1).groupBy("name").count()
        flagged = counts.where("count >= 2").select(f.concat(f.col("name"), f.lit("!")))
        for df in (counts, flagged):
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
