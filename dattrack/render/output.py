"""The one output object: a command hands it rows and columns, it decides table, JSON or CSV."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from dattrack.render.encode import csv_cell, json_chunks


WRAP_TEXT_FROM = 40  # text wider than this (names, sources, notes) may wrap; keys and figures never do
LONG_TABLE_FROM = 1000  # rows; a longer table is drawn line by line (rich lays out ~1 ms a row)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Column:
    """How one key shows in a table. kind: text, qty, money, pct, ratio, date, bool, int.
    flag: the key of a boolean that marks this cell (e.g. a stale price)."""

    key: str
    header: str
    kind: str = "text"
    flag: str | None = None
    flag_text: str = "stale"


def emit(rows: Iterable[dict], columns: list[Column], fmt: Format, *, title: str | None = None,
         empty: str = "nothing to show", row_style=None) -> None:
    """JSON and CSV carry every key of every row; the table shows the given columns. JSON and CSV
    are written as the rows come (a stream of a million rows is never held at once)."""
    if fmt is Format.json:
        write = sys.stdout.write
        for chunk in json_chunks(rows):
            write(chunk)
        write("\n")
    elif fmt is Format.csv:
        rows = iter(rows)
        first = next(rows, None)
        keys = list(first.keys()) if first is not None else [c.key for c in columns]
        writer = csv.writer(sys.stdout, lineterminator="\r\n")  # RFC 4180: a bare CR in a cell gets quoted
        writer.writerow(keys)
        if first is not None:
            writer.writerow([csv_cell(first.get(k)) for k in keys])
        for row in rows:
            writer.writerow([csv_cell(row.get(k)) for k in keys])
    else:
        print_table(rows, columns, title=title, empty=empty, row_style=row_style)


def console(width: int | None = None):
    from rich.console import Console

    if width is None and not sys.stdout.isatty():
        width = int(os.environ.get("COLUMNS", "200"))
    return Console(width=width, highlight=False, soft_wrap=False)


def print_table(rows: Iterable[dict], columns: list[Column], *, title: str | None = None,
                empty: str = "nothing to show", row_style=None) -> None:
    """row_style: an optional function of a row giving its rich style (e.g. sellers in red)."""
    from itertools import islice

    from rich.table import Table
    from rich.text import Text

    out = console()
    stream = iter(rows)
    rows = list(islice(stream, LONG_TABLE_FROM + 1))
    if not rows:
        out.print(f"[dim]{empty}[/dim]")
        return
    if len(rows) > LONG_TABLE_FROM:
        print_long_table(itertools_chain(rows, stream), columns, title=title, row_style=row_style, out=out)
        return
    cells = [[cell(row, column) for column in columns] for row in rows]
    table = Table(title=title, title_justify="left", header_style="bold")
    needed = len(columns) + 1  # the vertical borders
    for index, column in enumerate(columns):
        # Numbers and keys are never cut or wrapped: a truncated figure is worse than a wide table.
        widest = max(len(column.header), *(Text.from_markup(line[index]).cell_len for line in cells))
        wraps = column.kind == "text" and widest > WRAP_TEXT_FROM
        table.add_column(column.header, justify="left" if column.kind in ("text", "date", "bool") else "right",
                         no_wrap=not wraps, min_width=None if wraps else widest)
        needed += (WRAP_TEXT_FROM if wraps else widest) + 2  # cell padding
    for row, line in zip(rows, cells):
        table.add_row(*line, style=row_style(row) if row_style else None)
    if needed > out.width:  # wider than the terminal: lines run on (less -S scrolls) rather than lose columns
        out = console(width=needed)
    out.print(table)


def itertools_chain(first: list, rest):
    from itertools import chain

    return chain(first, rest)


def print_long_table(rows: Iterable[dict], columns: list[Column], *, title: str | None = None, row_style=None,
                     out=None) -> None:
    """The table rich draws, drawn line by line: same borders, alignment, styles and widths, but
    text never wraps (lines run on, as a wide table's do). The cells are spooled to a temporary
    file while the widths are measured, so memory stays flat however many rows come."""
    import marshal
    import tempfile

    from rich.cells import cell_len
    from rich.console import COLOR_SYSTEMS
    from rich.style import Style

    out = out or console()
    color_system = COLOR_SYSTEMS[out.color_system] if out.color_system else None
    styles: dict = {}

    def paint(text: str, style: str | None) -> str:
        if not style or color_system is None:
            return text
        if style not in styles:
            parsed = Style.parse(style)
            styles[style] = parsed.without_color if out.no_color else parsed
        return styles[style].render(text, color_system=color_system)

    def width_of(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    widths = [width_of(column.header) for column in columns]
    right = [column.kind not in ("text", "date", "bool") for column in columns]
    count = 0
    with tempfile.TemporaryFile() as spool:
        dump = marshal.dump
        for row in rows:
            line = [_cell_parts(row, column) for column in columns]
            for index, (text, _) in enumerate(line):
                size = width_of(text)
                if size > widths[index]:
                    widths[index] = size
            dump((line, row_style(row) if row_style else None), spool)
            count += 1
        spool.seek(0)
        write = out.file.write
        total = sum(widths) + 3 * len(widths) + 1
        if title:
            write(paint(title + " " * max(0, total - width_of(title)), "italic") + "\n")
        write("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓\n")
        header = []
        for column, width, at_right in zip(columns, widths, right):
            gap = " " * (width - width_of(column.header))
            padded = gap + column.header if at_right else column.header + gap
            header.append(paint(" ", "bold") + paint(padded, "bold") + paint(" ", "bold"))
        write("┃" + "┃".join(header) + "┃\n")
        write("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩\n")
        load = marshal.load
        layout = list(zip(widths, right))
        for _ in range(count):
            line, base = load(spool)
            parts = []
            for (text, runs), (width, at_right) in zip(line, layout):
                if runs is None and base is None:
                    shown = text
                elif isinstance(runs, list):
                    shown = "".join(paint(t, style or base) for t, style in runs)
                else:
                    shown = paint(text, runs or base)
                gap = " " * (width - width_of(text))
                parts.append(f" {gap}{shown} " if at_right else f" {shown}{gap} ")
            write("│" + "│".join(parts) + "│\n")
        write("└" + "┴".join("─" * (w + 2) for w in widths) + "┘\n")


def _cell_parts(row: dict, column: Column) -> tuple[str, str | list | None]:
    """cell() as plain text and its style: None (plain), a style, or a list of (text, style)
    runs when a flag marks the cell."""
    value = row.get(column.key)
    text, style = display_parts(value, column.kind)
    negative = column.kind in ("money", "pct") and isinstance(value, Decimal) and value < 0
    if not (column.flag and row.get(column.flag)):
        return text, (style or "red") if negative else style
    parts = [(text, style), (" ", None), (f"({column.flag_text})", "yellow")]
    if negative:
        parts = [(t, style or "red") for t, style in parts]
    runs = [parts[0]]  # neighbours of one style are one run, as rich writes them
    for part_text, part_style in parts[1:]:
        if runs[-1][1] == part_style:
            runs[-1] = (runs[-1][0] + part_text, part_style)
        else:
            runs.append((part_text, part_style))
    return "".join(t for t, _ in runs), runs


def cell(row: dict, column: Column) -> str:
    value = row.get(column.key)
    text = display(value, column.kind)
    if column.flag and row.get(column.flag):
        text += f" [yellow]({column.flag_text})[/yellow]"
    if column.kind in ("money", "pct") and isinstance(value, Decimal) and value < 0:
        text = f"[red]{text}[/red]"
    return text


def display(value, kind: str = "text") -> str:
    """A value as a person reads it: grouped digits, money to the cent, '—' for unknown."""
    from rich.markup import escape

    text, style = display_parts(value, kind)
    text = escape(text)
    return f"[{style}]{text}[/{style}]" if style else text


def display_parts(value, kind: str = "text") -> tuple[str, str | None]:
    """display() as plain text and the style it is shown in (None: plain)."""
    if value is None:
        return "—", "dim"
    if isinstance(value, bool):
        return ("yes", None) if value else ("no", "yellow")
    if isinstance(value, Decimal):
        if kind == "money":
            return f"{value:,.2f}", None
        if kind == "pct":
            return f"{value:,.2f}%", None
        if kind == "ratio":
            return f"{value:,.3f}", None
        if kind == "int":
            return f"{value:,.0f}", None
        return format(value.normalize() if value == value.to_integral() else value, ",f"), None
    if isinstance(value, int) and kind != "text":
        return f"{value:,}", None
    return str(value), None


def message(text: str) -> None:
    """A line for a person on stderr (confirmations go to stdout via emit/print_line)."""
    sys.stderr.write(text + "\n")


def print_line(text: str) -> None:
    sys.stdout.write(text + "\n")
