"""Untrusted submissions: accidents and attempts cost only the blank they touch.

Each misbehaving submission puts a different accident (or attempt) in each blank; the
blanks are graded independently, so every blank's result is its own accident's test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.grading import grade
from grader.reports import render
from grader.results import SubmissionResult
from tests.support import untrusted
from tests.support.untrusted import SECRET

TIMEOUT = 15.0


def codes(result: SubmissionResult, exercise: str) -> set[str]:
    return {t.code for t in result.tests if t.exercise == exercise}


@pytest.fixture(scope="module")
def accidents_a(tmp_path_factory) -> SubmissionResult:
    folder = untrusted.build(
        tmp_path_factory.mktemp("a") / "accidents_a", untrusted.ACCIDENTS_A, {}
    )
    return grade(path=folder, timeout=TIMEOUT, master="local[2]")


@pytest.fixture(scope="module")
def accidents_b(tmp_path_factory) -> SubmissionResult:
    folder = untrusted.build(
        tmp_path_factory.mktemp("b") / "accidents_b", untrusted.ACCIDENTS_B, {}
    )
    return grade(path=folder, timeout=TIMEOUT, master="local[2]")


@pytest.mark.parametrize("blank", sorted(untrusted.EXPECTED_A))
def test_accidents_a_cost_only_their_blank(accidents_a, blank):
    assert codes(accidents_a, blank) <= untrusted.EXPECTED_A[blank] | {"PASSED"}
    assert codes(accidents_a, blank) & untrusted.EXPECTED_A[blank]
    for test in accidents_a.tests:
        assert len(test.feedback) < 800 and "Traceback" not in test.feedback


@pytest.mark.parametrize("blank", sorted(untrusted.EXPECTED_B))
def test_accidents_b_cost_only_their_blank(accidents_b, blank):
    assert codes(accidents_b, blank) <= untrusted.EXPECTED_B[blank] | {"PASSED"}
    assert codes(accidents_b, blank) & untrusted.EXPECTED_B[blank]


def test_a_blank_that_kills_its_process_fails_all_its_checks(accidents_b):
    # One of its checks was answered before the process died; which one is a race, so
    # the whole blank fails alike and a regrade gives the same result.
    schema = [t for t in accidents_b.tests if t.exercise == "transaction_schema"]
    assert len(schema) == 3
    assert {t.code for t in schema} == {"CRASHED"} and sum(t.score for t in schema) == 0


def test_conf_changes_do_not_leak_into_later_checks(accidents_a):
    # suspicious_users changed shuffle partitions and the time zone; the blanks graded
    # after it in the same sandbox (socket_source, console_writer) still pass or fail
    # only for their own reasons, and the feedback names the changed settings.
    feedback = " ".join(t.feedback for t in accidents_a.tests if t.exercise == "suspicious_users")
    assert "spark.sql.shuffle.partitions" in feedback and "spark.sql.session.timeZone" in feedback
    assert all(t.passed for t in accidents_a.tests if t.exercise == "console_writer")


def test_printed_output_is_capped(accidents_a):
    assert all(t.passed for t in accidents_a.tests if t.exercise == "console_writer")
    assert 0 < len(accidents_a.output) <= 8000


def test_a_spark_stop_and_a_crash_are_followed_by_a_fresh_sandbox(accidents_a, accidents_b):
    assert any("restarted" in note for note in accidents_a.notes)
    assert any("restarted" in note for note in accidents_b.notes)
    later = [t for t in accidents_b.tests if t.exercise in ("select_names", "suspicious_users")]
    assert later and all(t.passed for t in later)


def test_import_time_accidents_cost_their_module_only(tmp_path):
    folder = untrusted.import_accidents(tmp_path / "import_accidents")
    result = grade(path=folder, timeout=TIMEOUT, master="local[2]")
    for blank, expected in untrusted.EXPECTED_IMPORT.items():
        assert codes(result, blank) == expected, (blank, codes(result, blank))
    for exercise in ("flagged_counts", "suspicious_users", "socket_source", "console_writer"):
        assert codes(result, exercise) == {"PASSED"}, exercise


@pytest.fixture(scope="module")
def attempts(tmp_path_factory) -> tuple[SubmissionResult, Path]:
    base = tmp_path_factory.mktemp("attempts")
    forge_dir = base / "outputs"
    forge_dir.mkdir()
    replacements = {
        module: {name: source.replace("FORGE_DIR", str(forge_dir)) for name, source in fns.items()}
        for module, fns in untrusted.ATTEMPTS.items()
    }
    folder = untrusted.build(
        base / "attempts", replacements, {"aggregation": untrusted.PATCH_GRADER_AT_IMPORT}
    )
    os.environ["GRADER_TEST_SECRET"] = SECRET
    try:
        result = grade(path=folder, timeout=TIMEOUT, master="local[2]", hide=(forge_dir,))
    finally:
        del os.environ["GRADER_TEST_SECRET"]
    return result, forge_dir


def test_attempts_raise_no_score(attempts):
    result, _ = attempts
    per_blank = {s.exercise: s for s in result.by_exercise()}
    for blank in (
        "select_names",
        "parse_transactions",
        "flagged_counts",
        "suspicious_users",
        "socket_source",
        "console_writer",
    ):
        assert per_blank[blank].score == 0, (blank, per_blank[blank])
    assert per_blank["transaction_schema"].score == per_blank["transaction_schema"].max_score
    assert result.score == sum(t.max_score for t in result.tests if t.passed)


def test_the_environment_of_the_grader_is_not_visible(attempts):
    result, _ = attempts
    text = render(result, "json")
    assert SECRET not in text
    assert codes(result, "select_names") == {"EXCEPTION"}


def test_hidden_expectations_and_solutions_are_not_found_on_disk(attempts):
    result, _ = attempts
    feedback = " ".join(t.feedback for t in result.tests if t.exercise == "parse_transactions")
    assert "found: []" in feedback
    assert "late_fraud_many_users" not in render(result, "json").split('"output"')[0]


def test_importing_the_reference_solutions_fails_and_is_reported(attempts):
    result, _ = attempts
    assert codes(result, "flagged_counts") == {"FORBIDDEN_IMPORT"}


def test_a_forged_results_file_lands_nowhere(attempts):
    _, forge_dir = attempts
    assert not (forge_dir / "results.json").exists()


def test_script_in_an_error_message_is_shown_as_text(attempts):
    result, _ = attempts
    html = render(result, "html")
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


def test_a_batch_over_all_of_them_grades_each_the_same_way(
    tmp_path, accidents_a, accidents_b, attempts
):
    """Determinism and batch grading at once: the same submissions, graded again in one
    batch, get the same verdict for every check, and the gradebook says so."""
    import csv
    import json
    import subprocess
    import sys

    from grader.batch.gradebook import render_gradebook

    class_dir = tmp_path / "class"
    untrusted.build(class_dir / "accidents_a", untrusted.ACCIDENTS_A, {})
    untrusted.build(class_dir / "accidents_b", untrusted.ACCIDENTS_B, {})
    forge_dir = tmp_path / "forge"
    forge_dir.mkdir()
    replacements = {
        module: {name: source.replace("FORGE_DIR", str(forge_dir)) for name, source in fns.items()}
        for module, fns in untrusted.ATTEMPTS.items()
    }
    untrusted.build(
        class_dir / "attempts", replacements, {"aggregation": untrusted.PATCH_GRADER_AT_IMPORT}
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "batch",
            str(class_dir),
            "--output",
            str(out),
            "--workers",
            "2",
            "--timeout",
            str(TIMEOUT),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first = {"accidents_a": accidents_a, "accidents_b": accidents_b, "attempts": attempts[0]}
    # Garbage written on every descriptor breaks the sandbox either through its pipe
    # (CRASHED) or through Spark's gateway socket (SPARK_STOPPED), whichever is hit first.
    broken = {"CRASHED": "BROKEN", "SPARK_STOPPED": "BROKEN"}
    for name, result in first.items():
        again = json.loads((out / name / "results.json").read_text())
        verdicts = {
            t["name"]: (t["status"], broken.get(t["code"], t["code"]), t["score"])
            for t in again["tests"]
        }
        assert verdicts == {
            t.name: (t.status, broken.get(t.code, t.code), t.score) for t in result.tests
        }, name
    rows = list(csv.reader((out / "gradebook.csv").read_text().splitlines()))
    assert [row[0] for row in rows[1:]] == sorted(first)
    assert (out / "gradebook.csv").read_text() == render_gradebook(first)
    assert not (forge_dir / "results.json").exists()
