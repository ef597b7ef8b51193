"""docker/: the Dockerfiles pass hadolint, the compose file follows the Compose specification,
and every Spark in them is the version of the grader's PySpark.

No Docker engine runs here: nothing is built or started, the files are linted and validated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyspark
import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
# Every Dockerfile under docker/ is linted; these two run the course's Spark.
DOCKERFILES = sorted(DOCKER.glob("**/Dockerfile"))
SPARK_DOCKERFILES = (DOCKER / "Dockerfile", DOCKER / "jupyter" / "Dockerfile")
COMPOSE = DOCKER / "docker-compose.yml"
SPARK_IMAGES = ("apache/spark", "spark")


def tool(name: str) -> str:
    """A console script of the test environment (beside this Python), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the test extra (pip install -e '.[test]')")
    return found


def compose() -> dict[str, Any]:
    return YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    pairs = [line.split(maxsplit=1) for line in lines if line and not line.startswith("#")]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def arg_default(dockerfile: Path, name: str) -> str | None:
    for instruction, value in instructions(dockerfile):
        if instruction == "ARG" and value.startswith(f"{name}="):
            return value.split("=", 1)[1].strip('"')
    return None


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dockerfile_passes_hadolint(dockerfile: Path) -> None:
    done = subprocess.run([tool("hadolint"), "--no-color", str(dockerfile)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_file_follows_the_compose_specification() -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_spark_is_the_graders_pyspark_version() -> None:
    version = pyspark.__version__
    services = compose()["services"]
    tags = {}
    for name, service in services.items():
        repository, _, tag = str(service.get("image", "")).rpartition(":")
        if repository in SPARK_IMAGES:
            tags[name] = tag
    assert set(tags) == {"spark-master", "spark-worker"}
    assert set(tags.values()) == {version}, tags
    jupyter = services["jupyter"]
    assert str(jupyter["build"]["args"]["SPARK_VERSION"]) == version
    assert str(jupyter["image"]).endswith(f":{version}")
    for dockerfile in SPARK_DOCKERFILES:
        assert arg_default(dockerfile, "SPARK_VERSION") == version, dockerfile


def test_cluster_services() -> None:
    services = compose()["services"]
    assert {"spark-master", "spark-worker", "jupyter"} <= set(services)
    master = services["spark-master"]
    assert "org.apache.spark.deploy.master.Master" in master["command"]
    assert {"7077:7077", "8080:8080"} <= {str(p) for p in master["ports"]}
    worker = services["spark-worker"]
    assert "spark://spark-master:7077" in worker["command"]
    # --scale needs neither a fixed container name nor a published host port
    assert "container_name" not in worker and "ports" not in worker
    environment = worker["environment"]
    assert re.fullmatch(r"\$\{SPARK_WORKER_CORES:-\d+\}", environment["SPARK_WORKER_CORES"])
    assert re.fullmatch(r"\$\{SPARK_WORKER_MEMORY:-\d+[mg]\}", environment["SPARK_WORKER_MEMORY"])
    jupyter = services["jupyter"]
    assert any(str(v).startswith("../exercises:") for v in jupyter["volumes"])
    assert (COMPOSE.parent / "../exercises").resolve() == ROOT / "exercises"
    assert (COMPOSE.parent / jupyter["build"]["context"] / "Dockerfile").is_file()


def test_grader_image() -> None:
    steps = instructions(DOCKER / "Dockerfile")
    assert steps[0][0] in ("FROM", "ARG")
    base = next(value for instruction, value in steps if instruction == "FROM")
    assert re.fullmatch(r"python:3\.11-slim(-bookworm)?", base)
    runs = " ".join(value for instruction, value in steps if instruction == "RUN")
    assert "openjdk-17-jre-headless" in runs
    assert "pip install" in runs and "-e ." in runs  # editable: fixtures/ beside grader/
    user = [value for instruction, value in steps if instruction == "USER"][-1]
    assert user.split(":")[0] not in ("root", "0")
    assert ("ENTRYPOINT", '["grader"]') in steps
    for instruction, value in steps:
        if instruction == "COPY":
            for source in value.split()[:-1]:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
