"""The class gradebook: one CSV row per submission, sorted by id, with nothing that varies
between runs (no timestamps, no durations), so a resumed or merged batch gives the same file."""

from __future__ import annotations

import csv
import io

from grader.batch.failure import status_of
from grader.reports.common import points
from grader.results import EXERCISES, SubmissionResult

COLUMNS: tuple[str, ...] = ("id", "score", "max_score", *EXERCISES, "status")


def gradebook_row(submission_id: str, result: SubmissionResult) -> list[str]:
    by_blank = {s.exercise: s.score for s in result.by_exercise()}
    blanks = [points(by_blank[e]) if e in by_blank else "" for e in EXERCISES]
    return [submission_id, points(result.score), points(result.max_score), *blanks,
            status_of(result)]


def render_gradebook(results: dict[str, SubmissionResult]) -> str:
    """CSV text (RFC 4180 quoting, ``\\n`` line ends) of ``results`` keyed by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for submission_id in sorted(results):
        writer.writerow(gradebook_row(submission_id, results[submission_id]))
    return buffer.getvalue()
