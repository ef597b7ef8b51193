"""``merge_outputs``: join the outputs of the shards of one class into one batch output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.batch.classfiles import write_class_files
from grader.batch.discover import BatchError, Shard
from grader.batch.failure import failure_reason
from grader.batch.store import (
    Manifest,
    copy_submission,
    ensure_writable,
    is_graded,
    read_manifest,
    write_manifest,
)
from grader.checks.rubric import load_rubric


@dataclass
class MergeOutcome:
    output: Path
    ids: list[str]
    errors: dict[str, str]


def _manifests(inputs: list[Path]) -> list[tuple[Path, Manifest]]:
    found = []
    for folder in inputs:
        manifest = read_manifest(folder) if folder.is_dir() else None
        if manifest is None:
            raise BatchError(f"{folder}: not a batch output (no batch.json)")
        found.append((folder, manifest))
    return found


def check_complete(found: list[tuple[Path, Manifest]]) -> None:
    """Every shard once, every id once, every submission graded; otherwise a BatchError."""
    counts = {m.shard.count for _, m in found}
    sizes = {m.class_size for _, m in found}
    if len(counts) != 1 or len(sizes) != 1:
        raise BatchError("the outputs come from different shardings or classes: "
                         + ", ".join(f"{f} (shard {m.shard}, {m.class_size} submissions)"
                                     for f, m in found))
    total = counts.pop()
    shards = sorted(m.shard.index for _, m in found)
    if shards != list(range(1, total + 1)):
        missing = sorted(set(range(1, total + 1)) - set(shards))
        twice = sorted({s for s in shards if shards.count(s) > 1})
        raise BatchError(f"shards of {total}: missing {missing or 'none'}, "
                         f"given twice {twice or 'none'}")
    owners: dict[str, Path] = {}
    for folder, manifest in found:
        for submission_id in manifest.ids:
            if submission_id in owners:
                raise BatchError(f"{submission_id} is in both {owners[submission_id]} and {folder}")
            owners[submission_id] = folder
    if len(owners) != sizes.pop():
        raise BatchError(f"the shards hold {len(owners)} submissions; the class has "
                         f"{found[0][1].class_size}")
    ungraded = sorted(i for i, folder in owners.items() if not is_graded(folder, i))
    if ungraded:
        raise BatchError(f"not graded yet: {', '.join(ungraded)}; finish those shards with "
                         "grader batch --resume, then merge")


def merge_outputs(*, inputs: list[Path], output: Path, rubric: Path | None = None,
                  force: bool = False) -> MergeOutcome:
    """Copy every shard's submissions into ``output`` and rebuild the class files there.

    The result is the output one batch over the whole class would have written.
    """
    found = _manifests(inputs)
    check_complete(found)
    if any(output.resolve() == folder.resolve() for folder, _ in found):
        raise BatchError(f"{output}: the merged output must be a new folder, not a shard")
    ensure_writable(output, force=force)
    ids: list[str] = []
    for folder, manifest in found:
        for submission_id in manifest.ids:
            copy_submission(folder, output, submission_id)
            ids.append(submission_id)
    ids.sort()
    write_manifest(output, Manifest(Shard(), ids, len(ids)))
    results = write_class_files(output, ids, specs=load_rubric(rubric))
    errors = {}
    for submission_id, result in results.items():
        reason = failure_reason(result)
        if reason is not None:
            errors[submission_id] = reason
    return MergeOutcome(output=output, ids=ids, errors=errors)
