"""The class-data archive: built once outside the sandbox, mapped into later Spark JVMs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox import isolation
from grader.spark import jvm
from grader.spark.session import session_conf

ROOT = Path(__file__).resolve().parents[1]

# Starts Spark with the archive named by GRADER_CDS_ARCHIVE, logging where classes come from.
START = """
from grader.spark.session import build_session
spark = build_session(master="local[1]", app_name="archive-test")
print("count", spark.range(3).count())
spark.stop()
"""


def _start_spark(archive: Path, log: Path) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        GRADER_CDS_ARCHIVE=str(archive),
        GRADER_JVM_FLAGS=f"{jvm.JVM_FLAGS} -Xlog:class+load=info:file={log}",
    )
    return subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _source_of(log: Path, name: str) -> str:
    for line in log.read_text(errors="replace").splitlines():
        if f" {name} source: " in line:
            return line.split(" source: ", 1)[1]
    raise AssertionError(f"{name} was not loaded")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GRADER_CDS", "GRADER_CDS_ARCHIVE", "GRADER_JVM_FLAGS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache"


def test_built_once_then_spark_classes_come_from_it(cache, tmp_path):
    archive = jvm.archive_path(jvm.JVM_FLAGS)
    cache.mkdir()
    stale = archive.with_suffix(".lock")
    stale.touch()
    os.utime(stale, (1, 1))  # a builder that died long ago does not block the build
    assert jvm.ensure_archive(jvm.JVM_FLAGS) == archive
    assert archive.stat().st_size > 10_000_000
    assert sorted(p.name for p in cache.iterdir()) == [archive.name]  # no lock, no partial
    assert jvm.ensure_archive(jvm.JVM_FLAGS) == archive  # the second time: nothing to do

    log = tmp_path / "classes.log"
    started = _start_spark(archive, log)
    assert started.returncode == 0 and "count 3" in started.stdout, started.stderr[-2000:]
    assert "shared objects file" in _source_of(log, "org.apache.spark.SparkContext")


def test_an_unusable_archive_only_costs_speed(tmp_path):
    garbage = tmp_path / "garbage.jsa"
    garbage.write_bytes(os.urandom(4096))
    log = tmp_path / "classes.log"
    started = _start_spark(garbage, log)
    assert started.returncode == 0 and "count 3" in started.stdout, started.stderr[-2000:]
    assert "shared objects file" not in _source_of(log, "org.apache.spark.SparkContext")


def test_a_build_at_work_elsewhere_is_not_waited_for(cache):
    cache.mkdir()
    jvm.archive_path(jvm.JVM_FLAGS).with_suffix(".lock").touch()
    assert jvm.ensure_archive(jvm.JVM_FLAGS) is None
    assert not jvm.archive_path(jvm.JVM_FLAGS).exists()


def test_off_means_no_archive_anywhere(cache, monkeypatch, tmp_path):
    archive = jvm.archive_path(jvm.JVM_FLAGS)
    cache.mkdir()
    archive.write_bytes(b"x")
    assert "SharedArchiveFile" in session_conf()["spark.driver.extraJavaOptions"]
    monkeypatch.setenv("GRADER_CDS", "off")
    assert jvm.ensure_archive(jvm.JVM_FLAGS) is None
    assert "SharedArchiveFile" not in session_conf()["spark.driver.extraJavaOptions"]


def test_only_the_local_driver_maps_it(cache):
    cache.mkdir()
    jvm.archive_path(jvm.JVM_FLAGS).write_bytes(b"x")
    conf = session_conf()
    assert f"-XX:SharedArchiveFile={jvm.archive_path(jvm.JVM_FLAGS)}" in conf[
        "spark.driver.extraJavaOptions"
    ]
    assert "SharedArchiveFile" not in conf["spark.executor.extraJavaOptions"]


def test_the_isolated_sandbox_keeps_an_archive_that_lives_under_tmp(tmp_path):
    archive = Path("/tmp") / tmp_path.name / "cache" / "spark.jsa"
    kept = isolation.kept_paths(tmp_path, ROOT, str(archive))
    assert archive.parent in kept
    assert archive.parent not in isolation.kept_paths(tmp_path, ROOT)
