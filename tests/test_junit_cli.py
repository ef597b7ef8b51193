"""``grader grade --format junit`` end to end: the XML a CI dashboard reads, one case per check.

One test runs the command once (pytest-xdist would grade again for a second test).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import JUnitXml

from grader.checks.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(900)
def test_grade_writes_one_passing_case_per_check(tmp_path: Path) -> None:
    output = tmp_path / "nested" / "solutions.xml"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "solutions", "--format", "junit",
         "--output", str(output), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"report written to {output}" in done.stderr

    specs = load_rubric()
    xml = JUnitXml.fromfile(str(output))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    cases = list(suite)
    assert sorted(c.name for c in cases) == sorted(s.name for s in specs)
    assert {c.name: c.classname for c in cases} == {s.name: s.exercise for s in specs}
    not_passed = [(c.name, [r.message for r in c.result]) for c in cases if not c.is_passed]
    assert not not_passed
    assert all(not c.result and c.time >= 0 for c in cases)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (len(specs), 0, 0, 0)
    assert (xml.tests, xml.failures, xml.errors) == (len(specs), 0, 0)

    properties = {p.name: p.value for p in suite.properties()}
    total = sum(s.points for s in specs)
    assert float(properties["score"]) == float(properties["max_score"]) == total
    assert properties["submission"] == "solutions"
    assert properties["visibility"] == "all"
    assert properties["spark_version"]
