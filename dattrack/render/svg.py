"""Inline SVG line charts for the HTML report: a few dated series drawn to scale, with a y axis of
round ticks and gridlines, dated x ticks, the last value labelled and gaps where a value is unknown.
No script; every text escaped. Positions are whole units of the view box (exact integer arithmetic,
finer than any screen shows the page), and a line keeps at most four points a column of it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from html import escape
from itertools import groupby
from operator import itemgetter

from dattrack.render.output import SUFFIXES, readable, short_money

# The viewBox. Its text is drawn at FONT units: shown ~350 px wide (a phone, or a third of the page at
# 1200 px) that is about 12 px on screen.
WIDTH, HEIGHT, FONT = 460, 250, 16
LEFT, RIGHT, TOP, BOTTOM = 62, 70, 28, 30     # room for y ticks, last values, the legend and x ticks
COLOURS = ("#1f6feb", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#5c7cfa")
Y_TICKS = 4       # about this many intervals on the y axis
X_TICKS = 4       # at most this many dated ticks (their labels never touch)
LABEL_GAP = 18    # last-value labels at least this far apart, in viewBox units
THOUSAND = Decimal(1000)


def line_chart(series: dict[str, list[tuple[str, Decimal | None]]], *, title: str, kind: str = "qty",
               step: bool = False, reference: Decimal | None = None, reference_label: str = "",
               span: tuple[str, str] | None = None, unknown: dict[str, str] | None = None) -> str:
    """One <svg> (viewBox-scaled, so it fits a phone) with a line per series of (ISO date, value).
    `step` holds each value until the next date (holdings change only when a disclosure says so);
    `reference` draws a dashed horizontal line (mNAV 1.0); None values break the line (a gap, never
    a drop to 0). `span`: the dates the x axis covers at least (all the charts of a company share it);
    `unknown`: series name -> the date before which its value is unknown (shaded and said)."""
    points = [(d, v) for values in series.values() for d, v in values if v is not None]
    label = escape(title, quote=True)
    if not points:
        return (f'<svg class="chart empty" viewBox="0 0 {WIDTH} 60" role="img" aria-label="{label}: no data">'
                f'<text x="{WIDTH // 2}" y="36" text-anchor="middle">{escape(title)}: no data yet</text></svg>')
    days = [_ordinal(d) for d, _ in points]
    first, last = min(days), max(days)
    if span is not None:
        first, last = min(first, _ordinal(span[0])), max(last, _ordinal(span[1]))
    last = max(last, first + 1)
    values = [v for _, v in points] + ([reference] if reference is not None else [])
    ticks = y_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    x_scale = WIDTH - LEFT - RIGHT
    y_scale = Decimal(HEIGHT - TOP - BOTTOM) / (high - low)

    def x(day: int) -> int:
        return LEFT + (day - first) * x_scale // (last - first)

    def y(value: Decimal) -> int:
        return TOP + int((high - value) * y_scale)

    dates = f"{dt.date.fromordinal(first).isoformat()} to {dt.date.fromordinal(last).isoformat()}"
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}, {dates}" '
             f'font-size="{FONT}">', f'<title>{escape(title)}, {dates}</title>']
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    for name, until in (unknown or {}).items():   # before a first disclosure: unknown, not 0
        end = min(max(_ordinal(until), first), last)
        if end > first:
            width = x(end) - LEFT
            words = next((w for w in (f"unknown before {until}", "unknown") if len(w) * FONT * 6 <= width * 10), "")
            parts.append(f'<rect class="unknown" x="{LEFT}" y="{TOP}" width="{width}" '
                         f'height="{HEIGHT - TOP - BOTTOM}"><title>{escape(name)}: no disclosure before '
                         f'{escape(until)}: unknown, not 0</title></rect>')
            if words:
                parts.append(f'<text class="note" x="{LEFT + 6}" y="{TOP + FONT + 2}">{escape(words)}</text>')
    for tick in ticks:
        at = y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{at}" x2="{WIDTH - RIGHT}" y2="{at}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{at + FONT * 3 // 10}" text-anchor="end">'
                     f'{escape(tick_text(tick, ticks, kind))}</text>')
    for day, text in x_ticks(first, last):
        at = x(day)
        parts.append(f'<line class="grid" x1="{at}" y1="{TOP}" x2="{at}" y2="{HEIGHT - BOTTOM}"/>'
                     f'<line class="axis" x1="{at}" y1="{HEIGHT - BOTTOM}" x2="{at}" y2="{HEIGHT - BOTTOM + 4}"/>'
                     f'<text class="tick" x="{at}" y="{HEIGHT - BOTTOM + FONT + 4}" text-anchor="middle">'
                     f'{escape(text)}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
                 f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>')
    if reference is not None:
        at = y(reference)
        parts.append(f'<line class="reference" x1="{LEFT}" y1="{at}" x2="{right}" y2="{at}"/>'
                     f'<text class="reference-label" x="{LEFT + 6}" y="{at - 4}">{escape(reference_label)}</text>')
    ends: list[tuple[int, str, str]] = []   # (y, text, colour) of each series' last known value
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        runs = _runs(values)
        for run in runs:
            points = _columns([(x(_ordinal(day)), y(value)) for day, value in run], step)
            if step and run is runs[-1] and _ordinal(run[-1][0]) != last:
                points.append((x(last), points[-1][1]))   # held until the end of the axis
            if len(points) == 1:
                ((cx, cy),) = points
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                coords = " ".join(f"{px},{py}" for px, py in points)
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        known = [(day, value) for day, value in values if value is not None]
        if known:
            ends.append((y(known[-1][1]), last_text(known[-1][1], kind), colour))
        if len(series) > 1:   # a legend: a swatch and the name, in a row over the plot
            at = LEFT + index * 96
            parts.append(f'<rect x="{at}" y="{TOP - 17}" width="12" height="12" fill="{colour}"/>'
                         f'<text class="legend" x="{at + 16}" y="{TOP - 6}">{escape(name)}</text>')
    for at, text, colour in _spread(ends, TOP + FONT * 4 // 10, bottom):
        parts.append(f'<text class="last" x="{WIDTH - RIGHT + 6}" y="{at}" fill="{colour}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def y_ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Round values (1, 2, 2.5 or 5 × a power of ten apart) from at or below `low` to at or above
    `high`, about Y_TICKS intervals; a flat series gets a band around its value."""
    if low == high:
        pad = abs(low) / 10 or Decimal(1)
        low, high = low - pad, high + pad
    raw = (high - low) / Y_TICKS
    power = Decimal(1).scaleb(raw.adjusted())
    step = next(m * power for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * power >= raw)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [start]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def tick_text(value: Decimal, ticks: list[Decimal], kind: str) -> str:
    """A y tick as short as the axis needs: a million or more with its suffix (400M, 1.2B), on an axis
    that reaches 100,000 a thousand or more too (850K), the decimals the step needs in that unit and no
    more; 0 as 0."""
    if value == 0:
        return "0"
    step = ticks[1] - ticks[0]
    size, suffix = next(((s, x) for s, x in (*SUFFIXES, (THOUSAND, "K")) if abs(value) >= s), (Decimal(1), ""))
    if suffix == "K" and max(abs(ticks[0]), abs(ticks[-1])) < 100 * THOUSAND:
        size, suffix = Decimal(1), ""   # 14,000 fits the axis; 850,000 does not: 850K
    decimals = max(0, -(step / size).normalize().as_tuple().exponent)
    if kind == "ratio" and not suffix:
        decimals = max(decimals, 1)
    return f"{value / size:,.{decimals}f}{suffix}"


def last_text(value: Decimal, kind: str) -> str:
    """The label at the end of a line, at most 6 characters: the value as the tables show it, shortened
    from ten thousand up (13.13K, 5.673M, 53.92B)."""
    if abs(value) >= SUFFIXES[-1][0]:
        return short_money(value)
    if abs(value) >= 10_000:
        scaled = value / 1000
        for decimals in (2, 1, 0):   # four figures: 13.13K, 100.0K (99,999 rounds up), 999.9K
            text = f"{scaled:.{decimals}f}"
            if len(text.lstrip("-").split(".")[0]) + decimals <= 4:
                break
        return short_money(value) if abs(Decimal(text)) >= 1000 else text + "K"
    return readable(value, kind if kind in ("ratio", "money") else "computed", compact=True)


def x_ticks(first: int, last: int) -> list[tuple[int, str]]:
    """Dated ticks between two day ordinals: the first of every 1, 2, 3, 6, 12, 24 or 60 months (the
    finest step giving at most X_TICKS), labelled 2025-10 (or 2025 by years); a span of a few weeks
    gets days, labelled 07-14."""
    start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
    for months in (1, 2, 3, 6, 12, 24, 60):
        ticks = _month_starts(start, end, months)
        if len(ticks) <= X_TICKS:
            break
    if len(ticks) >= 2:
        return [(day.toordinal(), f"{day.year}" if months >= 12 else f"{day.year}-{day.month:02d}") for day in ticks]
    step = next(days for days in (1, 2, 7, 14, 28) if (last - first) // days <= X_TICKS)
    return [(day, dt.date.fromordinal(day).strftime("%m-%d")) for day in range(first + step, last + 1, step)]


def _month_starts(start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    """The first days of months after `start` up to `end` whose month number is a multiple of the step
    (every 3 months: January, April, July, October)."""
    found, index = [], start.year * 12 + start.month   # the month after start's, counted from year 0
    while True:
        day = dt.date(index // 12, index % 12 + 1, 1)
        if day > end:
            return found
        if index % months == 0:
            found.append(day)
        index += 1


def _spread(labels: list[tuple[int, str, str]], top: int, bottom: int) -> list[tuple[int, str, str]]:
    """Labels at their line's height, pushed apart so that none overlaps another."""
    placed: list[tuple[int, str, str]] = []
    gap = LABEL_GAP
    for at, text, colour in sorted((at + FONT * 35 // 100, text, colour) for at, text, colour in labels):
        at = max(at, top, placed[-1][0] + gap if placed else top)
        placed.append((at, text, colour))
    overflow = (placed[-1][0] - bottom) if placed else 0
    return [(at - max(overflow, 0), text, colour) for at, text, colour in placed]


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
