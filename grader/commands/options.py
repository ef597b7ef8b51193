"""Options shared by the commands that grade."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from grader.grading import DEFAULT_TIMEOUT
from grader.limits import DEFAULT_LIMITS, Limits
from grader.reports import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
    return value


def add_grading_options(parser: argparse.ArgumentParser, *, report: bool = True) -> None:
    if report:
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            default="text",
            help="report format (default: %(default)s)",
        )
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            metavar="FILE",
            help="write the report to FILE instead of standard output",
        )
    parser.add_argument(
        "--timeout",
        type=positive,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help="wall-clock limit per check, in seconds (default: %(default)g)",
    )
    parser.add_argument(
        "--master",
        default=None,
        metavar="URL",
        help="Spark master for the student code, e.g. spark://host:7077 "
        "(default: the embedded local[*])",
    )
    parser.add_argument(
        "--rubric",
        type=Path,
        default=None,
        metavar="FILE",
        help="rubric TOML with the checks and their points "
        "(default: the one shipped with the grader)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=DEFAULT_LIMITS.memory_mb,
        metavar="MB",
        help="memory the submission's Python code may allocate in the sandbox "
        "(default: %(default)s; 0: no limit)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_LIMITS.concurrency,
        metavar="N",
        help="checks of one blank run together in the sandbox (default: %(default)s)",
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no progress lines on standard error"
    )


def limits_from(args: argparse.Namespace) -> Limits:
    """The limits of ``grader.limits`` with the command line's overrides."""
    limits = replace(
        DEFAULT_LIMITS,
        check_timeout=args.timeout,
        memory_mb=max(0, args.memory),
        concurrency=max(1, args.concurrency),
    )
    if getattr(args, "submission_timeout", None):
        limits = replace(limits, submission_timeout=args.submission_timeout)
    return limits
