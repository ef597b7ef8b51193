"""Grade one submission in its own process, within a deadline; any failure becomes a result."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from grader.batch.discover import Entry
from grader.batch.failure import failed_result
from grader.checks.rubric import CheckSpec
from grader.limits import Limits
from grader.results import SubmissionResult

STOP_GRACE = 15.0  # seconds between SIGTERM and SIGKILL
PER_CHECK_MARGIN = 60.0  # the sandbox's own grace, a Spark restart, and some slack
START_MARGIN = 300.0  # a Spark start on a busy machine


def default_deadline(*, timeout: float, checks: int) -> float:
    """A backstop far above what the per-check timeouts allow; they stop hangs first."""
    return START_MARGIN + checks * (timeout + PER_CHECK_MARGIN)


class Children:
    """The grading processes now running, so an interrupted batch can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.stopping = False

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._running.add(process)
            stop = self.stopping
        if stop:
            stop_process(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._running.discard(process)

    def stop_all(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for process in running:
            stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the child kills its sandbox and exits), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        process.terminate()
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    except OSError:
        pass


def _read_payload(path: Path) -> dict[str, object] | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def _exit_reason(code: int, log: Path) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"the grading process was killed by signal {name}"
    tail = ""
    try:
        lines = [x for x in log.read_text(encoding="utf-8", errors="replace").splitlines() if x]
        tail = lines[-1].strip() if lines else ""
    except OSError:
        pass
    if code == 0:
        return "the grading process ended without a result"
    return f"the grading process exited with code {code}" + (f": {tail}" if tail else "")


def grade_isolated(
    *,
    entry: Entry,
    specs: list[CheckSpec],
    scratch: Path,
    timeout: float,
    deadline: float,
    master: str | None = None,
    rubric: Path | None = None,
    children: Children | None = None,
    hide: tuple[Path, ...] = (),
    limits: Limits | None = None,
) -> SubmissionResult:
    """The submission's result, or a failed result that says why there is none.

    ``hide`` names folders the sandbox must not see (the class, the batch output) where
    the sandbox is isolated; the grading process copies the submission's modules first.
    """
    started = time.monotonic()
    token = uuid.uuid4().hex
    result_file = scratch / f"{token}.json"
    log_file = scratch / f"{token}.log"
    command = [sys.executable, "-m", "grader.batch.child", "--path", str(entry.path),
               "--result", str(result_file), "--timeout", repr(timeout),
               "--parent", str(os.getpid())]
    if master:
        command += ["--master", master]
    if rubric is not None:
        command += ["--rubric", str(rubric)]
    for folder in hide:
        command += ["--hide", str(folder)]
    if limits is not None:
        command += ["--memory", str(limits.memory_mb), "--concurrency", str(limits.concurrency)]
    with open(log_file, "wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
    if children is not None:
        children.add(process)
    try:
        try:
            code = process.wait(timeout=deadline)
            reason = _exit_reason(code, log_file)
        except subprocess.TimeoutExpired:
            stop_process(process)
            reason = f"grading did not finish within {deadline:g} s and was stopped"
            code = None
    finally:
        if children is not None:
            children.discard(process)
    payload = _read_payload(result_file) if code == 0 else None
    for leftover in (result_file, log_file):
        leftover.unlink(missing_ok=True)
    elapsed = time.monotonic() - started
    if payload is not None and isinstance(payload.get("result"), dict):
        result = SubmissionResult.from_dict(payload["result"])  # type: ignore[arg-type]
        result.submission = entry.id
        return result
    if payload is not None and "error" in payload:
        reason = str(payload["error"])
    # Paths differ between machines; the id keeps a sharded gradebook equal to a single run's.
    for where in (str(entry.path.resolve()), str(entry.path)):
        reason = reason.replace(where, entry.id)
    return failed_result(submission=entry.id, reason=reason, specs=specs, duration=elapsed)
