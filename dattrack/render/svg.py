"""Inline SVG line charts for the HTML report: a few dated series, drawn to scale, no script."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from dattrack.render.output import readable

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 104, 16, 18, 36   # room for the value and date labels
COLOURS = ("#1f6feb", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#5c7cfa")
PIXEL = Decimal("0.1")


def line_chart(series: dict[str, list[tuple[str, Decimal | None]]], *, title: str, kind: str = "qty",
               step: bool = False, reference: Decimal | None = None, reference_label: str = "") -> str:
    """One <svg> (viewBox-scaled, so it fits a phone) with a line per series; `step` holds each value
    until the next date (holdings change only when a disclosure says so); `reference` draws a dashed
    horizontal line (mNAV 1.0). Gaps (None) break the line."""
    points = [(d, v) for values in series.values() for d, v in values if v is not None]
    label = escape(title, quote=True)
    if not points:
        return (f'<svg class="chart empty" viewBox="0 0 {WIDTH} 60" role="img" aria-label="{label}: no data">'
                f'<text x="{WIDTH // 2}" y="34" text-anchor="middle">{escape(title)}: no data yet</text></svg>')
    days = [_day(d) for d, _ in points]
    first, last = min(days), max(days)
    values = [v for _, v in points] + ([reference] if reference is not None else [])
    low, high = min(values), max(values)
    if low == high:
        low, high = low - (abs(low) / 10 or 1), high + (abs(high) / 10 or 1)
    span_days = max((last - first).days, 1)

    def x(day: dt.date) -> Decimal:
        return (Decimal(LEFT) + Decimal((day - first).days) * (WIDTH - LEFT - RIGHT) / span_days).quantize(PIXEL)

    def y(value: Decimal) -> Decimal:
        return (Decimal(TOP) + (high - value) * (HEIGHT - TOP - BOTTOM) / (high - low)).quantize(PIXEL)

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">',
             f'<title>{escape(title)}</title>',
             f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>']
    for value in (high, low):
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4}" text-anchor="end">'
                     f'{escape(readable(value, kind, compact=True))}</text>')
    parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 10}">{first.isoformat()}</text>')
    parts.append(f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" text-anchor="end">{last.isoformat()}</text>')
    if reference is not None:
        parts.append(f'<line class="reference" x1="{LEFT}" y1="{y(reference)}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(reference)}"/><text class="tick" x="{WIDTH - RIGHT - 4}" y="{y(reference) - 4}" '
                     f'text-anchor="end">{escape(reference_label)}</text>')
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        for run in _runs(values):
            coords = []
            for position, (day, value) in enumerate(run):
                if step and position:
                    coords.append(f"{x(_day(day))},{y(run[position - 1][1])}")
                coords.append(f"{x(_day(day))},{y(value)}")
            if step and run[-1][0] != last.isoformat():
                coords.append(f"{x(last)},{y(run[-1][1])}")
            if len(coords) == 1:
                cx, cy = coords[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(coords)}"/>')
        if len(series) > 1:
            parts.append(f'<text class="legend" x="{LEFT + 8 + index * 110}" y="{TOP + 16}" fill="{colour}">'
                         f'{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _runs(values: list[tuple[str, Decimal | None]]) -> list[list[tuple[str, Decimal]]]:
    """Stretches of known values; None splits them."""
    runs: list[list[tuple[str, Decimal]]] = [[]]
    for day, value in values:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((day, value))
    return [run for run in runs if run]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
