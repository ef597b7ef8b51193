"""A verdict before it becomes a ``CheckResult``: status, message code, parameters, diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.results import RowDiff, Status


@dataclass
class Verdict:
    status: Status
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    diff: RowDiff | None = None
    error_class: str | None = None


class Mismatch(Exception):
    """Raised inside a judge to stop at the first failed expectation."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.code)
        self.verdict = verdict


def fail(code: str, diff: RowDiff | None = None, **params: Any) -> Mismatch:
    return Mismatch(Verdict("failed", code, params, diff))


def from_error(blank: str, module: str, error: dict[str, Any]) -> Verdict:
    """The verdict for a probe that raised, from the sandbox's description of the error."""
    kind = error.get("kind", "exception")
    params = {
        "blank": blank,
        "module": module,
        "error": error.get("message", ""),
        "error_type": error.get("type", ""),
        "where": f" ({error['where']})" if error.get("where") else "",
    }
    error_class = error.get("error_class")
    if kind == "not_implemented":
        return Verdict("error", "NOT_IMPLEMENTED", params)
    if kind == "forbidden_import":
        return Verdict("error", "FORBIDDEN_IMPORT", params)
    if kind == "missing_function":
        return Verdict("error", "MISSING_FUNCTION", params)
    if kind == "system_exit":
        return Verdict("error", "SYSTEM_EXIT", params)
    if kind == "stream_timeout":
        return Verdict("timeout", "TIMEOUT", params)
    if kind == "wrong_type":
        params.update(expected=error.get("expected_type"), got=error.get("got_type"))
        code = "NOT_STREAMING" if "streaming" in str(error.get("expected_type")) else "WRONG_TYPE"
        return Verdict("failed", code, params)
    if kind == "recursion":
        return Verdict("error", "RECURSION", params)
    if kind == "memory":
        return Verdict("error", "MEMORY", params)
    if kind == "stream_failed":
        params["error_class"] = f"[{error_class}] " if error_class else ""
        return Verdict("error", "STREAM_FAILED", params, error_class=error_class)
    return Verdict("error", "EXCEPTION", params, error_class=error_class)
