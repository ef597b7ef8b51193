"""The steps of a stream test, in the spirit of Spark's ``StreamTest``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AddData:
    """Append rows to the input; they form the next micro-batch."""

    rows: Sequence[str] | Sequence[Mapping[str, Any]]

    def describe(self) -> str:
        return f"AddData({len(self.rows)} rows)"


@dataclass(frozen=True)
class ProcessAllAvailable:
    """Wait (bounded) until the query has processed everything added so far."""

    def describe(self) -> str:
        return "ProcessAllAvailable()"


@dataclass(frozen=True)
class CheckLastBatch:
    """Process all available input, then compare the last micro-batch's rows."""

    rows: Sequence[Mapping[str, Any]]

    def describe(self) -> str:
        return f"CheckLastBatch({len(self.rows)} rows)"


@dataclass(frozen=True)
class CheckAnswer:
    """Process all available input, then compare the whole result table so far.

    Append mode: every row emitted so far. Complete mode: the last batch.
    Update mode: emitted rows merged by ``key`` (later rows replace earlier ones).
    """

    rows: Sequence[Mapping[str, Any]]
    key: Sequence[str] = field(default_factory=tuple)

    def describe(self) -> str:
        return f"CheckAnswer({len(self.rows)} rows)"


@dataclass(frozen=True)
class StopStream:
    """Stop the query; its checkpoint stays."""

    def describe(self) -> str:
        return "StopStream()"


@dataclass(frozen=True)
class StartStream:
    """Start (or restart) the query from its checkpoint."""

    def describe(self) -> str:
        return "StartStream()"


@dataclass(frozen=True)
class ExpectFailure:
    """Process all available input and expect the query to fail.

    ``error_class`` (for example ``UNSUPPORTED_OUTPUT_MODE``) and ``message``
    (a substring) are checked when given.
    """

    error_class: str | None = None
    message: str | None = None

    def describe(self) -> str:
        return f"ExpectFailure({self.error_class or self.message or ''})"


Action = (
    AddData
    | ProcessAllAvailable
    | CheckLastBatch
    | CheckAnswer
    | StopStream
    | StartStream
    | ExpectFailure
)
