"""The JUnit XML report: one test suite, one test case per check, for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.reports.common import capped_output, clean, first_line, groups, points, shorten
from grader.reports.text import check_details
from grader.results import CheckResult, SubmissionResult

SUITE = "streaming-grader"
MESSAGE_LIMIT = 200


def _seconds(value: float) -> str:
    return f"{max(0.0, value):.3f}"


def _testcase(check: CheckResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": clean(check.exercise),
            "name": clean(check.name),
            "time": _seconds(check.duration),
        },
    )
    if check.passed:
        return case
    details = "\n".join(check_details(check))
    message = shorten(first_line(clean(check.feedback)) or first_line(details), MESSAGE_LIMIT)
    if check.status == "failed":
        verdict = ET.SubElement(case, "failure", {"message": message})
        if check.code:
            verdict.set("type", clean(check.code))
    else:
        kind = "timeout" if check.status == "timeout" else "error"
        verdict = ET.SubElement(case, "error", {"type": kind, "message": message})
    verdict.text = details
    return case


def render_junit(result: SubmissionResult) -> str:
    checks = [c for g in groups(result) for c in g.checks]
    failures = sum(c.status == "failed" for c in checks)
    errors = sum(c.status not in ("passed", "failed") for c in checks)
    counts = {
        "tests": str(len(checks)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": _seconds(result.duration),
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    properties = ET.SubElement(suite, "properties")
    facts = {
        "submission": clean(result.submission),
        "score": points(result.score),
        "max_score": points(result.max_score),
        "visibility": result.visibility,
        "hidden_not_run": str(result.hidden_not_run),
        "spark_version": clean(result.spark_version),
    }
    for name, value in [*facts.items(), *(("note", clean(n)) for n in result.notes)]:
        ET.SubElement(properties, "property", {"name": name, "value": value})
    suite.extend(_testcase(c) for c in checks)
    if result.output:
        ET.SubElement(suite, "system-out").text = capped_output(result.output)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
