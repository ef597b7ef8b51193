"""Turn a submitted notebook into the four modules the grader loads, without running it.

Each blank's answer is the function in the cell tagged ``blank:<name>``; when no tagged
cell defines it (tags lost to copying or re-typing), the last ``def <name>(`` in any code
cell, as running the notebook top to bottom would leave it. A module gets the imports of
the cells its answers come from, then the answers; a name an answer uses and nothing
there defines is looked up in the other cells, among imports and functions only. No other
statement of the notebook is copied, so nothing else from it ever runs.
"""

from __future__ import annotations

import ast
import builtins
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from grader.exercise.contract import BLANKS, MODULES
from grader.notebook.build import tag_for
from grader.notebook.cells import CodeCell, Definition, Import, read_notebook
from grader.submission import Submission

BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class Found:
    blank: str
    definition: Definition | None
    note: str


@dataclass
class Extraction:
    notebook: str
    modules: dict[str, str]  # module name -> source
    notes: list[str] = field(default_factory=list)


def is_stub(definition: Definition) -> bool:
    """A function still as the notebook gave it: a docstring and ``raise NotImplementedError``."""
    if definition.node is None:
        return False
    body = list(definition.node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return all(_placeholder(statement) for statement in body)


def _placeholder(node: ast.stmt) -> bool:
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant) and node.value.value is Ellipsis
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def find_blank(blank: str, cells: list[CodeCell]) -> Found:
    tag = tag_for(blank)
    defs = [d for cell in cells for d in cell.definitions if d.name == blank]
    tagged_cells = {cell.number for cell in cells if tag in cell.tags}
    tagged = [d for d in defs if d.cell in tagged_cells]
    if tagged:
        chosen = tagged[-1]
        answered = [d for d in defs if not is_stub(d)]
        if is_stub(chosen) and answered:
            other = answered[-1]
            return Found(blank, other, f"{blank}: found by its def in cell {other.cell} "
                         f"(the tagged cell {chosen.cell} still holds the stub)")
        others = sorted({d.cell for d in defs if d is not chosen})
        ignored = f"; its def in cell(s) {_cells(others)} ignored" if others else ""
        return Found(blank, chosen, f"{blank}: found by tag (cell {chosen.cell}){ignored}")
    if defs:
        chosen = defs[-1]
        return Found(blank, chosen, f"{blank}: found by its def in cell {chosen.cell} "
                     f"(no cell defining it is tagged {tag})")
    return Found(blank, None, f"{blank}: not found (no cell tagged {tag} and no "
                 f"`def {blank}(` in any code cell)")


def _cells(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def free_names(node: ast.AST) -> set[str]:
    """Names a function reads that it does not bind itself (an over-approximation)."""
    loaded: set[str] = set()
    stored: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            (loaded if isinstance(child.ctx, ast.Load) else stored).add(child.id)
        elif isinstance(child, ast.arg):
            stored.add(child.arg)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                and child is not node:
            stored.add(child.name)
    return loaded - stored - BUILTIN_NAMES


class _Module:
    """The imports and functions one module gathers from the notebook."""

    def __init__(self, cells: list[CodeCell], answers: list[Definition]) -> None:
        self.cells = cells
        self.answers = answers
        used = {d.cell for d in answers}
        self.imports: list[Import] = []
        for cell in cells:
            if cell.number in used:
                self._add_import(*cell.imports)
        self.helpers: list[Definition] = []
        self.unresolved: set[str] = set()
        self._resolve()

    def _add_import(self, *imports: Import) -> None:
        seen = {i.source for i in self.imports}
        self.imports += [i for i in imports if i.source not in seen]

    def bound(self) -> set[str]:
        names = {d.name for d in [*self.answers, *self.helpers]}
        return names.union(*(i.names for i in self.imports))

    def _resolve(self) -> None:
        pending: set[str] = set().union(*(free_names(d.node) for d in self.answers if d.node))
        while pending - self.bound() - self.unresolved:
            name = min(pending - self.bound() - self.unresolved)
            source = self._last_binding(name)
            if isinstance(source, Import):
                self._add_import(source)
            elif isinstance(source, Definition):
                self.helpers.append(source)
                pending |= free_names(source.node) if source.node else set()
            else:
                self.unresolved.add(name)

    def _last_binding(self, name: str) -> Import | Definition | None:
        for cell in reversed(self.cells):
            funcs = [d for d in cell.definitions if d.name == name and d.node is not None]
            imports = [i for i in cell.imports if name in i.names]
            if funcs or imports:
                return funcs[-1] if funcs else imports[-1]
        return None

    def assigned_elsewhere(self) -> list[str]:
        return sorted(n for n in self.unresolved if any(n in c.assigned for c in self.cells))


def _function(definition: Definition) -> str:
    where = f"# cell {definition.cell} of the notebook"
    if definition.node is not None:
        return f"{where}\n{definition.source}\n"
    message = f"cell {definition.cell} does not parse: {definition.error}"
    return (f"{where} (it does not parse)\ndef {definition.name}(*args, **kwargs):\n"
            f"    raise SyntaxError({message!r})\n")


def module_source(module: str, notebook: str, found: list[Found],
                  cells: list[CodeCell]) -> tuple[str, list[str]]:
    """The source of ``module`` and notes about names its answers use but cannot get."""
    answers = [f.definition for f in found if f.definition is not None]
    gathered = _Module(cells, answers)
    parts = [f'"""{module}.py as extracted by the grader from {notebook}."""\n\n'
             "from __future__ import annotations\n"]
    if gathered.imports:
        parts.append("\n" + "\n".join(i.source for i in gathered.imports) + "\n")
    parts += [f"\n\n{_function(d)}" for d in [*gathered.helpers, *answers]]
    notes = []
    missing = gathered.assigned_elsewhere()
    if missing:
        names = ", ".join(f"`{n}`" for n in missing)
        notes.append(f"{module}.py: the answers use {names}, set outside any function in the "
                     "notebook; only functions and imports are graded, so that will fail")
    return "".join(parts), notes


def extract(path: Path) -> Extraction:
    """Read the notebook at ``path`` and build each module's source from its answers."""
    cells = read_notebook(path)
    found = {blank: find_blank(blank, cells) for blank in BLANKS}
    extraction = Extraction(path.name, {}, [f.note for f in found.values()])
    for module in MODULES:
        mine = [f for blank, f in found.items() if BLANKS[blank] == module]
        source, notes = module_source(module, path.name, mine, cells)
        extraction.modules[module] = source
        extraction.notes += notes
    return extraction


def write_modules(extraction: Extraction, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for module, source in extraction.modules.items():
        paths[module] = folder / f"{module}.py"
        paths[module].write_text(source, encoding="utf-8")
    return paths


def notebook_submission(path: Path) -> Submission:
    """A submission over the modules extracted into a temporary folder.

    The folder is removed when the submission object is garbage-collected (or at exit).
    """
    extraction = extract(path)
    folder = Path(tempfile.mkdtemp(prefix=f"grader-{path.stem[:40]}-"))
    modules: dict[str, Path | None] = dict(write_modules(extraction, folder))
    submission = Submission(path.stem, folder, modules, list(extraction.notes))
    weakref.finalize(submission, shutil.rmtree, folder, True)
    return submission
