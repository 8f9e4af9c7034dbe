"""The tables an export carries, read and written generically by their columns.

Each table's rows are matched by a natural key and written in key order, so one database
always gives the same document. Derived data (the cached positions, an event's closes_day) and
surrogate ids (facts.id) are left out and rebuilt on import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dattrack.store import Store
from dattrack.store import tables as table_rows


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]                      # the natural key: rows are matched and ordered by it
    decimals: frozenset[str] = frozenset()    # TEXT columns of exact decimals, JSON numbers in the document
    omitted: frozenset[str] = frozenset()     # derived or surrogate columns, rebuilt on import


# Document order. A table this database lacks (an older schema) is left out.
TABLES = (
    Table("companies", ("ticker",)),
    Table("assets", ("symbol",)),
    Table("events", ("id",), frozenset({"quantity", "amount"}), frozenset({"closes_day"})),
    Table("facts", ("ticker", "name", "date", "known_on"), frozenset({"value"}), frozenset({"id"})),
    Table("prices", ("symbol", "date"), frozenset({"price"})),
    Table("snapshots", ("date", "ticker", "asset"), frozenset({
        "quantity", "cost_basis", "price", "value", "value_usd", "unrealized_pnl", "unrealized_pnl_usd",
        "share_price", "fx", "shares_basic", "market_cap", "nav", "mnav", "ev_mnav"})),
    Table("instruments", ("id",), frozenset({"rate", "conversion_price", "margin_ltv", "liquidation_ltv",
                                             "liquidation_preference"})),
    Table("instrument_amounts", ("instrument_id", "date", "known_on"), frozenset({"outstanding", "collateral", "rate",
                                                                                  "shares"})),
    Table("issuance", ("id",), frozenset({"shares", "notional", "net_proceeds", "capacity_left"})),
    Table("alerts", ("id",), frozenset({"threshold"})),
)
TABLE_NAMES = tuple(t.name for t in TABLES)


@dataclass(frozen=True)
class Layout:
    """A table as this database has it: the columns an export carries, in schema order."""

    table: Table
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def key(self) -> tuple[str, ...]:
        return self.table.key


def layouts(store: Store) -> dict[str, Layout]:
    """The known tables present in this database, in document order."""
    found = {}
    for table in TABLES:
        columns = table_rows.columns(store, table.name)
        if columns:
            found[table.name] = Layout(table, tuple(c for c in columns if c not in table.omitted))
    return found


def read_rows(store: Store, layout: Layout) -> Iterator[dict]:
    """Every row in key order, decimal columns as Decimals (text that is no number stays text: a
    split's 1:10), read as they are consumed."""
    columns, decimals = layout.columns, layout.table.decimals
    for row in table_rows.rows(store, layout.name, layout.columns, layout.key):
        yield {c: exact(v) if c in decimals else v for c, v in zip(columns, row)}


def insert_row(store: Store, table: str, row: dict) -> None:
    """One row as given; Decimals go in as canonical text."""
    table_rows.insert(store, table, row)


def exact(value):
    """A stored decimal text as a Decimal; anything else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return number if number.is_finite() else value
