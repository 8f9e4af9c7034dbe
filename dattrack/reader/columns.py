"""A table's logical columns: the grid's slots grouped under the header cells that stand over them,
so that "$" in its own cell, the number beside it and spacer cells read as one value under one
header ("Aggregate Purchase Price (in millions)" over "$" and "264.1")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dattrack.reader.amounts import cell_value
from dattrack.reader.dates import DATE
from dattrack.reader.document import Table

LABEL_LIKE = re.compile(r"[A-Za-z]")
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Column:
    headers: tuple[str, ...]      # the header texts over it, top to bottom, each once
    slots: tuple[int, ...]        # the grid columns it covers

    @property
    def header(self) -> str:
        return " ".join(self.headers)


@dataclass(frozen=True)
class Grid:
    """A table as header rows over logical columns, and its body rows."""

    table: Table
    header_rows: int
    columns: tuple[Column, ...]

    def value(self, r: int, column: Column) -> str:
        """The text of body row r under `column`: its cells' texts, each cell once, in order."""
        seen: set[int] = set()
        parts = []
        for c in column.slots:
            cell = self.table.cells[r][c]
            text = self.table.rows[r][c]
            if text and cell not in seen:
                parts.append(text)
            seen.add(cell)
        return " ".join(parts)

    def label(self, r: int) -> str:
        """The row's label: the text of its first non-empty cell when that cell holds no number."""
        for text in self.table.rows[r]:
            if text:
                return text if cell_value(text) is None else ""
        return ""

    @property
    def body(self) -> range:
        return range(self.header_rows, len(self.table.rows))

    def find(self, pattern: re.Pattern) -> list[Column]:
        return [c for c in self.columns if pattern.search(c.header)]


def grid_of(table: Table) -> Grid:
    header_rows = _header_rows(table)
    columns: list[Column] = []
    by_signature: dict[tuple, int] = {}
    for c in range(table.width):
        signature = tuple(table.cells[r][c] for r in range(header_rows) if table.rows[r][c])
        if not signature:
            continue  # spacer or label column without header: attached below
        if columns and by_signature.get(signature) == len(columns) - 1 and columns[-1].slots[-1] == c - 1:
            last = columns[-1]
            columns[-1] = Column(last.headers, last.slots + (c,))
            continue
        headers: list[str] = []
        for r in range(header_rows):
            text = table.rows[r][c]
            if text and text not in headers:
                headers.append(text)
        by_signature[signature] = len(columns)
        columns.append(Column(tuple(headers), (c,)))
    columns = _attach_orphans(table, header_rows, columns)
    columns = _join_sign_columns(table, header_rows, columns)
    return Grid(table=table, header_rows=header_rows, columns=tuple(columns))


SIGNS = frozenset({"", "$", "€", "£", "¥", "US$"})


def _join_sign_columns(table: Table, header_rows: int, columns: list[Column]) -> list[Column]:
    """A column of nothing but "$" cells (under a group header only) belongs to the column after it."""
    out: list[Column] = []
    pending: tuple[int, ...] = ()
    for i, column in enumerate(columns):
        texts = {table.rows[r][c] for r in range(header_rows, len(table.rows)) for c in column.slots}
        if texts <= SIGNS and texts != {""} and i + 1 < len(columns):
            pending += column.slots
            continue
        if pending:
            column = Column(column.headers, tuple(sorted(pending + column.slots)))
            pending = ()
        out.append(column)
    return out


def _header_rows(table: Table) -> int:
    """Rows above the first row that holds a number in any cell but its first."""
    for r, row in enumerate(table.rows):
        texts = [t for t in row if t]
        values = texts[1:] if len(texts) > 1 else []
        if any(DIGIT.search(t) and cell_value(t) is not None and not DATE.fullmatch(t.strip()) and not _dash_only(t)
               for t in values):
            return r
    return min(1, len(table.rows))


def _dash_only(text: str) -> bool:
    value = cell_value(text)
    return value is not None and value[0] is None


def _attach_orphans(table: Table, header_rows: int, columns: list[Column]) -> list[Column]:
    """Body cells under no header (a "$" or a number set one slot off) join the nearest labelled
    column: a lone "$" the one after it, anything else the one before it."""
    if not columns:
        return columns
    covered = {c for column in columns for c in column.slots}
    extra: dict[int, list[int]] = {}
    for c in range(table.width):
        if c in covered:
            continue
        texts = {table.rows[r][c] for r in range(header_rows, len(table.rows))} - {""}
        if not texts:
            continue
        after = [i for i, column in enumerate(columns) if column.slots[0] > c]
        before = [i for i, column in enumerate(columns) if column.slots[-1] < c]
        if texts <= {"$", "€", "£", "¥"} and after:
            extra.setdefault(after[0], []).append(c)
        elif before and not all(LABEL_LIKE.search(t) for t in texts):
            extra.setdefault(before[-1], []).append(c)
    for i, slots in extra.items():
        columns[i] = Column(columns[i].headers, tuple(sorted(columns[i].slots + tuple(slots))))
    return columns
