"""Hand-built results that the report tests render: no Spark, fixed durations, no clock."""

from __future__ import annotations

from collections.abc import Callable

from grader.results import CheckResult, RowDiff, SubmissionResult

SCRIPT = '<script>alert("x")</script>'


def _passed(exercise: str, name: str, points: float, *, hidden: bool = False) -> CheckResult:
    return CheckResult(
        name=name,
        exercise=exercise,
        status="passed",
        max_score=points,
        visibility="hidden" if hidden else "public",
        duration=0.5,
    )


def all_passed() -> SubmissionResult:
    tests = [
        _passed("transaction_schema", "has the five columns with their types", 2),
        _passed("select_names", "keeps userID and name, in that order", 1),
        _passed("parse_transactions", "parses one CSV line per transaction", 2),
        _passed("parse_transactions", "skips malformed lines", 1),
        _passed("flagged_counts", "update mode: counts per user after each batch", 3),
        _passed("suspicious_users", "users above the threshold after three batches", 3),
        _passed("socket_source", "reads lines from host and port", 1),
        _passed("console_writer", "writes to the console sink in update mode", 1),
        _passed("pipeline", "end to end on a replayed socket", 2, hidden=True),
    ]
    return SubmissionResult(
        submission="alice.py", tests=tests, duration=42.5, spark_version="4.0.1"
    )


def _malformed_rows() -> list[dict[str, object]]:
    return [
        {"userID": f"user{i:02d}", "amount": 10.5 * i, "flagged": i % 3 == 0} for i in range(12)
    ]


def mixed() -> SubmissionResult:
    counts = RowDiff(
        expected=[
            {"userID": "Eve|Mallory", "count": 1},
            {"userID": "JohnJones", "count": 2},
        ],
        actual=[
            {"userID": "Eve|Mallory", "count": 1},
            {"userID": "JohnJones", "count": 1},
        ],
        missing=[{"userID": "JohnJones", "count": 2}],
        unexpected=[{"userID": "JohnJones", "count": 1}],
        label="batch 2 of 3, update mode",
    )
    tests = [
        _passed("transaction_schema", "has the five columns with their types", 2),
        CheckResult(
            name="keeps userID and name, in that order",
            exercise="select_names",
            status="failed",
            max_score=1,
            code="WRONG_COLUMNS",
            params={"expected": ["userID", "name"], "actual": ["userID", SCRIPT]},
            feedback=(
                f"select_names returned the columns userID | {SCRIPT}; expected userID | name."
            ),
            hint='Select the columns by name: df.select("userID", "name").',
            duration=0.75,
        ),
        CheckResult(
            name="skips malformed lines",
            exercise="parse_transactions",
            status="failed",
            max_score=1,
            code="WRONG_ROWS",
            feedback="parse_transactions returned no rows for 12 well-formed lines.",
            hint="Split each line on commas before you cast the fields.",
            diff=RowDiff(expected=_malformed_rows(), actual=[], missing=_malformed_rows()),
            duration=1.25,
        ),
        CheckResult(
            name="update mode: counts per user after each batch",
            exercise="flagged_counts",
            status="failed",
            max_score=3,
            code="WRONG_ROWS",
            params={"batch": 2, "mode": "update"},
            feedback=(
                "After batch 2 the counts are wrong: JohnJones has 2 flagged transactions "
                "so far, your query says 1.\nCounts must add up over all batches."
            ),
            hint="Group the flagged transactions by userID and count them: Spark keeps the state.",
            diff=counts,
            duration=2.5,
        ),
        CheckResult(
            name="append mode needs a watermark",
            exercise="flagged_counts",
            status="error",
            max_score=1,
            code="STREAM_FAILED",
            feedback="The query failed when it started.",
            hint=(
                "Append mode cannot emit an aggregation without a watermark: use "
                'outputMode("update"), or add withWatermark(...) before groupBy.'
            ),
            error_class="STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
            duration=1.0,
        ),
        CheckResult(
            name="users above the threshold after three batches",
            exercise="suspicious_users",
            status="timeout",
            max_score=3,
            code="STREAM_TIMEOUT",
            params={"seconds": 30},
            feedback="The query did not process its input within 30 s.",
            hint="Return the DataFrame; do not wait on the stream inside suspicious_users.",
            duration=30.0,
        ),
        CheckResult(
            name="reads lines from host and port",
            exercise="socket_source",
            status="error",
            max_score=1,
            code="NOT_IMPLEMENTED",
            params={"function": "socket_source"},
            feedback="socket_source is not implemented yet: it still raises NotImplementedError.",
            hint='Replace the raise with spark.readStream.format("socket") and its options.',
            duration=0.25,
        ),
        _passed("console_writer", "writes to the console sink in update mode", 1),
        _passed("pipeline", "end to end on a replayed socket", 2, hidden=True),
    ]
    return SubmissionResult(
        submission="bob <draft>.py",
        tests=tests,
        duration=61.25,
        spark_version="4.0.1",
        notes=["The submission printed 3 lines when it was imported."],
        output='root\n |-- userID: string\n<b>debug</b> "quoted" & more\n\x1b[31mred\x1b[0m\n',
    )


def public_only() -> SubmissionResult:
    tests = [
        _passed("transaction_schema", "has the five columns with their types", 2),
        CheckResult(
            name="keeps userID and name, in that order",
            exercise="select_names",
            status="failed",
            max_score=1,
            code="MISSING_COLUMN",
            params={"column": "name"},
            feedback="The column name is missing from the result.",
            hint="select_names must return userID and name.",
            duration=0.5,
        ),
        _passed("parse_transactions", "parses one CSV line per transaction", 2),
    ]
    return SubmissionResult(
        submission="carol.ipynb",
        tests=tests,
        visibility="public",
        hidden_not_run=5,
        duration=12.0,
        spark_version="4.0.1",
    )


SAMPLES: dict[str, Callable[[], SubmissionResult]] = {
    "all_passed": all_passed,
    "mixed": mixed,
    "public_only": public_only,
}
