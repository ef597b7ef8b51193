"""Grade one submission: load, run each check in the sandbox, judge, collect results."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
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
from grader.limits import DEFAULT_LIMITS, Limits
from grader.results import CheckResult, SubmissionResult
from grader.sandbox.client import PROJECT_ROOT
from grader.sandbox.session import SandboxSession
from grader.spark import jvm
from grader.submission import Submission, locate

DEFAULT_TIMEOUT = DEFAULT_LIMITS.check_timeout
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
    concurrency: int | None = None,
    submission: Submission | None = None,
    limits: Limits | None = None,
    hide: tuple[Path, ...] = (),
) -> SubmissionResult:
    """Grade the submission at ``path``; ``visibility="public"`` runs the public checks only.

    ``hide`` names folders the sandbox must not see (other submissions, batch outputs)
    beyond the grader's own secrets, when isolation is available (see ``isolation``).
    """
    started = time.monotonic()
    submission = submission or locate(path)
    specs = load_rubric(rubric)
    chosen = select_checks(specs, visibility)
    limits = replace(limits or DEFAULT_LIMITS, check_timeout=timeout)
    if concurrency is not None:
        limits = replace(limits, concurrency=concurrency)
    jvm.ensure_archive(jvm.jvm_flags())  # once per installation: later Spark starts are faster
    session = SandboxSession(master=master or "local[*]", limits=limits, hide=hide)
    session.start()  # Spark starts while the fixtures load
    try:
        tests = _Run(submission, session, limits).grade_all(chosen, progress)
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
        output=output[-limits.output_bytes :],
    )


class _Run:
    """The checks of one submission: grouped by blank, each group run concurrently."""

    def __init__(self, submission: Submission, session: SandboxSession, limits: Limits) -> None:
        self.submission = submission
        self.session = session
        self.timeout = limits.check_timeout
        self.concurrency = limits.concurrency
        self.deadline = time.monotonic() + limits.submission_timeout
        self.loader = _scenarios()

    def grade_all(self, specs: list[CheckSpec], progress: Progress | None) -> list[CheckResult]:
        results: dict[str, CheckResult] = {}
        for group in _groups(specs):
            if time.monotonic() > self.deadline:
                late = Verdict("timeout", "SUBMISSION_TIMEOUT", {})
                judged = [(spec, late, 0.0) for spec in group]
            else:
                judged = self._group(group)
            for spec, verdict, duration in judged:
                results[spec.name] = self._result(spec, verdict, duration)
                if progress is not None:
                    progress(results[spec.name])
        return [results[spec.name] for spec in specs]

    def _result(self, spec: CheckSpec, verdict: Verdict, duration: float) -> CheckResult:
        blank = spec.exercise if spec.exercise in BLANKS else "pipeline"
        params = {"blank": blank, "timeout": f"{self.timeout:g}", **verdict.params}
        return CheckResult(
            name=spec.name,
            exercise=spec.exercise,
            status=verdict.status,
            max_score=spec.points,
            visibility="hidden" if spec.visibility == "hidden" else "public",
            code=verdict.code,
            params=params,
            feedback=render(verdict.code, params),
            hint=""
            if verdict.status == "passed"
            else hint_for(blank, verdict.code, verdict.error_class),
            error_class=verdict.error_class,
            diff=verdict.diff,
            description=spec.description,
            duration=round(duration, 3),
        )

    def _group(self, specs: list[CheckSpec]) -> list[tuple[CheckSpec, Verdict, float]]:
        """Load the blank's module(s), run all its probes together, judge each check."""
        blocked = self._load(specs[0])
        if blocked is not None:
            return [(spec, blocked, 0.0) for spec in specs]
        blank = specs[0].exercise
        module = BLANKS.get(blank, "aggregation")
        scenarios = {spec.name: self._scenario(spec) for spec in specs}
        with ExitStack() as producers:
            requests: list[tuple[str, dict[str, Any]]] = []
            index_of: dict[str, int] = {}
            sent: dict[str, list[str]] = {}
            keys: dict[str, int] = {}
            for spec in specs:
                socket = None
                if spec.kind == "socket":
                    messages = fixtures_root() / "messages" / f"{spec.messages}.jsonl"
                    lines = messages.read_text(encoding="utf-8").splitlines()
                    sent[spec.name] = [line for line in lines if line]
                    key = f"socket:{spec.messages}"
                    if key not in keys:
                        port = producers.enter_context(replaying(messages))
                        socket = {
                            "host": "127.0.0.1",
                            "port": port,
                            "expected_count": len(sent[spec.name]),
                        }
                else:
                    op, params = build_request(spec, scenarios[spec.name], timeout=self.timeout)
                    key = json.dumps([op, params], sort_keys=True)
                if key not in keys:
                    if socket is not None:
                        op, params = build_request(spec, None, timeout=self.timeout, socket=socket)
                    keys[key] = len(requests)
                    requests.append((op, params))
                index_of[spec.name] = keys[key]
            found = self.session.call_many(
                requests, timeout=self.timeout, concurrency=self.concurrency
            )
        shared = _group_verdict(blank, found.health)
        if shared is None and found.failure == "CRASHED":
            # Which probes answered before the process died is a race: the blank that
            # killed it fails all its checks alike, so a regrade gives the same result.
            shared = Verdict("error", "CRASHED", {"error": found.reason})
        judged = []
        for spec in specs:
            reply = found.replies.get(index_of[spec.name])
            duration = float(reply.get("duration", 0.0)) if reply else 0.0
            if shared is not None:
                verdict = shared
            elif reply is None:
                code = "TIMEOUT" if found.failure == "TIMEOUT" else "CRASHED"
                verdict = Verdict(
                    "timeout" if code == "TIMEOUT" else "error", code, {"error": found.reason}
                )
            elif not reply["ok"]:
                verdict = from_error(blank, module, reply["error"])
            else:
                verdict = judge(spec, reply["result"], scenarios[spec.name], sent.get(spec.name))
            judged.append((spec, verdict, duration))
        return judged

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
                params.update(
                    error=error.get("message", ""),
                    error_type=error.get("type", ""),
                    where=f" ({error['where']})" if error.get("where") else "",
                )
                status = "timeout" if code == "IMPORT_TIMEOUT" else "error"
                return Verdict(status, code, params, error_class=error.get("error_class"))
            for blank in blanks:
                if blank not in state.functions:
                    return Verdict("error", "MISSING_FUNCTION", {**params, "blank": blank})
        return None


def _groups(specs: list[CheckSpec]) -> list[list[CheckSpec]]:
    """Checks grouped by blank, in the rubric's order of first appearance."""
    groups: dict[str, list[CheckSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.exercise, []).append(spec)
    return list(groups.values())


def _group_verdict(blank: str, health: dict[str, Any] | None) -> Verdict | None:
    """What the blank did to the session, which fails every check of that blank."""
    if health is None:
        return None
    if not health.get("spark_alive", False):
        return Verdict("error", "SPARK_STOPPED", {"blank": blank})
    if health.get("stray_threads") or health.get("stray_processes"):
        what = [f"thread {name}" for name in health.get("stray_threads", [])]
        what += [f"process {name}" for name in health.get("stray_processes", [])]
        return Verdict("failed", "LEFT_RUNNING", {"blank": blank, "what": ", ".join(what)})
    if health.get("conf_changed"):
        changes = ", ".join(f"{k}: {a} → {b}" for k, (a, b) in health["conf_changed"].items())
        return Verdict("failed", "CONF_CHANGED", {"blank": blank, "changes": changes})
    return None
