"""Run a streaming query in bounded steps and capture every micro-batch's output.

Each micro-batch is captured through ``foreachBatch`` (the memory sink cannot
restart in update mode), so the outputs are exactly what a sink would receive,
batch by batch. ``process_all_available`` never sleeps: it waits on Spark's own
``processAllAvailable`` in a helper thread, bounded by a wall-clock limit.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql.streaming import StreamingQuery

from grader.streaming.rows import Row

DEFAULT_TIMEOUT = 60.0


@dataclass
class BatchOutput:
    batch_id: int
    rows: list[Row]
    columns: list[tuple[str, str]]  # (name, Spark type as a simple string)


class StreamTimeout(TimeoutError):
    """The query did not process its input within the wall-clock limit."""


class StreamFailed(RuntimeError):
    """The query stopped with an exception; ``error_class`` names it when Spark does."""

    def __init__(self, message: str, error_class: str | None = None) -> None:
        super().__init__(message)
        self.error_class = error_class


_ERROR_CLASS = re.compile(r"\[([A-Z][A-Z0-9_]+(?:\.[A-Z0-9_]+)*)\]")


def error_class_of(exc: BaseException) -> str | None:
    """Spark's error class of an exception, from the API or from its ``[CLASS]`` prefix."""
    getter = getattr(exc, "getCondition", None) or getattr(exc, "getErrorClass", None)
    if callable(getter):
        try:
            found = getter()
        except Exception:  # noqa: BLE001 - a broken JVM handle; fall back to the text
            found = None
        if found:
            return str(found)
    match = _ERROR_CLASS.search(str(exc))
    return match.group(1) if match else None


@dataclass
class StreamRun:
    """One query on one DataFrame, restartable from its checkpoint.

    ``start``/``stop`` may alternate; each ``start`` resumes from the same
    checkpoint folder, so the stateful operators carry on where they stopped.
    """

    df: DataFrame
    output_mode: str = "append"
    timeout: float = DEFAULT_TIMEOUT
    checkpoint: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="grader-stream-"))
    batches: list[BatchOutput] = field(default_factory=list)
    query: StreamingQuery | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _capture(self, batch: DataFrame, batch_id: int) -> None:
        rows = [r.asDict(recursive=True) for r in batch.collect()]
        columns = [(fld.name, fld.dataType.simpleString()) for fld in batch.schema.fields]
        with self._lock:
            self.batches.append(BatchOutput(int(batch_id), rows, columns))

    def start(self) -> None:
        if self.query is not None and self.query.isActive:
            raise RuntimeError("the stream is already running")
        writer = (
            self.df.writeStream.foreachBatch(self._capture)
            .outputMode(self.output_mode)
            .option("checkpointLocation", self.checkpoint)
        )
        try:
            self.query = writer.start()
        except Exception as exc:  # noqa: BLE001 - analysis errors surface at start
            raise StreamFailed(_short(exc), error_class_of(exc)) from exc

    def stop(self) -> None:
        if self.query is not None:
            self.query.stop()

    @property
    def last_batch(self) -> BatchOutput | None:
        with self._lock:
            return self.batches[-1] if self.batches else None

    def process_all_available(self) -> None:
        """Block until every added row is processed; raise on failure or timeout."""
        if self.query is None:
            raise RuntimeError("the stream was never started")
        query = self.query
        outcome: dict[str, BaseException] = {}

        def wait() -> None:
            try:
                query.processAllAvailable()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                outcome["error"] = exc

        waiter = threading.Thread(target=wait, name="process-all-available", daemon=True)
        waiter.start()
        waiter.join(self.timeout)
        if waiter.is_alive():
            _stop_quietly(query)
            waiter.join(10)
            raise StreamTimeout(
                f"the query did not finish its micro-batch within {self.timeout:g} s"
            )
        if "error" in outcome:
            raise _as_stream_failure(outcome["error"], query)
        failure = query.exception()
        if failure is not None:
            raise _as_stream_failure(failure, query)


def _stop_quietly(query: StreamingQuery) -> None:
    try:
        query.stop()
    except Exception:  # noqa: BLE001 - stopping a broken query is best effort
        pass


def _as_stream_failure(exc: BaseException, query: StreamingQuery) -> StreamFailed:
    _stop_quietly(query)
    return StreamFailed(_short(exc), error_class_of(exc))


def _short(exc: BaseException) -> str:
    cause: Any = exc
    return str(getattr(cause, "desc", None) or cause)

