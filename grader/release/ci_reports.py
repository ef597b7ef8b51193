"""Render the CI reports (Markdown, HTML, JUnit) from one saved JSON result.

The release's workflow grades once, with ``--format json``, and renders the other formats
from that file, so the three reports always agree. When there is no result (the self-check
could not run: Java missing, a usage error), the reports say so instead of being absent::

    python -m grader.release.ci_reports report.json --status 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.reports import EXTENSIONS, render
from grader.results import SubmissionResult

CI_FORMATS: tuple[str, ...] = ("md", "html", "junit")


def load_result(path: Path, *, status: int | None = None) -> SubmissionResult:
    """The saved result, or an empty one whose note says why there is none."""
    try:
        return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        why = f"exit status {status}" if status is not None else type(exc).__name__
        return SubmissionResult(
            submission="exercises",
            tests=[],
            visibility="public",
            notes=[f"The self-check could not run ({why}): its log in the CI job says why."],
        )


def write_reports(
    *, result: SubmissionResult, folder: Path, stem: str = "report"
) -> dict[str, Path]:
    """Write ``stem.md``, ``stem.html`` and ``stem.xml`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in CI_FORMATS:
        path = folder / f"{stem}.{EXTENSIONS[fmt]}"
        path.write_text(render(result, fmt, color=False), encoding="utf-8")
        written[fmt] = path
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.release.ci_reports",
        description="Render report.md, report.html and report.xml from a saved JSON result.",
    )
    parser.add_argument("result", type=Path, help="the JSON written by --format json")
    parser.add_argument("--status", type=int, default=None,
                        help="the exit status of the grading command, for the note "
                        "written when there is no result")
    parser.add_argument("--folder", type=Path, default=None,
                        help="where to write the reports (default: beside the result)")
    args = parser.parse_args(argv)
    result = load_result(args.result, status=args.status)
    folder = args.folder if args.folder is not None else args.result.parent
    for path in write_reports(result=result, folder=folder, stem=args.result.stem).values():
        sys.stderr.write(f"report written to {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
