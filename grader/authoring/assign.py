"""Generate the student stubs in ``exercises/`` from the reference ``solutions/``.

A solution module marks each answer with two comment lines, indented like the
function body::

    def flagged_counts(parsed):
        \"\"\"docstring kept as it is\"\"\"
        # BEGIN SOLUTION
        return ...
        # END SOLUTION

Everything between the markers (markers included) becomes
``raise NotImplementedError("...")`` naming the blank; everything else (module
docstring, imports, signatures, docstrings) is copied unchanged.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
MODULES = ("schema.py", "parser.py", "aggregation.py", "query.py")
_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker># (BEGIN|END) SOLUTION)\s*$")


class MarkerError(ValueError):
    """A solution file whose markers are unbalanced or outside a function."""


@dataclass(frozen=True)
class Change:
    path: Path
    status: str  # "created", "updated" or "unchanged"


def stub_message(function: str) -> str:
    return f"blank `{function}` is not implemented yet"


def _enclosing_functions(source: str) -> dict[int, str]:
    """Map each line number (1-based) inside a function to that function's name."""
    owner: dict[int, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                owner[line] = node.name
    return owner


def make_stub(source: str, *, filename: str = "<solution>") -> str:
    """Return the stub version of one solution module's source."""
    owner = _enclosing_functions(source)
    out: list[str] = []
    open_at: int | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        match = _MARKER.match(line.rstrip("\n"))
        if match and match["marker"] == BEGIN:
            if open_at is not None:
                raise MarkerError(f"{filename}:{number}: {BEGIN} inside another solution region")
            if number not in owner:
                raise MarkerError(f"{filename}:{number}: {BEGIN} outside a function")
            open_at = number
            message = stub_message(owner[number])
            out.append(f'{match["indent"]}raise NotImplementedError("{message}")\n')
        elif match:
            if open_at is None:
                raise MarkerError(f"{filename}:{number}: {END} without {BEGIN}")
            open_at = None
        elif open_at is None:
            out.append(line)
    if open_at is not None:
        raise MarkerError(f"{filename}:{open_at}: {BEGIN} never closed")
    return "".join(out)


def assign(*, solutions: Path, exercises: Path, check: bool = False) -> list[Change]:
    """Write (or with ``check``, only compare) the stub of every solution module."""
    changes: list[Change] = []
    for name in MODULES:
        source = (solutions / name).read_text(encoding="utf-8")
        stub = make_stub(source, filename=str(solutions / name))
        target = exercises / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        status = "unchanged" if current == stub else "created" if current is None else "updated"
        if status != "unchanged" and not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(stub, encoding="utf-8")
        changes.append(Change(target, status))
    return changes
