"""Dated balance-sheet facts (share counts, debt, cash, splits)."""

from __future__ import annotations

from typing import NamedTuple

from dattrack.store import Store, ticker_filter


class StoredFact(NamedTuple):
    name: str
    date: str
    value: str      # text: a decimal, or a ratio such as 1:10 for a split
    source: str | None


def upsert(store: Store, ticker: str, name: str, date: str, value: str, source: str | None) -> None:
    store.execute(
        "INSERT INTO facts (ticker, name, date, value, source) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (ticker, name, date) DO UPDATE SET value = excluded.value, source = excluded.source",
        (ticker, name, date, value, source))


def exists(store: Store, ticker: str, name: str, date: str) -> bool:
    return bool(store.query("SELECT 1 FROM facts WHERE ticker = ? AND name = ? AND date = ?", (ticker, name, date)))


def for_company(store: Store, ticker: str) -> list[StoredFact]:
    rows = store.query("SELECT name, date, value, source FROM facts WHERE ticker = ? ORDER BY name, date", (ticker,))
    return [StoredFact(*r) for r in rows]


def names(store: Store, ticker: str) -> set[str]:
    """The names of every fact recorded for a company, at any date."""
    return {row[0] for row in store.query("SELECT DISTINCT name FROM facts WHERE ticker = ?", (ticker,))}


def in_force(store: Store, ticker: str, date: str) -> dict[str, StoredFact]:
    """The latest fact of each name on or before the date (splits excluded: see splits())."""
    rows = store.query(
        "SELECT name, date, value, source FROM facts f WHERE ticker = ? AND name != 'split' AND date = ("
        " SELECT max(date) FROM facts g WHERE g.ticker = f.ticker AND g.name = f.name AND g.date <= ?)",
        (ticker, date))
    return {r[0]: StoredFact(*r) for r in rows}


def splits(store: Store, ticker: str) -> list[StoredFact]:
    rows = store.query("SELECT name, date, value, source FROM facts WHERE ticker = ? AND name = 'split' ORDER BY date", (ticker,))
    return [StoredFact(*r) for r in rows]


def listing(store: Store, tickers: list[str] | None, name: str | None) -> list[tuple]:
    """(ticker, name, date, value, source) of every fact, by ticker, name and date."""
    where, params = ticker_filter(tickers)
    if name is not None:
        where += (" AND" if where else " WHERE") + " name = ?"
        params += (name,)
    return store.query(f"SELECT ticker, name, date, value, source FROM facts{where} ORDER BY ticker, name, date", params)
