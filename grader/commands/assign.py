"""``grader assign``: regenerate the student stubs from the reference solutions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from grader.authoring.assign import assign
from grader.commands.options import EXIT_FAILED, EXIT_OK


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "assign",
        help="regenerate exercises/ from solutions/ (for instructors)",
        description="Replace every '# BEGIN SOLUTION' ... '# END SOLUTION' region of the "
        "solution modules with a NotImplementedError stub and write exercises/.",
    )
    parser.add_argument("--solutions", type=Path, default=Path("solutions"))
    parser.add_argument("--exercises", type=Path, default=Path("exercises"))
    parser.add_argument(
        "--check", action="store_true", help="only compare; exit 1 if exercises/ is out of date"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    changes = assign(solutions=args.solutions, exercises=args.exercises, check=args.check)
    for change in changes:
        print(f"{change.status:9} {change.path}")
    stale = [c for c in changes if c.status != "unchanged"]
    return EXIT_FAILED if args.check and stale else EXIT_OK
