"""Threads and processes a submission started and left running."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path


def _children() -> dict[int, int]:
    """pid -> parent pid of every process on the machine (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int) -> set[int]:
    parents = _children()
    found: set[int] = set()
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def thread_names() -> set[str]:
    return {f"{t.name}#{t.ident}" for t in threading.enumerate()}


def kill_stray_processes(keep: set[int]) -> list[int]:
    """Kill the worker's descendants that are not in ``keep`` (the JVM and its children)."""
    stray = sorted(descendants(os.getpid()) - keep)
    for pid in stray:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return stray
