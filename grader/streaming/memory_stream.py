"""A Python handle on Spark's ``MemoryStream``, the source of Spark's own stream tests.

The JVM class moved from ``org.apache.spark.sql.execution.streaming`` (Spark 3.5)
to ``...execution.streaming.runtime`` (Spark 4.1); both are tried. The stream
holds strings (one JSON message per row, like the socket source); typed rows are
sent as JSON and parsed with a trusted schema, so one mechanism serves both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyspark.sql.functions as f
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

_CLASSES = (
    "org.apache.spark.sql.execution.streaming.runtime.MemoryStream",
    "org.apache.spark.sql.execution.streaming.MemoryStream",
)


def _memory_stream_class(spark: SparkSession) -> Any:
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    for name in _CLASSES:
        try:
            jvm.java.lang.Class.forName(name + "$")
        except Exception:  # noqa: BLE001 - Py4JJavaError: class not on this Spark
            continue
        found: Any = jvm
        for part in name.split("."):
            found = getattr(found, part)
        return found
    raise RuntimeError("MemoryStream is not available in this Spark version")


class MemoryStream:
    """An in-memory streaming source; ``add_data`` makes the next micro-batch's input.

    With ``schema`` the rows are typed: ``add_data`` takes mappings, and
    ``to_df`` returns one column per schema field. Without it, ``add_data``
    takes strings and ``to_df`` has the single string column ``value``.
    """

    def __init__(self, spark: SparkSession, schema: StructType | None = None) -> None:
        self._spark = spark
        self.schema = schema
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        encoder = jvm.org.apache.spark.sql.Encoders.STRING()
        self._jstream = _memory_stream_class(spark).apply(
            encoder, spark._jsparkSession.sqlContext()
        )
        self._batches_added = 0

    @property
    def batches_added(self) -> int:
        return self._batches_added

    def add_data(self, rows: Iterable[str] | Iterable[Mapping[str, Any]]) -> None:
        """Append rows; each call becomes one offset, hence one micro-batch."""
        lines = [
            row if isinstance(row, str) else json.dumps(dict(row), ensure_ascii=False)
            for row in rows
        ]
        jvm = self._spark.sparkContext._jvm
        assert jvm is not None
        self._jstream.addData(jvm.PythonUtils.toSeq(lines))
        self._batches_added += 1

    def to_df(self) -> DataFrame:
        raw = DataFrame(self._jstream.toDF(), self._spark)
        if self.schema is None:
            return raw
        return raw.select(f.from_json("value", self.schema).alias("row")).select("row.*")
