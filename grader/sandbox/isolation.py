"""Keep the sandbox away from the grader's files (Linux, when the grader runs as root).

The worker starts inside new mount and PID namespaces (``unshare``): the whole file
system is read-only except the sandbox's own folder, the grader's secrets (reference
solutions, fixtures with hidden expectations, tests, the repository) and any folder
the caller names (other submissions, batch outputs) and ``/tmp`` are covered by
empty tmpfs mounts, and the grader's processes are not visible. Without root or ``unshare``
(a student's laptop) the sandbox runs as a plain subprocess: there is nothing to hide
from a student on their own machine. ``GRADER_ISOLATION=off`` turns it off.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

SECRET_FOLDERS = ("solutions", "fixtures", "tests", "benchmarks", ".git")

# The sandbox folder is parked in a fresh /dev/shm while /tmp is replaced by an empty
# tmpfs (other sandboxes and test folders live in /tmp), then bound back in place.
_SCRIPT = """set -e
work="$1"; shift
mount -t tmpfs -o size=64m grader-shm /dev/shm
mkdir /dev/shm/work
mount --bind "$work" /dev/shm/work
while [ "$1" != "--" ]; do
  mount -t tmpfs -o size=64k,mode=000 grader-hidden "$1"; shift
done
shift
mount -t tmpfs -o size=256m grader-tmp /tmp
mkdir -p "$work"
mount --bind /dev/shm/work "$work"
mount -o remount,bind,ro /
exec "$@"
"""


@functools.cache
def available() -> bool:
    """Whether namespaces can be used here (root, ``unshare``, and a kernel that allows it)."""
    if os.environ.get("GRADER_ISOLATION", "").lower() in ("off", "0", "no"):
        return False
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--pid", "--fork", "--propagation", "private", "true"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


def hidden_paths(project_root: Path, extra: Sequence[Path] = ()) -> list[Path]:
    candidates = [project_root / name for name in SECRET_FOLDERS] + [Path(p) for p in extra]
    return [p.resolve() for p in candidates if p.is_dir()]


def wrap(command: list[str], *, workdir: Path, hide: Sequence[Path]) -> list[str]:
    """``command`` started inside the namespaces, with ``hide`` covered and / read-only."""
    work = workdir.resolve()
    inside = [str(p) for p in hide if p not in (work, *work.parents)]
    return [
        "unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
        "--", "sh", "-c", _SCRIPT, "grader-sandbox", str(workdir), *inside, "--", *command,
    ]  # fmt: skip
