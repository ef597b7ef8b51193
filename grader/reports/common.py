"""What every report shares: checks grouped by exercise, points, marks, capped row tables."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.results import CheckResult, ExerciseSummary, RowDiff, SubmissionResult

ROW_LIMIT = 10  # rows shown per diff table
CELL_LIMIT = 80  # characters shown per table cell
OUTPUT_LIMIT = 20_000  # characters of the submission's output shown in a report

MARKS: dict[str, str] = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱"}
LABELS: dict[str, str] = {
    "passed": "passed",
    "failed": "failed",
    "error": "error",
    "timeout": "timed out",
}

# Control characters other than tab and newline, lone surrogates and the two non-characters:
# they can move a terminal's cursor or colour it, and they are not allowed in XML 1.0.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONDITION = re.compile(r"\[?([A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)*)\]?(?![\w.])")
_CLASS_PATH = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")


@dataclass
class ExerciseGroup:
    """One exercise's summary and its checks, in the order they ran."""

    summary: ExerciseSummary
    checks: list[CheckResult]


@dataclass
class DiffTable:
    """One side of a row diff, as display strings: ``marked[i]`` flags a row in the difference."""

    kind: str  # "expected", "actual", "missing" or "unexpected"
    title: str
    columns: list[str]
    rows: list[list[str]]
    marked: list[bool] = field(default_factory=list)
    total: int = 0
    more: int = 0


def clean(text: str) -> str:
    """Student-controlled text without the characters that a terminal or XML would act on."""
    return _UNPRINTABLE.sub("", _ANSI.sub("", text))


def groups(result: SubmissionResult) -> list[ExerciseGroup]:
    """Checks per exercise in ``by_exercise()`` order; unknown exercises follow, none dropped."""
    summaries = {s.exercise: s for s in result.by_exercise()}
    others = [e for e in dict.fromkeys(t.exercise for t in result.tests) if e not in summaries]
    found = []
    for exercise in [*summaries, *others]:
        checks = [t for t in result.tests if t.exercise == exercise]
        summary = summaries.get(exercise) or ExerciseSummary(
            exercise,
            round(sum(t.score for t in checks), 4),
            round(sum(t.max_score for t in checks), 4),
            sum(t.passed for t in checks),
            len(checks),
        )
        found.append(ExerciseGroup(summary, checks))
    return found


def points(value: float) -> str:
    return f"{value:g}"


def fraction(score: float, max_score: float) -> str:
    return f"{points(score)} / {points(max_score)}"


def percent(result: SubmissionResult) -> int:
    if result.max_score <= 0:
        return 0
    return max(0, min(100, round(100 * result.score / result.max_score)))


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def short_error_class(error_class: str | None) -> str:
    """Spark's condition (``A.B``) or the bare class name of a Java/Python exception path."""
    text = clean(first_line(error_class or ""))
    condition = _CONDITION.match(text)
    if condition:
        return condition.group(1)
    head = text.split(":", 1)[0].strip()
    if _CLASS_PATH.fullmatch(head):
        head = head.rsplit(".", 1)[-1]
    return shorten(head, CELL_LIMIT)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hidden_note(result: SubmissionResult) -> str:
    """The sentence about hidden checks a public run skipped, or ``""``."""
    count = result.hidden_not_run
    if result.visibility != "public" or count <= 0:
        return ""
    if count == 1:
        return "1 hidden check exists and was not run; it is run when the assignment is graded."
    return (
        f"{count} hidden checks exist and were not run; they are run when the assignment is graded."
    )


def capped_output(text: str, limit: int = OUTPUT_LIMIT) -> str:
    text = clean(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n… {len(text) - limit} more characters not shown"


def cell(value: Any) -> str:
    """One value as table text: ``null`` for None, JSON for nested values, one line, capped."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, Mapping | list | tuple):
        text = json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    text = clean(text.replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " "))
    return shorten(text, CELL_LIMIT)


def _key(row: Mapping[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)


def _table(
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    columns: list[str],
    flagged: set[str],
    limit: int,
) -> DiffTable:
    shown = list(rows[:limit])
    return DiffTable(
        kind=kind,
        title=f"{kind} ({len(rows)} row{'' if len(rows) == 1 else 's'})",
        columns=[shorten(clean(str(c)), CELL_LIMIT) for c in columns],
        rows=[[cell(r[c]) if c in r else "" for c in columns] for r in shown],
        marked=[_key(r) in flagged for r in shown],
        total=len(rows),
        more=max(0, len(rows) - limit),
    )


def diff_tables(diff: RowDiff, limit: int = ROW_LIMIT) -> list[DiffTable]:
    """Expected and actual rows (rows in the difference marked), then missing and unexpected."""
    every = [*diff.expected, *diff.actual, *diff.missing, *diff.unexpected]
    columns = list(dict.fromkeys(c for r in every for c in r))
    missing = {_key(r) for r in diff.missing}
    unexpected = {_key(r) for r in diff.unexpected}
    tables = [
        _table("expected", diff.expected, columns, missing, limit),
        _table("actual", diff.actual, columns, unexpected, limit),
    ]
    if diff.missing:
        tables.append(_table("missing", diff.missing, columns, missing, limit))
    if diff.unexpected:
        tables.append(_table("unexpected", diff.unexpected, columns, unexpected, limit))
    return tables


def failing(result: SubmissionResult) -> list[CheckResult]:
    """The checks that did not pass, in report order."""
    return [c for g in groups(result) for c in g.checks if not c.passed]


def diff_caption(diff: RowDiff) -> str:
    """The diff's label, plus a word when the rows were capped before they reached the report."""
    parts = [clean(diff.label)] if diff.label else []
    if diff.truncated:
        parts.append("the grader kept only part of the rows")
    return "; ".join(parts)
