"""``grader release``: build the student repository template (for instructors)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from grader.commands.options import EXIT_FAILED, EXIT_OK
from grader.release.build import ReleaseError, build_release
from grader.sandbox.client import PROJECT_ROOT


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "release", help="build the student repository template (for instructors)",
        description="Write the repository students get: exercises/ with the stubs, the "
        "notebook and the producer, the public fixtures, the self-check with the public "
        "checks only, a README and the GitHub workflow that grades pull requests. The "
        "result is scanned for solution code and hidden fixtures before it is written.",
    )
    parser.add_argument("out", type=Path, help="the folder to write (outside this checkout)")
    parser.add_argument("--source", type=Path, default=PROJECT_ROOT,
                        help="the instructors' checkout (default: %(default)s)")
    parser.add_argument("--force", action="store_true",
                        help="replace OUT if it holds an earlier release")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        release = build_release(out=args.out, source=args.source, force=args.force)
    except ReleaseError as exc:
        sys.stderr.write(f"grader release: {exc}\n")
        return EXIT_FAILED
    print(f"release written to {release.root}: {len(release.files)} files, "
          f"{release.public_checks} public checks ({release.hidden_checks} hidden left out)")
    print(f"next: cd {release.root} && git init && git add . && git commit -m 'Exercises'")
    return EXIT_OK
