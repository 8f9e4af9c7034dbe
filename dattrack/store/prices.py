"""Dated prices: crypto assets, quote symbols and FX pairs."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from dattrack.dates import now_stamp
from dattrack.numbers import to_text
from dattrack.store import Store

PRICE_COLUMNS = ("symbol", "date", "price", "currency", "source", "fetched_at")


class StoredPrice(NamedTuple):
    symbol: str
    date: str
    price: Decimal
    currency: str
    source: str | None
    fetched_at: str
    basis_date: str | None


def upsert(store: Store, symbol: str, date: str, price: Decimal, currency: str, source: str | None,
           fetched_at: str | None = None, basis_date: str | None = None) -> None:
    """Same symbol and date again replaces the row: a price is one close, never duplicated."""
    store.execute(
        "INSERT INTO prices (symbol, date, price, currency, source, fetched_at, basis_date)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, date) DO UPDATE SET price = excluded.price,"
        " currency = excluded.currency, source = excluded.source, fetched_at = excluded.fetched_at,"
        " basis_date = excluded.basis_date",
        (symbol, date, to_text(price), currency, source, fetched_at or now_stamp(), basis_date))


def exists(store: Store, symbol: str, date: str) -> bool:
    return bool(store.query("SELECT 1 FROM prices WHERE symbol = ? AND date = ?", (symbol, date)))


def on_or_before(store: Store, symbol: str, date: str) -> StoredPrice | None:
    """The price in force on a date: the latest close on or before it."""
    rows = store.query(
        "SELECT symbol, date, price, currency, source, fetched_at, basis_date FROM prices"
        " WHERE symbol = ? AND date <= ? ORDER BY date DESC LIMIT 1", (symbol, date))
    if not rows:
        return None
    s, d, p, c, src, f, b = rows[0]
    return StoredPrice(s, d, Decimal(p), c, src, f, b)


def listing(store: Store, symbol: str | None, since: str | None) -> list[dict]:
    clauses, params = [], []
    if symbol:
        clauses.append("symbol = ?")
        params.append(symbol)
    if since:
        clauses.append("date >= ?")
        params.append(since)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.query(f"SELECT {', '.join(PRICE_COLUMNS)} FROM prices{where} ORDER BY symbol, date", params)
    return [dict(zip(PRICE_COLUMNS, (s, d, Decimal(p), c, src, f))) for s, d, p, c, src, f in rows]


def spans(store: Store, symbols: list[str]) -> dict[str, tuple[str, str, int]]:
    """symbol -> (first date, last date, number of closes) for the symbols that have any."""
    if not symbols:
        return {}
    rows = store.query(f"SELECT symbol, min(date), max(date), count(*) FROM prices WHERE symbol IN "
                       f"({', '.join('?' * len(symbols))}) GROUP BY symbol", symbols)
    return {symbol: (first, last, count) for symbol, first, last, count in rows}


def crypto_closes_usd(store: Store) -> list[tuple[str, str, Decimal]]:
    """(asset, date, price) of every USD close of an asset of the assets table."""
    rows = store.query("SELECT symbol, date, price FROM prices WHERE currency = 'USD'"
                       " AND symbol IN (SELECT symbol FROM assets) ORDER BY symbol, date")
    return [(symbol, day, Decimal(price)) for symbol, day, price in rows]
