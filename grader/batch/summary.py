"""The class summary page: score histogram, pass rates, common failures, slowest submissions.

One self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched), rendered
through Jinja2 with autoescaping. It depends on the stored results only, so the summary of a
merged batch is the summary of the same results graded in one run.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.batch.charts import bar_chart, meter
from grader.batch.failure import failure_reason
from grader.reports.common import clean, first_line, points, shorten
from grader.results import EXERCISES, SubmissionResult

TEMPLATE = "summary.html.j2"
FAILURE_ROWS = 15
SLOWEST_ROWS = 10
IDS_SHOWN = 8
MESSAGE_LIMIT = 200


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("grader.batch", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def _percent(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole > 0 else 0


def _histogram(results: list[SubmissionResult]) -> dict[str, Any]:
    labels = [f"{low}–{low + 9}%" for low in range(0, 100, 10)] + ["100%"]
    counts = [0] * len(labels)
    for result in results:
        share = result.score / result.max_score if result.max_score > 0 else 0.0
        counts[10 if share >= 1 else min(9, int(share * 10))] += 1
    return bar_chart(labels, counts, title="Submissions per score band")


def _blanks(graded: list[SubmissionResult]) -> list[dict[str, Any]]:
    rows = []
    for exercise in EXERCISES:
        found = [s for r in graded for s in r.by_exercise() if s.exercise == exercise]
        if not found:
            continue
        full = sum(s.score >= s.max_score for s in found)
        rows.append({"name": exercise, "max": points(found[0].max_score),
                     "mean": f"{statistics.fmean(s.score for s in found):.1f}",
                     "full": full, "total": len(found), "rate": _percent(full, len(found)),
                     "meter": meter(_percent(full, len(found)))})
    return rows


def _checks(graded: list[SubmissionResult]) -> list[dict[str, Any]]:
    order: dict[str, dict[str, Any]] = {}
    for result in graded:
        for check in result.tests:
            row = order.setdefault(check.name, {"name": clean(check.name), "passed": 0,
                                                "total": 0, "hidden": check.visibility == "hidden"})
            row["passed"] += check.passed
            row["total"] += 1
    for row in order.values():
        row["rate"] = _percent(row["passed"], row["total"])
        row["meter"] = meter(row["rate"])
    return list(order.values())


def _failures(graded: dict[str, SubmissionResult]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for submission_id, result in sorted(graded.items()):
        for check in result.tests:
            if not check.passed:
                message = shorten(clean(first_line(check.feedback)), MESSAGE_LIMIT)
                groups[(check.name, check.code or check.status.upper())].append(
                    (submission_id, message))
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    rows = []
    for (name, code), students in ranked[:FAILURE_ROWS]:
        ids = [clean(s) for s, _ in students]
        rows.append({"check": clean(name), "code": clean(code), "count": len(students),
                     "example": students[0][1], "ids": ids[:IDS_SHOWN],
                     "more": max(0, len(ids) - IDS_SHOWN)})
    return rows


def summary_view(results: dict[str, SubmissionResult]) -> dict[str, Any]:
    """Everything the page shows, computed and cleaned; the template only lays it out."""
    everyone = [results[i] for i in sorted(results)]
    errors = {i: failure_reason(r) for i, r in sorted(results.items())}
    graded = {i: r for i, r in sorted(results.items()) if errors[i] is None}
    scores = [r.score for r in everyone]
    max_scores = sorted({r.max_score for r in everyone})
    slowest = sorted(everyone, key=lambda r: (-r.duration, r.submission))[:SLOWEST_ROWS]
    return {
        "count": len(everyone),
        "graded": len(graded),
        "errors": [{"id": clean(i), "reason": clean(reason)}
                   for i, reason in errors.items() if reason is not None],
        "max_score": " or ".join(points(m) for m in max_scores) or "0",
        "mean": f"{statistics.fmean(scores):.1f}" if scores else "–",
        "median": points(statistics.median(scores)) if scores else "–",
        "perfect": sum(r.max_score > 0 and r.score >= r.max_score for r in everyone),
        "histogram": _histogram(everyone),
        "blanks": _blanks(list(graded.values())),
        "checks": _checks(list(graded.values())),
        "failures": _failures(graded),
        "slowest": [{"id": clean(r.submission), "duration": f"{r.duration:.1f} s",
                     "score": points(r.score), "max_score": points(r.max_score)}
                    for r in slowest],
    }


def render_summary(results: dict[str, SubmissionResult]) -> str:
    return environment().get_template(TEMPLATE).render(view=summary_view(results))
