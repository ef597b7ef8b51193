"""The streaming harness itself: what it reports when a query is wrong, fails or hangs."""

from __future__ import annotations

import time

import pyspark.sql.functions as f
import pytest
from pyspark.sql import DataFrame
from pyspark.sql.types import LongType, StringType, StructField, StructType

from grader.streaming import (
    AddData,
    CheckAnswer,
    CheckLastBatch,
    ExpectFailure,
    MemoryStream,
    StartStream,
    StopStream,
    StreamTestFailure,
    StreamTimeout,
    run_stream_test,
)

EVENTS = StructType([StructField("user", StringType()), StructField("n", LongType())])


def count_per_user(df: DataFrame) -> DataFrame:
    return df.groupBy("user").count()


def test_typed_rows_pass_through_unchanged(spark):
    source = MemoryStream(spark, schema=EVENTS)
    run = run_stream_test(
        source,
        lambda df: df,
        [
            AddData([{"user": "a", "n": 1}, {"user": "b", "n": 2}]),
            CheckLastBatch([{"user": "a", "n": 1}, {"user": "b", "n": 2}]),
        ],
    )
    assert run.batches[0].columns == [("user", "string"), ("n", "bigint")]


def test_update_mode_emits_only_changed_keys_and_state_survives_restart(spark):
    source = MemoryStream(spark, schema=EVENTS)
    run = run_stream_test(
        source,
        count_per_user,
        [
            AddData([{"user": "a", "n": 1}, {"user": "b", "n": 1}]),
            CheckLastBatch([{"user": "a", "count": 1}, {"user": "b", "count": 1}]),
            StopStream(),
            StartStream(),
            AddData([{"user": "a", "n": 1}]),
            CheckLastBatch([{"user": "a", "count": 2}]),
            CheckAnswer([{"user": "a", "count": 2}, {"user": "b", "count": 1}], key=["user"]),
        ],
        output_mode="update",
    )
    assert [b.batch_id for b in run.batches] == [0, 1]


def test_complete_mode_emits_the_whole_table(spark):
    source = MemoryStream(spark, schema=EVENTS)
    run_stream_test(
        source,
        count_per_user,
        [
            AddData([{"user": "a", "n": 1}]),
            CheckLastBatch([{"user": "a", "count": 1}]),
            AddData([{"user": "b", "n": 1}]),
            CheckLastBatch([{"user": "a", "count": 1}, {"user": "b", "count": 1}]),
        ],
        output_mode="complete",
    )


def test_wrong_answer_fails_with_the_steps_and_a_row_diff(spark):
    source = MemoryStream(spark, schema=EVENTS)
    with pytest.raises(StreamTestFailure) as info:
        run_stream_test(
            source,
            count_per_user,
            [AddData([{"user": "a", "n": 1}]), CheckLastBatch([{"user": "a", "count": 5}])],
            output_mode="update",
        )
    text = str(info.value)
    assert "AddData(1 rows)" in text and "CheckLastBatch(1 rows)" in text
    assert "missing (1 rows)" in text and "unexpected (1 rows)" in text
    assert info.value.cause is not None
    assert info.value.cause.missing == [{"user": "a", "count": 5}]  # type: ignore[attr-defined]
    assert info.value.cause.unexpected == [{"user": "a", "count": 1}]  # type: ignore[attr-defined]


def test_invalid_output_mode_surfaces_the_error_class(spark):
    source = MemoryStream(spark, schema=EVENTS)
    with pytest.raises(StreamTestFailure) as info:
        run_stream_test(source, count_per_user, [AddData([{"user": "a", "n": 1}])])
    assert "STREAMING_OUTPUT_MODE" in info.value.reason or "append" in info.value.reason.lower()
    run_stream_test(MemoryStream(spark, schema=EVENTS), count_per_user, [ExpectFailure()])


def test_runtime_failure_is_expected_by_message(spark):
    def explode(df: DataFrame) -> DataFrame:
        return df.select(f.assert_true(f.col("n") < 0, "n must be negative").alias("ok"))

    run_stream_test(
        MemoryStream(spark, schema=EVENTS),
        explode,
        [AddData([{"user": "a", "n": 1}]), ExpectFailure(message="n must be negative")],
    )
    with pytest.raises(StreamTestFailure):
        run_stream_test(
            MemoryStream(spark, schema=EVENTS),
            lambda df: df,
            [AddData([{"user": "a", "n": 1}]), ExpectFailure()],
        )


def test_stuck_query_hits_the_wall_clock_bound(spark):
    def slow(df: DataFrame) -> DataFrame:
        @f.udf("long")
        def wait(n: int) -> int:
            time.sleep(30)
            return n

        return df.select(wait("n").alias("n"))

    started = time.monotonic()
    with pytest.raises(StreamTestFailure) as info:
        run_stream_test(
            MemoryStream(spark, schema=EVENTS),
            slow,
            [AddData([{"user": "a", "n": 1}]), CheckLastBatch([{"n": 1}])],
            timeout=3,
        )
    assert isinstance(info.value.cause, StreamTimeout)
    assert "within 3 s" in info.value.reason
    assert time.monotonic() - started < 30
