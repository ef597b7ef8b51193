"""A small StreamTest for PySpark: MemoryStream inputs, bounded runs, per-batch capture."""

from grader.streaming.actions import (
    AddData,
    CheckAnswer,
    CheckLastBatch,
    ExpectFailure,
    ProcessAllAvailable,
    StartStream,
    StopStream,
)
from grader.streaming.memory_stream import MemoryStream
from grader.streaming.rows import RowsMismatch, assert_rows_equal
from grader.streaming.runner import StreamFailed, StreamRun, StreamTimeout
from grader.streaming.stream_test import StreamTestFailure, run_stream_test

__all__ = [
    "AddData",
    "CheckAnswer",
    "CheckLastBatch",
    "ExpectFailure",
    "MemoryStream",
    "ProcessAllAvailable",
    "RowsMismatch",
    "StartStream",
    "StopStream",
    "StreamFailed",
    "StreamRun",
    "StreamTestFailure",
    "StreamTimeout",
    "assert_rows_equal",
    "run_stream_test",
]
