"""The results model: every report (JSON, text, HTML, Markdown, JUnit, CSV) renders from it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "error", "timeout"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "error", "timeout")

EXERCISES: tuple[str, ...] = (
    "transaction_schema",
    "select_names",
    "parse_transactions",
    "flagged_counts",
    "suspicious_users",
    "socket_source",
    "console_writer",
    "pipeline",
)


@dataclass
class RowDiff:
    """Expected and actual rows of one comparison (already capped for display)."""

    expected: list[dict[str, Any]]
    actual: list[dict[str, Any]]
    missing: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""  # for example "batch 2 of 3, update mode"
    truncated: bool = False


@dataclass
class CheckResult:
    """The verdict of one check. ``score`` is derived, never reported by a sandbox."""

    name: str
    exercise: str
    status: Status
    max_score: float
    visibility: Literal["public", "hidden"] = "public"
    code: str = ""  # stable message code, for example "WRONG_ROWS"
    params: dict[str, Any] = field(default_factory=dict)
    feedback: str = ""  # human text rendered from code and params
    hint: str = ""
    error_class: str | None = None
    diff: RowDiff | None = None
    description: str = ""
    duration: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> float:
        return self.max_score if self.passed else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = self.score
        return data


@dataclass
class ExerciseSummary:
    exercise: str
    score: float
    max_score: float
    passed: int
    total: int


@dataclass
class SubmissionResult:
    """All checks of one submission, plus what the reports need to say about the run."""

    submission: str
    tests: list[CheckResult]
    visibility: Literal["all", "public"] = "all"
    hidden_not_run: int = 0
    duration: float = 0.0
    spark_version: str = ""
    notes: list[str] = field(default_factory=list)
    output: str = ""  # what the submission printed, capped

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 4)

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.tests)

    def by_exercise(self) -> list[ExerciseSummary]:
        summaries = []
        for exercise in EXERCISES:
            tests = [t for t in self.tests if t.exercise == exercise]
            if tests:
                summaries.append(
                    ExerciseSummary(
                        exercise,
                        round(sum(t.score for t in tests), 4),
                        round(sum(t.max_score for t in tests), 4),
                        sum(t.passed for t in tests),
                        len(tests),
                    )
                )
        return summaries

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "tests": [t.to_dict() for t in self.tests],
            "submission": self.submission,
            "visibility": self.visibility,
            "hidden_not_run": self.hidden_not_run,
            "exercises": [asdict(s) for s in self.by_exercise()],
            "duration": round(self.duration, 3),
            "spark_version": self.spark_version,
            "notes": list(self.notes),
            "output": self.output,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        tests = []
        for raw in data["tests"]:
            item = {k: v for k, v in raw.items() if k != "score"}
            if item.get("diff") is not None:
                item["diff"] = RowDiff(**item["diff"])
            tests.append(CheckResult(**item))
        return cls(
            submission=data.get("submission", ""),
            tests=tests,
            visibility=data.get("visibility", "all"),
            hidden_not_run=data.get("hidden_not_run", 0),
            duration=data.get("duration", 0.0),
            spark_version=data.get("spark_version", ""),
            notes=list(data.get("notes", [])),
            output=data.get("output", ""),
        )
