"""``run_batch``: grade a class folder in parallel into an output folder, resumably."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from grader.batch.classfiles import write_class_files
from grader.batch.discover import BatchError, Entry, Shard, discover, select_shard
from grader.batch.failure import failed_result, failure_reason, status_of
from grader.batch.progress import Progress
from grader.batch.runner import Children, default_deadline, grade_isolated
from grader.batch.store import (
    Manifest,
    ensure_writable,
    forget,
    is_empty,
    load_result,
    read_manifest,
    write_manifest,
    write_submission,
)
from grader.checks.rubric import CheckSpec, load_rubric
from grader.grading import DEFAULT_TIMEOUT
from grader.limits import Limits
from grader.reports.common import fraction
from grader.results import SubmissionResult


@dataclass
class BatchOutcome:
    """What a batch did: every id it is responsible for, what it graded now, what failed."""

    output: Path
    ids: list[str]
    graded_now: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _prepare(output: Path, *, resume: bool, force: bool, shard: Shard,
             chosen: list[Entry]) -> None:
    if not resume:
        ensure_writable(output, force=force)
        for entry in chosen:
            forget(output, entry.id)
        return
    if output.exists() and not output.is_dir():
        raise BatchError(f"{output}: exists and is not a folder")
    previous = read_manifest(output) if output.is_dir() else None
    if previous is None and not is_empty(output):
        raise BatchError(f"{output}: not the output of a batch (no batch.json); nothing to resume")
    if previous is not None and previous.shard != shard:
        raise BatchError(f"{output}: holds shard {previous.shard}; resume it with "
                         f"--shard {previous.shard}")
    output.mkdir(parents=True, exist_ok=True)


def _to_grade(output: Path, chosen: list[Entry], *, resume: bool,
              retry_errors: bool) -> tuple[list[Entry], list[str]]:
    todo, skipped = [], []
    for entry in chosen:
        stored = load_result(output / entry.id) if resume else None
        if stored is not None and not (retry_errors and failure_reason(stored) is not None):
            skipped.append(entry.id)
        else:
            todo.append(entry)
    return todo, skipped


def _outcome_text(result: SubmissionResult) -> str:
    status = status_of(result)
    if status != "graded":
        return status
    return f"{fraction(result.score, result.max_score)} ({result.duration:.1f} s)"


def run_batch(
    *,
    source: Path,
    output: Path,
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    retry_errors: bool = False,
    shard: Shard | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    master: str | None = None,
    rubric: Path | None = None,
    submission_timeout: float | None = None,
    limits: Limits | None = None,
    progress: TextIO | None = sys.stderr,
    tty: bool | None = None,
) -> BatchOutcome:
    """Grade every submission of ``source`` (or one shard of them) into ``output``.

    Each submission is graded in its own process; its files are written as soon as it is
    done, ``results.json`` last. The gradebook and the summary are rebuilt at the end from
    every stored ``results.json`` of this batch, so a resumed run ends with the same files
    as an uninterrupted one.
    """
    shard = shard or Shard()
    specs = load_rubric(rubric)
    entries = discover(source, exclude=output)
    chosen = select_shard(entries, shard)
    _prepare(output, resume=resume, force=force, shard=shard, chosen=chosen)
    ids = [e.id for e in chosen]
    write_manifest(output, Manifest(shard, ids, len(entries)))
    todo, skipped = _to_grade(output, chosen, resume=resume, retry_errors=retry_errors)
    outcome = BatchOutcome(output=output, ids=ids, skipped=skipped)
    deadline = submission_timeout or default_deadline(timeout=timeout, checks=len(specs))
    count = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    meter = None
    if progress is not None:
        if skipped:
            progress.write(f"resuming: {len(skipped)} already graded, {len(todo)} to grade\n")
        progress.write(f"grading {len(todo)} submission(s) with {count} worker(s)\n")
        meter = Progress(total=len(todo), stream=progress, tty=tty)
        meter.start()
    scratch = Path(tempfile.mkdtemp(prefix="grader-batch-"))
    children = Children()
    hide = (source.resolve(), output.resolve(), scratch)  # other students' work, the results

    def one(entry: Entry) -> None:
        if meter is not None:
            meter.begin(entry.id)
        result = _grade_one(entry, specs=specs, scratch=scratch, timeout=timeout,
                            deadline=deadline, master=master, rubric=rubric, children=children,
                            hide=hide, limits=limits)
        if children.stopping:  # interrupted: leave it ungraded, for --resume
            return
        write_submission(output, result)
        outcome.graded_now.append(entry.id)
        if meter is not None:
            meter.finish(entry.id, _outcome_text(result))

    try:
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="batch") as pool:
            futures: list[Future[None]] = [pool.submit(one, e) for e in todo]
            try:
                finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in finished:
                    future.result()  # a failure to write the outputs stops the batch
            except BaseException:
                for future in futures:
                    future.cancel()
                children.stop_all()
                raise
    finally:
        if meter is not None:
            meter.close()
        shutil.rmtree(scratch, ignore_errors=True)
    results = write_class_files(output, ids, specs=specs)
    for submission_id, result in results.items():
        reason = failure_reason(result)
        if reason is not None:
            outcome.errors[submission_id] = reason
    return outcome


def _grade_one(entry: Entry, *, specs: list[CheckSpec], scratch: Path, timeout: float,
               deadline: float, master: str | None, rubric: Path | None,
               children: Children, hide: tuple[Path, ...],
               limits: Limits | None) -> SubmissionResult:
    try:
        return grade_isolated(entry=entry, specs=specs, scratch=scratch, timeout=timeout,
                              deadline=deadline, master=master, rubric=rubric, children=children,
                              hide=hide, limits=limits)
    except Exception as exc:  # noqa: BLE001 - one submission's failure must not stop the batch
        return failed_result(submission=entry.id, specs=specs,
                             reason=f"the batch could not run its grader: {exc}")
