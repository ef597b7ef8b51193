"""Grade one submission: load, run each check in the sandbox, judge, collect results."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.checks.judge import judge
from grader.checks.producer import replaying
from grader.checks.requests import blanks_for, build_request, modules_for
from grader.checks.rubric import CheckSpec, load_rubric
from grader.checks.verdict import Verdict, from_error
from grader.exercise.contract import BLANKS
from grader.feedback.hints import hint_for
from grader.feedback.messages import render
from grader.results import CheckResult, SubmissionResult
from grader.sandbox.client import PROJECT_ROOT
from grader.sandbox.session import SandboxSession
from grader.submission import Submission, locate

DEFAULT_TIMEOUT = 60.0
OUTPUT_LIMIT = 8000
Progress = Callable[[CheckResult], None]


def fixtures_root() -> Path:
    return PROJECT_ROOT / "fixtures"


def _scenarios() -> Any:
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    from fixtures import loader

    return loader


def select_checks(specs: list[CheckSpec], visibility: str) -> list[CheckSpec]:
    return [s for s in specs if visibility == "all" or s.visibility == "public"]


def grade(
    *,
    path: Path,
    visibility: str = "all",
    timeout: float = DEFAULT_TIMEOUT,
    master: str | None = None,
    rubric: Path | None = None,
    progress: Progress | None = None,
) -> SubmissionResult:
    """Grade the submission at ``path``; ``visibility="public"`` runs the public checks only."""
    started = time.monotonic()
    submission = locate(path)
    specs = load_rubric(rubric)
    chosen = select_checks(specs, visibility)
    session = SandboxSession(master=master or "local[*]")
    session.start()  # Spark starts while the fixtures load
    try:
        grader_run = _Run(submission, session, timeout)
        tests = []
        for spec in chosen:
            result = grader_run.check(spec)
            tests.append(result)
            if progress is not None:
                progress(result)
    finally:
        session.close()
    output = "".join(session.outputs)
    notes = list(submission.notes)
    if session.restarts:
        notes.append(f"the sandbox was restarted {session.restarts} time(s)")
    return SubmissionResult(
        submission=submission.name,
        tests=tests,
        visibility="public" if visibility == "public" else "all",
        hidden_not_run=len(specs) - len(chosen),
        duration=time.monotonic() - started,
        spark_version=session.spark_version,
        notes=notes,
        output=output[-OUTPUT_LIMIT:],
    )


class _Run:
    """The checks of one submission, sharing one healing sandbox and a probe cache."""

    def __init__(self, submission: Submission, session: SandboxSession, timeout: float) -> None:
        self.submission = submission
        self.session = session
        self.timeout = timeout
        self.loader = _scenarios()
        self.cache: dict[str, Verdict | dict[str, Any]] = {}

    def check(self, spec: CheckSpec) -> CheckResult:
        started = time.monotonic()
        verdict = self._verdict(spec)
        blank = spec.exercise if spec.exercise in BLANKS else "pipeline"
        params = {"blank": blank, **verdict.params}
        feedback = render(verdict.code, params)
        return CheckResult(
            name=spec.name,
            exercise=spec.exercise,
            status=verdict.status,
            max_score=spec.points,
            visibility="hidden" if spec.visibility == "hidden" else "public",
            code=verdict.code,
            params=params,
            feedback=feedback,
            hint="" if verdict.status == "passed" else hint_for(blank, verdict.code,
                                                                verdict.error_class),
            error_class=verdict.error_class,
            diff=verdict.diff,
            description=spec.description,
            duration=round(time.monotonic() - started, 3),
        )

    def _verdict(self, spec: CheckSpec) -> Verdict:
        blocked = self._load(spec)
        if blocked is not None:
            return blocked
        scenario = self._scenario(spec)
        if spec.kind == "socket":
            messages = fixtures_root() / "messages" / f"{spec.messages}.jsonl"
            sent = [line for line in messages.read_text(encoding="utf-8").splitlines() if line]
            key = f"socket:{spec.messages}"
            if key not in self.cache:
                with replaying(messages) as port:
                    socket = {"host": "127.0.0.1", "port": port, "expected_count": len(sent)}
                    self.cache[key] = self._probe(spec, scenario, socket)
            return self._judged(spec, self.cache[key], scenario, sent)
        op, params = build_request(spec, scenario, timeout=self.timeout)
        key = json.dumps([op, params], sort_keys=True)
        if key not in self.cache:
            self.cache[key] = self._run_probe(spec, op, params)
        return self._judged(spec, self.cache[key], scenario, None)

    def _probe(self, spec: CheckSpec, scenario: Any, socket: dict[str, Any]) -> Any:
        op, params = build_request(spec, scenario, timeout=self.timeout, socket=socket)
        return self._run_probe(spec, op, params)

    def _run_probe(self, spec: CheckSpec, op: str, params: dict[str, Any]) -> Any:
        blank = blanks_for(spec)[0] if spec.exercise != "pipeline" else "pipeline"
        module = BLANKS.get(spec.exercise, "aggregation")
        outcome = self.session.call(op, params, self.timeout)
        if outcome.reply is None:
            code = "TIMEOUT" if outcome.failure == "TIMEOUT" else "CRASHED"
            status = "timeout" if code == "TIMEOUT" else "error"
            return Verdict(status, code, {"blank": blank, "timeout": f"{self.timeout:g}",
                                          "error": outcome.reason})
        reply = outcome.reply
        health = reply["health"]
        if not health["spark_alive"]:
            return Verdict("error", "SPARK_STOPPED", {"blank": blank})
        if health.get("conf_changed"):
            changes = ", ".join(f"{k}: {a} → {b}" for k, (a, b) in health["conf_changed"].items())
            return Verdict("failed", "CONF_CHANGED", {"blank": blank, "changes": changes})
        if not reply["ok"]:
            verdict = from_error(blank, module, reply["error"])
            verdict.params.setdefault("timeout", f"{self.timeout:g}")
            if verdict.code == "TIMEOUT":
                verdict.params["timeout"] = f"{self.timeout:g}"
            return verdict
        return reply["result"]

    def _judged(self, spec: CheckSpec, outcome: Any, scenario: Any,
                sent: list[str] | None) -> Verdict:
        if isinstance(outcome, Verdict):
            return outcome
        return judge(spec, outcome, scenario, sent)

    def _scenario(self, spec: CheckSpec) -> Any:
        if spec.scenario is None:
            return None
        folders = ("public",) if spec.visibility == "public" else ("hidden", "public")
        for folder in folders:
            path = fixtures_root() / "scenarios" / folder / f"{spec.scenario}.json"
            if path.is_file():
                return self.loader.load_scenario(path)
        raise FileNotFoundError(
            f"check {spec.name}: scenario {spec.scenario!r} not found in "
            f"{' or '.join(folders)} fixtures"
        )

    def _load(self, spec: CheckSpec) -> Verdict | None:
        """Load the modules the check needs; a verdict if one cannot be used."""
        for module in modules_for(spec):
            blanks = [b for b in blanks_for(spec) if BLANKS[b] == module]
            path = self.submission.modules.get(module)
            params = {"module": module, "blank": blanks[0] if blanks else spec.exercise}
            if path is None:
                return Verdict("error", "MISSING_MODULE", params)
            state = self.session.load(module, path, self.timeout)
            if not state.ok:
                code = state.failure or "IMPORT_FAILED"
                error = state.error
                params.update(error=error.get("message", ""), error_type=error.get("type", ""),
                              where=f" ({error['where']})" if error.get("where") else "",
                              timeout=f"{self.timeout:g}")
                status = "timeout" if code == "IMPORT_TIMEOUT" else "error"
                return Verdict(status, code, params, error_class=error.get("error_class"))
            for blank in blanks:
                if blank not in state.functions:
                    return Verdict("error", "MISSING_FUNCTION", {**params, "blank": blank})
        return None
