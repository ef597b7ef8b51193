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
import sys
from collections.abc import Sequence
from pathlib import Path

SECRET_FOLDERS = ("solutions", "fixtures", "tests", "benchmarks", ".git")

# /tmp is replaced by an empty tmpfs (other sandboxes, other submissions and test
# folders live there). What the sandbox needs from /tmp (its own folder, the Python
# environment, the grader's checkout) is parked in a private /dev/shm first and bound
# back in place; then the secrets are covered and the root is remounted read-only.
_SCRIPT = """set -e
mount -t tmpfs -o size=64m grader-shm /dev/shm
n=0
while [ "$1" != "--" ]; do
  mkdir "/dev/shm/keep$n"; mount --bind "$1" "/dev/shm/keep$n"; eval "keep$n=\\$1"
  n=$((n + 1)); shift
done
shift
mount -t tmpfs -o size=256m grader-tmp /tmp
i=0
while [ "$i" -lt "$n" ]; do
  eval "path=\\$keep$i"; mkdir -p "$path"; mount --bind "/dev/shm/keep$i" "$path"
  i=$((i + 1))
done
while [ "$1" != "--" ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o size=64k,mode=000 grader-hidden "$1"; fi
  shift
done
shift
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


def kept_paths(workdir: Path, project_root: Path, archive: str | None = None) -> list[Path]:
    """What the sandbox needs that lives under /tmp, parents before children."""
    needed = {workdir, Path(sys.prefix), Path(sys.base_prefix), project_root}
    if archive:  # the class-data archive's folder (see grader/spark/jvm.py)
        needed.add(Path(archive).parent)
    needed |= {Path(p) for p in sys.path if p and Path(p).is_dir()}  # site dirs, .pth paths
    tmp = Path("/tmp").resolve()
    inside = {p.resolve() for p in needed if tmp in p.resolve().parents}
    return sorted(inside, key=lambda p: len(p.parts))


def wrap(
    command: list[str], *, workdir: Path, hide: Sequence[Path], keep: Sequence[Path]
) -> list[str]:
    """``command`` started inside the namespaces, ``hide`` covered, ``keep`` kept, / read-only."""
    work = workdir.resolve()
    covered = [str(p) for p in hide if p not in (work, *work.parents)]
    return [
        "unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
        "--", "sh", "-c", _SCRIPT, "grader-sandbox",
        *[str(p) for p in keep], "--", *covered, "--", *command,
    ]  # fmt: skip
