"""A sandbox that heals: restarted after a crash or timeout, modules reloaded on demand.

Modules that kill or hang the process at import are remembered, so one bad
module costs its own blanks and never takes the others down with it.
"""

from __future__ import annotations

import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.limits import DEFAULT_LIMITS, Limits
from grader.sandbox.client import ManyReplies, Sandbox, SandboxDied, SandboxTimeout

LOAD_GRACE = 5.0
CALL_GRACE = 20.0


@dataclass
class LoadState:
    ok: bool
    functions: list[str] = field(default_factory=list)
    failure: str | None = None  # IMPORT_FAILED | IMPORT_EXIT | IMPORT_TIMEOUT | IMPORT_CRASHED
    error: dict[str, Any] = field(default_factory=dict)


class SandboxSession:
    def __init__(
        self,
        *,
        master: str,
        limits: Limits = DEFAULT_LIMITS,
        hide: tuple[Path, ...] = (),
        start_timeout: float = 240.0,
    ) -> None:
        self.hide = hide
        self.master = master
        self.limits = limits
        self.start_timeout = start_timeout
        self.sandbox: Sandbox | None = None
        self.loaded: set[str] = set()
        self.load_states: dict[str, LoadState] = {}
        self.restarts = 0
        self.spark_version = ""
        self.outputs: list[str] = []

    def start(self) -> None:
        """Spawn a sandbox now (Spark starts while the caller does other work)."""
        if self.sandbox is None:
            self.sandbox = Sandbox(master=self.master, limits=self.limits, hide=self.hide)
            self.sandbox.start()
            self._ready = False

    def _ensure(self) -> Sandbox:
        self.start()
        assert self.sandbox is not None
        if not self._ready:
            self.sandbox.wait_ready(self.start_timeout)
            self.spark_version = self.sandbox.spark_version
            self._ready = True
        return self.sandbox

    def _discard(self) -> None:
        if self.sandbox is not None:
            self.outputs.append(self.sandbox.output_tail())
            self.sandbox.kill()
        self.sandbox = None
        self.loaded = set()
        self.restarts += 1

    def load(self, module: str, path: Path, timeout: float) -> LoadState:
        known = self.load_states.get(module)
        if known is not None and (not known.ok or module in self.loaded):
            return known
        sandbox = self._ensure()
        copy = sandbox.workdir / "submission" / f"{module}.py"  # the original may be hidden
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, copy)
        try:
            reply = sandbox.call(
                "load", {"module": module, "path": str(copy)}, timeout + LOAD_GRACE
            )
        except SandboxTimeout:
            self._discard()
            state = LoadState(False, failure="IMPORT_TIMEOUT")
        except SandboxDied as exc:
            self._discard()
            state = LoadState(False, failure="IMPORT_CRASHED", error={"message": str(exc)})
        else:
            if reply["ok"]:
                state = LoadState(True, functions=reply["result"]["functions"])
                self.loaded.add(module)
            else:
                error = reply["error"]
                failure = "IMPORT_EXIT" if error["kind"] == "system_exit" else "IMPORT_FAILED"
                state = LoadState(False, failure=failure, error=error)
            if not reply["health"]["spark_alive"]:
                self._discard()
        self.load_states[module] = state
        return state

    def call_many(
        self, requests: list[tuple[str, dict[str, Any]]], *, timeout: float, concurrency: int
    ) -> ManyReplies:
        """Probes of one blank, run together; the sandbox is replaced if it died or hung."""
        sandbox = self._ensure()
        rounds = math.ceil(len(requests) / max(concurrency, 1))
        deadline = time.monotonic() + timeout * rounds + CALL_GRACE
        found = sandbox.call_many(requests, concurrency=concurrency, deadline=deadline)
        health = found.health or {}
        if (
            found.failure is not None
            or not health.get("spark_alive")
            or health.get("stray_threads")
        ):
            self._discard()  # a thread that cannot be stopped leaves the process unfit
        return found

    def close(self) -> None:
        if self.sandbox is not None:
            self.outputs.append(self.sandbox.output_tail())
            self.sandbox.close()
            self.sandbox = None
