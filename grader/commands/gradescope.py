"""``grader gradescope``: grade inside Gradescope's autograder layout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grader.batch.autograder import RESULTS, SUBMISSION, run_gradescope
from grader.commands.options import EXIT_OK, add_grading_options, limits_from
from grader.reports.common import fraction


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "gradescope", help="grade /autograder/submission into Gradescope's results.json",
        description="Run inside a Gradescope autograder (docker/gradescope/run_autograder "
        "calls it): grade the uploaded submission, every check, and write Gradescope's "
        "results file. A results file is written even when the submission cannot be graded.",
    )
    parser.add_argument("--submission", type=Path, default=SUBMISSION, metavar="DIR",
                        help="the unpacked upload (default: %(default)s)")
    parser.add_argument("--results", type=Path, default=RESULTS, metavar="FILE",
                        help="where Gradescope reads the results (default: %(default)s)")
    add_grading_options(parser, report=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.quiet:
        sys.stderr.write(f"grading {args.submission} (all checks)\n")
    result = run_gradescope(submission=args.submission, results=args.results,
                            timeout=args.timeout, master=args.master, rubric=args.rubric,
                            limits=limits_from(args))
    if not args.quiet:
        sys.stderr.write(f"score {fraction(result.score, result.max_score)}; "
                         f"results written to {args.results}\n")
    return EXIT_OK
