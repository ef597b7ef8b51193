"""Command-line interface: each command lives in its own module under ``grader.commands``."""

from __future__ import annotations

import argparse
import importlib
import sys

from grader.checks.rubric import RubricError
from grader.commands.options import EXIT_ENVIRONMENT, EXIT_USAGE
from grader.submission import SubmissionError

# One line per command module; each defines register(subparsers) and run(args).
COMMAND_MODULES: tuple[str, ...] = (
    "grader.commands.grade",
    "grader.commands.assign",
    "grader.commands.notebook",
    "grader.commands.batch",
    "grader.commands.merge",
    "grader.commands.gradescope",
    "grader.commands.release",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Auto-grader for the Spark Structured Streaming lecture "
        "(streaming fraud detection).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from grader.sandbox.client import SandboxDied, SandboxTimeout

    try:
        return int(args.run(args))
    except (SubmissionError, RubricError) as exc:
        sys.stderr.write(f"grader: error: {exc}\n")
        return EXIT_USAGE
    except (SandboxDied, SandboxTimeout) as exc:
        sys.stderr.write(
            f"grader: error: Spark could not start: {exc}\n"
            "Is Java 17 or newer installed (java -version)?\n"
        )
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        sys.stderr.write("grader: interrupted\n")
        return 130
