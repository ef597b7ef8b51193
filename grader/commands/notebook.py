"""``grader notebook build`` and ``grader notebook extract``: the student notebook's round trip."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grader.commands.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from grader.notebook.build import NOTEBOOK_NAME, BuildError, build
from grader.notebook.extract import extract, write_modules


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "notebook", help="build the student notebook, or see what the grader takes from one",
        description="The student notebook: built from the stubs in exercises/, graded by "
        "extracting the functions of its blank cells (grader grade X.ipynb).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    built = actions.add_parser(
        "build", help=f"regenerate exercises/{NOTEBOOK_NAME} from the stubs (for instructors)",
        description="Write the lecture's notebook with one tagged code cell per blank, "
        "copied from the stub modules; no outputs, stable cell ids.",
    )
    built.add_argument("--exercises", type=Path, default=Path("exercises"),
                       help="folder of the stub modules (default: %(default)s)")
    built.add_argument("--output", "-o", type=Path, default=None, metavar="FILE",
                       help=f"where to write it (default: EXERCISES/{NOTEBOOK_NAME})")
    built.add_argument("--check", action="store_true",
                       help="only compare; exit 1 if the notebook is out of date")
    built.set_defaults(run=run_build)

    extracted = actions.add_parser(
        "extract", help="write the modules the grader extracts from a notebook",
        description="Extract the blanks of a notebook into schema.py, parser.py, "
        "aggregation.py and query.py, as grading does, and say how each blank was found.",
    )
    extracted.add_argument("notebook", type=Path, help="the .ipynb file")
    extracted.add_argument("--output", "-o", type=Path, required=True, metavar="DIR",
                           help="folder to write the four modules into")
    extracted.set_defaults(run=run_extract)


def run_build(args: argparse.Namespace) -> int:
    try:
        change = build(exercises=args.exercises, output=args.output, check=args.check)
    except BuildError as exc:
        sys.stderr.write(f"grader: error: {exc}\n")
        return EXIT_USAGE
    print(f"{change.status:9} {change.path}")
    return EXIT_FAILED if args.check and change.status != "unchanged" else EXIT_OK


def run_extract(args: argparse.Namespace) -> int:
    from grader.submission import SubmissionError

    if not args.notebook.is_file():
        raise SubmissionError(f"{args.notebook}: no such notebook file")
    extraction = extract(args.notebook)
    for module, path in write_modules(extraction, args.output).items():
        print(f"wrote {path} ({module})")
    for note in extraction.notes:
        sys.stderr.write(f"  {note}\n")
    return EXIT_OK
