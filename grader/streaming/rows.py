"""Rows as plain data, compared as multisets, with a structured diff on mismatch."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
FLOAT_DIGITS = 4


def normalize_value(value: Any) -> Any:
    """Floats are rounded so that FloatType and DoubleType answers compare equal."""
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    return value


def normalize_row(
    row: Mapping[str, Any], converters: Mapping[str, Callable[[Any], Any]] | None = None
) -> Row:
    converters = converters or {}
    return {
        name: converters[name](value) if name in converters else normalize_value(value)
        for name, value in row.items()
    }


def row_key(row: Mapping[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)


def sort_rows(rows: Iterable[Mapping[str, Any]]) -> list[Row]:
    return sorted((dict(r) for r in rows), key=row_key)


@dataclass
class RowsMismatch(AssertionError):
    """Expected and actual rows differ; ``missing``/``unexpected`` hold the difference."""

    expected: list[Row]
    actual: list[Row]
    missing: list[Row] = field(default_factory=list)
    unexpected: list[Row] = field(default_factory=list)
    columns_expected: list[str] = field(default_factory=list)
    columns_actual: list[str] = field(default_factory=list)
    context: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.context] if self.context else []
        if self.columns_expected != self.columns_actual:
            parts.append(
                f"columns differ: expected {self.columns_expected}, got {self.columns_actual}"
            )
        parts.append(format_table("expected", self.expected))
        parts.append(format_table("actual", self.actual))
        if self.missing:
            parts.append(format_table("missing", self.missing))
        if self.unexpected:
            parts.append(format_table("unexpected", self.unexpected))
        return "\n".join(parts)


def format_table(title: str, rows: Sequence[Mapping[str, Any]], limit: int = 10) -> str:
    """A small fixed-width text table, capped at ``limit`` rows."""
    if not rows:
        return f"{title}: (no rows)"
    columns = list(dict.fromkeys(c for r in rows for c in r))
    shown = [[_cell(r.get(c)) for c in columns] for r in rows[:limit]]
    widths = [max(len(c), *(len(s[i]) for s in shown)) for i, c in enumerate(columns)]
    line = " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    body = [" | ".join(v.ljust(w) for v, w in zip(s, widths, strict=True)) for s in shown]
    more = [f"... {len(rows) - limit} more rows"] if len(rows) > limit else []
    return "\n".join([f"{title} ({len(rows)} rows):", line, "-" * len(line), *body, *more])


def _cell(value: Any) -> str:
    return "null" if value is None else str(value)


def columns_of(rows: Sequence[Mapping[str, Any]], fallback: Sequence[str] = ()) -> list[str]:
    return sorted(rows[0]) if rows else sorted(fallback)


def assert_rows_equal(
    expected: Iterable[Mapping[str, Any]],
    actual: Iterable[Mapping[str, Any]],
    *,
    converters: Mapping[str, Callable[[Any], Any]] | None = None,
    actual_columns: Sequence[str] | None = None,
    context: str = "",
) -> None:
    """Raise ``RowsMismatch`` unless both are the same multiset of rows (order ignored)."""
    exp = sort_rows(normalize_row(r, converters) for r in expected)
    act = sort_rows(normalize_row(r, converters) for r in actual)
    exp_counts = Counter(row_key(r) for r in exp)
    act_counts = Counter(row_key(r) for r in act)
    if exp_counts == act_counts:
        return
    by_key = {row_key(r): r for r in exp + act}
    missing = [by_key[k] for k in sorted((exp_counts - act_counts).elements())]
    unexpected = [by_key[k] for k in sorted((act_counts - exp_counts).elements())]
    raise RowsMismatch(
        expected=exp,
        actual=act,
        missing=missing,
        unexpected=unexpected,
        columns_expected=columns_of(exp),
        columns_actual=columns_of(act, actual_columns or ()),
        context=context,
    )
