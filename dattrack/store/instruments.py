"""Instruments (a company's debt and preferred claims) and their dated outstanding amounts."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

INSTRUMENT_COLUMNS = ("id", "ticker", "name", "kind", "currency", "rate", "maturity", "conversion_price", "seniority",
                      "collateral_asset", "margin_ltv", "liquidation_ltv", "note")
AMOUNT_COLUMNS = ("instrument_id", "date", "outstanding", "collateral", "source")


def insert(store: Store, instrument: dict) -> int:
    columns = [c for c in INSTRUMENT_COLUMNS if c in instrument]
    return store.execute(f"INSERT INTO instruments ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         tuple(instrument[c] for c in columns)).lastrowid


def upsert_amount(store: Store, instrument_id: int, date: str, outstanding: str, collateral: str | None,
                  source: str | None) -> None:
    """A second amount on the same date replaces the first: one figure per instrument and date."""
    store.execute(
        "INSERT INTO instrument_amounts (instrument_id, date, outstanding, collateral, source) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (instrument_id, date) DO UPDATE SET outstanding = excluded.outstanding,"
        " collateral = excluded.collateral, source = excluded.source",
        (instrument_id, date, outstanding, collateral, source))


def get(store: Store, instrument_id: int) -> dict | None:
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments WHERE id = ?", (instrument_id,))
    return dict(zip(INSTRUMENT_COLUMNS, rows[0])) if rows else None


def find(store: Store, ticker: str, name: str) -> dict | None:
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments WHERE ticker = ? AND name = ?",
                       (ticker, name))
    return dict(zip(INSTRUMENT_COLUMNS, rows[0])) if rows else None


def of_companies(store: Store, tickers: list[str] | None = None) -> list[dict]:
    """Instruments of the selected companies, by ticker, seniority and id."""
    where, params = ticker_filter(tickers)
    rows = store.query(f"SELECT {', '.join(INSTRUMENT_COLUMNS)} FROM instruments{where}"
                       " ORDER BY ticker, seniority, id", params)
    return [dict(zip(INSTRUMENT_COLUMNS, row)) for row in rows]


def amounts(store: Store, instrument_ids: list[int]) -> dict[int, list[dict]]:
    """Every dated amount of the given instruments, oldest first."""
    if not instrument_ids:
        return {}
    rows = store.query(f"SELECT {', '.join(AMOUNT_COLUMNS)} FROM instrument_amounts WHERE instrument_id IN"
                       f" ({', '.join('?' * len(instrument_ids))}) ORDER BY instrument_id, date", tuple(instrument_ids))
    found: dict[int, list[dict]] = {i: [] for i in instrument_ids}
    for row in rows:
        found[row[0]].append(dict(zip(AMOUNT_COLUMNS, row)))
    return found


def amount_on(store: Store, instrument_id: int, date: str) -> dict | None:
    rows = store.query(f"SELECT {', '.join(AMOUNT_COLUMNS)} FROM instrument_amounts"
                       " WHERE instrument_id = ? AND date = ?", (instrument_id, date))
    return dict(zip(AMOUNT_COLUMNS, rows[0])) if rows else None


def delete_for_company(store: Store, ticker: str) -> None:
    store.execute("DELETE FROM instrument_amounts WHERE instrument_id IN (SELECT id FROM instruments WHERE ticker = ?)",
                  (ticker,))
    store.execute("DELETE FROM instruments WHERE ticker = ?", (ticker,))
