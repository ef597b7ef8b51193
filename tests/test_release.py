"""``grader release``: the student repository holds what students need, and nothing more.

The slow test installs a freshly built release, alone in a temporary folder, with its own
README's command into a fresh virtual environment, then runs the self-check there the way
the release's workflow does.

How the fresh environment gets PySpark: the README's command (``python3 -m venv .venv &&
.venv/bin/pip install -e .``) runs as written, except that the venv is made by this test's
interpreter and a ``.pth`` file puts this environment's site-packages behind the venv's own.
pip then still builds and installs the release and resolves its declared dependencies
(``pyspark``, ``jinja2``, ``nbformat``), but finds them installed instead of downloading
~450 MB of PySpark. A missing or wrong dependency, a broken ``pyproject.toml`` or a
package that is not where the grader looks for it still fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from junitparser import JUnitXml

from grader.authoring.assign import BEGIN, END
from grader.checks.rubric import load_rubric
from grader.cli import main
from grader.exercise.contract import BLANKS
from grader.release.build import Release, ReleaseError, build_release, public_rubric
from grader.release.leaks import forbidden, hidden_names, scan, solution_regions
from tests.release_workflow import step_script

ROOT = Path(__file__).resolve().parents[1]
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e ."  # as the student README says
PUBLIC_SCENARIOS = sorted(p.name for p in (ROOT / "fixtures/scenarios/public").glob("*.json"))


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    return build_release(out=tmp_path_factory.mktemp("release") / "course", source=ROOT)


def test_public_rubric_keeps_exactly_the_public_checks() -> None:
    text, kept, dropped = public_rubric((ROOT / "grader/rubric.toml").read_text("utf-8"))
    specs = load_rubric()
    assert (kept, dropped) == (sum(s.visibility == "public" for s in specs),
                               sum(s.visibility == "hidden" for s in specs))
    assert text.startswith("# The grading rubric")  # the explanatory header stays


def test_layout(release: Release) -> None:
    files = set(release.files)
    for module in ("schema", "parser", "aggregation", "query"):
        assert f"exercises/{module}.py" in files
    for needed in ("exercises/utils/producer.py", "fixtures/loader.py", "fixtures/__init__.py",
                   "grader/cli.py", "grader/rubric.toml", "pyproject.toml", "README.md",
                   ".gitignore", ".github/workflows/grade.yml"):
        assert needed in files
    for notebook in (ROOT / "exercises").glob("*.ipynb"):
        assert f"exercises/{notebook.name}" in files
    assert sorted(f.rsplit("/", 1)[1] for f in files
                  if f.startswith("fixtures/scenarios/")) == PUBLIC_SCENARIOS
    assert not [f for f in files if f.startswith(("solutions/", "tests/", "docker/"))]
    assert not {"fixtures/oracle.py", "fixtures/build.py", "fixtures/README.md"} & files
    assert not [f for f in files if "__pycache__" in f]
    specs = load_rubric(release.root / "grader/rubric.toml")
    assert specs and all(s.visibility == "public" for s in specs)
    assert release.public_checks == len(specs)


def test_the_secrets_cover_every_solution_region_and_hidden_scenario() -> None:
    secrets = forbidden(ROOT)
    origins = {s.origin for s in secrets}
    for module in ("schema", "parser", "aggregation", "query"):
        source = (ROOT / f"solutions/{module}.py").read_text("utf-8")
        for function, _ in solution_regions(source):
            assert f"solutions/{module}.py: {function}" in origins
    assert {f for f in BLANKS} <= {o.rsplit(": ", 1)[1] for o in origins if "solutions/" in o}
    texts = {s.text for s in secrets}
    for path in (ROOT / "fixtures/scenarios/hidden").glob("*.json"):
        assert path.stem in texts and path.stem in hidden_names(ROOT)
    whole = {s.text for s in secrets if s.whole}
    assert any('groupBy("userID").count()' in text for text in whole)


def test_no_solution_code_or_hidden_fixture_in_the_release(release: Release) -> None:
    leaks = scan(release.root, forbidden(ROOT), hidden_names(ROOT))
    assert not leaks, "\n".join(map(str, leaks))


def test_the_scan_finds_planted_leaks(release: Release, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(release.root, copy)
    hidden = sorted((ROOT / "fixtures/scenarios/hidden").glob("*.json"))[0]
    shutil.copytree(ROOT / "solutions", copy / "solutions")
    shutil.copy(hidden, copy / "fixtures/scenarios/public" / hidden.name)
    line = json.loads(hidden.read_text("utf-8"))["batches"][-1][-1]
    with open(copy / "README.md", "a", encoding="utf-8") as readme:
        readme.write(f"\nAn example: {line}\n")
    source = (ROOT / "solutions/aggregation.py").read_text("utf-8")
    body = "\n".join(dict(solution_regions(source))["flagged_counts"])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(body)])
    nbformat.write(notebook, copy / "exercises/solved.ipynb")
    with open(copy / "exercises/query.py", "a", encoding="utf-8") as query:
        query.write(f"\n\ndef extra():\n    {BEGIN}\n    return 42\n    {END}\n")
    leaky = {leak.path for leak in scan(copy, forbidden(ROOT), hidden_names(ROOT))}
    assert {"solutions/aggregation.py", f"fixtures/scenarios/public/{hidden.name}",
            "README.md", "exercises/solved.ipynb", "exercises/query.py"} <= leaky


def test_build_refusals(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="outside the checkout"):
        build_release(out=ROOT / "out" / "release", source=ROOT)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    with pytest.raises(ReleaseError, match="--force"):
        build_release(out=occupied, source=ROOT)
    with pytest.raises(ReleaseError, match="does not look like an earlier release"):
        build_release(out=occupied, source=ROOT, force=True)
    assert (occupied / "notes.txt").read_text() == "mine"


def test_stale_exercises_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "checkout"
    for folder in ("solutions", "exercises", "fixtures"):
        shutil.copytree(ROOT / folder, source / folder)
    (source / "grader").mkdir()
    shutil.copy(ROOT / "grader/rubric.toml", source / "grader/rubric.toml")
    shutil.copy(ROOT / "pyproject.toml", source / "pyproject.toml")
    with open(source / "exercises/aggregation.py", "a", encoding="utf-8") as stub:
        stub.write("\n# edited by hand\n")
    with pytest.raises(ReleaseError, match="grader assign"):
        build_release(out=tmp_path / "release", source=source)


def test_release_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "course"
    assert main(["release", str(out)]) == 0
    assert "public checks" in capsys.readouterr().out
    assert main(["release", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["release", str(out), "--force"]) == 0


def _environment(extra_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.timeout(1500)
def test_fresh_release_installs_and_its_self_check_runs(release: Release,
                                                        tmp_path: Path) -> None:
    alone = tmp_path / "student-repository"
    shutil.copytree(release.root, alone)
    assert INSTALL in (alone / "README.md").read_text("utf-8")
    make_venv, install = INSTALL.split(" && ")
    assert make_venv == "python3 -m venv .venv"
    subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=alone, check=True, timeout=300)
    python = alone / ".venv/bin/python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True).stdout
    Path(site.strip(), "_course_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    env = _environment(alone / ".venv/bin")
    done = subprocess.run(install, shell=True, cwd=alone, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    where = subprocess.run([python, "-c", "import grader; print(grader.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(alone)

    script = tmp_path / "self-check.sh"
    text, step_env = step_script(alone / ".github/workflows/grade.yml", "Self-check")
    script.write_text(text)
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env.update(step_env, GITHUB_OUTPUT=str(outputs), GITHUB_STEP_SUMMARY=str(summary))
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                          cwd=alone, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    # the stubs fail the checks (1), not the grader (2: usage, 3: environment)
    assert "status=1" in outputs.read_text().splitlines(), done.stderr[-4000:]

    result = json.loads((alone / "report.json").read_text("utf-8"))
    public = load_rubric(alone / "grader/rubric.toml")
    assert [t["name"] for t in result["tests"]] == [s.name for s in public]
    assert result["score"] == 0 and result["hidden_not_run"] == 0
    for check in result["tests"]:
        assert check["status"] == "error" and check["code"] == "NOT_IMPLEMENTED", check
        assert "NotImplementedError" in check["feedback"]
    markdown = (alone / "report.md").read_text("utf-8")
    assert summary.read_text("utf-8") == markdown
    for blank in BLANKS:
        assert blank in markdown
    xml = JUnitXml.fromfile(str(alone / "report.xml"))
    assert (xml.tests, xml.errors, xml.failures) == (len(public), len(public), 0)
    assert "<html" in (alone / "report.html").read_text("utf-8")
