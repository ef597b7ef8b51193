"""Blank 1: the schema of a transaction message."""

from __future__ import annotations

from pyspark.sql.types import (
    DoubleType,
    IntegerType,
    StringType,
    StructField,
    StructType,
)


def transaction_schema() -> StructType:
    """Return the schema of one transaction message sent by the producer.

    Contract:
        A ``StructType`` with five fields, in any order:
        ``name`` and ``surname`` (string), ``amount`` and ``delta_t`` (double;
        ``FloatType`` is accepted too) and ``flag`` (integer; any integral type
        is accepted).

    Hint:
        Look at ``StructType``, ``StructField`` and the types in
        ``pyspark.sql.types``. Compare with one of the lecture's test messages:
        ``{"name": "John", "surname": "Jones", "amount": 249.9, "delta_t": 0.62, "flag": 1}``.
    """
    raise NotImplementedError("blank `transaction_schema` is not implemented yet")
