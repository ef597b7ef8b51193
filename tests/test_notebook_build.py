"""The student notebook is generated from the stubs, deterministic, and committed up to date.

Also checks that both generators (``grader assign``, ``grader notebook build``) are
idempotent and that their ``--check`` flags catch a stale file. Nothing here runs Spark.
"""

from __future__ import annotations

import ast
import inspect
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from grader.cli import main
from grader.exercise.contract import BLANKS, MODULES
from grader.notebook.build import NOTEBOOK_NAME, BuildError, build, build_notebook, tag_for

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
NOTEBOOK = EXERCISES / NOTEBOOK_NAME


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_committed_notebook_equals_a_fresh_build():
    change = build(exercises=EXERCISES, check=True)
    assert change.status == "unchanged", "run `grader notebook build` and commit the notebook"


def test_build_is_idempotent_and_deterministic(tmp_path):
    target = tmp_path / "nb.ipynb"
    assert build(exercises=EXERCISES, output=target).status == "created"
    first = target.read_bytes()
    assert build(exercises=EXERCISES, output=target).status == "unchanged"
    assert target.read_bytes() == first == NOTEBOOK.read_bytes()


def test_check_flags_exit_1_on_a_stale_file_and_never_write(tmp_path, capsys):
    target = tmp_path / "nb.ipynb"
    target.write_text("{}", encoding="utf-8")
    assert main(["notebook", "build", "--output", str(target), "--check"]) == 1
    assert target.read_text(encoding="utf-8") == "{}"
    assert main(["notebook", "build", "--output", str(target)]) == 0
    assert main(["notebook", "build", "--output", str(target), "--check"]) == 0
    assert main(["notebook", "build", "--exercises", str(EXERCISES), "--check"]) == 0

    exercises = tmp_path / "exercises"
    args = ["assign", "--solutions", str(ROOT / "solutions"), "--exercises", str(exercises)]
    assert main([*args, "--check"]) == 1 and not exercises.exists()
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    assert main(["assign", "--solutions", str(ROOT / "solutions"),
                 "--exercises", str(EXERCISES), "--check"]) == 0
    assert "unchanged" in capsys.readouterr().out


def test_a_missing_blank_is_a_clear_build_error(tmp_path, capsys):
    for module in ("schema", "parser", "aggregation"):
        shutil.copy(EXERCISES / f"{module}.py", tmp_path)
    with pytest.raises(BuildError, match="console_writer, socket_source"):
        build_notebook(exercises=tmp_path)
    assert main(["notebook", "build", "--exercises", str(tmp_path)]) == 2
    assert "grader: error:" in capsys.readouterr().err


def test_valid_nbformat_4_without_outputs_and_with_stable_ids(notebook):
    nbformat.validate(notebook)
    assert notebook.nbformat == 4 and notebook.nbformat_minor >= 5
    ids = [c.id for c in notebook.cells]
    assert len(ids) == len(set(ids))
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(isinstance(c["source"], list) for c in raw["cells"])


@pytest.mark.parametrize("blank", sorted(BLANKS))
def test_one_tagged_cell_per_blank_holds_exactly_the_stub(notebook, blank):
    cells = [c for c in notebook.cells if tag_for(blank) in c.metadata.get("tags", [])]
    assert len(cells) == 1 and cells[0].cell_type == "code"
    source = cells[0].source
    tree = ast.parse(source)
    assert all(isinstance(n, ast.Import | ast.ImportFrom | ast.FunctionDef) for n in tree.body)
    assert [n.name for n in tree.body if isinstance(n, ast.FunctionDef)] == [blank]

    module = __import__(f"exercises.{BLANKS[blank]}", fromlist=[blank])
    stub = getattr(module, blank)
    assert inspect.getsource(stub).rstrip() in source
    namespace: dict = {}
    exec(compile(source, f"<cell {blank}>", "exec"), namespace)  # the stub: imports and a def
    assert inspect.signature(namespace[blank]) == inspect.signature(stub)
    assert inspect.getdoc(namespace[blank]) == inspect.getdoc(stub)
    with pytest.raises(NotImplementedError, match=blank):
        namespace[blank](*([None] * len(inspect.signature(stub).parameters)))


def test_the_lecture_flow_runs_the_students_functions(notebook):
    code = code_sources(notebook)
    setup = next(s for s in code if "SparkSession.builder" in s)
    assert 'os.environ.get("SPARK_MASTER", "local[*]")' in setup
    producer = [s for s in code if "utils/producer.py --hostname localhost" in s]
    assert len(producer) == 2 and all(s.startswith("!python") for s in producer)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "python utils/producer.py --hostname localhost" in markdown

    queries = [s for s in code if ".start()" in s]
    assert ['"update"' in queries[0], '"complete"' in queries[1]] == [True, True]
    for query in queries:
        order = ["socket_source(", "parse_transactions(", "flagged_counts(",
                 "suspicious_users(", "console_writer("]
        positions = [query.index(name) for name in order]
        assert positions == sorted(positions)
        assert code.index(query) < len(code) - 1
        assert "query.stop()" in code[code.index(query) + 1]
    assert code[-1] == f"!grader check {NOTEBOOK_NAME}"


def test_extract_command_writes_the_graded_modules(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["notebook", "extract", str(NOTEBOOK), "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{m}.py" for m in MODULES)
    assert capsys.readouterr().err.count("found by tag") == len(BLANKS)
