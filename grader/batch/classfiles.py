"""The class files of a batch output: ``gradebook.csv`` and ``summary.html``."""

from __future__ import annotations

from pathlib import Path

from grader.batch.atomic import write_atomic
from grader.batch.failure import failed_result
from grader.batch.gradebook import render_gradebook
from grader.batch.store import GRADEBOOK, SUMMARY, load_results
from grader.batch.summary import render_summary
from grader.checks.rubric import CheckSpec
from grader.results import SubmissionResult


def write_class_files(output: Path, ids: list[str], *,
                      specs: list[CheckSpec]) -> dict[str, SubmissionResult]:
    """Rebuild the gradebook and the summary from the stored results of ``ids``.

    An id without a stored result (its grading was interrupted) gets a row saying so; its
    ``results.json`` is not written, so ``--resume`` grades it.
    """
    results = load_results(output, ids)
    for missing in sorted(set(ids) - set(results)):
        results[missing] = failed_result(submission=missing, specs=specs,
                                         reason="not graded yet (run the batch with --resume)")
    ordered = dict(sorted(results.items()))
    write_atomic(output / GRADEBOOK, render_gradebook(ordered))
    write_atomic(output / SUMMARY, render_summary(ordered))
    return ordered
