"""Build the student repository template from this checkout.

The release keeps the checkout's layout, because the grader finds its fixtures and the
producer next to its own package: ``exercises/`` (stubs, notebook, producer), the public
fixtures and their loader, the ``grader`` package with a rubric of the public checks only,
a ``pyproject.toml`` that installs it, a student README and the CI workflow. It is built
in a scratch folder, scanned for solutions and hidden fixtures, and only then moved to
``out``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.authoring.assign import assign
from grader.release.leaks import Leak, forbidden, hidden_names, scan

TEMPLATE = Path(__file__).resolve().parent / "template"
DISTRIBUTION = "lecture3-streaming-exercises"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".DS_Store")
FIXTURE_FILES = ("__init__.py", "loader.py")
FIXTURE_FOLDERS = ("messages", "scenarios/public")
# Files written from the template: (template file, path in the release).
TEMPLATED = (
    ("README.md", "README.md"),
    ("gitignore", ".gitignore"),
    ("grade.yml", ".github/workflows/grade.yml"),
)


class ReleaseError(ValueError):
    """The release cannot be built (or would leak); the message says why and what to do."""


@dataclass(frozen=True)
class Release:
    root: Path
    files: list[str]  # release-relative, sorted
    public_checks: int
    hidden_checks: int  # left out of the release's rubric


def public_rubric(text: str) -> tuple[str, int, int]:
    """The rubric with its hidden ``[[check]]`` entries left out, comments kept.

    Returns the new text, the number of public checks kept and of hidden ones dropped.
    """
    blocks = re.split(r"(?m)^(?=\[\[check\]\]\s*$)", text)
    head, entries = blocks[0], blocks[1:]
    kept: list[str] = []
    for block in entries:
        checks = tomllib.loads(block).get("check", [{}])
        if checks[0].get("visibility") == "public":
            kept.append(block.rstrip("\n") + "\n\n")
    result = head + "".join(kept).rstrip("\n") + "\n"
    parsed = tomllib.loads(result).get("check", [])
    if len(parsed) != len(kept) or any(c.get("visibility") != "public" for c in parsed):
        raise ReleaseError("the rubric could not be split into [[check]] entries")
    return result, len(kept), len(entries) - len(kept)


def release_pyproject(source: Path) -> str:
    """The release's ``pyproject.toml``: the grader with the checkout's dependencies."""
    project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    values = {
        "name": json.dumps(DISTRIBUTION),
        "version": json.dumps(meta["version"]),
        "requires_python": json.dumps(meta.get("requires-python", ">=3.11")),
        "dependencies": json.dumps(meta.get("dependencies", [])),
        "build_requires": json.dumps(project["build-system"]["requires"]),
        "package_data": json.dumps(
            project.get("tool", {}).get("setuptools", {}).get("package-data", {}).get("grader", [])
        ),
    }
    return (TEMPLATE / "pyproject.toml.tmpl").read_text(encoding="utf-8").format(**values)


def _check_source(source: Path) -> None:
    for needed in ("solutions", "exercises", "fixtures", "grader/rubric.toml", "pyproject.toml"):
        if not (source / needed).exists():
            raise ReleaseError(f"{source}: no {needed}; run this in the instructors' checkout")
    stale = assign(solutions=source / "solutions", exercises=source / "exercises", check=True)
    stale = [c for c in stale if c.status != "unchanged"]
    if stale:
        names = ", ".join(str(c.path) for c in stale)
        raise ReleaseError(f"exercises are out of date with solutions/ ({names}): "
                           "run `grader assign` first")


def _target(out: Path, source: Path, force: bool) -> None:
    out, source = out.resolve(), source.resolve()
    if out == source or out in source.parents or source in out.parents:
        raise ReleaseError(f"{out}: the release must be built outside the checkout {source}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force:
            raise ReleaseError(f"{out} exists and is not empty; use --force to replace it")
        if not (out / "exercises").is_dir() and not (out / "pyproject.toml").is_file():
            raise ReleaseError(f"{out} does not look like an earlier release; not replacing it")


def _copy(source: Path, stage: Path) -> tuple[int, int]:
    shutil.copytree(source / "exercises", stage / "exercises", ignore=IGNORED)
    for name in FIXTURE_FILES:
        (stage / "fixtures").mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "fixtures" / name, stage / "fixtures" / name)
    for folder in FIXTURE_FOLDERS:
        shutil.copytree(source / "fixtures" / folder, stage / "fixtures" / folder, ignore=IGNORED)
    shutil.copytree(source / "grader", stage / "grader", ignore=IGNORED)
    rubric = stage / "grader" / "rubric.toml"
    text, public, hidden = public_rubric(rubric.read_text(encoding="utf-8"))
    rubric.write_text(text, encoding="utf-8")
    for template, target in TEMPLATED:
        (stage / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE / template, stage / target)
    (stage / "pyproject.toml").write_text(release_pyproject(source), encoding="utf-8")
    return public, hidden


def leaks_in(root: Path, source: Path) -> list[Leak]:
    """What of ``source``'s solutions and hidden fixtures the folder ``root`` shows."""
    return scan(root, forbidden(source), hidden_names(source))


def build_release(*, out: Path, source: Path, force: bool = False) -> Release:
    """Write the student release of the checkout ``source`` to ``out``."""
    _check_source(source)
    _target(out, source, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        public, hidden = _copy(source, stage)
        leaks = leaks_in(stage, source)
        if leaks:
            shown = "\n  ".join(str(leak) for leak in leaks[:20])
            raise ReleaseError(f"the release would leak {len(leaks)} thing(s):\n  {shown}")
        if out.exists():
            shutil.rmtree(out)
        stage.rename(out)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return Release(out, files, public, hidden)
