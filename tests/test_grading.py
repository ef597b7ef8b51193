"""Grading whole submissions: full marks, zero, and exactly the blank a mistake breaks.

Each test grades one submission end to end: a sandbox process with its own Spark
session runs the student code, and the verdicts are computed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.grading import grade
from grader.results import EXERCISES, SubmissionResult
from tests.support.submissions import ROOT, Variant, write_submission
from tests.support.variants import BROKEN, CORRECT, WRONG

TIMEOUT = 20.0


def points(result: SubmissionResult) -> dict[str, tuple[float, float]]:
    return {s.exercise: (s.score, s.max_score) for s in result.by_exercise()}


def graded(tmp_path: Path, variant: Variant) -> SubmissionResult:
    folder = write_submission(tmp_path / variant.name, variant)
    return grade(path=folder, timeout=TIMEOUT, master="local[2]")


def assert_only_broken(result: SubmissionResult, broken: tuple[str, ...]) -> None:
    per_blank = points(result)
    for exercise in EXERCISES:
        score, max_score = per_blank[exercise]
        if exercise in broken:
            assert score < max_score, f"{exercise} kept all its points"
        elif exercise != "pipeline":  # the chain of the student's own blanks may break too
            assert score == max_score, (
                exercise,
                [
                    (t.name, t.status, t.feedback)
                    for t in result.tests
                    if t.exercise == exercise and not t.passed
                ],
            )


def test_cli_grades_the_solutions_with_full_marks_as_json(tmp_path):
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            str(ROOT / "solutions"),
            "--format",
            "json",
            "--output",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["score"] == data["max_score"] == 100.0
    assert {t["exercise"] for t in data["tests"]} == set(EXERCISES)
    for test in data["tests"]:
        assert set(test) >= {"name", "exercise", "status", "score", "max_score", "feedback"}
        assert test["status"] == "passed", test
    assert any(t["visibility"] == "hidden" for t in data["tests"])


def test_untouched_stubs_score_zero_with_not_implemented_feedback(tmp_path):
    out = tmp_path / "check.txt"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "check",
            str(ROOT / "exercises"),
            "--output",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    result = grade(path=ROOT / "exercises", timeout=TIMEOUT, master="local[2]")
    assert result.score == 0.0 and result.max_score == 100.0
    for test in result.tests:
        if test.exercise != "pipeline":
            assert test.code == "NOT_IMPLEMENTED", (test.name, test.code, test.feedback)
            assert f"`{test.exercise}`" in test.feedback
    report = out.read_text()
    assert "not implemented" in report.lower()
    assert "hidden" in report.lower()


@pytest.mark.parametrize("variant", WRONG, ids=[v.name for v in WRONG])
def test_a_wrong_variant_loses_points_in_exactly_its_blank(tmp_path, variant):
    result = graded(tmp_path, variant)
    assert_only_broken(result, variant.breaks)
    failed = [t for t in result.tests if t.exercise in variant.breaks and not t.passed]
    assert all(t.feedback and t.code != "PASSED" for t in failed)


@pytest.mark.parametrize("variant", CORRECT, ids=[v.name for v in CORRECT])
def test_a_correct_but_different_variant_gets_full_marks(tmp_path, variant):
    result = graded(tmp_path, variant)
    assert result.score == result.max_score, [
        (t.name, t.status, t.feedback) for t in result.tests if not t.passed
    ]


@pytest.mark.parametrize("variant", BROKEN, ids=[v.name for v in BROKEN])
def test_a_broken_submission_gets_a_clear_message_and_keeps_other_points(tmp_path, variant):
    result = graded(tmp_path, variant)
    assert_only_broken(result, variant.breaks)
    for test in result.tests:
        if test.exercise in variant.breaks:
            assert test.status in ("error", "timeout", "failed")
            assert "Traceback" not in test.feedback
            assert len(test.feedback) < 600
    expected_codes = {
        "syntax_error": {"IMPORT_FAILED"},
        "missing_module": {"MISSING_MODULE"},
        "missing_function": {"MISSING_FUNCTION"},
        "wrong_return_type": {"WRONG_TYPE", "EXCEPTION"},
        "infinite_loop": {"TIMEOUT"},
        "exit_at_import": {"IMPORT_EXIT"},
    }[variant.name]
    codes = {t.code for t in result.tests if t.exercise in variant.breaks}
    assert codes <= expected_codes, codes
