"""Read a submitted notebook's code cells into what extraction needs, without running them.

A cell is parsed with ``ast`` after its IPython-only lines (``!shell``, ``%magic``,
``%%cell_magic``, ``obj?``) are commented out. From each cell only top-level imports and
function definitions are kept; when a cell still does not parse, they are recovered one
statement at a time, so a syntax error elsewhere in the cell costs nothing.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.submission import SubmissionError

# Cell magics whose body is Python; any other cell magic (%%bash, %%html...) is not Python.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_SHELL_OR_MAGIC = re.compile(r"^\s*(!|%|\?)")
_ASSIGNED_MAGIC = re.compile(r"^\s*[\w.]+(\s*,\s*[\w.]+)*\s*=\s*[!%]")
_HELP = re.compile(r"^\s*[\w.\[\]()'\"]+\s*\?{1,2}\s*$")
_STATEMENT_START = re.compile(r"^(?:async\s+def\b|def\b|import\b|from\b|@)")


@dataclass(frozen=True)
class Definition:
    """A top-level function of a cell; ``node`` is None when it does not parse."""

    name: str
    cell: int  # 1-based position among all the notebook's cells
    source: str
    node: ast.FunctionDef | ast.AsyncFunctionDef | None
    error: str = ""


@dataclass(frozen=True)
class Import:
    source: str
    names: frozenset[str]  # the names it binds


@dataclass
class CodeCell:
    number: int
    tags: tuple[str, ...]
    imports: list[Import] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    assigned: set[str] = field(default_factory=set)  # names set by other statements
    error: str = ""  # why the whole cell does not parse, if it does not


def clean_magics(source: str) -> str:
    """Comment out the lines only IPython understands, keeping line numbers."""
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return "\n".join(f"# {line}" for line in lines)
        lines[first] = f"# {lines[first]}"
    out = []
    for line in lines:
        ipython_only = (_SHELL_OR_MAGIC.match(line) or _ASSIGNED_MAGIC.match(line)
                        or _HELP.match(line))
        out.append(f"# {line}" if ipython_only else line)
    return "\n".join(out)


def _describe(error: SyntaxError) -> str:
    return f"{error.msg} (line {error.lineno} of the cell)"


def _statement(node: ast.stmt, lines: list[str], number: int, cell: CodeCell) -> None:
    if isinstance(node, ast.Import | ast.ImportFrom):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return
        names = frozenset(a.asname or a.name.split(".")[0] for a in node.names)
        text = "".join(lines[node.lineno - 1 : node.end_lineno]).rstrip()
        cell.imports.append(Import(text, names))
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        text = "".join(lines[first - 1 : node.end_lineno]).rstrip()
        cell.definitions.append(Definition(node.name, number, text, node))
    else:
        for target in ast.walk(node):
            if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                cell.assigned.add(target.id)
            elif isinstance(target, ast.ClassDef):
                cell.assigned.add(target.name)


def _recover(lines: list[str], number: int, cell: CodeCell) -> None:
    """Find the imports and defs of a cell that does not parse as a whole."""
    index = 0
    while index < len(lines):
        if not _STATEMENT_START.match(lines[index]):
            index += 1
            continue
        node, end = _statement_at(lines, index)
        if node is None:
            match = re.match(r"^(?:async\s+)?def\s+(\w+)", lines[index])
            if match:
                text = "".join(lines[index:end]).rstrip()
                error = _own_error("\n" * index + text) or cell.error
                cell.definitions.append(Definition(match[1], number, text, None, error))
            index = max(end, index + 1)
            continue
        _statement(node, lines, number, cell)
        index = max(end, index + 1)


def _own_error(source: str) -> str:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return _describe(exc)
    return ""


def _statement_at(lines: list[str], start: int) -> tuple[ast.stmt | None, int]:
    """The complete statement that starts at ``lines[start]``, or None and where it ends.

    A statement ends just before an unindented line (or at the end of the cell); longer
    spans are tried in case an unindented line belongs to it (a string, a bracket).
    """
    ends = [i for i in range(start + 1, len(lines)) if _unindented(lines[i])] + [len(lines)]
    for end in ends:
        chunk = "\n" * start + "".join(lines[start:end])  # keeps the cell's line numbers
        try:
            tree = ast.parse(chunk)
        except SyntaxError:
            continue
        if tree.body:
            return tree.body[0], tree.body[0].end_lineno or end
    return None, ends[0]


def _unindented(line: str) -> bool:
    return bool(line.strip()) and not line[0].isspace() and not line.startswith(("#", ")", "]",
                                                                               "}"))


def parse_cell(number: int, source: str, tags: tuple[str, ...]) -> CodeCell:
    """Parse one code cell; IPython-only lines are commented out if it does not parse."""
    cell = CodeCell(number, tags)
    try:
        tree = ast.parse(source)
        lines = source.splitlines(keepends=True)
    except SyntaxError:
        cleaned = clean_magics(source)
        lines = cleaned.splitlines(keepends=True)
        try:
            tree = ast.parse(cleaned)
        except SyntaxError as exc:
            cell.error = _describe(exc)
            _recover(lines, number, cell)
            return cell
    for node in tree.body:
        _statement(node, lines, number, cell)
    return cell


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def read_notebook(path: Path) -> list[CodeCell]:
    """The code cells of the notebook at ``path``; SubmissionError if it is not one."""
    prefix = f"{path}: not a Jupyter notebook"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(f"{prefix}: the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{prefix}: the file is not valid JSON ({exc.msg}, line {exc.lineno} "
            f"column {exc.colno}); was it saved completely?") from None
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read the file: {exc.strerror}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError(f"{prefix}: the JSON has no list of \"cells\"")
    if data.get("nbformat") != 4:
        raise SubmissionError(
            f"{prefix} in format 4 (nbformat is {data.get('nbformat')!r}); "
            "save it with a current Jupyter")
    cells: list[CodeCell] = []
    for number, raw in enumerate(data["cells"], start=1):
        if not isinstance(raw, dict) or _text(raw.get("source")) is None:
            raise SubmissionError(f"{prefix}: cell {number} has no source text")
        if raw.get("cell_type") != "code":
            continue
        metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
        tags = metadata.get("tags") if isinstance(metadata.get("tags"), list) else []
        source = _text(raw["source"]) or ""
        cells.append(parse_cell(number, source, tuple(t for t in tags if isinstance(t, str))))
    return cells
