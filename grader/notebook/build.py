"""Build the student notebook from the stub modules in ``exercises/``.

Each blank becomes one code cell tagged ``blank:<function>`` that holds the imports the
function needs and the function itself, copied from its stub. The output is
deterministic: no outputs, no execution counts, cell ids taken from ``content``.
"""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.authoring.assign import Change
from grader.exercise.contract import BLANKS, MODULES
from grader.notebook.content import CELLS, Spec

NOTEBOOK_NAME = "lecture3_streaming.ipynb"
TAG_PREFIX = "blank:"
METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class BuildError(ValueError):
    """A stub module that lacks a blank, so the notebook cannot be built."""


def tag_for(function: str) -> str:
    return f"{TAG_PREFIX}{function}"


def _bound_name(alias: ast.alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def _render_import(node: ast.Import | ast.ImportFrom, aliases: list[ast.alias]) -> str:
    names = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in aliases)
    if isinstance(node, ast.Import):
        return f"import {names}"
    return f"from {'.' * node.level}{node.module or ''} import {names}"


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _function_text(lines: list[str], node: ast.FunctionDef) -> str:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return "".join(lines[first - 1 : node.end_lineno])


def module_blanks(source: str) -> dict[str, str]:
    """The cell source of each blank defined in one module's ``source``.

    A cell imports what its function refers to, plus the module's imports that no blank
    of the module refers to (those are there for the answers: ``pyspark.sql.functions``
    as ``f``, the types of a schema).
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    imports = [
        n for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")
    ]
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in BLANKS]
    used_by_any = set().union(*(_names_in(f) for f in functions)) if functions else set()
    cells: dict[str, str] = {}
    for function in functions:
        used = _names_in(function)
        statements = []
        for node in imports:
            keep = [a for a in node.names
                    if _bound_name(a) in used or _bound_name(a) not in used_by_any]
            if keep:
                statements.append(_render_import(node, keep))
        header = "\n".join(statements) + "\n\n\n" if statements else ""
        cells[function.name] = header + _function_text(lines, function).rstrip("\n")
    return cells


def blank_sources(folder: Path) -> dict[str, str]:
    """The cell source of every blank, read from the modules in ``folder``."""
    cells: dict[str, str] = {}
    for module in MODULES:
        path = folder / f"{module}.py"
        found = module_blanks(path.read_text(encoding="utf-8")) if path.is_file() else {}
        cells.update({k: v for k, v in found.items() if BLANKS[k] == module})
    missing = sorted(set(BLANKS) - set(cells))
    if missing:
        raise BuildError(f"{folder}: no function for the blank(s) {', '.join(missing)}")
    return cells


def _cell(spec: Spec, blanks: dict[str, str]) -> NotebookNode:
    if spec.kind == "markdown":
        return new_markdown_cell(spec.text, id=spec.slug)
    if spec.kind == "code":
        return new_code_cell(spec.text, id=spec.slug)
    return new_code_cell(blanks[spec.slug], id=f"blank-{spec.slug}",
                         metadata={"tags": [tag_for(spec.slug)]})


def build_notebook(*, exercises: Path, cells: tuple[Spec, ...] = CELLS) -> NotebookNode:
    """The notebook for the stubs in ``exercises``, validated against nbformat 4."""
    blanks = blank_sources(exercises)
    notebook = new_notebook(cells=[_cell(spec, blanks) for spec in cells],
                            metadata=copy.deepcopy(METADATA))
    nbformat.validate(notebook)
    return notebook


def _split(source: str) -> list[str]:
    return source.splitlines(keepends=True)


def render(notebook: NotebookNode) -> str:
    """The notebook as Jupyter stores it: sources as lists of lines, keys sorted."""
    data = json.loads(json.dumps(notebook))
    for cell in data["cells"]:
        cell["source"] = _split(cell["source"]) if isinstance(cell["source"], str) else \
            cell["source"]
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def build(*, exercises: Path, output: Path | None = None, check: bool = False) -> Change:
    """Write (or with ``check``, only compare) the notebook built from ``exercises``."""
    target = output or exercises / NOTEBOOK_NAME
    text = render(build_notebook(exercises=exercises))
    current = target.read_text(encoding="utf-8") if target.exists() else None
    status = "unchanged" if current == text else "created" if current is None else "updated"
    if status != "unchanged" and not check:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Change(target, status)
