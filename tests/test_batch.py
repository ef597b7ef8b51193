"""Batch grading end to end, with real Spark: a class of every kind of submission, graded
once uninterrupted and once as two shards (the second killed with SIGKILL and resumed).

About two batch runs of 12 submissions in all; the runs are shared by the tests of this
module, across pytest-xdist workers too (built once, under a file lock, one at a time).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from grader.batch.gradebook import render_gradebook
from grader.batch.store import load_results
from grader.reports import render
from grader.results import EXERCISES, SubmissionResult
from grader.sandbox import isolation
from tests.batch_kinds import KINDS, ROOT, make_class
from tests.test_gradescope import validate

TIMEOUT = os.environ.get("GRADER_TEST_BATCH_TIMEOUT", "20")  # per check; the hang costs this
RUN_LIMIT = 3600  # seconds for one batch run on a busy machine
pytestmark = pytest.mark.timeout(3 * RUN_LIMIT)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``build`` once per test session, whichever xdist worker asks first; one at a time."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this session
    root = root / "batch-shared"
    folder = root / name
    with _locked(root / "runs.lock"):
        failed = root / f"{name}.failed"
        if failed.exists():
            pytest.fail(f"building {name} failed in another worker: {failed.read_text()}")
        if not (root / f"{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            try:
                build(folder)
            except BaseException as exc:
                failed.write_text(repr(exc)[:2000])
                raise
            (root / f"{name}.done").write_text("")
    return folder


def _grader(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "grader", *map(str, args)]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI to its end; it must succeed."""
    done = subprocess.run(_grader(*args), cwd=ROOT, capture_output=True, text=True,
                          timeout=RUN_LIMIT)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}"
    return done


def _batch(class_dir: Path, *options: str) -> Callable[[Path], None]:
    def build(out: Path) -> None:
        _run("batch", class_dir, "--output", out, "--workers", "2", "--timeout", TIMEOUT,
             *options)

    return build


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> None:
        make_class(folder, sorted(KINDS))

    return _shared(tmp_path_factory, "class", build)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, class_dir: Path) -> Path:
    """The whole class in one uninterrupted run with two workers."""
    return _shared(tmp_path_factory, "full", _batch(class_dir))


def _children_of_batch(class_dir: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-af", f"grader.batch.child --path {class_dir}/"],
                           capture_output=True, text=True)
    return found.stdout.splitlines()


def _killed_then_resumed(out: Path, class_dir: Path) -> None:
    command = _grader("batch", class_dir, "--output", out, "--workers", "2", "--shard", "2/2",
                      "--timeout", TIMEOUT, "-q")
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + RUN_LIMIT
    try:
        # Kill once a Spark-graded submission is done (the ungradable one is done at once).
        while len(list(out.glob("*/results.json"))) < 2:
            assert process.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no submission was graded in time"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    done_at_kill = len(list(out.glob("*/results.json")))
    (out / "killed-after.txt").write_text(str(done_at_kill))
    for _ in range(150):  # orphaned grading processes notice and stop
        if not _children_of_batch(class_dir):
            break
        time.sleep(0.2)
    assert not _children_of_batch(class_dir), "grading processes outlived the killed batch"
    assert not (out / "gradebook.csv").exists()
    resumed = _run("batch", class_dir, "--output", out, "--workers", "2", "--shard", "2/2",
                   "--timeout", TIMEOUT, "--resume")
    assert f"{done_at_kill} kept from before" in resumed.stderr


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory, class_dir: Path) -> tuple[Path, Path]:
    """Shard 1/2 graded straight through; shard 2/2 killed with SIGKILL, then resumed."""
    first = _shared(tmp_path_factory, "shard1", _batch(class_dir, "--shard", "1/2"))
    second = _shared(tmp_path_factory, "shard2",
                     lambda out: _killed_then_resumed(out, class_dir))
    return first, second


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_gradebook_gives_each_kind_its_points(full: Path) -> None:
    rows = _rows(full)
    assert list(rows) == sorted(KINDS)
    for name, kind in KINDS.items():
        row = rows[name]
        # Where the sandbox is isolated (PID namespace), a kill cannot reach the grader.
        isolated = kind.isolated_lost is not None and row["status"] == "graded"
        expected = kind.expected_points(isolated=isolated)
        got = {blank: float(row[blank]) for blank in EXERCISES}
        assert got == expected, f"{name}: {row}"
        assert float(row["score"]) == sum(expected.values())
        assert row["max_score"] == "100"
        if kind.error and not isolated:
            assert row["status"].startswith(f"error: {kind.error}"), f"{name}: {row['status']}"
        else:
            assert row["status"] == "graded", f"{name}: {row['status']}"


def test_each_submission_has_its_results_report_and_gradescope_file(full: Path) -> None:
    for name in KINDS:
        folder = full / name
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        result = SubmissionResult.from_dict(data)
        assert (folder / "results.json").read_text(encoding="utf-8") == render(result, "json")
        gradescope = json.loads((folder / "gradescope.json").read_text(encoding="utf-8"))
        validate(gradescope)
        assert gradescope["score"] == result.score
        assert name in (folder / "report.html").read_text(encoding="utf-8")
        assert not list(folder.glob(".*.tmp"))


def test_the_hang_costs_its_blank_only(full: Path) -> None:
    result = load_results(full, ["hanging"])["hanging"]
    socket = [t for t in result.tests if t.exercise == "socket_source"]
    assert {t.status for t in socket} == {"timeout"}
    assert all(t.passed for t in result.tests if t.exercise != "socket_source")


def test_summary_shows_the_class(full: Path) -> None:
    page = (full / "summary.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    errors = page.split("Could not be graded")[1].split("Slowest submissions")[0]
    if isolation.available():  # the sandbox cannot see its grader: it only kills itself
        assert "kills_grader" not in errors
    else:
        assert "kills_grader" in errors and "killed by signal SIGKILL" in errors
    failures = page.split("Most common failures")[1].split("Could not be graded")[0]
    first = failures.split("<tbody>")[1].split("</tr>")[0]  # the most common failure
    assert "pipeline/" in first and "WRONG_ROWS" in first
    assert "wrong_counts, wrong_suspicious" in first


def test_kill_9_then_resume_equals_an_uninterrupted_run(full: Path,
                                                        shards: tuple[Path, Path]) -> None:
    resumed = shards[1]
    assert int((resumed / "killed-after.txt").read_text()) < 6
    ids = json.loads((resumed / "batch.json").read_text(encoding="utf-8"))["ids"]
    expected = render_gradebook(load_results(full, ids))
    assert (resumed / "gradebook.csv").read_text(encoding="utf-8") == expected


def test_two_shards_merged_equal_one_run(full: Path, shards: tuple[Path, Path],
                                         tmp_path: Path) -> None:
    merged = tmp_path / "merged"
    _run("merge", *shards, "--output", merged)
    assert (merged / "gradebook.csv").read_bytes() == (full / "gradebook.csv").read_bytes()
    for name in KINDS:
        for file in ("results.json", "report.html", "gradescope.json"):
            assert (merged / name / file).is_file()

    def without_timings(page: Path) -> str:
        return page.read_text(encoding="utf-8").split("Slowest submissions")[0]

    assert without_timings(merged / "summary.html") == without_timings(full / "summary.html")
