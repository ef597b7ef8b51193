"""The HTML report: one self-contained page (inline CSS, no scripts, nothing fetched)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.reports.common import (
    LABELS,
    MARKS,
    capped_output,
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

TEMPLATE = "report.html.j2"


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("grader.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _check_view(check: CheckResult) -> dict[str, Any]:
    status = check.status if check.status in MARKS else "error"
    return {
        "name": clean(check.name),
        "status": status,
        "label": LABELS[status],
        "points": fraction(check.score, check.max_score),
        "hidden": check.visibility == "hidden",
        "description": clean(check.description),
        "feedback": clean(check.feedback),
        "code": clean(check.code),
        "hint": clean(check.hint),
        "error_class": short_error_class(check.error_class) if check.error_class else "",
        "caption": diff_caption(check.diff) if check.diff is not None else "",
        "tables": diff_tables(check.diff) if check.diff is not None else [],
    }


def report_view(result: SubmissionResult) -> dict[str, Any]:
    """Everything the template shows, already cleaned and formatted; Jinja2 escapes it."""
    exercises = [
        {
            "name": clean(g.summary.exercise),
            "points": fraction(g.summary.score, g.summary.max_score),
            "passed": g.summary.passed,
            "total": g.summary.total,
            "complete": g.summary.passed == g.summary.total,
            "checks": [_check_view(c) for c in g.checks],
        }
        for g in groups(result)
    ]
    return {
        "submission": clean(result.submission) or "(unnamed)",
        "score": fraction(result.score, result.max_score),
        "percent": percent(result),
        "passed": result.passed,
        "spark_version": clean(result.spark_version),
        "duration": f"{result.duration:.1f} s",
        "exercises": exercises,
        "hidden_note": hidden_note(result),
        "notes": [clean(n) for n in result.notes],
        "output": capped_output(result.output),
    }


def render_html(result: SubmissionResult) -> str:
    return environment().get_template(TEMPLATE).render(report=report_view(result))
