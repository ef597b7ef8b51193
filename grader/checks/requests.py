"""From a check and its fixtures to the probe request the sandbox runs (inputs only)."""

from __future__ import annotations

from typing import Any

from grader.checks.rubric import CheckSpec
from grader.exercise.contract import BLANKS


def modules_for(spec: CheckSpec) -> tuple[str, ...]:
    if spec.exercise == "pipeline":
        return ("schema", "parser", "aggregation")
    return (BLANKS[spec.exercise],)


def blanks_for(spec: CheckSpec) -> tuple[str, ...]:
    if spec.exercise == "pipeline":
        return ("transaction_schema", "parse_transactions", "flagged_counts", "suspicious_users")
    return (spec.exercise,)


def all_lines(batches: Any) -> list[str]:
    return [line for batch in batches for line in batch]


def build_request(
    spec: CheckSpec, scenario: Any | None, *, timeout: float, socket: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    """The probe name and its parameters. Nothing here is an expected output."""
    if spec.kind in ("schema_fields", "schema_parse"):
        lines = all_lines(scenario.batches) if scenario is not None else []
        return "schema", {"lines": lines}
    if spec.kind == "static":
        if spec.exercise == "suspicious_users":
            rows = [dict(r) for batch in scenario.count_batches for r in batch]
            return "static", {"target": spec.exercise, "rows": rows}
        return "static", {"target": spec.exercise, "lines": all_lines(scenario.batches)}
    if spec.kind == "stream":
        counts = spec.exercise == "suspicious_users"
        batches = scenario.count_batches if counts else scenario.batches
        return "stream", {
            "target": spec.exercise,
            "batches": [[dict(r) if counts else r for r in batch] for batch in batches],
            "output_mode": spec.mode,
            "restart_after": list(scenario.restart_after) if spec.restart else [],
            "timeout": timeout,
        }
    if spec.kind == "socket":
        assert socket is not None
        return "socket", {**socket, "timeout": timeout}
    if spec.kind == "writer":
        return "writer", {"mode": None if spec.mode == "default" else spec.mode}
    raise ValueError(f"unknown kind {spec.kind}")

