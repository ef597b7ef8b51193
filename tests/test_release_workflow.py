"""The release's workflow: valid for GitHub, minimal permissions, parsing scripts, one comment."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.release.ci_reports import load_result, main, write_reports
from grader.reports import render
from grader.results import SubmissionResult
from tests.release_workflow import WORKFLOW, load_workflow, steps
from tests.report_samples import mixed

MARKER = "<!-- streaming-grader -->"


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the test extra (pip install -e '.[test]')")
    return found


def uses(name: str) -> dict[str, Any]:
    found = [s for s in steps(load_workflow()) if str(s.get("uses", "")).startswith(name + "@")]
    assert len(found) == 1, f"expected one step using {name}"
    return found[0]


def test_workflow_validates_against_the_github_schema() -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


RUN_STEPS = [step for step in steps(load_workflow()) if "run" in step]


@pytest.mark.parametrize("step", RUN_STEPS, ids=[str(s["name"]) for s in RUN_STEPS])
def test_each_run_script_passes_bash_n(step: dict[str, Any], tmp_path: Path) -> None:
    assert "${{" not in step["run"], "pass expressions through env:, not into the script"
    script = tmp_path / "step.sh"
    script.write_text(step["run"])
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_permissions_are_minimal() -> None:
    workflow = load_workflow()
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "checks": "write",
                                  "pull-requests": "write"}


def test_actions_and_toolchain() -> None:
    for step in steps(load_workflow()):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
    assert str(uses("actions/setup-python")["with"]["python-version"]) == "3.11"
    java = uses("actions/setup-java")["with"]
    assert (java["distribution"], str(java["java-version"])) == ("temurin", "17")
    assert uses("actions/upload-artifact")["with"]["path"] == "report.html"
    assert uses("mikepenz/action-junit-report")["with"]["report_paths"] == "report.xml"
    check = next(s for s in steps(load_workflow()) if s.get("id") == "check")["run"]
    assert 'grader check "$SUBMISSION"' in check and "GITHUB_STEP_SUMMARY" in check
    (job,) = load_workflow()["jobs"].values()
    assert job["env"]["SUBMISSION"] == "exercises"


def test_one_comment_found_by_its_marker() -> None:
    script = uses("actions/github-script")["with"]["script"]
    assert MARKER in script
    assert "updateComment" in script and "createComment" in script
    assert "pull_request" in uses("actions/github-script")["if"]
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the script's syntax is not checked")
    done = subprocess.run([node, "--check"], input=f"(async () => {{\n{script}\n}})();\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_reports_render_from_the_saved_json(tmp_path: Path) -> None:
    sample = mixed()
    saved = tmp_path / "report.json"
    saved.write_text(render(sample, "json"), encoding="utf-8")
    assert main([str(saved)]) == 0
    for fmt, extension in (("md", "md"), ("html", "html"), ("junit", "xml")):
        assert (tmp_path / f"report.{extension}").read_text("utf-8") == render(sample, fmt)


def test_no_result_still_gives_reports_that_say_why(tmp_path: Path) -> None:
    result = load_result(tmp_path / "missing.json", status=3)
    assert isinstance(result, SubmissionResult) and not result.tests
    written = write_reports(result=result, folder=tmp_path / "out")
    markdown = written["md"].read_text("utf-8")
    assert "could not run (exit status 3)" in markdown
    assert set(written) == {"md", "html", "junit"}
