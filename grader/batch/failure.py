"""A submission that could not be graded is still a result: every check an error, zero points."""

from __future__ import annotations

from grader.checks.rubric import CheckSpec
from grader.reports.common import clean, first_line, shorten
from grader.results import CheckResult, SubmissionResult

CODE = "GRADING_FAILED"
REASON_LIMIT = 300


def short_reason(text: str) -> str:
    """One clean line, capped: fit for the gradebook's status column."""
    return shorten(clean(first_line(text)), REASON_LIMIT) or "unknown error"


def failed_result(*, submission: str, reason: str, specs: list[CheckSpec],
                  duration: float = 0.0) -> SubmissionResult:
    """Every check of the rubric as an error that names ``reason``; the score is zero."""
    reason = short_reason(reason)
    feedback = f"The submission could not be graded: {reason}"
    tests = [
        CheckResult(
            name=spec.name,
            exercise=spec.exercise,
            status="error",
            max_score=spec.points,
            visibility="hidden" if spec.visibility == "hidden" else "public",
            code=CODE,
            params={"reason": reason},
            feedback=feedback,
            description=spec.description,
        )
        for spec in specs
    ]
    return SubmissionResult(submission=submission, tests=tests, duration=duration,
                            notes=[feedback])


def failure_reason(result: SubmissionResult) -> str | None:
    """The reason a result records when its submission could not be graded, else None."""
    if result.tests and all(t.code == CODE for t in result.tests):
        return str(result.tests[0].params.get("reason", "unknown error"))
    return None


def status_of(result: SubmissionResult) -> str:
    """The gradebook's status column: ``graded`` or ``error: <reason>``."""
    reason = failure_reason(result)
    return "graded" if reason is None else f"error: {reason}"
