"""The terminal report: one line per check, and what to fix under each one that did not pass."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from grader.reports.common import (
    LABELS,
    MARKS,
    DiffTable,
    clean,
    diff_caption,
    diff_tables,
    fraction,
    groups,
    hidden_note,
    percent,
    short_error_class,
)
from grader.results import CheckResult, SubmissionResult

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
GREEN = "\x1b[32m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
STATUS_COLORS: dict[str, str] = {"passed": GREEN, "failed": RED, "error": RED, "timeout": YELLOW}
INDENT = "      "


def use_color(stream: TextIO | None = None) -> bool:
    """Colour iff ``stream`` (default stdout) is a terminal and NO_COLOR is unset or empty."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(sys.stdout if stream is None else stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except (ValueError, OSError):  # a closed or detached stream
        return False


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not codes:
            return text
        return "".join(codes) + text + RESET


def format_table(table: DiffTable) -> list[str]:
    """A fixed-width table: title, header, rule, rows; ``-``/``+`` mark missing/unexpected rows."""
    if not table.rows:
        return [f"{table.title}: (no rows)"]
    widths = [max(len(c), *(len(r[i]) for r in table.rows)) for i, c in enumerate(table.columns)]
    flag = any(table.marked) and table.kind in ("expected", "actual")
    sign = "- " if table.kind == "expected" else "+ "

    def line(cells: list[str], marked: bool = False) -> str:
        text = " | ".join(v.ljust(w) for v, w in zip(cells, widths, strict=True)).rstrip()
        return ((sign if marked else "  ") + text) if flag else text

    header = line(table.columns)
    rule = "-+-".join("-" * w for w in widths)
    lines = [f"{table.title}:", header, ("  " if flag else "") + rule]
    lines += [line(r, m and flag) for r, m in zip(table.rows, table.marked, strict=True)]
    if table.more:
        lines.append(f"… {table.more} more")
    return lines


def check_details(check: CheckResult) -> list[str]:
    """Feedback, hint, error class and diff of one check, as plain lines without colour."""
    lines = clean(check.feedback).splitlines() if check.feedback else []
    if not lines and check.code:
        lines = [f"({check.code})"]
    if check.hint:
        hint = clean(check.hint).splitlines() or [""]
        lines += [f"Hint: {hint[0]}", *("      " + h for h in hint[1:])]
    if check.error_class:
        lines.append(f"Error class: {short_error_class(check.error_class)}")
    if check.diff is not None:
        caption = diff_caption(check.diff)
        if caption:
            lines.append(f"Rows: {caption}")
        for table in diff_tables(check.diff):
            lines += format_table(table)
    return lines


def _check_lines(check: CheckResult, paint: _Paint) -> list[str]:
    color = STATUS_COLORS[check.status] if check.status in STATUS_COLORS else RED
    mark = MARKS.get(check.status, "?")
    tag = " [hidden]" if check.visibility == "hidden" else ""
    head = f"  {paint(mark, color, BOLD)} {clean(check.name)}{tag}"
    head += f"  {fraction(check.score, check.max_score)}"
    if check.passed:
        return [head]
    head += f"  {paint(LABELS.get(check.status, check.status), color)}"
    return [head, *(INDENT + line if line else "" for line in check_details(check))]


def render_text(result: SubmissionResult, *, color: bool | None = None) -> str:
    paint = _Paint(use_color(sys.stdout) if color is None else color)
    total = f"{fraction(result.score, result.max_score)} points ({percent(result)}%)"
    lines = [
        paint(f"Submission: {clean(result.submission) or '(unnamed)'}", BOLD),
        paint(f"Score: {total}", BOLD, GREEN if result.passed else YELLOW),
    ]
    facts = [f"Spark {clean(result.spark_version)}"] if result.spark_version else []
    facts.append(f"{result.duration:.1f} s")
    lines += [", ".join(facts), ""]
    for group in groups(result):
        s = group.summary
        lines.append(
            paint(f"{s.exercise}  {fraction(s.score, s.max_score)}", BOLD)
            + f"  ({s.passed}/{s.total} checks passed)"
        )
        for check in group.checks:
            lines += _check_lines(check, paint)
        lines.append("")
    if not result.tests:
        lines += ["No checks ran.", ""]
    elif result.passed:
        lines += [paint("All checks passed.", GREEN, BOLD), ""]
    if result.notes:
        lines += ["Notes:", *(f"  - {clean(n)}" for n in result.notes), ""]
    note = hidden_note(result)
    if note:
        lines += [paint(note, YELLOW), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
