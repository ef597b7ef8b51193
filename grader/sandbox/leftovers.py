"""Threads and processes a submission started and left running."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path


def _children() -> dict[int, int]:
    """pid -> parent pid of every live process on the machine (Linux /proc; else empty)."""
    parents: dict[int, int] = {}
    if not Path("/proc").is_dir():
        return parents
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z":  # a zombie has ended; only its parent's bookkeeping is left
            parents[int(entry.name)] = int(fields[1])
    return parents


def children_of(pid: int) -> list[int]:
    return sorted(child for child, parent in _children().items() if parent == pid)


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


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode("utf-8", errors="replace").strip()[:80] or "?"


def kill_stray_processes(keep: set[int]) -> list[str]:
    """Kill the worker's descendants that are not in ``keep`` (the JVM and its children).

    Returns what was killed, as ``"<command line> (pid N)"``.
    """
    stray = sorted(descendants(os.getpid()) - keep)
    names = [f"{command_line(pid)} (pid {pid})" for pid in stray]
    for pid in stray:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in stray:
        try:
            os.waitpid(pid, 0)  # reap our own children; others are reaped by their parent
        except ChildProcessError:
            pass
    return names
