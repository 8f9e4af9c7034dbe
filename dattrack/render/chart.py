"""A line chart in the terminal: Braille dots (2 x 4 per character cell), time on the x axis.

Unknown values are gaps in the line, never zeros; one point is one dot; a range that crosses
zero gets a zero line. Positions are computed with Decimals, like every other figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from dattrack.render.output import display
from dattrack.render.safe import printable

BRAILLE_BLANK = 0x2800
# The bit of each dot in a Braille cell, by [row from the top][column].
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
CHART_ROWS = 10
MIN_PLOT_COLUMNS = 10
LINE_STYLE = "cyan"
AXIS_STYLE = "dim"

Point = tuple[str, Decimal | None]     # (ISO date, value or None when unknown)


class Canvas:
    """A grid of Braille cells addressed by dot: x from the left, y from the bottom."""

    def __init__(self, columns: int, rows: int):
        self.cells = [[0] * columns for _ in range(rows)]
        self.width, self.height = columns * 2, rows * 4

    def dot(self, x: int, y: int) -> None:
        from_top = self.height - 1 - y
        self.cells[from_top // 4][x // 2] |= DOT_BITS[from_top % 4][x % 2]

    def line(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Bresenham: every dot on the way from start to end."""
        (x, y), (x1, y1) = start, end
        dx, dy = abs(x1 - x), -abs(y1 - y)
        step_x, step_y = (1 if x1 > x else -1), (1 if y1 > y else -1)
        error = dx + dy
        while True:
            self.dot(x, y)
            if (x, y) == (x1, y1):
                return
            doubled = 2 * error
            if doubled >= dy:
                error += dy
                x += step_x
            if doubled <= dx:
                error += dx
                y += step_y

    def row_text(self, row: int) -> str:
        return "".join(chr(BRAILLE_BLANK + bits) if bits else " " for bits in self.cells[row])

    def row_is_empty_at(self, row: int, column: int) -> bool:
        return self.cells[row][column] == 0


def line_chart(points: Sequence[Point], *, width: int, title: str, kind: str = "qty",
               rows: int = CHART_ROWS) -> Text:
    """The chart of one series, in `width` terminal columns, with its labels.
    `points` are in date order; `kind` is how values are shown (see render.output.display)."""
    known = [(day, value) for day, value in points if value is not None]
    lines = [Text(printable(title, inline=True), style="bold")]
    if not known:
        return Text("\n").join([*lines, Text("no values to chart", style=AXIS_STYLE)])
    low, high = min(v for _, v in known), max(v for _, v in known)
    axis_labels = _axis_labels(low, high, kind)
    label_width = max(len(label) for label in axis_labels.values())
    columns = max(width - label_width - 2, MIN_PLOT_COLUMNS)
    canvas = Canvas(columns, rows)
    _draw(canvas, points, low, high)
    zero_row = _row_of(Decimal(0), low, high, canvas) if low < 0 < high else None
    for row in range(rows):
        label = axis_labels.get(_label_position(row, rows, zero_row), "")
        line = Text(f"{label:>{label_width}} {'┤' if label else '│'}", style=AXIS_STYLE)
        lines.append(line + _plot_row(canvas, row, row == zero_row))
    lines.append(Text(" " * label_width + " └" + "─" * columns, style=AXIS_STYLE))
    lines.append(Text(" " * (label_width + 2) + _date_axis(points[0][0], points[-1][0], columns), style=AXIS_STYLE))
    lines.extend(Text(line) for line in _summary(known, low, high, kind))
    return Text("\n").join(lines)


def _axis_labels(low: Decimal, high: Decimal, kind: str) -> dict[str, str]:
    labels = {"top": display(high, kind), "bottom": display(low, kind)}
    if low < 0 < high:
        labels["zero"] = "0"
    return labels


def _label_position(row: int, rows: int, zero_row: int | None) -> str | None:
    if row == 0:
        return "top"
    if row == rows - 1:
        return "bottom"
    return "zero" if row == zero_row else None


def _draw(canvas: Canvas, points: Sequence[Point], low: Decimal, high: Decimal) -> None:
    """Consecutive known values are joined; an unknown value breaks the line."""
    first_day, last_day = _ordinal(points[0][0]), _ordinal(points[-1][0])
    previous = None
    for day, value in points:
        if value is None:
            previous = None
            continue
        here = (_x_of(_ordinal(day), first_day, last_day, canvas), _y_of(value, low, high, canvas))
        if previous is None:
            canvas.dot(*here)
        else:
            canvas.line(previous, here)
        previous = here


def _x_of(day: int, first_day: int, last_day: int, canvas: Canvas) -> int:
    if last_day == first_day:
        return 0
    return (day - first_day) * (canvas.width - 1) // (last_day - first_day)


def _y_of(value: Decimal, low: Decimal, high: Decimal, canvas: Canvas) -> int:
    if high == low:
        return canvas.height // 2
    return int(((value - low) * (canvas.height - 1) / (high - low)).to_integral_value())


def _row_of(value: Decimal, low: Decimal, high: Decimal, canvas: Canvas) -> int:
    return (canvas.height - 1 - _y_of(value, low, high, canvas)) // 4


def _plot_row(canvas: Canvas, row: int, is_zero_row: bool) -> Text:
    if not is_zero_row:
        return Text(canvas.row_text(row), style=LINE_STYLE)
    plotted = Text()
    for column, glyph in enumerate(canvas.row_text(row)):
        if canvas.row_is_empty_at(row, column):
            plotted.append("┈", style=AXIS_STYLE)
        else:
            plotted.append(glyph, style=LINE_STYLE)
    return plotted


def _date_axis(first: str, last: str, columns: int) -> str:
    if first == last:
        return first
    return first + " " * max(columns - len(first) - len(last), 1) + last


def _summary(known: list[Point], low: Decimal, high: Decimal, kind: str) -> list[str]:
    (first_day, first), (last_day, last) = known[0], known[-1]
    if len(known) == 1:
        return [f"one value: {display(last, kind)} on {last_day}"]
    change = last - first
    sign = "+" if change > 0 else ""
    return [f"first {display(first, kind)} on {first_day} · last {display(last, kind)} on {last_day} · "
            f"change {sign}{display(change, kind)}",
            f"min {display(low, kind)} · max {display(high, kind)}"]


def _ordinal(day: str) -> int:
    return dt.date.fromisoformat(day).toordinal()
