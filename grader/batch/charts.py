"""Chart geometry for inline SVG: numbers only; the template draws, Jinja2 escapes the text."""

from __future__ import annotations

from typing import Any

CHART_WIDTH = 720
CHART_HEIGHT = 240
MARGIN_TOP = 24
MARGIN_BOTTOM = 40
MARGIN_SIDE = 12
METER_WIDTH = 160
METER_HEIGHT = 14


def bar_chart(labels: list[str], counts: list[int], *, title: str) -> dict[str, Any]:
    """A vertical bar per label, scaled to the largest count; an empty chart has no bars."""
    slots = max(1, len(labels))
    slot = (CHART_WIDTH - 2 * MARGIN_SIDE) / slots
    plot = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = max(counts, default=0)
    bars = []
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        height = round(plot * count / top, 1) if top else 0.0
        x = round(MARGIN_SIDE + index * slot + slot * 0.1, 1)
        bars.append({
            "label": label,
            "count": count,
            "x": x,
            "width": round(slot * 0.8, 1),
            "y": round(MARGIN_TOP + plot - height, 1),
            "height": height,
            "middle": round(x + slot * 0.4, 1),
        })
    return {
        "title": title,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - MARGIN_BOTTOM,
        "label_y": CHART_HEIGHT - MARGIN_BOTTOM + 18,
        "left": MARGIN_SIDE,
        "right": CHART_WIDTH - MARGIN_SIDE,
        "bars": bars,
    }


def meter(rate: int) -> dict[str, Any]:
    """A horizontal bar for a pass rate in percent (0-100), coloured by how well it went."""
    rate = max(0, min(100, rate))
    level = "good" if rate >= 80 else "fair" if rate >= 50 else "poor"
    return {"width": METER_WIDTH, "height": METER_HEIGHT,
            "fill": round(METER_WIDTH * rate / 100, 1), "level": level, "rate": rate}
