"""The parent's handle on one sandbox process: start, call with a deadline, kill."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grader
from grader.limits import DEFAULT_LIMITS, Limits
from grader.sandbox import isolation
from grader.sandbox.protocol import ProtocolError, read_message, write_message
from grader.spark import jvm

PROJECT_ROOT = Path(grader.__file__).resolve().parents[1]
START_TIMEOUT = 240.0
# Environment variables the sandbox may see; everything else of the grader's stays out.
PASSED_ENV = (
    "PATH",
    "JAVA_HOME",
    "LANG",
    "LC_ALL",
    "TZ",
    "SPARK_HOME",
    "GRADER_JVM_FLAGS",
    "GRADER_CDS",
    "SPARK_LOCAL_IP",
    "PYSPARK_SUBMIT_ARGS",
)


@dataclass
class ManyReplies:
    """Replies by request index; ``failure`` says why some are missing."""

    replies: dict[int, dict[str, Any]] = field(default_factory=dict)
    health: dict[str, Any] | None = None
    failure: str | None = None  # TIMEOUT | CRASHED
    reason: str = ""


class SandboxDied(RuntimeError):
    """The sandbox process ended (crash, ``os._exit``, ``spark.stop()``, killed)."""


class SandboxTimeout(TimeoutError):
    """The sandbox did not answer within the limit; it has been killed."""


@dataclass
class Sandbox:
    master: str = "local[*]"
    limits: Limits = DEFAULT_LIMITS
    isolate: bool = True
    hide: tuple[Path, ...] = ()
    isolated: bool = False
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="grader-sandbox-")))
    process: subprocess.Popen[bytes] | None = None
    spark_version: str = ""
    _fd_in: int = -1
    _fd_out: int = -1

    @property
    def log_path(self) -> Path:
        return self.workdir / "output.log"

    def start(self) -> None:
        """Spawn the process; it starts Spark in the background (see ``wait_ready``)."""
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        env = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
        env.update(
            HOME=str(self.workdir),
            TMPDIR=str(self.workdir),
            SPARK_LOCAL_DIRS=str(self.workdir),
            PYTHONPATH=str(PROJECT_ROOT),
            PYSPARK_PYTHON=sys.executable,
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONUNBUFFERED="1",
        )
        archive = jvm.existing_archive(jvm.jvm_flags())
        if archive is not None:  # read-only inside the sandbox
            env["GRADER_CDS_ARCHIVE"] = str(archive)
        command = [
            sys.executable, "-m", "grader.sandbox.worker", "--in", str(to_child),
            "--out", str(from_child), "--master", self.master,
            "--project-root", str(PROJECT_ROOT), "--memory-mb", str(self.limits.memory_mb),
            "--log-bytes", str(self.limits.log_bytes),
        ]  # fmt: skip
        if self.isolate and isolation.available():
            hide = isolation.hidden_paths(PROJECT_ROOT, self.hide)
            keep = isolation.kept_paths(self.workdir, PROJECT_ROOT, env.get("GRADER_CDS_ARCHIVE"))
            command = isolation.wrap(command, workdir=self.workdir, hide=hide, keep=keep)
            self.isolated = True
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                pass_fds=(to_child, from_child),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=env,
                start_new_session=True,
            )
        os.close(to_child)
        os.close(from_child)
        self._fd_in, self._fd_out = to_parent, from_parent

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        try:
            ready = read_message(self._fd_in, timeout)
        except TimeoutError as exc:
            self.kill()
            raise SandboxTimeout(f"Spark did not start within {timeout:g} s") from exc
        except ProtocolError as exc:
            self.kill()
            raise SandboxDied(
                f"the sandbox ended while starting Spark: {self.output_tail()}"
            ) from exc
        self.spark_version = str(ready.get("spark_version", ""))

    def call(self, op: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for its reply, at most ``timeout`` seconds."""
        token = secrets.token_hex(16)
        try:
            write_message(self._fd_out, {"op": op, "params": params, "token": token})
            reply = read_message(self._fd_in, timeout)
        except TimeoutError as exc:
            self.kill()
            raise SandboxTimeout(f"no answer within {timeout:g} s") from exc
        except (ProtocolError, BrokenPipeError, OSError) as exc:
            self.kill()
            raise SandboxDied(self._death_reason()) from exc
        if reply.get("token") != token:
            self.kill()
            raise SandboxDied("the sandbox answered out of turn (a forged reply?)")
        return reply

    def call_many(
        self, requests: list[tuple[str, dict[str, Any]]], *, concurrency: int, deadline: float
    ) -> ManyReplies:
        """Run probes concurrently; collect replies until all are in or ``deadline`` passes.

        On a timeout or a death the sandbox is killed; the replies received so far are kept.
        """
        token = secrets.token_hex(16)
        found = ManyReplies()
        message = {
            "op": "many",
            "token": token,
            "params": {
                "requests": [{"op": op, "params": params} for op, params in requests],
                "concurrency": concurrency,
            },
        }
        try:
            write_message(self._fd_out, message)
            while True:
                left = deadline - time.monotonic()
                reply = read_message(self._fd_in, max(left, 0.001))
                if reply.get("token") != token:
                    self.kill()
                    found.failure, found.reason = "CRASHED", "the sandbox answered out of turn"
                    return found
                if reply.get("done"):
                    found.health = reply["health"]
                    return found
                found.replies[int(reply["index"])] = reply
        except TimeoutError:
            self.kill()
            found.failure, found.reason = "TIMEOUT", "no answer in time"
        except (ProtocolError, BrokenPipeError, OSError):
            found.failure, found.reason = "CRASHED", self._death_reason()
            self.kill()
        return found

    def _death_reason(self) -> str:
        code = self.process.wait(timeout=10) if self.process else None
        if code is not None and code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"the process exited with code {code}"

    def output_tail(self, limit: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                size = log.tell()
                log.seek(max(0, size - limit))
                return log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Kill the whole process group: the Python worker and its JVM."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self._close_fds()

    def close(self) -> None:
        if self.alive:
            try:
                write_message(self._fd_out, {"op": "exit"})
                assert self.process is not None
                self.process.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def _close_fds(self) -> None:
        for fd in (self._fd_in, self._fd_out):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._fd_in = self._fd_out = -1
