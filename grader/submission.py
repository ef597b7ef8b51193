"""Find a submission's modules: a filled-in copy of ``exercises/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.exercise.contract import MODULES


class SubmissionError(ValueError):
    """The path cannot be graded at all (it does not exist, or is not a submission)."""


@dataclass
class Submission:
    name: str
    root: Path
    modules: dict[str, Path | None]
    notes: list[str] = field(default_factory=list)


def locate(path: Path) -> Submission:
    """A folder with the four modules, or a notebook whose blanks are extracted into one.

    A missing module (or blank) costs only its own blanks.
    """
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if path.is_file() and path.suffix.lower() == ".ipynb":
        from grader.notebook.extract import notebook_submission

        return notebook_submission(path)
    if not path.is_dir():
        raise SubmissionError(
            f"{path}: expected a folder holding schema.py, parser.py, aggregation.py, query.py"
            " or a Jupyter notebook (.ipynb)"
        )
    modules: dict[str, Path | None] = {}
    for name in MODULES:
        candidate = path / f"{name}.py"
        modules[name] = candidate.resolve() if candidate.is_file() else None
    if not any(modules.values()):
        raise SubmissionError(
            f"{path}: none of schema.py, parser.py, aggregation.py, query.py is in this folder"
        )
    notes = [f"{name}.py is missing" for name, found in modules.items() if found is None]
    return Submission(path.resolve().name, path.resolve(), modules, notes)
