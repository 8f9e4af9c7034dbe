"""Instruments (a company's debt and preferred claims) and their dated outstanding amounts.

An amount is public from its `known_on`; the same instrument and date recorded again with a later
`known_on` is a revision (both kept). Reads take an optional `known_on` D: only amounts public by D
count, and an instrument is known once one of its amounts is."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

INSTRUMENT_COLUMNS = ("id", "ticker", "name", "kind", "currency", "rate", "maturity", "conversion_price", "seniority",
                      "collateral_asset", "margin_ltv", "liquidation_ltv", "note", "origin", "member",
                      "liquidation_preference", "matches")
AMOUNT_COLUMNS = ("instrument_id", "date", "outstanding", "collateral", "source", "known_on", "estimate", "rate",
                  "shares", "basis", "tag")


def insert(store: Store, instrument: dict) -> int:
    columns = [c for c in INSTRUMENT_COLUMNS if c in instrument]
    return store.execute(f"INSERT INTO instruments ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         tuple(instrument[c] for c in columns)).lastrowid


def upsert_amount(store: Store, instrument_id: int, date: str, outstanding: str, collateral: str | None,
                  source: str | None, known_on: str, estimate: str | None = None, *, rate: str | None = None,
                  shares: str | None = None, basis: str | None = None, tag: str | None = None) -> None:
    """A second amount on the same date and known_on replaces the first; a later known_on is a revision.
    `rate` is the rate in force from this date (None: as before)."""
    store.execute(
        "INSERT INTO instrument_amounts (instrument_id, date, outstanding, collateral, source, known_on, estimate,"
        " rate, shares, basis, tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (instrument_id, date, known_on) DO UPDATE SET"
        " outstanding = excluded.outstanding, collateral = excluded.collateral, source = excluded.source,"
        " estimate = excluded.estimate, rate = excluded.rate, shares = excluded.shares, basis = excluded.basis,"
        " tag = excluded.tag",
        (instrument_id, date, outstanding, collateral, source, known_on, estimate or None, rate, shares, basis, tag))


def update_terms(store: Store, instrument_id: int, terms: dict) -> None:
    """Fill terms of an instrument (a filing states what an earlier one left out)."""
    if terms:
        store.execute(f"UPDATE instruments SET {', '.join(f'{c} = ?' for c in terms)} WHERE id = ?",
                      (*terms.values(), instrument_id))


def find_member(store: Store, ticker: str, member: str) -> dict | None:
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments WHERE ticker = ? AND member = ?"
                       " ORDER BY id LIMIT 1", (ticker, member))
    return dict(zip(INSTRUMENT_COLUMNS, rows[0])) if rows else None


def get(store: Store, instrument_id: int) -> dict | None:
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments WHERE id = ?", (instrument_id,))
    return dict(zip(INSTRUMENT_COLUMNS, rows[0])) if rows else None


def find(store: Store, ticker: str, name: str) -> dict | None:
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments WHERE ticker = ? AND name = ?",
                       (ticker, name))
    return dict(zip(INSTRUMENT_COLUMNS, rows[0])) if rows else None


def of_companies(store: Store, tickers: list[str] | None = None, known_on: str | None = None) -> list[dict]:
    """Instruments of the selected companies, by ticker, seniority and id; with `known_on`, those
    with an amount public by then."""
    where, params = ticker_filter(tickers)
    if known_on is not None:
        where += (" AND" if where else " WHERE") + (" EXISTS (SELECT 1 FROM instrument_amounts a"
                                                    " WHERE a.instrument_id = instruments.id AND a.known_on <= ?)")
        params += (known_on,)
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments{where}"
                       " ORDER BY ticker, seniority, id", params)
    return [dict(zip(INSTRUMENT_COLUMNS, row)) for row in rows]


def amounts(store: Store, instrument_ids: list[int], known_on: str | None = None) -> dict[int, list[dict]]:
    """The dated amounts of the given instruments, oldest first: of each date the one in force as
    known on `known_on` (the latest known_on by then; without it, the latest recorded)."""
    if not instrument_ids:
        return {}
    known, params = ("", ()) if known_on is None else (" AND r.known_on <= ?", (known_on,))
    rows = store.query(
        f"SELECT {', '.join(AMOUNT_COLUMNS)} FROM instrument_amounts a WHERE instrument_id IN"
        f" ({', '.join('?' * len(instrument_ids))}) AND known_on = (SELECT max(r.known_on) FROM instrument_amounts r"
        f" WHERE r.instrument_id = a.instrument_id AND r.date = a.date{known}) ORDER BY instrument_id, date",
        (*instrument_ids, *params))
    found: dict[int, list[dict]] = {i: [] for i in instrument_ids}
    for row in rows:
        found[row[0]].append(dict(zip(AMOUNT_COLUMNS, row)))
    return found


def amount_on(store: Store, instrument_id: int, date: str) -> dict | None:
    """The latest recorded amount of the instrument dated `date`, or None."""
    rows = store.query(f"SELECT {', '.join(AMOUNT_COLUMNS)} FROM instrument_amounts"
                       " WHERE instrument_id = ? AND date = ? ORDER BY known_on DESC LIMIT 1", (instrument_id, date))
    return dict(zip(AMOUNT_COLUMNS, rows[0])) if rows else None


def delete_for_company(store: Store, ticker: str) -> None:
    store.execute("DELETE FROM instrument_amounts WHERE instrument_id IN (SELECT id FROM instruments WHERE ticker = ?)",
                  (ticker,))
    store.execute("DELETE FROM instruments WHERE ticker = ?", (ticker,))
