"""Every report renders from one SubmissionResult: goldens, escaping, colour, JUnit, a browser."""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path
from typing import cast

import pytest
from junitparser import Error, Failure, JUnitXml

from grader.reports import EXTENSIONS, FORMATS, render, use_color
from grader.reports.common import short_error_class
from grader.reports.markdown import COMMENT_LIMIT
from grader.results import CheckResult, RowDiff, SubmissionResult
from tests.report_samples import SAMPLES, SCRIPT, mixed, public_only

GOLDENS = Path(__file__).parent / "goldens"
CHROMIUM_TIMEOUT = 90  # seconds for one headless run


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    # The option is declared by tests/report_plugin.py; without the plugin it is off.
    return bool(request.config.getoption("--update-goldens", default=False))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_matches_golden(sample: str, fmt: str, update_goldens: bool) -> None:
    text = render(SAMPLES[sample](), fmt, color=False)
    path = GOLDENS / f"{sample}.{EXTENSIONS[fmt]}"
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing: run pytest with --update-goldens"
    golden = path.read_text(encoding="utf-8")
    if text != golden:
        diff = difflib.unified_diff(
            golden.splitlines(), text.splitlines(), str(path), "rendered", lineterm=""
        )
        pytest.fail(
            "rendered report differs from its golden (review, then --update-goldens):\n"
            + "\n".join(list(diff)[:80])
        )


def test_unknown_format_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="text, json, html, md, junit"):
        render(mixed(), "pdf")


def test_json_is_to_dict_and_round_trips() -> None:
    result = mixed()
    data = json.loads(render(result, "json"))
    assert data == json.loads(json.dumps(result.to_dict()))
    assert list(data)[:3] == ["score", "max_score", "tests"]
    assert SubmissionResult.from_dict(data).to_dict() == result.to_dict()


def test_html_escapes_student_text() -> None:
    page = render(mixed(), "html")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(" in page
    assert "<script" not in page.lower()
    assert "<title>Grading report: bob &lt;draft&gt;.py</title>" in page
    assert "&lt;b&gt;debug&lt;/b&gt;" in page
    assert "\x1b" not in page


def test_html_is_self_contained() -> None:
    page = render(mixed(), "html")
    for needle in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert needle not in page, needle
    assert "<details>" in page and "<summary>" in page


def test_markdown_cannot_break_tables_or_inject_html() -> None:
    text = render(mixed(), "md")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;" in text
    assert "| Eve\\|Mallory | 1 |" in text
    unescaped_pipe = re.compile(r"(?<!\\)\|")
    block: list[int] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(len(unescaped_pipe.findall(line)))
        elif block:
            assert len(set(block)) == 1, f"a table row has a different number of cells: {block}"
            block = []


def test_markdown_stays_under_the_comment_limit() -> None:
    huge = [
        CheckResult(
            name=f"check {i}",
            exercise="flagged_counts",
            status="failed",
            max_score=1,
            feedback="x" * 5_000,
            diff=RowDiff(expected=[{"userID": "u" * 200}] * 50, actual=[]),
        )
        for i in range(100)
    ]
    result = SubmissionResult(submission="big.py", tests=huge, output="y" * 100_000)
    text = render(result, "md")
    assert len(text) < COMMENT_LIMIT
    assert "more checks not shown" in text


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" in render(mixed(), "text", color=True)
    assert "\x1b[" not in render(mixed(), "text", color=False)


def test_text_strips_escape_sequences_from_student_text() -> None:
    result = mixed()
    result.tests[1].feedback = "clear the screen \x1b[2J now"
    result.submission = "\x1b[31mred.py"
    assert "\x1b" not in render(result, "text", color=False)


def test_text_tells_about_hidden_checks_only_in_a_public_run() -> None:
    assert "5 hidden checks exist and were not run" in render(public_only(), "text", color=False)
    assert "hidden checks exist" not in render(mixed(), "text", color=False)


def test_text_caps_diff_tables() -> None:
    text = render(mixed(), "text", color=False)
    assert "… 2 more" in text
    assert "user10" not in text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(_Terminal()) is True
    assert use_color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color(_Terminal()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Terminal()) is False


def test_short_error_class() -> None:
    assert (
        short_error_class("[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid output mode")
        == "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION"
    )
    assert (
        short_error_class("org.apache.spark.sql.streaming.StreamingQueryException: boom\n\tat x")
        == "StreamingQueryException"
    )
    assert short_error_class(None) == ""


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_junit_parses_and_counts(sample: str) -> None:
    result = SAMPLES[sample]()
    xml = JUnitXml.fromstring(render(result, "junit"))
    suites = list(xml)
    assert [s.name for s in suites] == ["streaming-grader"]
    suite = suites[0]
    cases = list(suite)
    assert len(cases) == len(result.tests)
    assert suite.tests == len(result.tests)
    statuses = [t.status for t in result.tests]
    assert suite.failures == statuses.count("failed")
    assert suite.errors == statuses.count("error") + statuses.count("timeout")
    failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    errored = [c for c in cases if any(isinstance(r, Error) for r in c.result)]
    assert len(failed) == suite.failures and len(errored) == suite.errors
    properties = {p.name: p.value for p in suite.properties()}
    assert float(properties["score"]) == result.score
    assert float(properties["max_score"]) == result.max_score


def test_junit_error_types() -> None:
    xml = JUnitXml.fromstring(render(mixed(), "junit"))
    kinds = {c.name: [r.type for r in c.result] for s in xml for c in s}
    assert kinds["users above the threshold after three batches"] == ["timeout"]
    assert kinds["append mode needs a watermark"] == ["error"]


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless run, killed with all its helper processes after CHROMIUM_TIMEOUT."""
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"chromium did not finish within {CHROMIUM_TIMEOUT} s: {command}")
    assert process.returncode == 0, f"chromium exited with {process.returncode}:\n{err[-2000:]}"
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    binary = shutil.which("chromium")
    if binary is None:
        reason = "no chromium binary on PATH (apt-get install chromium): HTML not rendered"
        print(reason)
        pytest.skip(reason)
    from PIL import Image

    page = tmp_path / "mixed.html"
    page.write_text(render(mixed(), "html"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(
        binary,
        tmp_path / "profile-shot",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        page.as_uri(),
    )
    with Image.open(shot) as image:
        pixels = image.convert("RGB")
    assert pixels.size == (1200, 1600)
    colours = cast(list[tuple[int, tuple[int, int, int]]], pixels.getcolors(1 << 24) or [])
    assert len(colours) > 50, f"only {len(colours)} colours: the page looks blank"
    white = sum(count for count, rgb in colours if rgb == (255, 255, 255))
    inked = 1 - white / (pixels.size[0] * pixels.size[1])
    assert inked > 0.03, f"only {inked:.1%} of the pixels are not white"

    dom = _chromium(binary, tmp_path / "profile-dom", "--dump-dom", page.as_uri()).stdout
    assert "&lt;script&gt;alert(" in dom
    assert "<script" not in dom.lower()
    assert "bob &lt;draft&gt;.py" in dom
