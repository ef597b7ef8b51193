"""Compare what the sandbox returned with what the fixtures expect.

Runs in the grading process only: the expected outputs never reach the sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from grader.checks.rubric import CheckSpec
from grader.checks.verdict import Mismatch, Verdict, fail
from grader.exercise.contract import ACCEPTED_TYPES, COLUMNS, INTEGRAL_TYPES, TRANSACTION_FIELDS
from grader.results import RowDiff
from grader.streaming.rows import RowsMismatch, assert_rows_equal

DIFF_ROWS = 12
Converters = dict[str, Callable[[Any], Any]]


def _is_fraud(value: Any) -> Any:
    return True if value is True or (type(value) is int and value == 1) else value


CONVERTERS: Converters = {"isFraud": _is_fraud}


def judge(
    spec: CheckSpec, result: dict[str, Any], scenario: Any | None, sent: list[str] | None = None
) -> Verdict:
    """The verdict of one check from the probe's result (the probe itself succeeded)."""
    try:
        if spec.kind == "schema_fields":
            _schema_fields(result)
        elif spec.kind == "schema_parse":
            expected = _concat(scenario.expected["parse_transactions"])
            _rows(spec, "parsed messages", expected, result, drop_null=True)
        elif spec.kind == "static":
            _columns(spec, "static result", result["columns"])
            _rows(
                spec,
                "static result",
                _static_expected(spec, scenario),
                result,
                drop_null=spec.exercise in ("select_names", "parse_transactions"),
            )
        elif spec.kind == "stream":
            _stream(spec, scenario, result)
        elif spec.kind == "socket":
            _socket(spec, result, sent or [])
        elif spec.kind == "writer":
            _writer(spec, result)
    except Mismatch as mismatch:
        return mismatch.verdict
    return Verdict("passed", "PASSED", {"summary": spec.description})


def _concat(batches: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [row for batch in batches for row in batch]


def _static_expected(spec: CheckSpec, scenario: Any) -> list[dict[str, Any]]:
    expected = scenario.expected[spec.exercise]
    if isinstance(expected, dict):  # stateful: the final table is the static answer
        return list(expected["complete"][-1])
    return _concat(expected)


def _columns(spec: CheckSpec, label: str, columns: list[list[str]]) -> None:
    wanted = COLUMNS.get(spec.exercise)
    names = [name for name, _ in columns]
    if wanted is not None and sorted(names) != sorted(wanted):
        raise fail("WRONG_COLUMNS", label=label, expected=list(wanted), actual=names)
    types = dict((name, kind) for name, kind in columns)
    if "count" in types and types["count"] not in INTEGRAL_TYPES:
        raise fail(
            "WRONG_COLUMN_TYPE",
            label=label,
            column="count",
            actual=types["count"],
            expected="an integral type (bigint, int)",
        )
    if "isFraud" in types and types["isFraud"] not in INTEGRAL_TYPES | {"boolean"}:
        raise fail(
            "WRONG_COLUMN_TYPE",
            label=label,
            column="isFraud",
            actual=types["isFraud"],
            expected="boolean",
        )


def _all_null(row: dict[str, Any]) -> bool:
    return all(value is None for value in row.values())


def _rows(
    spec: CheckSpec,
    label: str,
    expected: list[dict[str, Any]],
    result: dict[str, Any],
    *,
    drop_null: bool = False,
    rows: list[dict[str, Any]] | None = None,
) -> None:
    actual = result["rows"] if rows is None else rows
    if drop_null:  # keeping or dropping lines that are not JSON are both accepted
        actual = [row for row in actual if not _all_null(row)]
    if result.get("truncated"):
        raise fail("TOO_MANY_ROWS", label=label, limit=len(actual), expected=len(expected))
    try:
        assert_rows_equal(expected, actual, converters=CONVERTERS)
    except RowsMismatch as exc:
        raise fail(
            "WRONG_ROWS",
            _diff(exc, label),
            label=label,
            missing=len(exc.missing),
            unexpected=len(exc.unexpected),
        ) from None


def _diff(exc: RowsMismatch, label: str) -> RowDiff:
    parts = (exc.expected, exc.actual, exc.missing, exc.unexpected)
    truncated = any(len(p) > DIFF_ROWS for p in parts)
    return RowDiff(*(list(p[:DIFF_ROWS]) for p in parts), label=label, truncated=truncated)


def _stream(spec: CheckSpec, scenario: Any, result: dict[str, Any]) -> None:
    expected_all = scenario.expected[spec.exercise]
    expected = expected_all[spec.mode] if isinstance(expected_all, dict) else expected_all
    batches = result["batches"]
    _columns(spec, "streaming result", result["columns"])
    if len(batches) != len(expected):
        raise fail("WRONG_BATCH_COUNT", expected=len(expected), actual=len(batches))
    restarts = set(scenario.restart_after) if spec.restart else set()
    for index, (want, got) in enumerate(zip(expected, batches, strict=True)):
        after = " after a restart from the checkpoint" if index - 1 in restarts else ""
        label = f"micro-batch {index + 1} of {len(expected)} ({spec.mode} mode{after})"
        _rows(spec, label, want, got, drop_null=spec.mode == "append")


def _schema_fields(result: dict[str, Any]) -> None:
    fields = {name: kind for name, kind in result["fields"]}
    missing = [name for name in TRANSACTION_FIELDS if name not in fields]
    if missing:
        raise fail("SCHEMA_MISSING_FIELDS", fields=", ".join(missing))
    extra = [name for name in fields if name not in TRANSACTION_FIELDS]
    if extra:
        raise fail("SCHEMA_EXTRA_FIELDS", fields=", ".join(extra))
    for name, accepted in ACCEPTED_TYPES.items():
        if fields[name] not in accepted:
            raise fail(
                "SCHEMA_FIELD_TYPE",
                field=name,
                actual=fields[name],
                expected=TRANSACTION_FIELDS[name],
            )


def _socket(spec: CheckSpec, result: dict[str, Any], sent: list[str]) -> None:
    if spec.aspect == "streaming_dataframe":
        if not result["is_streaming"]:
            raise fail("SOCKET_NOT_STREAMING")
        if result["columns"] != [["value", "string"]]:
            raise fail(
                "WRONG_COLUMNS",
                label="socket source",
                expected=["value"],
                actual=[name for name, _ in result["columns"]],
            )
        if result["started_queries"]:
            raise fail("STARTED_QUERY", blank="socket_source")
        return
    if not result["is_streaming"]:
        raise fail("SOCKET_NOT_STREAMING")
    try:
        assert_rows_equal([{"value": line} for line in sent], result["rows"])
    except RowsMismatch as exc:
        raise fail(
            "SOCKET_LINES",
            _diff(exc, "lines received"),
            missing=len(exc.missing),
            unexpected=len(exc.unexpected),
        ) from None


_TWO_SECONDS = re.compile(r"ProcessingTime(Trigger)?\(2000( ms)?\)")


def _writer(spec: CheckSpec, result: dict[str, Any]) -> None:
    if spec.aspect == "not_started":
        if result["started_queries"]:
            raise fail("STARTED_QUERY", blank="console_writer")
        return
    writer, query = result["writer"], result.get("query", {})
    if str(writer.get("format")).lower() != "console" or "Console" not in query.get("sink", ""):
        raise fail("WRITER_FORMAT", actual=writer.get("format") or "the default sink")
    wanted = "update" if spec.mode == "default" else str(spec.mode)
    mode = str(query.get("output_mode") or writer.get("output_mode")).lower()
    if mode != wanted:
        raise fail("WRITER_OUTPUT_MODE", actual=mode, expected=wanted)
    trigger = str(query.get("trigger") or writer.get("trigger"))
    if not _TWO_SECONDS.fullmatch(trigger):
        raise fail("WRITER_TRIGGER", actual=trigger)
    if str(writer.get("truncate")).lower() != "false":
        raise fail("WRITER_TRUNCATE", actual=writer.get("truncate") or "not set (true)")
