"""Blanks 2 and 3: turn raw JSON lines into columns."""

from __future__ import annotations

import pyspark.sql.functions as f
from pyspark.sql import DataFrame
from pyspark.sql.types import StructType


def select_names(raw: DataFrame, schema: StructType) -> DataFrame:
    """Parse the JSON messages and keep only who made each transaction.

    Contract:
        ``raw`` has one string column ``value`` holding one JSON message per row
        (the shape of the socket source). Parse ``value`` with ``from_json``
        and ``schema``, alias the parsed struct ``data``, and return exactly
        the two columns ``name`` and ``surname``, one row per input row.

    Hint:
        ``f.from_json("value", schema).alias("data")`` builds the nested struct;
        a second ``select`` of ``"data.name"`` and ``"data.surname"`` flattens it.
    """
    raise NotImplementedError("blank `select_names` is not implemented yet")


def parse_transactions(raw: DataFrame, schema: StructType) -> DataFrame:
    """Parse the JSON messages into one column per schema field.

    Contract:
        Same input as ``select_names``. Return one column per field of
        ``schema`` (``data.*``), one row per message. It must work on a static
        DataFrame and on a streaming one alike. Lines that are not JSON
        objects become rows whose columns are all null; keeping or dropping
        those rows are both accepted.

    Hint:
        The same code serves static and streaming DataFrames. ``"data.*"``
        selects every field of the struct, as in SQL.
    """
    raise NotImplementedError("blank `parse_transactions` is not implemented yet")
