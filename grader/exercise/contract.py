"""The fixed contract of the exercise (see the docstrings in ``exercises/``).

This module is plain data: the judge uses it without Spark, the sandbox uses it
to build trusted inputs.
"""

from __future__ import annotations

MODULES: tuple[str, ...] = ("schema", "parser", "aggregation", "query")

BLANKS: dict[str, str] = {
    "transaction_schema": "schema",
    "select_names": "parser",
    "parse_transactions": "parser",
    "flagged_counts": "aggregation",
    "suspicious_users": "aggregation",
    "socket_source": "query",
    "console_writer": "query",
}

# The schema the grader itself parses with, when a blank's input must not depend
# on the student's own schema.
TRANSACTION_DDL = "name STRING, surname STRING, amount DOUBLE, delta_t DOUBLE, flag INT"
TRANSACTION_FIELDS: dict[str, str] = {
    "name": "string",
    "surname": "string",
    "amount": "double",
    "delta_t": "double",
    "flag": "int",
}
ACCEPTED_TYPES: dict[str, frozenset[str]] = {
    "name": frozenset({"string"}),
    "surname": frozenset({"string"}),
    "amount": frozenset({"double", "float"}),
    "delta_t": frozenset({"double", "float"}),
    "flag": frozenset({"int", "bigint", "smallint", "tinyint"}),
}
INTEGRAL_TYPES = frozenset({"int", "bigint", "smallint", "tinyint"})

COUNTS_DDL = "userID STRING, count BIGINT"

COLUMNS: dict[str, tuple[str, ...]] = {
    "select_names": ("name", "surname"),
    "parse_transactions": ("name", "surname", "amount", "delta_t", "flag"),
    "flagged_counts": ("userID", "count"),
    "suspicious_users": ("userID", "isFraud", "count"),
    "pipeline": ("userID", "isFraud", "count"),
}

