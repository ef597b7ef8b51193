"""Every limit the grader puts on a submission, in one place, with its default.

The CLI overrides them with flags (``--timeout``, ``--memory``, ...); everything
else reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    check_timeout: float = 60.0  # s, wall clock per check (a probe, or a module import)
    submission_timeout: float = 1200.0  # s, wall clock for all checks of one submission
    memory_mb: int = 1536  # MB of address space the sandbox's Python may add after start
    output_bytes: int = 8000  # bytes of what a submission printed that reports keep
    log_bytes: int = 64 * 1024 * 1024  # bytes the sandbox may write to its output log
    concurrency: int = 2  # probes of one blank running together in the sandbox


DEFAULT_LIMITS = Limits()
