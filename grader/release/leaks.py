"""What must never reach students, derived from the sources, and a scan of a folder for it.

Secrets come from the project itself, so the scan follows every change: the body of each
``# BEGIN SOLUTION`` region in ``solutions/`` (line by line, and whole with the whitespace
taken out) and, from the hidden scenarios and the hidden rubric checks, every name,
description, input line and user ID that no public file already shows.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.authoring.assign import BEGIN, END, MODULES, make_stub

MIN_LINE = 20  # shorter solution lines (".count()", "return (") are not distinctive
MIN_HIDDEN = 6  # shorter hidden strings could occur anywhere by chance
FORBIDDEN_PARTS = ("solutions", "hidden")  # folder or file names that never ship
# The trusted harness parses fixture lines with the reference schema so that each blank is
# graded on its own input; it is shipped with the self-check, so these overlaps are known.
HARNESS_OVERLAPS: dict[str, tuple[str, ...]] = {
    "parse_transactions": ("grader/sandbox/probes.py",),
}
_PLACEHOLDER = re.compile(r"^(\.\.\.|pass|return \.\.\.|raise NotImplementedError\b.*|#.*)?$")


@dataclass(frozen=True)
class Secret:
    text: str
    origin: str  # where it comes from, e.g. "solutions/aggregation.py: flagged_counts"
    whole: bool = False  # compared with all whitespace removed
    allowed_in: tuple[str, ...] = ()  # release paths where it is known to appear


@dataclass(frozen=True)
class Leak:
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def solution_regions(source: str) -> Iterator[tuple[str, list[str]]]:
    """(function name, body lines) of each solution region of one module."""
    owner: dict[int, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for number in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                owner[number] = node.name
    body: list[str] | None = None
    start = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN:
            body, start = [], number
        elif line.strip() == END and body is not None:
            yield owner.get(start, "?"), body
            body = None
        elif body is not None:
            body.append(line)


def solution_secrets(solutions: Path) -> list[Secret]:
    secrets: list[Secret] = []
    for name in MODULES:
        source = (solutions / name).read_text(encoding="utf-8")
        public = make_stub(source)  # what the stub shows is public by construction
        for function, body in solution_regions(source):
            origin = f"solutions/{name}: {function}"
            allowed = HARNESS_OVERLAPS.get(function, ())
            whole = squeeze("\n".join(body))
            if len(whole) >= MIN_LINE:
                secrets.append(Secret(whole, origin, whole=True, allowed_in=allowed))
            for line in {line.strip() for line in body}:
                if len(line) >= MIN_LINE and line not in public:
                    secrets.append(Secret(line, origin, allowed_in=allowed))
    return [_with_overlaps(secret, secrets) for secret in secrets]


def _with_overlaps(secret: Secret, secrets: list[Secret]) -> Secret:
    """A line that a known overlap contains (a shared prefix) is allowed where it is."""
    allowed = {
        path
        for other in secrets
        if other.allowed_in and not other.whole and secret.text in other.text
        for path in other.allowed_in
    }
    extra = tuple(sorted(allowed - set(secret.allowed_in)))
    if not extra:
        return secret
    return Secret(secret.text, secret.origin, secret.whole, secret.allowed_in + extra)


def json_strings(data: Any) -> Iterator[str]:
    """Every string in a JSON document, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from json_strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_strings(item)


def _public_corpus(source: Path) -> str:
    fixtures = source / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("messages/*"))]
    for path in sorted(fixtures.glob("scenarios/public/*.json")):
        texts.extend(json_strings(json.loads(path.read_text(encoding="utf-8"))))
    for check in _rubric_checks(source):
        if check.get("visibility") == "public":
            texts.extend(str(v) for v in check.values())
    for name in MODULES:
        texts.append((source / "exercises" / name).read_text(encoding="utf-8"))
    return "\n".join(texts)


def _rubric_checks(source: Path) -> list[dict[str, Any]]:
    rubric = tomllib.loads((source / "grader" / "rubric.toml").read_text(encoding="utf-8"))
    return list(rubric.get("check", []))


def hidden_secrets(source: Path) -> list[Secret]:
    """Names, descriptions, lines and user IDs of the hidden fixtures no public file shows."""
    public = _public_corpus(source)
    found: dict[str, str] = {}
    for path in sorted((source / "fixtures" / "scenarios" / "hidden").glob("*.json")):
        origin = f"fixtures/scenarios/hidden/{path.name}"
        found.setdefault(path.stem, origin)
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("visibility", None)  # the word "hidden" itself is no secret
        for text in json_strings(data):
            found.setdefault(text, origin)
    for check in _rubric_checks(source):
        if check.get("visibility") == "hidden":
            for key in ("name", "description", "scenario"):
                if check.get(key):
                    found.setdefault(str(check[key]), f"grader/rubric.toml: {check['name']}")
    return [
        Secret(text, origin)
        for text, origin in found.items()
        if len(text.strip()) >= MIN_HIDDEN and text not in public
    ]


def hidden_names(source: Path) -> set[str]:
    """The hidden scenarios' names: no file or folder of a release may carry one."""
    return {p.stem for p in (source / "fixtures" / "scenarios" / "hidden").glob("*.json")}


def forbidden(source: Path) -> list[Secret]:
    """Every string a student release of the project at ``source`` must not contain."""
    return solution_secrets(source / "solutions") + hidden_secrets(source)


def _texts(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    texts = [text]
    if path.suffix in (".json", ".ipynb"):  # strings inside JSON are escaped in the raw text
        try:
            texts.append("\n".join(json_strings(json.loads(text))))
        except ValueError:
            pass
    return texts


def solved_regions(text: str) -> bool:
    """True when a solution region holds more than a placeholder (a worked example)."""
    inside = False
    for line in text.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and not _PLACEHOLDER.match(line.strip()):
            return True
    return False


def scan(root: Path, secrets: list[Secret], names: set[str] | frozenset[str] = frozenset(),
         ) -> list[Leak]:
    """Every file of ``root`` whose path shows one of ``names`` or whose text one of ``secrets``."""
    leaks: list[Leak] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        parts = path.relative_to(root).parts
        named = [p for p in parts if p in FORBIDDEN_PARTS or Path(p).stem in names]
        if named:
            leaks.append(Leak(relative, f"forbidden name {named[0]!r}"))
        texts = _texts(path)
        squeezed = [squeeze(t) for t in texts]
        for secret in secrets:
            if relative in secret.allowed_in:
                continue
            haystack = squeezed if secret.whole else texts
            if any(secret.text in text for text in haystack):
                leaks.append(Leak(relative, f"{secret.text[:60]!r} from {secret.origin}"))
        if any(solved_regions(text) for text in texts):
            leaks.append(Leak(relative, "a filled-in solution region"))
    return leaks
