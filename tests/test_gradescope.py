"""Gradescope's results format: a JSON Schema written from its specification, the renderer,
and the ``grader gradescope`` command in Gradescope's layout."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from grader.batch.autograder import find_submission
from grader.batch.failure import failed_result
from grader.batch.gradescope import gradescope_results, render_gradescope
from grader.checks.rubric import load_rubric
from grader.results import CheckResult, RowDiff, SubmissionResult
from tests.batch_kinds import KINDS, ROOT, make_submission

VISIBILITIES = ["hidden", "after_due_date", "after_published", "visible"]
FORMATS = ["text", "html", "simple_format", "md", "ansi"]

# From the "Autograder Specifications" page of Gradescope's autograder documentation: every
# field is optional, a score is needed on top or on every test, and unknown fields are
# refused here so that a misspelt field is caught.
GRADESCOPE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Gradescope autograder results.json",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "output_format": {"enum": FORMATS},
        "test_output_format": {"enum": FORMATS},
        "test_name_format": {"enum": FORMATS},
        "visibility": {"enum": VISIBILITIES},
        "stdout_visibility": {"enum": VISIBILITIES},
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {"$ref": "#/$defs/test"}},
        "leaderboard": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "value"],
                "properties": {
                    "name": {"type": "string"},
                    "value": {"type": ["number", "string"]},
                    "order": {"enum": ["asc", "desc"]},
                },
            },
        },
    },
    "anyOf": [
        {"required": ["score"]},
        {"required": ["tests"],
         "properties": {"tests": {"items": {"required": ["score"]}}}},
    ],
    "$defs": {
        "test": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"},
                "max_score": {"type": "number", "minimum": 0},
                "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"},
                "name_format": {"enum": FORMATS},
                "number": {"type": "string"},
                "output": {"type": "string"},
                "output_format": {"enum": FORMATS},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": {"enum": VISIBILITIES},
                "extra_data": {"type": "object"},
            },
        },
    },
}


def validate(document: object) -> None:
    jsonschema.validate(document, GRADESCOPE_SCHEMA,
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def sample() -> SubmissionResult:
    return SubmissionResult(
        submission="alice",
        duration=12.2,
        tests=[
            CheckResult("transaction_schema/fields", "transaction_schema", "passed", 4,
                        description="five fields"),
            CheckResult("select_names/streaming", "select_names", "failed", 4, code="WRONG_ROWS",
                        feedback="batch 1: the rows differ", hint="alias the struct data",
                        diff=RowDiff([{"name": "<b>x</b>"}], [{"name": "y"}],
                                     [{"name": "<b>x</b>"}], [{"name": "y"}], "batch 1")),
            CheckResult("pipeline/complete", "pipeline", "timeout", 5, visibility="hidden",
                        code="TIMEOUT", feedback="did not finish"),
            CheckResult("console_writer/update", "console_writer", "error", 4, code="EXCEPTION",
                        feedback="raised", error_class="java.lang.IllegalStateException: no"),
        ],
    )


def test_schema_accepts_the_specification_example_and_refuses_typos() -> None:
    validate({"score": 44.0, "execution_time": 136, "output": "x", "visibility": "after_due_date",
              "tests": [{"score": 2.0, "max_score": 2.0, "status": "passed", "name": "a",
                         "number": "1.1", "tags": ["t"], "visibility": "visible"}]})
    for bad in ({"tests": [{"name": "no score anywhere"}]},
                {"score": 1, "tests": [{"status": "ok"}]},
                {"score": 1, "tests": [{"visibility": "public"}]},
                {"score": 1, "test": []}):
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


def test_rendered_results_validate_and_add_up() -> None:
    result = sample()
    document = json.loads(render_gradescope(result))
    validate(document)
    assert document["score"] == result.score == 4
    assert sum(t["max_score"] for t in document["tests"]) == result.max_score
    assert document["execution_time"] == 13
    by_name = {t["name"]: t for t in document["tests"]}
    assert by_name["pipeline/complete"]["visibility"] == "after_published"
    assert by_name["pipeline/complete"]["status"] == "failed"
    assert by_name["transaction_schema/fields"]["visibility"] == "visible"
    assert by_name["transaction_schema/fields"]["status"] == "passed"
    assert "alias the struct data" in by_name["select_names/streaming"]["output"]
    assert "<b>x</b>" in by_name["select_names/streaming"]["output"]  # text format: not escaped
    assert by_name["console_writer/update"]["tags"] == ["console_writer", "public"]


def test_numbers_follow_the_blank_order_whatever_checks_ran() -> None:
    numbers = {t["name"]: t["number"] for t in gradescope_results(sample())["tests"]}
    assert numbers == {"transaction_schema/fields": "1.1", "select_names/streaming": "2.1",
                       "console_writer/update": "7.1", "pipeline/complete": "8.1"}


def test_printed_output_is_not_shown_to_students() -> None:
    result = sample()
    result.output = "HIDDEN FIXTURE ROW"
    assert "HIDDEN FIXTURE ROW" not in render_gradescope(result)


def test_a_failed_submission_is_a_valid_zero() -> None:
    result = failed_result(submission="bob", reason="the grading process was killed",
                           specs=load_rubric())
    document = gradescope_results(result)
    validate(document)
    assert document["score"] == 0
    assert "could not be graded: the grading process was killed" in document["output"]
    assert all(t["status"] == "failed" for t in document["tests"])
    hidden = {s.name for s in load_rubric() if s.visibility == "hidden"}
    assert {t["name"] for t in document["tests"] if t["visibility"] == "after_published"} == hidden


def test_find_submission_in_an_upload(tmp_path: Path) -> None:
    direct = make_submission(tmp_path / "direct", KINDS["correct"])
    assert find_submission(direct) == direct
    zipped = tmp_path / "zipped"
    make_submission(zipped / "my_work", KINDS["correct"])
    (zipped / "__MACOSX").mkdir()
    assert find_submission(zipped) == zipped / "my_work"
    notebook = tmp_path / "notebook"
    notebook.mkdir()
    (notebook / "lecture3.ipynb").write_text("{}", encoding="utf-8")
    assert find_submission(notebook) == notebook / "lecture3.ipynb"


def _gradescope(submission: Path, results: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", "gradescope", "--submission", str(submission),
         "--results", str(results), *extra],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )


def test_command_writes_results_for_an_ungradable_upload(tmp_path: Path) -> None:
    upload = make_submission(tmp_path / "submission", KINDS["empty"])
    results = tmp_path / "results" / "results.json"
    done = _gradescope(upload, results)
    assert done.returncode == 0, done.stderr
    document = json.loads(results.read_text(encoding="utf-8"))
    validate(document)
    assert document["score"] == 0
    assert "none of schema.py" in document["output"]
    assert str(tmp_path) not in document["output"]


SMALL_RUBRIC = """
[[check]]
name = "console_writer/update"
exercise = "console_writer"
kind = "writer"
mode = "update"
aspect = "config"
points = 4
visibility = "public"

[[check]]
name = "console_writer/complete"
exercise = "console_writer"
kind = "writer"
mode = "complete"
aspect = "config"
points = 3
visibility = "public"

[[check]]
name = "console_writer/default_mode"
exercise = "console_writer"
kind = "writer"
mode = "default"
aspect = "config"
points = 1
visibility = "hidden"
"""


def test_command_grades_in_gradescope_layout(tmp_path: Path) -> None:
    """A real grade of an uploaded folder, with three writer checks (one hidden) to be quick."""
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(SMALL_RUBRIC, encoding="utf-8")
    upload = tmp_path / "submission"
    make_submission(upload / "upload", KINDS["wrong_writer"])
    results = tmp_path / "results" / "results.json"
    done = _gradescope(upload, results, "--rubric", str(rubric), "--timeout", "60")
    assert done.returncode == 0, done.stderr
    document = json.loads(results.read_text(encoding="utf-8"))
    validate(document)
    statuses = {t["name"]: (t["status"], t["visibility"]) for t in document["tests"]}
    assert statuses == {
        "console_writer/update": ("passed", "visible"),
        "console_writer/complete": ("failed", "visible"),
        "console_writer/default_mode": ("passed", "after_published"),
    }
    assert document["score"] == 5


def test_docker_scripts_are_executable_shell() -> None:
    folder = ROOT / "docker" / "gradescope"
    for name in ("setup.sh", "run_autograder"):
        script = folder / name
        assert script.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
        check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    assert "grader gradescope" in (folder / "run_autograder").read_text(encoding="utf-8")
    assert "openjdk-17" in (folder / "setup.sh").read_text(encoding="utf-8")
