"""The batch's parts without Spark: discovery, shards, atomic files, gradebook, progress,
summary (also in headless Chromium), and the CLI's refusals; ungradable submissions only."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from grader.batch.atomic import write_atomic
from grader.batch.discover import BatchError, Entry, Shard, discover, parse_shard, select_shard
from grader.batch.failure import failed_result, status_of
from grader.batch.gradebook import render_gradebook
from grader.batch.progress import Progress, duration_text
from grader.batch.summary import render_summary
from grader.checks.rubric import load_rubric
from grader.results import CheckResult, SubmissionResult
from tests.batch_kinds import KINDS, ROOT, make_submission

CHROMIUM_TIMEOUT = 90


def result(name: str, passed: set[str], *, duration: float = 30.0) -> SubmissionResult:
    tests = [
        CheckResult(spec.name, spec.exercise, "passed" if spec.name in passed else "failed",
                    spec.points, visibility="hidden" if spec.visibility == "hidden" else "public",
                    code="" if spec.name in passed else "WRONG_ROWS",
                    feedback="" if spec.name in passed else f"{spec.name}: the rows differ")
        for spec in load_rubric()
    ]
    return SubmissionResult(submission=name, tests=tests, duration=duration)


def every_check() -> set[str]:
    return {s.name for s in load_rubric()}


def test_discover_finds_folders_and_notebooks_sorted(tmp_path: Path) -> None:
    for name in ("bob", "alice", ".git", "__pycache__", "out"):
        (tmp_path / name).mkdir()
    (tmp_path / "carol.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    entries = discover(tmp_path, exclude=tmp_path / "out")
    assert [e.id for e in entries] == ["alice", "bob", "carol"]
    assert entries[2].path == tmp_path / "carol.ipynb"


def test_discover_refuses_two_submissions_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(BatchError, match="alice: alice, alice.ipynb"):
        discover(tmp_path)


def test_shards_are_a_round_robin_partition() -> None:
    entries = [Entry(f"s{i:02d}", Path(f"s{i:02d}")) for i in range(11)]
    shards = [select_shard(entries, Shard(k, 3)) for k in (1, 2, 3)]
    assert [e.id for e in shards[0]] == ["s00", "s03", "s06", "s09"]
    assert sorted(e.id for s in shards for e in s) == [e.id for e in entries]
    assert [len(s) for s in shards] == [4, 4, 3]
    assert select_shard(list(reversed(entries)), Shard(2, 3)) == shards[1]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(BatchError):
        parse_shard(text)


def test_parse_shard() -> None:
    assert parse_shard(" 2 / 4 ") == Shard(2, 4)
    assert str(Shard(2, 4)) == "2/4"


def test_atomic_write_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "results.json"
    write_atomic(target, "old")
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert sorted(p.name for p in target.parent.iterdir()) == ["results.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_gradebook_rows_columns_and_status() -> None:
    specs = load_rubric()
    results = {
        "zoe": result("zoe", every_check()),
        "adam": result("adam", every_check() - {"pipeline/complete", "flagged_counts/static"}),
        "bob": failed_result(submission="bob", reason="the grading process was killed\nmore",
                             specs=specs),
    }
    lines = render_gradebook(results).splitlines()
    assert lines[0] == ("id,score,max_score,transaction_schema,select_names,parse_transactions,"
                        "flagged_counts,suspicious_users,socket_source,console_writer,pipeline,"
                        "status")
    assert lines[1] == "adam,91,100,10,10,15,16,15,10,10,5,graded"
    assert lines[2] == "bob,0,100,0,0,0,0,0,0,0,0,error: the grading process was killed"
    assert lines[3] == "zoe,100,100,10,10,15,20,15,10,10,10,graded"
    assert status_of(results["zoe"]) == "graded"


def test_gradebook_quotes_awkward_ids() -> None:
    text = render_gradebook({'o"neil, jr': result('o"neil, jr', set())})
    assert text.splitlines()[1].startswith('"o""neil, jr",0,100,')


def test_progress_lines_without_a_terminal() -> None:
    now = [100.0]
    stream = io.StringIO()
    meter = Progress(total=4, stream=stream, tty=False, clock=lambda: now[0])
    meter.start()
    meter.begin("alice")
    now[0] += 60
    meter.finish("alice", "100 / 100 (60.0 s)")
    meter.close()
    line = stream.getvalue().splitlines()[-1]
    assert line.startswith("[1/4] alice: 100 / 100 (60.0 s) | 1.0/min")
    assert "ETA 3m00s" in line
    assert "\r" not in stream.getvalue()


def test_progress_bar_on_a_terminal() -> None:
    now = [0.0]
    stream = io.StringIO()
    meter = Progress(total=2, stream=stream, tty=True, clock=lambda: now[0])
    meter.start()
    now[0] += 30
    meter.finish("bob", "error: killed")
    meter.close()
    text = stream.getvalue()
    assert "\r\x1b[K[" in text and "█" * 14 + "░" * 14 in text
    assert "1/2  50%  2.0/min, elapsed 30s, ETA 30s" in text
    assert "bob: error: killed\n" in text


def test_duration_text() -> None:
    assert [duration_text(s) for s in (5, 65, 3700)] == ["5s", "1m05s", "1h01m"]


SCRIPT = "<script>alert('x')</script>"


def sample_class() -> dict[str, SubmissionResult]:
    specs = load_rubric()
    everything = every_check()
    results = {f"student{i:02d}": result(f"student{i:02d}", everything - {
        spec.name for spec in specs[: i * 2]}, duration=20.0 + i) for i in range(12)}
    results[SCRIPT] = failed_result(submission=SCRIPT, reason=f"killed {SCRIPT}", specs=specs)
    return results


def test_summary_is_deterministic_escaped_and_self_contained() -> None:
    results = sample_class()
    page = render_summary(results)
    assert page == render_summary(dict(reversed(list(results.items()))))
    assert SCRIPT not in page and "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert page.count("<svg") > 10
    assert "transaction_schema/fields" in page and "WRONG_ROWS" in page
    assert "student11" in page.split("Slowest submissions")[1].split("student10")[0]


def _chromium(binary: str, *args: str) -> None:
    with subprocess.Popen([binary, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                          start_new_session=True) as process:
        try:
            _, err = process.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.communicate()
            pytest.fail(f"chromium did not finish within {CHROMIUM_TIMEOUT} s")
    assert process.returncode == 0, err[-2000:]


def test_summary_renders_in_headless_chromium(tmp_path: Path) -> None:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    from PIL import Image

    page = tmp_path / "summary.html"
    page.write_text(render_summary(sample_class()), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(binary, f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
              f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    with Image.open(shot) as image:
        pixels = image.convert("RGB")
    assert pixels.size == (1200, 1600)
    colours = cast(list[tuple[int, tuple[int, int, int]]], pixels.getcolors(1 << 24) or [])
    assert len(colours) > 50, f"only {len(colours)} colours: the page looks blank"
    white = sum(count for count, rgb in colours if rgb == (255, 255, 255))
    assert 1 - white / (1200 * 1600) > 0.03, "the page is almost all white"
    blue = sum(count for count, rgb in colours if rgb == (0x09, 0x69, 0xDA))
    assert blue > 500, "the histogram's bars are not drawn"


def grader(*args: str | Path, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env=None if env is None else {**os.environ, **env})


@pytest.fixture(scope="module")
def ungradable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three submissions without modules: graded (as errors) in a second, no Spark."""
    root = tmp_path_factory.mktemp("ungradable")
    for name in ("ann", "ben", "cid"):
        make_submission(root / name, KINDS["empty"])
    return root


def test_cli_refuses_a_used_output_then_resumes_and_merges(ungradable: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = grader("batch", ungradable, "--output", out, "--workers", "2")
    assert first.returncode == 0, first.stderr
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in rows] == ["id", "ann", "ben", "cid"]
    assert ",\"error: ann: none of schema.py" in rows[1]
    for name in ("results.json", "report.html", "gradescope.json"):
        assert (out / "ben" / name).is_file()

    again = grader("batch", ungradable, "--output", out)
    assert again.returncode == 2 and "not empty" in again.stderr
    resumed = grader("batch", ungradable, "--output", out, "--resume")
    assert resumed.returncode == 0 and "3 kept from before" in resumed.stderr
    other_shard = grader("batch", ungradable, "--output", out, "--resume", "--shard", "1/2")
    assert other_shard.returncode == 2 and "holds shard 1/1" in other_shard.stderr
    forced = grader("batch", ungradable, "--output", out, "--force", "-q")
    assert forced.returncode == 0 and "3 graded now" in forced.stderr

    shard = tmp_path / "shard1"
    assert grader("batch", ungradable, "-o", shard, "--shard", "1/2", "-q").returncode == 0
    incomplete = grader("merge", shard, "--output", tmp_path / "merged")
    assert incomplete.returncode == 2 and "missing [2]" in incomplete.stderr
    whole = grader("merge", out, "--output", tmp_path / "copy")
    assert whole.returncode == 0, whole.stderr
    for name in ("gradebook.csv", "summary.html"):
        assert (tmp_path / "copy" / name).read_bytes() == (out / name).read_bytes()


def test_a_submission_past_its_deadline_is_stopped_and_recorded(tmp_path: Path) -> None:
    source = tmp_path / "class"
    make_submission(source / "slow", KINDS["correct"])
    out = tmp_path / "out"
    done = grader("batch", source, "-o", out, "--submission-timeout", "3", "-q")
    assert done.returncode == 0, done.stderr
    row = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.endswith(",error: grading did not finish within 3 s and was stopped")
    leftovers = subprocess.run(["pgrep", "-f", f"grader.batch.child --path {source}"],
                               capture_output=True, text=True)
    assert leftovers.stdout == ""


ONE_CHECK = """
[[check]]
name = "console_writer/update"
exercise = "console_writer"
kind = "writer"
mode = "update"
aspect = "config"
points = 4
visibility = "public"
"""


def test_a_submission_that_kills_its_grader_is_recorded(tmp_path: Path) -> None:
    """Without isolation the sandbox can reach its parent: only that grading process dies."""
    source = tmp_path / "class"
    make_submission(source / "fine", KINDS["correct"])
    make_submission(source / "killer", KINDS["kills_grader"])
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(ONE_CHECK, encoding="utf-8")
    out = tmp_path / "out"
    done = grader("batch", source, "-o", out, "--rubric", rubric, "--workers", "1", "-q",
                  env={"GRADER_ISOLATION": "off"})
    assert done.returncode == 0, done.stderr
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "fine,4,4,,,,,,,4,,graded"
    assert rows[2] == "killer,0,4,,,,,,,0,,error: the grading process was killed by signal SIGKILL"
