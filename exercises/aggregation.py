"""Blanks 4 and 5: count flagged transactions and find suspicious users."""

from __future__ import annotations

import pyspark.sql.functions as f
from pyspark.sql import DataFrame


def flagged_counts(parsed: DataFrame) -> DataFrame:
    """Count the flagged transactions of each user.

    Contract:
        ``parsed`` has the columns of ``parse_transactions``. Return the
        columns ``userID`` (the name immediately followed by the surname, as in
        ``JohnJones``) and ``count`` (integral): the number of messages with
        ``flag == 1`` for that user. Every message counts, also two identical
        ones; users without flagged messages do not appear. On a stream the
        count covers all micro-batches so far: Structured Streaming keeps the
        aggregation's state between batches.

    Hint:
        Filter on ``flag``, build ``userID`` with ``concat`` from
        ``pyspark.sql.functions``, then ``groupBy("userID").count()``.
    """
    raise NotImplementedError("blank `flagged_counts` is not implemented yet")


def suspicious_users(counts: DataFrame) -> DataFrame:
    """Mark the users with more than one flagged transaction as suspicious.

    Contract:
        ``counts`` is shaped like the output of ``flagged_counts`` (columns
        ``userID`` and ``count``). Return the columns ``userID``, ``isFraud``
        and ``count`` for the users whose ``count`` is greater than 1, and
        only those; ``isFraud`` is ``true`` (a boolean; the integer 1 is
        accepted). Column order is not graded.

    Hint:
        Filter on ``count``, add the constant column with ``lit`` from
        ``pyspark.sql.functions``, then ``select`` the three columns.
    """
    raise NotImplementedError("blank `suspicious_users` is not implemented yet")
