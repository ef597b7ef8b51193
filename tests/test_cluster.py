"""``--master spark://...`` grades on a real standalone cluster: a master and a worker on 127.0.0.1.

Both are started with the ``spark-class`` launcher shipped in the pyspark package. One test
does all the grading, so that pytest-xdist never starts two clusters on the two cores.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyspark
import pytest

from grader.checks.rubric import load_rubric
from grader.grading import grade

ROOT = Path(__file__).resolve().parents[1]
PYSPARK_HOME = Path(pyspark.__file__).resolve().parent
SPARK_CLASS = PYSPARK_HOME / "bin" / "spark-class"
START_LIMIT = 180.0  # seconds for the master and the worker to start and shake hands
REGISTERED = "Successfully registered with master"  # the worker's log line
WRONG_FROM = 'f.col("flag") == 1'
WRONG_TO = 'f.col("flag") == 0'


@dataclass
class Cluster:
    url: str
    folder: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def master_log(self) -> Path:
        return self.folder / "master.log"

    @property
    def worker_log(self) -> Path:
        return self.folder / "worker.log"

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in (self.master_log, self.worker_log) if path.exists()
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cluster_env(folder: Path) -> dict[str, str]:
    conf = folder / "conf"  # an empty conf folder: no spark-defaults.conf of the machine
    conf.mkdir(exist_ok=True)
    return {
        **os.environ,
        "SPARK_HOME": str(PYSPARK_HOME),
        "SPARK_CONF_DIR": str(conf),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_WORKER_DIR": str(folder / "work"),
        "SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false",
    }


def launch(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(SPARK_CLASS), *args], stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )


def wait_until_registered(cluster: Cluster) -> None:
    """Poll the logs, at most ``START_LIMIT`` seconds, until the worker has joined."""
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if cluster.worker_log.exists() and REGISTERED in cluster.worker_log.read_text(
                errors="replace"):
            return
        dead = [p.args for p in cluster.processes if p.poll() is not None]
        if dead:
            pytest.fail(f"a cluster process exited: {dead}\n{cluster.logs()}")
        time.sleep(0.5)
    pytest.fail(f"the worker did not register within {START_LIMIT:g} s\n{cluster.logs()}")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """End each process group (the JVMs and the executors they started)."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    port, master_ui, worker_ui = free_port(), free_port(), free_port()
    started = Cluster(url=f"spark://127.0.0.1:{port}", folder=tmp_path)
    env = cluster_env(tmp_path)
    try:
        started.processes.append(launch(
            ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(master_ui)], started.master_log, env))
        started.processes.append(launch(
            ["org.apache.spark.deploy.worker.Worker", started.url, "--cores", "2",
             "--memory", "1g", "--host", "127.0.0.1", "--webui-port", str(worker_ui)],
            started.worker_log, env))
        wait_until_registered(started)
        yield started
    finally:
        stop(started.processes)


def wrong_variant(folder: Path) -> Path:
    """The reference solutions, with ``flagged_counts`` counting the unflagged messages."""
    shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    aggregation = folder / "aggregation.py"
    text = aggregation.read_text(encoding="utf-8")
    assert WRONG_FROM in text, "solutions/aggregation.py changed: update WRONG_FROM"
    aggregation.write_text(text.replace(WRONG_FROM, WRONG_TO), encoding="utf-8")
    return folder


@pytest.mark.timeout(1200)
def test_grades_on_a_standalone_cluster(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver stays on loopback too
    names = [spec.name for spec in load_rubric()]

    report = tmp_path / "solutions.json"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(ROOT / "solutions"),
         "--master", cluster.url, "--format", "json", "--output", str(report), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    failing = {t["name"]: t["feedback"] for t in result["tests"] if t["status"] != "passed"}
    assert not failing, f"the reference solutions lost points on the cluster: {failing}"
    assert result["score"] == result["max_score"] > 0
    assert [t["name"] for t in result["tests"]] == names

    wrong = grade(path=wrong_variant(tmp_path / "wrong"), master=cluster.url)
    by_exercise: dict[str, set[str]] = {}
    for check in wrong.tests:
        by_exercise.setdefault(check.exercise, set()).add(check.status)
    assert by_exercise.pop("flagged_counts") == {"failed"}, wrong.tests
    by_exercise.pop("pipeline")  # chains the wrong counts: may lose points too
    assert all(statuses == {"passed"} for statuses in by_exercise.values()), by_exercise
    assert 0 < wrong.score < wrong.max_score

    # The work ran on the cluster: the master saw the application, the worker's executor ran tasks.
    master_log = cluster.master_log.read_text(errors="replace")
    assert "Registering app grader-sandbox" in master_log, cluster.logs()
    executor_logs = list((tmp_path / "work").glob("app-*/*/stderr"))
    assert len(executor_logs) >= 2, cluster.logs()  # one executor per graded submission
    assert all("Running task" in log.read_text(errors="replace") for log in executor_logs)
