"""``grader merge``: join the outputs of ``grader batch --shard`` into one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grader.batch import BatchError, merge_outputs
from grader.commands.options import EXIT_OK, EXIT_USAGE


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "merge", help="merge the outputs of sharded batches into one gradebook and summary",
        description="Copy every submission of the shard outputs OUT1 OUT2 ... into OUT and "
        "write its gradebook.csv and summary.html: the files one batch over the whole class "
        "would have written. Every shard must be present and complete.",
    )
    parser.add_argument("inputs", type=Path, nargs="+", metavar="SHARD_OUT",
                        help="the output folders of grader batch --shard K/N")
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="OUT",
                        help="the merged output folder (must be empty unless --force)")
    parser.add_argument("--force", action="store_true", help="merge into a non-empty OUT")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        outcome = merge_outputs(inputs=args.inputs, output=args.output, force=args.force)
    except BatchError as exc:
        sys.stderr.write(f"grader: error: {exc}\n")
        return EXIT_USAGE
    sys.stderr.write(
        f"merged {len(outcome.ids)} submission(s) from {len(args.inputs)} output(s); "
        f"{len(outcome.errors)} could not be graded\n"
        f"gradebook: {outcome.output / 'gradebook.csv'}\n"
    )
    return EXIT_OK
