"""The grading process of one batch submission: ``python -m grader.batch.child``.

The batch runs every submission in a process of its own, so that a submission which kills
its grader (``os.kill(os.getppid(), 9)`` from a blank) or outlasts every limit takes down
that process only. The result, or the reason there is none, goes to the ``--result`` file
as ``{"result": <SubmissionResult.to_dict()>}`` or ``{"error": "<reason>"}``.

If the batch itself dies (``kill -9``), this process notices that it was orphaned, kills
its sandbox and exits, so nothing keeps grading for a batch that is gone.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import FrameType

from grader.batch.atomic import write_atomic
from grader.limits import DEFAULT_LIMITS, Limits
from grader.sandbox.leftovers import children_of

WATCH_INTERVAL = 0.5


def abandon(code: int) -> None:
    """Kill the sandboxes (each leads its own process group, with its JVM) and exit now."""
    for pid in children_of(os.getpid()):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    os._exit(code)


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        abandon(137)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _on_terminate(signum: int, _frame: FrameType | None) -> None:
    abandon(128 + signum)


def grade_to_payload(*, path: Path, timeout: float, master: str | None,
                     rubric: Path | None, hide: tuple[Path, ...] = (),
                     limits: Limits | None = None) -> dict[str, object]:
    from grader.grading import grade
    from grader.sandbox.client import SandboxDied, SandboxTimeout
    from grader.submission import SubmissionError

    try:
        result = grade(path=path, visibility="all", timeout=timeout, master=master,
                       rubric=rubric, hide=hide, limits=limits)
    except SubmissionError as exc:
        return {"error": str(exc)}
    except (SandboxDied, SandboxTimeout) as exc:
        return {"error": f"Spark could not start: {exc}"}
    except Exception as exc:  # noqa: BLE001 - every failure becomes a recorded result
        return {"error": f"the grader failed: {type(exc).__name__}: {exc}"}
    return {"result": result.to_dict()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader-batch-child")
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--master", default=None)
    parser.add_argument("--rubric", type=Path, default=None)
    parser.add_argument("--memory", type=int, default=DEFAULT_LIMITS.memory_mb)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_LIMITS.concurrency)
    parser.add_argument("--hide", type=Path, action="append", default=[],
                        help="a folder the sandbox must not see (repeatable)")
    parser.add_argument("--parent", type=int, default=None,
                        help="exit when this process is no longer the parent")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_terminate)
    _watch_parent(args.parent if args.parent is not None else os.getppid())
    payload = grade_to_payload(path=args.path, timeout=args.timeout, master=args.master,
                               rubric=args.rubric, hide=tuple(args.hide),
                               limits=replace(DEFAULT_LIMITS, check_timeout=args.timeout,
                                              memory_mb=args.memory,
                                              concurrency=args.concurrency))
    write_atomic(args.result, json.dumps(payload, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
