"""Options shared by the commands that grade."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.grading import DEFAULT_TIMEOUT
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
        "--quiet", "-q", action="store_true", help="no progress lines on standard error"
    )
