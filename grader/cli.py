"""Command-line interface: declares options and calls the functions that do the work."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.checks.rubric import RubricError
from grader.grading import DEFAULT_TIMEOUT
from grader.reports import FORMATS
from grader.submission import SubmissionError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
    return value


def _grading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="text",
                        help="report format (default: %(default)s)")
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="write the report to FILE instead of standard output")
    parser.add_argument("--timeout", type=_positive, default=DEFAULT_TIMEOUT, metavar="S",
                        help="wall-clock limit per check, in seconds (default: %(default)g)")
    parser.add_argument("--master", default=None, metavar="URL",
                        help="Spark master for the student code, e.g. spark://host:7077 "
                        "(default: the embedded local[*])")
    parser.add_argument("--rubric", type=Path, default=None, metavar="FILE",
                        help="rubric TOML with the checks and their points "
                        "(default: the one shipped with the grader)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress lines on standard error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Auto-grader for the Spark Structured Streaming lecture "
        "(streaming fraud detection).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    grade = commands.add_parser(
        "grade", help="grade a submission (all checks, public and hidden)",
        description="Grade a submission folder: a filled-in copy of exercises/ with "
        "schema.py, parser.py, aggregation.py and query.py. Every check runs; the "
        "score is computed from the check results.",
    )
    grade.add_argument("path", type=Path, help="the submission folder")
    _grading_options(grade)

    check = commands.add_parser(
        "check", help="self-check: run the public checks on your work",
        description="Run the public checks on your work. Hidden checks exist and are "
        "run when the assignment is graded. Exits 0 only when every public check passes.",
    )
    check.add_argument("path", type=Path, nargs="?", default=Path("exercises"),
                       help="your exercises folder (default: %(default)s)")
    _grading_options(check)

    assign = commands.add_parser(
        "assign", help="regenerate exercises/ from solutions/ (for instructors)",
        description="Replace every '# BEGIN SOLUTION' ... '# END SOLUTION' region of the "
        "solution modules with a NotImplementedError stub and write exercises/.",
    )
    assign.add_argument("--solutions", type=Path, default=Path("solutions"))
    assign.add_argument("--exercises", type=Path, default=Path("exercises"))
    assign.add_argument("--check", action="store_true",
                        help="only compare; exit 1 if exercises/ is out of date")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (SubmissionError, RubricError) as exc:
        sys.stderr.write(f"grader: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("grader: interrupted\n")
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in ("grade", "check"):
        from grader.commands import grade_command
        from grader.sandbox.client import SandboxDied, SandboxTimeout

        try:
            result = grade_command(
                path=args.path, fmt=args.fmt, output=args.output, timeout=args.timeout,
                master=args.master, rubric=args.rubric, quiet=args.quiet,
                visibility="public" if args.command == "check" else "all",
            )
        except (SandboxDied, SandboxTimeout) as exc:
            sys.stderr.write(f"grader: error: Spark could not start: {exc}\n"
                             "Is Java 17 or newer installed (java -version)?\n")
            return EXIT_ENVIRONMENT
        if args.command == "check":
            return EXIT_OK if result.passed else EXIT_FAILED
        return EXIT_OK
    if args.command == "assign":
        from grader.authoring.assign import assign

        changes = assign(solutions=args.solutions, exercises=args.exercises, check=args.check)
        for change in changes:
            print(f"{change.status:9} {change.path}")
        stale = [c for c in changes if c.status != "unchanged"]
        return EXIT_FAILED if args.check and stale else EXIT_OK
    raise AssertionError(args.command)
