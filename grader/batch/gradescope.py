"""Gradescope's autograder results format (``results.json``), rendered from one result.

Each check is one Gradescope test: ``number`` is ``<blank>.<check>`` in the order of
``grader.results.EXERCISES``, so a check keeps its number across submissions. Hidden checks
show after the grades are published; public ones at once. What the submission printed is
left out: it ran on the hidden fixtures too, and must not reveal them.
"""

from __future__ import annotations

import json
import math
from typing import Any

from grader.batch.failure import failure_reason
from grader.reports.common import clean, fraction, groups, hidden_note, percent
from grader.reports.text import check_details
from grader.results import EXERCISES, CheckResult, SubmissionResult

VISIBILITY = {"public": "visible", "hidden": "after_published"}
OUTPUT_LIMIT = 20_000  # characters per test output


def _test_output(check: CheckResult) -> str:
    lines = check_details(check)
    if check.passed and check.description:
        lines = [f"Passed: {clean(check.description)}."]
    text = "\n".join(lines) or ("Passed." if check.passed else "Failed.")
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + "\n… (cut)"
    return text


def _overall_output(result: SubmissionResult) -> str:
    reason = failure_reason(result)
    if reason is not None:
        return f"Your submission could not be graded: {reason}"
    lines = [f"Score: {fraction(result.score, result.max_score)} points ({percent(result)}%)."]
    for group in groups(result):
        s = group.summary
        lines.append(f"  {s.exercise}: {fraction(s.score, s.max_score)} "
                     f"({s.passed}/{s.total} checks passed)")
    lines += [clean(n) for n in result.notes]
    note = hidden_note(result)
    if note:
        lines.append(note)
    lines.append("Checks marked hidden show their results once the grades are published.")
    return "\n".join(lines)


def gradescope_results(result: SubmissionResult) -> dict[str, Any]:
    """The ``results.json`` Gradescope reads, as a dict."""
    tests = []
    extra = len(EXERCISES)
    for group in groups(result):
        if group.summary.exercise in EXERCISES:
            blank_number = EXERCISES.index(group.summary.exercise) + 1
        else:
            extra += 1
            blank_number = extra
        for check_number, check in enumerate(group.checks, start=1):
            tests.append({
                "name": clean(check.name),
                "number": f"{blank_number}.{check_number}",
                "score": check.score,
                "max_score": check.max_score,
                "status": "passed" if check.passed else "failed",
                "output": _test_output(check),
                "tags": [check.exercise, check.visibility],
                "visibility": VISIBILITY.get(check.visibility, "after_published"),
            })
    return {
        "score": result.score,
        "execution_time": math.ceil(max(0.0, result.duration)),
        "output": _overall_output(result),
        "output_format": "text",
        "test_output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def render_gradescope(result: SubmissionResult) -> str:
    return json.dumps(gradescope_results(result), indent=2, ensure_ascii=False) + "\n"
