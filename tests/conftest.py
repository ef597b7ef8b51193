"""One SparkSession per test process, created on first use, never at import time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from grader.spark.session import build_session

pytest_plugins = ["tests.report_plugin"]


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = build_session(master="local[2]", app_name="grader-tests")
    yield session
    session.stop()
