"""Build submission folders for tests: the reference solutions with one function replaced."""

from __future__ import annotations

import ast
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
MODULES = ("schema", "parser", "aggregation", "query")


@dataclass(frozen=True)
class Variant:
    """A named change to the reference solutions and the blank(s) it should cost."""

    name: str
    module: str
    function: str | None = None  # replace this function's definition with ``source``
    source: str = ""
    append: str = ""  # code added at the end of the module
    delete_module: bool = False
    breaks: tuple[str, ...] = field(default_factory=tuple)


def replace_function(text: str, name: str, source: str) -> str:
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            lines = text.splitlines(keepends=True)
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            new = textwrap.dedent(source).strip("\n") + "\n"
            return "".join(lines[:start]) + new + "".join(lines[node.end_lineno :])
    raise KeyError(name)


def write_submission(
    target: Path, variant: Variant | None = None, *, base: Path = SOLUTIONS
) -> Path:
    """Copy the four modules of ``base`` into ``target`` and apply ``variant``."""
    target.mkdir(parents=True, exist_ok=True)
    for module in MODULES:
        shutil.copy(base / f"{module}.py", target / f"{module}.py")
    if variant is None:
        return target
    path = target / f"{variant.module}.py"
    if variant.delete_module:
        path.unlink()
        return target
    text = path.read_text(encoding="utf-8")
    if variant.function is not None:
        text = replace_function(text, variant.function, variant.source)
    if variant.append:
        text = text + "\n" + textwrap.dedent(variant.append).strip("\n") + "\n"
    path.write_text(text, encoding="utf-8")
    return target
