"""Blanks 6 and 7: where the stream comes from and where it goes."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming import DataStreamWriter


def socket_source(spark: SparkSession, host: str, port: int) -> DataFrame:
    """Open a streaming DataFrame on the lines sent to a TCP socket.

    Contract:
        Return a streaming DataFrame (not started; nothing runs until a query
        is started on it) whose rows are the text lines received on the TCP
        socket ``host:port``, in one string column ``value``.

    Hint:
        ``spark.readStream`` with the ``socket`` format and the ``host`` and
        ``port`` options, then ``load()``. Spark warns that this source is
        meant for testing only: that is expected.
    """
    raise NotImplementedError("blank `socket_source` is not implemented yet")


def console_writer(df: DataFrame, output_mode: str = "update") -> DataStreamWriter:
    """Prepare (do not start) the console report of a streaming DataFrame.

    Contract:
        Return ``df.writeStream`` configured with the output mode
        ``output_mode``, the ``console`` sink, a processing-time trigger of 2
        seconds and the option ``truncate`` set to false. Do not call
        ``start()``: the caller starts the query.

    Hint:
        ``outputMode``, ``format``, ``trigger(processingTime=...)`` and
        ``option`` on ``df.writeStream``. With an aggregation and no
        watermark, only ``update`` and ``complete`` are allowed.
    """
    raise NotImplementedError("blank `console_writer` is not implemented yet")
