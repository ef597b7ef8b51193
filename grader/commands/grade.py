"""``grader grade`` and ``grader check``: grade one submission and write its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from grader.commands.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_grading_options,
    limits_from,
    positive,
)
from grader.grading import DEFAULT_TIMEOUT, grade
from grader.limits import DEFAULT_LIMITS, Limits
from grader.reports import render, use_color
from grader.results import CheckResult, SubmissionResult
from grader.spark import jvm
from grader.submission import locate

MARKS = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱"}


def register(commands: Any) -> None:
    grade_parser = commands.add_parser(
        "grade",
        help="grade a submission (all checks, public and hidden)",
        description="Grade a submission: a filled-in copy of exercises/ (schema.py, "
        "parser.py, aggregation.py, query.py) or the student notebook. Every check runs; the "
        "score is computed from the check results.",
    )
    grade_parser.add_argument(
        "path", type=Path, help="the submission: a folder or a .ipynb notebook"
    )
    add_grading_options(grade_parser)
    _submission_timeout(grade_parser)
    grade_parser.set_defaults(run=run)

    check = commands.add_parser(
        "check",
        help="self-check: run the public checks on your work",
        description="Run the public checks on your work. Hidden checks exist and are "
        "run when the assignment is graded. Exits 0 only when every public check passes.",
    )
    check.add_argument(
        "path",
        type=Path,
        nargs="?",
        default=Path("exercises"),
        help="your exercises folder or notebook (default: %(default)s)",
    )
    add_grading_options(check)
    _submission_timeout(check)
    check.set_defaults(run=run)


def _submission_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--submission-timeout",
        type=positive,
        default=DEFAULT_LIMITS.submission_timeout,
        metavar="S",
        help="wall-clock limit for all checks of the submission (default: %(default)g)",
    )


def run(args: argparse.Namespace) -> int:
    result = grade_command(
        path=args.path,
        fmt=args.fmt,
        output=args.output,
        timeout=args.timeout,
        limits=limits_from(args),
        master=args.master,
        rubric=args.rubric,
        quiet=args.quiet,
        visibility="public" if args.command == "check" else "all",
    )
    if args.command == "check":
        return EXIT_OK if result.passed else EXIT_FAILED
    return EXIT_OK


def progress_printer(stream: TextIO):
    def show(result: CheckResult) -> None:
        stream.write(f"  {MARKS[result.status]} {result.name} ({result.duration:.1f} s)\n")
        stream.flush()

    return show


def write_report(result: SubmissionResult, *, fmt: str, output: Path | None) -> None:
    if output is None:
        color = use_color(sys.stdout) if fmt == "text" else None
        sys.stdout.write(render(result, fmt, color=color))
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
    limits: Limits | None = None,
) -> SubmissionResult:
    """Grade ``path`` and write the report; returns the result for the exit status."""
    submission = locate(path)  # not a submission: a usage error, before Spark starts
    if not quiet:
        if jvm.enabled() and jvm.existing_archive(jvm.jvm_flags()) is None:
            sys.stderr.write(
                "first run: recording Spark's classes so that later starts are faster "
                "(about a minute, once)\n"
            )
        sys.stderr.write(f"grading {path} (starting Spark, then one line per check)\n")
    result = grade(
        path=path,
        visibility=visibility,
        timeout=timeout,
        master=master,
        rubric=rubric,
        progress=None if quiet else progress_printer(sys.stderr),
        submission=submission,
        limits=limits,
    )
    write_report(result, fmt=fmt, output=output)
    return result
