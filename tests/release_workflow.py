"""Read the release's GitHub workflow: its jobs, steps and the scripts they run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from grader.release.build import TEMPLATE

WORKFLOW = TEMPLATE / "grade.yml"


def load_workflow(path: Path = WORKFLOW) -> dict[str, Any]:
    # YAML 1.2 (ruamel): the key ``on`` stays a string, as GitHub reads it.
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_script(path: Path, name: str) -> tuple[str, dict[str, str]]:
    """The ``run`` script of the step called ``name`` and the ``env`` it runs with."""
    workflow = load_workflow(path)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("name") == name:
                env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                return str(step["run"]), {k: str(v) for k, v in env.items()}
    raise KeyError(f"{path}: no step named {name!r}")
