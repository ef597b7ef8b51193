"""Stubs and solutions expose the same blanks; the stubs are generated from the solutions."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from grader.authoring.assign import MarkerError, assign, make_stub
from grader.exercise.contract import BLANKS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("blank", sorted(BLANKS))
def test_stub_and_solution_have_the_same_signature_and_docstring(blank):
    module = BLANKS[blank]
    stub = getattr(importlib.import_module(f"exercises.{module}"), blank)
    solution = getattr(importlib.import_module(f"solutions.{module}"), blank)
    assert inspect.signature(stub) == inspect.signature(solution)
    assert inspect.getdoc(stub) == inspect.getdoc(solution)
    assert "Contract:" in inspect.getdoc(stub) and "Hint:" in inspect.getdoc(stub)


@pytest.mark.parametrize("module", sorted(set(BLANKS.values())))
def test_modules_define_the_same_public_functions(module):
    def functions(package: str) -> set[str]:
        mod = importlib.import_module(f"{package}.{module}")
        return {
            n
            for n, v in vars(mod).items()
            if inspect.isfunction(v) and v.__module__ == mod.__name__
        }

    assert functions("exercises") == functions("solutions")


@pytest.mark.parametrize("blank", sorted(BLANKS))
def test_each_stub_raises_not_implemented_naming_its_blank(blank):
    stub = getattr(importlib.import_module(f"exercises.{BLANKS[blank]}"), blank)
    arity = len(inspect.signature(stub).parameters)
    with pytest.raises(NotImplementedError, match=blank):
        stub(*([None] * arity))


def test_committed_exercises_equal_a_fresh_generation():
    changes = assign(solutions=ROOT / "solutions", exercises=ROOT / "exercises", check=True)
    assert [c.status for c in changes] == ["unchanged"] * 4, changes


def test_generation_is_idempotent(tmp_path):
    first = assign(solutions=ROOT / "solutions", exercises=tmp_path)
    second = assign(solutions=ROOT / "solutions", exercises=tmp_path)
    assert {c.status for c in first} == {"created"}
    assert {c.status for c in second} == {"unchanged"}


def test_markers_must_be_balanced_and_inside_a_function():
    with pytest.raises(MarkerError, match="never closed"):
        make_stub("def f():\n    # BEGIN SOLUTION\n    return 1\n")
    with pytest.raises(MarkerError, match="outside a function"):
        make_stub("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n")
    with pytest.raises(MarkerError, match="without"):
        make_stub("def f():\n    return 1\n    # END SOLUTION\n")
    stub = make_stub(
        'def f():\n    """Doc."""\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n'
    )
    expected = 'def f():\n    """Doc."""\n    raise NotImplementedError("blank `f` is not implemented yet")\n'  # noqa: E501
    assert stub == expected
