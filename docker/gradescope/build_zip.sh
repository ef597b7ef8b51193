#!/usr/bin/env bash
# Make the zip to upload as a Gradescope autograder: setup.sh and run_autograder at its root,
# beside the grader's sources, rubric and fixtures (not solutions/, not tests/).
# Usage: docker/gradescope/build_zip.sh [autograder.zip]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="$(realpath -m "${1:-autograder.zip}")"
python3 - "$root" "$here" "$target" <<'PY'
import sys
import zipfile
from pathlib import Path

root, here, target = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
skip = {"__pycache__", ".pytest_cache"}
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for name in ("setup.sh", "run_autograder"):
        info = zipfile.ZipInfo(name)
        info.external_attr = 0o755 << 16
        archive.writestr(info, (here / name).read_bytes())
    for name in ("pyproject.toml", "README.md"):
        archive.write(root / name, name)
    for folder in ("grader", "fixtures"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not skip.intersection(path.parts) and path.suffix != ".pyc":
                archive.write(path, str(path.relative_to(root)))
print(f"wrote {target}")
PY
