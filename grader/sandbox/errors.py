"""Turn whatever a submission raised into a small, JSON-ready description."""

from __future__ import annotations

import traceback
from typing import Any

from grader.streaming.runner import StreamFailed, StreamTimeout, error_class_of

MAX_MESSAGE = 600
_NOISE = ("JVM stacktrace:", "\tat ", "at org.apache", "at java.", "at scala.", "py4j.")


class WrongReturnType(TypeError):
    """A blank returned something other than what its contract promises."""

    def __init__(self, expected: str, got: object) -> None:
        self.expected = expected
        self.got = type(got).__name__ if got is not None else "None"
        super().__init__(f"expected {expected}, got {self.got}")


class MissingFunction(AttributeError):
    """The submission's module does not define the blank."""


FORBIDDEN_MODULES = frozenset({"solutions", "fixtures", "tests"})


def _forbidden(name: str | None) -> bool:
    return bool(name) and str(name).split(".")[0] in FORBIDDEN_MODULES


def first_useful_line(text: str) -> str:
    """The first line of an error message that is not a stack frame or JVM noise."""
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(_NOISE):
            return stripped[:MAX_MESSAGE]
    return text.strip()[:MAX_MESSAGE]


def _student_frame(exc: BaseException) -> str:
    """File and line of the innermost frame in the submission, if any."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "/grader/" not in frame.filename and "/pyspark/" not in frame.filename:
            return f"{frame.filename.rsplit('/', 1)[-1]}, line {frame.lineno}"
    return ""


def describe(exc: BaseException) -> dict[str, Any]:
    """What went wrong, as data: ``kind`` selects the feedback the judge gives."""
    kind = "exception"
    if isinstance(exc, NotImplementedError):
        kind = "not_implemented"
    elif isinstance(exc, SystemExit):
        kind = "system_exit"
    elif isinstance(exc, StreamTimeout):
        kind = "stream_timeout"
    elif isinstance(exc, StreamFailed):
        kind = "stream_failed"
    elif isinstance(exc, ModuleNotFoundError) and _forbidden(exc.name):
        kind = "forbidden_import"
    elif isinstance(exc, MissingFunction):
        kind = "missing_function"
    elif isinstance(exc, WrongReturnType):
        kind = "wrong_type"
    elif isinstance(exc, RecursionError):
        kind = "recursion"
    elif isinstance(exc, MemoryError):
        kind = "memory"
    message = str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
    return {
        "kind": kind,
        "type": type(exc).__name__,
        "message": first_useful_line(message) if message else type(exc).__name__,
        "error_class": getattr(exc, "error_class", None) or error_class_of(exc),
        "where": _student_frame(exc),
        "expected_type": getattr(exc, "expected", None),
        "got_type": getattr(exc, "got", None),
    }
