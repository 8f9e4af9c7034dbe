"""Inline SVG line charts for the HTML report: a few dated series, drawn to scale, no script."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from html import escape

from dattrack.numbers import tidy
from dattrack.render.output import readable

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 104, 16, 18, 36   # room for the value and date labels
COLOURS = ("#1f6feb", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#5c7cfa")


def line_chart(series: dict[str, list[tuple[str, Decimal | None]]], *, title: str, kind: str = "qty",
               step: bool = False, reference: Decimal | None = None, reference_label: str = "",
               span: tuple[str, str] | None = None, unknown: dict[str, str] | None = None) -> str:
    """One <svg> (viewBox-scaled, so it fits a phone) with a line per series; `step` holds each value
    until the next date (holdings change only when a disclosure says so); `reference` draws a dashed
    horizontal line (mNAV 1.0). Gaps (None) break the line. `span`: the dates the x axis covers (all
    the charts of a company share it, so a stretch with no value shows as a gap); `unknown`: series ->
    the date before which its value is unknown, shaded and labelled."""
    points = [(d, v) for values in series.values() for d, v in values if v is not None]
    label = escape(title, quote=True)
    if not points:
        return (f'<svg class="chart empty" viewBox="0 0 {WIDTH} 60" role="img" aria-label="{label}: no data">'
                f'<text x="{WIDTH // 2}" y="34" text-anchor="middle">{escape(title)}: no data yet</text></svg>')
    days = [_ordinal(d) for d, _ in points]
    first, last = min(days), max(days)
    if span is not None:
        first, last = min(first, _ordinal(span[0])), max(last, _ordinal(span[1]))
    values = [v for _, v in points] + ([reference] if reference is not None else [])
    low, high = min(values), max(values)
    if low == high:
        low, high = low - (abs(low) / 10 or 1), high + (abs(high) / 10 or 1)
    span_days = max(last - first, 1)
    # Whole units of the 640-wide view box: exact integer arithmetic, cheap for thousands of points,
    # and finer than any screen shows the page.
    x_scale, y_scale = WIDTH - LEFT - RIGHT, Decimal(HEIGHT - TOP - BOTTOM) / (high - low)

    def x(day: int) -> int:
        return LEFT + (day - first) * x_scale // span_days

    def y(value: Decimal) -> int:
        return TOP + int((high - value) * y_scale)

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">',
             f'<title>{escape(title)}</title>',
             f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>']
    for value in (high, low):
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4}" text-anchor="end">'
                     f'{escape(readable(tidy(value), kind, compact=True))}</text>')
    parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 10}">{dt.date.fromordinal(first).isoformat()}</text>')
    parts.append(f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" text-anchor="end">'
                 f'{dt.date.fromordinal(last).isoformat()}</text>')
    for name, until in (unknown or {}).items():   # a stretch before a first disclosure: unknown, not 0
        end = min(max(_ordinal(until), first), last)
        if end > first:
            middle, centre = (TOP + HEIGHT - BOTTOM) // 2, (LEFT + x(end)) // 2   # the label inside the band
            parts.append(f'<rect class="unknown" x="{LEFT}" y="{TOP}" width="{x(end) - LEFT}" '
                         f'height="{HEIGHT - TOP - BOTTOM}"><title>{escape(name)}: no disclosure before '
                         f'{escape(until)}</title></rect><text class="tick" x="{centre}" y="{middle - 4}" '
                         f'text-anchor="middle">no disclosure<tspan x="{centre}" dy="20">before {escape(until)}'
                         f'</tspan></text>')
    if reference is not None:
        parts.append(f'<line class="reference" x1="{LEFT}" y1="{y(reference)}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(reference)}"/><text class="tick" x="{WIDTH - RIGHT - 4}" y="{y(reference) - 4}" '
                     f'text-anchor="end">{escape(reference_label)}</text>')
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        for run in _runs(values):
            points = _columns([(x(_ordinal(day)), y(value)) for day, value in run], step)
            if step and _ordinal(run[-1][0]) != last:
                points.append((x(last), points[-1][1]))
            if len(points) == 1:
                ((cx, cy),) = points
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                coords = " ".join(f"{px},{py}" for px, py in points)
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        if len(series) > 1:
            parts.append(f'<text class="legend" x="{LEFT + 8 + index * 110}" y="{TOP + 16}" fill="{colour}">'
                         f'{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _columns(points: list[tuple[int, int]], step: bool) -> list[tuple[int, int]]:
    """The points a line needs, at most four a column of the view box: where it enters the column
    (a step holds the previous value until there), how low and how high it goes in it, and where it
    leaves — so a spike within one column still shows, and a thousand dates cost no more than the
    width of the chart. A level stretch across columns is one segment."""
    drawn: list[tuple[int, int]] = []
    previous = None
    for column, group in groupby(points, key=itemgetter(0)):
        ys = [y_ for _, y_ in group]
        leave = ys[-1]
        enter = previous if step and previous is not None else ys[0]
        low, high = min(enter, *ys), max(enter, *ys)
        # through the far extreme first, so the way from `enter` to `leave` never doubles back
        for y_ in ((enter, low, high, leave) if leave >= enter else (enter, high, low, leave)):
            if drawn:
                last_x, last_y = drawn[-1]
                if last_y == y_:
                    if last_x == column:
                        continue
                    if len(drawn) >= 2 and drawn[-2][1] == y_:
                        drawn[-1] = (column, y_)
                        continue
            drawn.append((column, y_))
        previous = leave
    return drawn


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


@lru_cache(maxsize=4096)   # the same dates come back in every chart of a company
def _ordinal(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()
