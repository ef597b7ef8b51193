"""The work behind each CLI command, as plain functions with keyword-only arguments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from grader.grading import DEFAULT_TIMEOUT, grade
from grader.reports import render, use_color
from grader.results import CheckResult, SubmissionResult
from grader.submission import locate

MARKS = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱"}


def _progress(stream: TextIO):
    def show(result: CheckResult) -> None:
        stream.write(f"  {MARKS[result.status]} {result.name} ({result.duration:.1f} s)\n")
        stream.flush()

    return show


def write_report(result: SubmissionResult, *, fmt: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(render(result, fmt, color=use_color(sys.stdout) if fmt == "text" else None))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(render(result, fmt, color=False), encoding="utf-8")
    tmp.replace(output)
    sys.stderr.write(f"report written to {output}\n")


def grade_command(
    *,
    path: Path,
    fmt: str = "text",
    output: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    master: str | None = None,
    rubric: Path | None = None,
    visibility: str = "all",
    quiet: bool = False,
) -> SubmissionResult:
    """Grade ``path`` and write the report; returns the result for the exit status."""
    locate(path)  # a path that is not a submission is a usage error, before Spark starts
    if not quiet:
        sys.stderr.write(f"grading {path} (starting Spark, then one line per check)\n")
    result = grade(
        path=path,
        visibility=visibility,
        timeout=timeout,
        master=master,
        rubric=rubric,
        progress=None if quiet else _progress(sys.stderr),
    )
    write_report(result, fmt=fmt, output=output)
    return result
