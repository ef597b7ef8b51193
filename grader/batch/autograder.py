"""``run_gradescope``: grade the one submission of a Gradescope autograder run.

Gradescope unpacks the student's upload into ``/autograder/submission`` and reads
``/autograder/results/results.json`` when ``run_autograder`` ends. The grading runs in a
process of its own, as in a batch, so a submission that kills its grader still gets a
results file that says so; a results file is written whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from grader.batch.atomic import write_atomic
from grader.batch.discover import IGNORED, Entry
from grader.batch.failure import failed_result
from grader.batch.gradescope import render_gradescope
from grader.batch.runner import default_deadline, grade_isolated
from grader.checks.rubric import load_rubric
from grader.exercise.contract import MODULES
from grader.grading import DEFAULT_TIMEOUT
from grader.limits import Limits
from grader.results import SubmissionResult

SUBMISSION = Path("/autograder/submission")
RESULTS = Path("/autograder/results/results.json")


def _has_modules(folder: Path) -> bool:
    return any((folder / f"{name}.py").is_file() for name in MODULES)


def find_submission(folder: Path) -> Path:
    """What to grade in an upload: the folder itself if it holds a module, else its only
    notebook, else its only subfolder that holds a module (an uploaded folder or zip)."""
    if not folder.is_dir() or _has_modules(folder):
        return folder
    visible = [p for p in sorted(folder.iterdir())
               if not p.name.startswith(".") and p.name not in IGNORED]
    notebooks = [p for p in visible if p.is_file() and p.suffix.lower() == ".ipynb"]
    if len(notebooks) == 1:
        return notebooks[0]
    nested = [p for p in visible if p.is_dir() and _has_modules(p)]
    if len(nested) == 1:
        return nested[0]
    return folder


def run_gradescope(
    *,
    submission: Path = SUBMISSION,
    results: Path = RESULTS,
    timeout: float = DEFAULT_TIMEOUT,
    master: str | None = None,
    rubric: Path | None = None,
    limits: Limits | None = None,
) -> SubmissionResult:
    """Grade ``submission`` and write Gradescope's ``results.json`` to ``results``."""
    specs = load_rubric(rubric)
    target = find_submission(submission)
    entry = Entry(id="submission", path=target)
    scratch = Path(tempfile.mkdtemp(prefix="grader-gradescope-"))
    try:
        result = grade_isolated(entry=entry, specs=specs, scratch=scratch, timeout=timeout,
                                deadline=default_deadline(timeout=timeout, checks=len(specs)),
                                master=master, rubric=rubric,
                                hide=(submission.resolve(), results.resolve().parent, scratch),
                                limits=limits)
    except Exception as exc:  # noqa: BLE001 - Gradescope must get a results file regardless
        result = failed_result(submission=entry.id, specs=specs,
                               reason=f"the grader could not run: {exc}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_atomic(results, render_gradescope(result))
    return result
