"""Notebook submissions: the blanks are extracted (never the notebook run) and graded.

The extraction tests are fast and need no Spark. The grading tests start Spark: four
notebook gradings plus one of ``solutions/`` to compare with.
"""

from __future__ import annotations

import ast
import copy
import gc
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from grader.exercise.contract import BLANKS, MODULES
from grader.grading import grade
from grader.notebook.build import NOTEBOOK_NAME, blank_sources, build_notebook, render
from grader.notebook.extract import extract
from grader.results import SubmissionResult
from grader.submission import SubmissionError, locate

ROOT = Path(__file__).resolve().parents[1]
SOLVED = blank_sources(ROOT / "solutions")
STUB_NOTEBOOK = build_notebook(exercises=ROOT / "exercises")
WRONG_COUNTS = SOLVED["flagged_counts"].replace('f.col("flag") == 1', 'f.col("flag") == 0')
MASTER = "local[2]"


def filled(**answers: str) -> NotebookNode:
    """The generated notebook with each blank cell holding the solution (or ``answers``)."""
    notebook = copy.deepcopy(STUB_NOTEBOOK)
    for cell in notebook.cells:
        for tag in cell.metadata.get("tags", []):
            blank = tag.removeprefix("blank:")
            cell.source = answers.get(blank, SOLVED[blank])
    return notebook


def index_of(notebook: NotebookNode, blank: str) -> int:
    return next(i for i, c in enumerate(notebook.cells)
                if f"blank:{blank}" in c.metadata.get("tags", []))


def untag(notebook: NotebookNode) -> NotebookNode:
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    return notebook


def save(notebook: NotebookNode, path: Path) -> Path:
    path.write_text(render(notebook), encoding="utf-8")
    return path


def functions(source: str) -> dict[str, str]:
    return {n.name: ast.dump(n) for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def solution_functions(blank: str) -> str:
    module = (ROOT / "solutions" / f"{BLANKS[blank]}.py").read_text(encoding="utf-8")
    return functions(module)[blank]


def notes_for(notes: list[str], blank: str) -> str:
    return next(n for n in notes if n.startswith(f"{blank}:"))


def messy(notebook: NotebookNode) -> NotebookNode:
    """Tags lost, a wrong copy of a cell above the right one, magics and shell lines."""
    untag(notebook)
    counts = index_of_source(notebook, "def flagged_counts(")
    notebook.cells.insert(counts, new_code_cell(WRONG_COUNTS))
    suspicious = index_of_source(notebook, "def suspicious_users(")
    notebook.cells[suspicious].source = "%%time\n" + notebook.cells[suspicious].source
    schema = index_of_source(notebook, "def transaction_schema(")
    notebook.cells[schema].source = ("!cat utils/producer.py\n%time 1 + 1\nfiles = !ls\n"
                                     "StructType?\n" + notebook.cells[schema].source)
    notebook.cells.insert(0, new_code_cell("%%bash\ndef console_writer(:\necho not python\n"))
    source = notebook.cells.pop(index_of_source(notebook, "def socket_source("))
    notebook.cells.insert(1, source)
    return notebook


def index_of_source(notebook: NotebookNode, text: str) -> int:
    return max(i for i, c in enumerate(notebook.cells) if text in c.source)


# --- extraction, no Spark ---------------------------------------------------------------


def test_tagged_cells_give_exactly_the_solution_functions(tmp_path):
    extraction = extract(save(filled(), tmp_path / "alice.ipynb"))
    for blank, module in BLANKS.items():
        assert functions(extraction.modules[module])[blank] == solution_functions(blank)
        assert notes_for(extraction.notes, blank).startswith(f"{blank}: found by tag")


def test_only_imports_and_functions_are_copied(tmp_path):
    extra = ("\nspark = SparkSession.builder.getOrCreate()\nprint('hello')\n"
             "query = console_writer(spark.range(1)).start()\n")
    notebook = filled(console_writer=SOLVED["console_writer"] + extra)
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    for source in extraction.modules.values():
        tree = ast.parse(source)
        docstring, *rest = tree.body
        assert isinstance(docstring, ast.Expr)
        assert all(isinstance(n, ast.Import | ast.ImportFrom | ast.FunctionDef) for n in rest)
    assert "print(" not in extraction.modules["query"]
    assert "getOrCreate" not in extraction.modules["query"]


def test_lost_tags_fall_back_to_the_def(tmp_path):
    notebook = untag(filled())
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    for blank, module in BLANKS.items():
        number = index_of_source(notebook, f"def {blank}(") + 1
        assert notes_for(extraction.notes, blank).startswith(
            f"{blank}: found by its def in cell {number}")
        assert functions(extraction.modules[module])[blank] == solution_functions(blank)


def test_duplicated_cells_the_last_definition_wins(tmp_path):
    notebook = untag(filled())
    at = index_of_source(notebook, "def flagged_counts(")
    notebook.cells.insert(at, new_code_cell(WRONG_COUNTS))
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    assert functions(extraction.modules["aggregation"])["flagged_counts"] == \
        solution_functions("flagged_counts")
    assert f"found by its def in cell {at + 2}" in notes_for(extraction.notes, "flagged_counts")

    tagged = filled()  # a duplicated cell keeps its tag: still the last one wins
    at = index_of(tagged, "flagged_counts")
    wrong = copy.deepcopy(tagged.cells[at])
    wrong.source = WRONG_COUNTS
    tagged.cells.insert(at + 1, wrong)
    extraction = extract(save(tagged, tmp_path / "tagged.ipynb"))
    assert '== 0' in extraction.modules["aggregation"]
    note = notes_for(extraction.notes, "flagged_counts")
    assert note.startswith(f"flagged_counts: found by tag (cell {at + 2})")
    assert f"cell(s) {at + 1} ignored" in note


def test_an_answer_beside_the_untouched_tagged_stub_is_taken(tmp_path):
    notebook = copy.deepcopy(STUB_NOTEBOOK)
    notebook.cells.append(new_code_cell(SOLVED["suspicious_users"]))
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    assert functions(extraction.modules["aggregation"])["suspicious_users"] == \
        solution_functions("suspicious_users")
    assert "still holds the stub" in notes_for(extraction.notes, "suspicious_users")


def test_reordered_cells(tmp_path):
    notebook = filled()
    notebook.cells.reverse()
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    for blank, module in BLANKS.items():
        assert functions(extraction.modules[module])[blank] == solution_functions(blank)
        note = notes_for(extraction.notes, blank)
        assert note == f"{blank}: found by tag (cell {index_of(notebook, blank) + 1})"


def test_magics_and_shell_lines_do_not_break_extraction(tmp_path):
    notebook = messy(filled())
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    for blank, module in BLANKS.items():
        assert functions(extraction.modules[module])[blank] == solution_functions(blank)
        assert "found by its def" in notes_for(extraction.notes, blank)
    joined = "\n".join(extraction.modules.values())
    assert "!cat" not in joined and "%time" not in joined and "echo" not in joined


def test_helpers_and_imports_from_other_cells_but_no_variables(tmp_path):
    answer = ('def flagged_counts(parsed):\n'
              '    return with_user(parsed.where(F.col("flag") == THRESHOLD))'
              '.groupBy("userID").count()\n')
    notebook = filled(flagged_counts=answer)
    notebook.cells[1:1] = [
        new_code_cell("import pyspark.sql.functions as F\nTHRESHOLD = 1"),
        new_code_cell('def with_user(df):\n    return df.withColumn("userID", '
                      'F.concat("name", "surname"))\n\nwith_user(None)'),
    ]
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    aggregation = extraction.modules["aggregation"]
    assert "import pyspark.sql.functions as F" in aggregation
    assert set(functions(aggregation)) == {"with_user", "flagged_counts", "suspicious_users"}
    assert "THRESHOLD = 1" not in aggregation and "with_user(None)" not in aggregation
    assert any("`THRESHOLD`" in note for note in extraction.notes)


def test_a_syntax_error_costs_only_its_blank(tmp_path):
    broken = SOLVED["flagged_counts"].replace(".groupBy(", ".groupBy((")
    extraction = extract(save(filled(flagged_counts=broken), tmp_path / "nb.ipynb"))
    aggregation = extraction.modules["aggregation"]
    compile(aggregation, "aggregation.py", "exec")
    assert functions(aggregation)["suspicious_users"] == solution_functions("suspicious_users")
    raising = next(n for n in ast.parse(aggregation).body
                   if isinstance(n, ast.FunctionDef) and n.name == "flagged_counts")
    assert isinstance(raising.body[0], ast.Raise) and "does not parse" in ast.unparse(raising)
    assert notes_for(extraction.notes, "flagged_counts").startswith("flagged_counts: found by tag")


def test_a_missing_blank_leaves_the_rest_of_its_module(tmp_path):
    notebook = filled()
    del notebook.cells[index_of(notebook, "console_writer")]
    extraction = extract(save(notebook, tmp_path / "nb.ipynb"))
    assert set(functions(extraction.modules["query"])) == {"socket_source"}
    assert notes_for(extraction.notes, "console_writer").startswith("console_writer: not found")


def test_locate_gives_a_submission_named_after_the_notebook(tmp_path):
    submission = locate(save(filled(), tmp_path / "bob_smith.ipynb"))
    assert submission.name == "bob_smith"
    assert set(submission.modules) == set(MODULES)
    assert all(p is not None and p.is_file() for p in submission.modules.values())
    assert len([n for n in submission.notes if "found by tag" in n]) == len(BLANKS)
    folder = submission.root
    assert folder.is_dir() and not folder.is_relative_to(tmp_path)
    del submission
    gc.collect()
    assert not folder.exists()


@pytest.mark.parametrize(("content", "message"), [
    ('{"cells": [', "not valid JSON"),
    ("\udcff", "not UTF-8"),
    ("[1, 2]", 'no list of "cells"'),
    ('{"metadata": {}}', 'no list of "cells"'),
    ('{"cells": [], "nbformat": 3}', "format 4"),
    ('{"cells": [{"cell_type": "code"}], "nbformat": 4}', "cell 1 has no source"),
])
def test_corrupted_notebooks_are_submission_errors(tmp_path, content, message):
    path = tmp_path / "broken.ipynb"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(SubmissionError, match="not a Jupyter notebook") as error:
        locate(path)
    assert message in str(error.value)


@pytest.mark.parametrize("command", ["grade", "check"])
def test_cli_reports_a_broken_notebook_without_a_traceback(tmp_path, command):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", command, str(path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("grader: error: ") and "not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


# --- grading, with Spark: four notebooks and the solutions folder ------------------------


def outcome(result: SubmissionResult) -> list[tuple[str, str, float]]:
    return [(t.name, t.status, t.score) for t in result.tests]


@pytest.fixture(scope="module")
def solutions_result() -> SubmissionResult:
    return grade(path=ROOT / "solutions", master=MASTER)


def test_grading_the_filled_notebook_equals_grading_the_solutions(tmp_path, solutions_result):
    result = grade(path=save(filled(), tmp_path / "filled.ipynb"), master=MASTER)
    assert result.submission == "filled"
    assert result.score == result.max_score == solutions_result.max_score
    assert outcome(result) == outcome(solutions_result)


def test_grading_the_untouched_notebook_scores_zero():
    result = grade(path=ROOT / "exercises" / NOTEBOOK_NAME, master=MASTER)
    assert result.score == 0 and result.max_score > 0
    assert {t.status for t in result.tests} <= {"error", "failed"}
    assert {t.code for t in result.tests if t.exercise != "pipeline"} == {"NOT_IMPLEMENTED"}


def test_a_mistake_in_one_blank_costs_points_there_only(tmp_path):
    assert WRONG_COUNTS != SOLVED["flagged_counts"]
    result = grade(path=save(filled(flagged_counts=WRONG_COUNTS), tmp_path / "nb.ipynb"),
                   master=MASTER)
    lost = {t.exercise for t in result.tests if not t.passed}
    assert "flagged_counts" in lost and lost <= {"flagged_counts", "pipeline"}
    assert 0 < result.score < result.max_score


def test_lost_tags_duplicates_and_magics_still_get_full_marks(tmp_path):
    result = grade(path=save(messy(filled()), tmp_path / "messy.ipynb"), master=MASTER)
    assert result.score == result.max_score, [t.feedback for t in result.tests if not t.passed]
    assert sum("found by its def" in note for note in result.notes) == len(BLANKS)
