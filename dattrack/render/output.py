"""The one output object: a command hands it rows and columns, it decides table, JSON or CSV."""

from __future__ import annotations

import csv
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from dattrack.render.encode import csv_cell, json_document


WRAP_TEXT_FROM = 40  # text wider than this (names, sources, notes) may wrap; keys and figures never do


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


def emit(rows: list[dict], columns: list[Column], fmt: Format, *, title: str | None = None,
         empty: str = "nothing to show", row_style=None) -> None:
    """JSON and CSV carry every key of every row; the table shows the given columns."""
    if fmt is Format.json:
        sys.stdout.write(json_document(rows) + "\n")
    elif fmt is Format.csv:
        keys = list(rows[0].keys()) if rows else [c.key for c in columns]
        writer = csv.writer(sys.stdout, lineterminator="\r\n")  # RFC 4180: a bare CR in a cell gets quoted
        writer.writerow(keys)
        for row in rows:
            writer.writerow([csv_cell(row.get(k)) for k in keys])
    else:
        print_table(rows, columns, title=title, empty=empty, row_style=row_style)


def console(width: int | None = None):
    from rich.console import Console

    if width is None and not sys.stdout.isatty():
        width = int(os.environ.get("COLUMNS", "200"))
    return Console(width=width, highlight=False, soft_wrap=False)


def print_table(rows: list[dict], columns: list[Column], *, title: str | None = None, empty: str = "nothing to show",
                row_style=None) -> None:
    """row_style: an optional function of a row giving its rich style (e.g. sellers in red)."""
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not rows:
        out.print(f"[dim]{empty}[/dim]")
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
    if value is None:
        return "[dim]—[/dim]"
    if isinstance(value, bool):
        return "yes" if value else "[yellow]no[/yellow]"
    if isinstance(value, Decimal):
        if kind == "money":
            return f"{value:,.2f}"
        if kind == "pct":
            return f"{value:,.2f}%"
        if kind == "ratio":
            return f"{value:,.3f}"
        if kind == "int":
            return f"{value:,.0f}"
        text = format(value.normalize() if value == value.to_integral() else value, ",f")
        return text
    if isinstance(value, int) and kind != "text":
        return f"{value:,}"
    from rich.markup import escape

    return escape(str(value))


def plain(value, kind: str = "text") -> str:
    """A value as the tables show it, without markup (for lines that cron mails)."""
    if value is None:
        return "—"
    from rich.text import Text

    return Text.from_markup(display(value, kind)).plain


def message(text: str) -> None:
    """A line for a person on stderr (confirmations go to stdout via emit/print_line)."""
    sys.stderr.write(text + "\n")


def print_line(text: str) -> None:
    sys.stdout.write(text + "\n")
