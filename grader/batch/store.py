"""The batch output folder: one folder per submission, a manifest, and the class files.

``OUT/<id>/results.json`` is written last of a submission's files, so its presence marks
the submission as graded. ``OUT/batch.json`` (the manifest) lists the ids the batch is
responsible for, which shard of the class they are, and how many submissions the class has;
``grader merge`` checks shards against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.batch.atomic import remove_stale_temporaries, write_atomic
from grader.batch.discover import BatchError, Shard
from grader.batch.gradescope import render_gradescope
from grader.reports import render
from grader.results import SubmissionResult

MANIFEST = "batch.json"
RESULTS = "results.json"
REPORT = "report.html"
GRADESCOPE = "gradescope.json"
GRADEBOOK = "gradebook.csv"
SUMMARY = "summary.html"
MANIFEST_FORMAT = 1


@dataclass
class Manifest:
    shard: Shard
    ids: list[str]
    class_size: int  # submissions in the whole class folder, over all shards

    def to_dict(self) -> dict[str, Any]:
        return {"format": MANIFEST_FORMAT, "shard": str(self.shard), "class_size": self.class_size,
                "ids": sorted(self.ids)}


def write_manifest(output: Path, manifest: Manifest) -> None:
    write_atomic(output / MANIFEST, json.dumps(manifest.to_dict(), indent=2) + "\n")


def read_manifest(output: Path) -> Manifest | None:
    path = output / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        index, count = (int(x) for x in str(data["shard"]).split("/"))
        return Manifest(Shard(index, count), [str(i) for i in data["ids"]],
                        int(data["class_size"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BatchError(f"{path}: not a batch manifest ({exc})") from exc


def write_submission(output: Path, result: SubmissionResult) -> None:
    """The report, the Gradescope file, then ``results.json``: each one atomically."""
    folder = output / result.submission
    write_atomic(folder / REPORT, render(result, "html"))
    write_atomic(folder / GRADESCOPE, render_gradescope(result))
    write_atomic(folder / RESULTS, render(result, "json"))


def load_result(folder: Path) -> SubmissionResult | None:
    """The result stored in ``folder``, or None if it is missing or unreadable."""
    try:
        data = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
        return SubmissionResult.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_graded(output: Path, submission_id: str) -> bool:
    return load_result(output / submission_id) is not None


def forget(output: Path, submission_id: str) -> None:
    """Unmark a submission as graded (``--force``): a killed run then grades it again."""
    folder = output / submission_id
    (folder / RESULTS).unlink(missing_ok=True)
    remove_stale_temporaries(folder)


def load_results(output: Path, ids: list[str]) -> dict[str, SubmissionResult]:
    """The stored results of ``ids``; ids without one are left out."""
    found = {}
    for submission_id in sorted(ids):
        result = load_result(output / submission_id)
        if result is not None:
            result.submission = submission_id
            found[submission_id] = result
    return found


def copy_submission(source: Path, output: Path, submission_id: str) -> None:
    """Copy one graded submission's files (results.json last) into ``output``."""
    origin, target = source / submission_id, output / submission_id
    target.mkdir(parents=True, exist_ok=True)
    for name in (REPORT, GRADESCOPE, RESULTS):
        if (origin / name).is_file():
            write_atomic(target / name, (origin / name).read_text(encoding="utf-8"))
        elif name != RESULTS:
            (target / name).unlink(missing_ok=True)


def is_empty(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def ensure_writable(output: Path, *, force: bool) -> None:
    if output.exists() and not output.is_dir():
        raise BatchError(f"{output}: exists and is not a folder")
    if not is_empty(output) and not force:
        raise BatchError(f"{output}: is not empty; use --resume to continue that batch, "
                         "--force to grade into it anyway, or another --output")
    output.mkdir(parents=True, exist_ok=True)

