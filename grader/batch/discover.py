"""Which submissions a batch grades: every folder and notebook in a class folder, and shards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

IGNORED = frozenset({"__pycache__", "__MACOSX"})
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class BatchError(ValueError):
    """The batch cannot start: a bad folder, option or output (a usage error, exit 2)."""


@dataclass(frozen=True)
class Entry:
    """One submission of the class: its id (folder name or notebook stem) and its path."""

    id: str
    path: Path


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based), as given to ``--shard K/N``."""

    index: int = 1
    count: int = 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = _SHARD.match(text)
    if not match:
        raise BatchError(f"--shard {text!r}: expected K/N, for example 2/4")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise BatchError(f"--shard {text!r}: K must be between 1 and N")
    return Shard(index, count)


def discover(source: Path, *, exclude: Path | None = None) -> list[Entry]:
    """Every subfolder and ``*.ipynb`` file of ``source``, sorted by id.

    Hidden entries (a leading dot) and ``__pycache__`` are skipped, and so is ``exclude``
    (the output folder, when it lies inside the class folder). Two entries with one id
    (``alice/`` and ``alice.ipynb``) are an error: the gradebook needs one row per id.
    """
    if not source.is_dir():
        raise BatchError(f"{source}: not a folder of submissions")
    skip = exclude.resolve() if exclude is not None else None
    found: dict[str, list[Path]] = {}
    for child in sorted(source.iterdir()):
        if child.name.startswith(".") or child.name in IGNORED:
            continue
        if skip is not None and child.resolve() == skip:
            continue
        if child.is_dir():
            found.setdefault(child.name, []).append(child)
        elif child.is_file() and child.suffix.lower() == ".ipynb":
            found.setdefault(child.stem, []).append(child)
    clashes = {i: paths for i, paths in found.items() if len(paths) > 1}
    if clashes:
        listed = "; ".join(
            f"{i}: {', '.join(p.name for p in paths)}" for i, paths in sorted(clashes.items())
        )
        raise BatchError(f"{source}: several submissions share an id ({listed}); rename one")
    return [Entry(i, paths[0]) for i, paths in sorted(found.items())]


def select_shard(entries: list[Entry], shard: Shard) -> list[Entry]:
    """Round robin over the sorted ids: shard K takes the entries K-1, K-1+N, K-1+2N, ...

    Deterministic for a given class folder, and the shards differ in size by one at most.
    """
    ordered = sorted(entries, key=lambda e: e.id)
    return ordered[shard.index - 1 :: shard.count]
