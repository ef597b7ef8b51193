"""Load and validate the rubric file (TOML), naming the entry behind any bad value."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.results import EXERCISES

DEFAULT_RUBRIC = Path(__file__).resolve().parents[1] / "rubric.toml"
KINDS = ("schema_fields", "schema_parse", "static", "stream", "socket", "writer")
NEEDS_SCENARIO = ("schema_parse", "static", "stream")
MODES = {"stream": ("append", "update", "complete"), "writer": ("update", "complete", "default")}
ASPECTS = {"socket": ("streaming_dataframe", "reads_producer"), "writer": ("config", "not_started")}


class RubricError(ValueError):
    """The rubric file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class CheckSpec:
    name: str
    exercise: str
    kind: str
    points: float
    visibility: str
    description: str = ""
    scenario: str | None = None
    mode: str | None = None
    aspect: str | None = None
    messages: str | None = None
    restart: bool = False


def load_rubric(path: Path | None = None) -> list[CheckSpec]:
    path = path or DEFAULT_RUBRIC
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RubricError(f"{path}: no such rubric file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("check")
    if not isinstance(entries, list) or not entries:
        raise RubricError(f"{path}: no [[check]] entries")
    specs = [_spec(path, index, entry) for index, entry in enumerate(entries, start=1)]
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise RubricError(f"{path}: check {spec.name!r} is listed twice")
        seen.add(spec.name)
    return specs


def _spec(path: Path, index: int, entry: object) -> CheckSpec:
    where = f"{path}: check #{index}"
    if not isinstance(entry, dict):
        raise RubricError(f"{where}: not a table")
    where = f"{path}: check #{index} ({entry.get('name', 'unnamed')})"
    allowed = set(CheckSpec.__dataclass_fields__) | {"points"}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise RubricError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("name", "exercise", "kind", "points", "visibility"):
        if key not in entry:
            raise RubricError(f"{where}: missing {key!r}")
    if entry["exercise"] not in EXERCISES:
        raise RubricError(f"{where}: exercise must be one of {', '.join(EXERCISES)}")
    kind = entry["kind"]
    if kind not in KINDS:
        raise RubricError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if entry["visibility"] not in ("public", "hidden"):
        raise RubricError(f"{where}: visibility must be public or hidden")
    points = entry["points"]
    if not isinstance(points, int | float) or isinstance(points, bool) or points < 0:
        raise RubricError(f"{where}: points must be a number >= 0")
    if kind in NEEDS_SCENARIO and not entry.get("scenario"):
        raise RubricError(f"{where}: a {kind} check needs a scenario")
    if kind in MODES and entry.get("mode") not in MODES[kind]:
        raise RubricError(f"{where}: mode must be one of {', '.join(MODES[kind])}")
    if kind in ASPECTS and entry.get("aspect") not in ASPECTS[kind]:
        raise RubricError(f"{where}: aspect must be one of {', '.join(ASPECTS[kind])}")
    if kind == "socket" and not entry.get("messages"):
        raise RubricError(f"{where}: a socket check needs messages")
    return CheckSpec(**{**entry, "points": float(points)})
