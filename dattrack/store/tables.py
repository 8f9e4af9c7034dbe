"""Whole tables read and written generically by their columns (the export document and its import)."""

from __future__ import annotations

from decimal import Decimal

from dattrack.numbers import to_text
from dattrack.store import Store


def counts(store: Store, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows per table."""
    return {table: store.query(f"SELECT count(*) FROM {_quoted(table)}")[0][0] for table in tables}


def columns(store: Store, table: str) -> list[str]:
    """The table's columns in schema order; empty when this database has no such table."""
    return [r[0] for r in store.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))]


def rows(store: Store, table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> list[tuple]:
    """Every row of the table (those columns, as stored), in key order."""
    select = ", ".join(_quoted(c) for c in columns)
    order = ", ".join(_quoted(c) for c in key)
    return store.query(f"SELECT {select} FROM {_quoted(table)} ORDER BY {order}")


def insert(store: Store, table: str, row: dict) -> None:
    """One row as given; Decimals go in as canonical text."""
    names = list(row)
    store.execute(f"INSERT INTO {_quoted(table)} ({', '.join(_quoted(c) for c in names)})"
                  f" VALUES ({', '.join('?' * len(names))})",
                  tuple(to_text(v) if isinstance(v, Decimal) else v for v in row.values()))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
