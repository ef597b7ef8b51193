"""Run a list of actions against a query on a ``MemoryStream`` and check as it goes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pyspark.sql import DataFrame

from grader.streaming.actions import (
    Action,
    AddData,
    CheckAnswer,
    CheckLastBatch,
    ExpectFailure,
    ProcessAllAvailable,
    StartStream,
    StopStream,
)
from grader.streaming.memory_stream import MemoryStream
from grader.streaming.rows import Row, RowsMismatch, assert_rows_equal
from grader.streaming.runner import DEFAULT_TIMEOUT, StreamFailed, StreamRun, StreamTimeout


class StreamTestFailure(AssertionError):
    """A step failed; the message lists the steps so far and what went wrong."""

    def __init__(self, history: list[str], reason: str, cause: BaseException | None = None):
        self.history = history
        self.reason = reason
        self.cause = cause
        steps = "\n".join(f"  {line}" for line in history)
        super().__init__(f"stream test failed at step {len(history)}:\n{steps}\n{reason}")


def result_table(run: StreamRun, output_mode: str, key: Sequence[str]) -> list[Row]:
    """The sink's view of the result so far, from the captured micro-batches."""
    if output_mode == "complete":
        return list(run.batches[-1].rows) if run.batches else []
    if output_mode == "append":
        return [row for batch in run.batches for row in batch.rows]
    if not key:
        raise ValueError("CheckAnswer in update mode needs the key columns")
    merged: dict[tuple[Any, ...], Row] = {}
    for batch in run.batches:
        for row in batch.rows:
            merged[tuple(row.get(k) for k in key)] = row
    return list(merged.values())


def run_stream_test(
    source: MemoryStream,
    transform: Callable[[DataFrame], DataFrame],
    actions: Sequence[Action],
    *,
    output_mode: str = "append",
    timeout: float = DEFAULT_TIMEOUT,
    converters: Mapping[str, Callable[[Any], Any]] | None = None,
) -> StreamRun:
    """Run ``transform(source.to_df())`` as a query and apply ``actions`` in order.

    The query starts before the first action. Returns the run (its captured
    batches) when every action passed; raises ``StreamTestFailure`` otherwise.
    """
    run = StreamRun(transform(source.to_df()), output_mode=output_mode, timeout=timeout)
    history: list[str] = ["StartStream()"]
    pending: StreamFailed | None = None
    try:
        try:
            run.start()
        except StreamFailed as exc:  # an invalid query fails when it starts
            pending = exc
        for action in actions:
            history.append(action.describe())
            if pending is not None:
                if not isinstance(action, ExpectFailure):
                    raise pending
                _check_failure(pending, action)
                pending = None
                continue
            _apply(run, source, action, output_mode, converters)
        if pending is not None:
            raise pending
    except (StreamFailed, StreamTimeout, RowsMismatch) as exc:
        reason = str(exc)
        if isinstance(exc, StreamFailed) and exc.error_class:
            reason = f"query failed with {exc.error_class}: {exc}"
        raise StreamTestFailure(history, reason, exc) from exc
    finally:
        run.stop()
    return run


def _apply(
    run: StreamRun,
    source: MemoryStream,
    action: Action,
    output_mode: str,
    converters: Mapping[str, Callable[[Any], Any]] | None,
) -> None:
    if isinstance(action, AddData):
        source.add_data(action.rows)
    elif isinstance(action, ProcessAllAvailable):
        run.process_all_available()
    elif isinstance(action, CheckLastBatch):
        run.process_all_available()
        last = run.last_batch
        assert_rows_equal(
            action.rows,
            last.rows if last else [],
            converters=converters,
            actual_columns=[c for c, _ in last.columns] if last else (),
            context=f"last batch (batch {last.batch_id if last else '-'}) differs",
        )
    elif isinstance(action, CheckAnswer):
        run.process_all_available()
        assert_rows_equal(
            action.rows,
            result_table(run, output_mode, action.key),
            converters=converters,
            context=f"result table in {output_mode} mode differs",
        )
    elif isinstance(action, StopStream):
        run.stop()
    elif isinstance(action, StartStream):
        run.start()
    elif isinstance(action, ExpectFailure):
        _expect_failure(run, action)


def _expect_failure(run: StreamRun, action: ExpectFailure) -> None:
    try:
        run.process_all_available()
    except StreamFailed as exc:
        _check_failure(exc, action)
        return
    raise StreamFailed("expected the query to fail, but it processed its input")


def _check_failure(exc: StreamFailed, action: ExpectFailure) -> None:
    if action.error_class and exc.error_class != action.error_class:
        raise StreamFailed(
            f"expected error class {action.error_class}, got {exc.error_class}: {exc}",
            exc.error_class,
        ) from exc
    if action.message and action.message not in str(exc):
        raise StreamFailed(
            f"expected a failure mentioning {action.message!r}, got: {exc}", exc.error_class
        ) from exc
