"""Dated balance-sheet facts (share counts, debt, cash, splits).

A fact is public from its `known_on`. The same (ticker, name, date) recorded again with a later
`known_on` is a revision: both rows are kept. Every read takes an optional `known_on` D: only rows
with `known_on <= D` count, and of a date's rows the one with the latest `known_on` is in force
(without D: the latest recorded)."""

from __future__ import annotations

from typing import NamedTuple

from dattrack.store import Store, ticker_filter


class StoredFact(NamedTuple):
    name: str
    date: str
    value: str      # text: a decimal, or a ratio such as 1:10 for a split
    source: str | None
    known_on: str | None = None
    estimate: str | None = None


FACT_COLUMNS = "name, date, value, source, known_on, estimate"


def upsert(store: Store, ticker: str, name: str, date: str, value: str, source: str | None, known_on: str,
           estimate: str | None = None) -> None:
    """Record a fact as known on `known_on`; the same figure known on the same day replaces the row."""
    store.execute(
        "INSERT INTO facts (ticker, name, date, value, source, known_on, estimate) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (ticker, name, date, known_on) DO UPDATE SET value = excluded.value, source = excluded.source,"
        " estimate = excluded.estimate",
        (ticker, name, date, value, source, known_on, estimate or None))


def recorded(store: Store, ticker: str, name: str, date: str, value: str, known_on: str) -> bool:
    """Whether this figure is recorded: the same value of that date, or any value known on that day."""
    return bool(store.query("SELECT 1 FROM facts WHERE ticker = ? AND name = ? AND date = ?"
                            " AND (value = ? OR known_on = ?)", (ticker, name, date, value, known_on)))


def _known(known_on: str | None, alias: str = "") -> tuple[str, tuple]:
    return ("", ()) if known_on is None else (f" AND {alias}known_on <= ?", (known_on,))


def _current(known_on: str | None) -> tuple[str, tuple]:
    """Keeps, of each (ticker, name, date), the row in force as known on D: the latest known_on by D."""
    known, params = _known(known_on, "r.")
    return (" AND f.known_on = (SELECT max(r.known_on) FROM facts r WHERE r.ticker = f.ticker AND r.name = f.name"
            f" AND r.date = f.date{known})"), params


def for_company(store: Store, ticker: str, known_on: str | None = None) -> list[StoredFact]:
    """The company's facts, the one in force of each date (revisions replaced), by name and date."""
    current, params = _current(known_on)
    rows = store.query(f"SELECT {FACT_COLUMNS} FROM facts f WHERE ticker = ?{current} ORDER BY name, date",
                       (ticker, *params))
    return [StoredFact(*r) for r in rows]


def names(store: Store, ticker: str, known_on: str | None = None) -> set[str]:
    """The names of every fact recorded for a company (public by `known_on`), at any date."""
    known, params = _known(known_on)
    return {row[0] for row in store.query(f"SELECT DISTINCT name FROM facts WHERE ticker = ?{known}",
                                          (ticker, *params))}


def in_force(store: Store, ticker: str, date: str, known_on: str | None = None) -> dict[str, StoredFact]:
    """The fact of each name in force on `date` as known on `known_on`: of the rows public by then,
    the latest dated on or before `date`, and of that date the latest known (splits excluded:
    see splits())."""
    known, params = _known(known_on, "g.")
    current, current_params = _current(known_on)
    rows = store.query(
        f"SELECT {FACT_COLUMNS} FROM facts f WHERE ticker = ? AND name != 'split' AND date = ("
        f" SELECT max(date) FROM facts g WHERE g.ticker = f.ticker AND g.name = f.name AND g.date <= ?{known})"
        f"{current}", (ticker, date, *params, *current_params))
    return {r[0]: StoredFact(*r) for r in rows}


def splits(store: Store, ticker: str, known_on: str | None = None) -> list[StoredFact]:
    current, params = _current(known_on)
    rows = store.query(f"SELECT {FACT_COLUMNS} FROM facts f WHERE ticker = ? AND name = 'split'{current} ORDER BY date",
                       (ticker, *params))
    return [StoredFact(*r) for r in rows]


def listing(store: Store, tickers: list[str] | None, name: str | None, known_on: str | None = None) -> list[tuple]:
    """(ticker, name, date, value, source, known_on, estimate) of every fact row, revisions included,
    by ticker, name, date and known_on; with `known_on`, only the rows public by then."""
    where, params = ticker_filter(tickers)
    for clause, value in (("name = ?", name), ("known_on <= ?", known_on)):
        if value is not None:
            where += (" AND " if where else " WHERE ") + clause
            params += (value,)
    return store.query(f"SELECT ticker, name, date, value, source, known_on, estimate FROM facts{where}"
                       " ORDER BY ticker, name, date, known_on", params)
