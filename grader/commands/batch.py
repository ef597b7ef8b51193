"""``grader batch``: grade a whole class folder into a gradebook, reports and a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grader.batch import BatchError, parse_shard, run_batch
from grader.commands.options import (
    EXIT_OK,
    EXIT_USAGE,
    add_grading_options,
    limits_from,
    positive,
)


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "batch", help="grade every submission in a folder (for TAs)",
        description="Grade every subfolder and *.ipynb of DIR, each in its own process, in "
        "parallel. Writes OUT/<id>/results.json, report.html and gradescope.json as each "
        "submission is done, then OUT/gradebook.csv and OUT/summary.html.",
    )
    parser.add_argument("source", type=Path, metavar="DIR", help="the folder of submissions")
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="OUT",
                        help="the output folder (must be empty unless --resume or --force)")
    parser.add_argument("--workers", "-j", type=_workers, default=None, metavar="N",
                        help="submissions graded at once (default: one per core)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the submissions OUT already holds results for; grade the rest")
    parser.add_argument("--retry-errors", action="store_true",
                        help="with --resume: grade again the submissions that could not be graded")
    parser.add_argument("--force", action="store_true",
                        help="grade into a non-empty OUT, replacing its results")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="grade only shard K of N: the K-th, (K+N)-th, (K+2N)-th, ... "
                        "submission by sorted id (1-based; join shards with grader merge)")
    parser.add_argument("--submission-timeout", type=positive, default=None, metavar="S",
                        help="wall-clock limit for one whole submission (default: from "
                        "--timeout and the number of checks; a backstop, rarely reached)")
    add_grading_options(parser, report=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        shard = parse_shard(args.shard)
        if args.retry_errors and not args.resume:
            raise BatchError("--retry-errors needs --resume")
        outcome = run_batch(
            source=args.source, output=args.output, workers=args.workers, resume=args.resume,
            force=args.force, retry_errors=args.retry_errors, shard=shard,
            timeout=args.timeout, master=args.master, rubric=args.rubric,
            submission_timeout=args.submission_timeout, limits=limits_from(args),
            progress=None if args.quiet else sys.stderr,
        )
    except BatchError as exc:
        sys.stderr.write(f"grader: error: {exc}\n")
        return EXIT_USAGE
    sys.stderr.write(
        f"{len(outcome.ids)} submission(s): {len(outcome.graded_now)} graded now, "
        f"{len(outcome.skipped)} kept from before, {len(outcome.errors)} could not be graded\n"
        f"gradebook: {outcome.output / 'gradebook.csv'}\n"
        f"summary:   {outcome.output / 'summary.html'}\n"
    )
    return EXIT_OK
