"""Share issuance: shares sold for cash per program and period (8-K "ATM Update" tables), one row per
disclosure. Reads take an optional `known_on` D: only rows public by D count."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

COLUMNS = ("id", "ticker", "date", "period_start", "security", "shares", "notional", "net_proceeds",
           "capacity_left", "currency", "source", "quote", "origin", "known_on", "recorded_at")
FIGURES = ("shares", "notional", "net_proceeds", "capacity_left")


def insert(store: Store, row: dict) -> bool:
    """One row; False (nothing written) when the same disclosure is recorded already: the same
    company, security, period and figures."""
    columns = [c for c in COLUMNS if c != "id" and c in row]
    cursor = store.execute(f"INSERT OR IGNORE INTO issuance ({', '.join(columns)}) VALUES"
                           f" ({', '.join('?' * len(columns))})", tuple(row[c] for c in columns))
    return cursor.rowcount == 1


def recorded(store: Store, row: dict) -> bool:
    """Whether this disclosure (company, security, period and figures) is recorded already."""
    keys = ("ticker", "security", "date")
    where = " AND ".join(f"{k} = ?" for k in keys)
    where += " AND coalesce(period_start, '') = ?" + "".join(f" AND coalesce({f}, '') = ?" for f in FIGURES)
    params = (*(row[k] for k in keys), row.get("period_start") or "", *(row.get(f) or "" for f in FIGURES))
    return bool(store.query(f"SELECT 1 FROM issuance WHERE {where} LIMIT 1", params))


def listing(store: Store, tickers: list[str] | None = None, since: str | None = None, until: str | None = None,
            known_on: str | None = None) -> list[dict]:
    """Rows of the selected companies dated in [since, until], oldest first (by company)."""
    where, params = ticker_filter(tickers)
    for clause, value in (("date >= ?", since), ("date <= ?", until), ("known_on <= ?", known_on)):
        if value is not None:
            where += (" AND " if where else " WHERE ") + clause
            params += (value,)
    rows = store.query(f"SELECT {', '.join(COLUMNS)} FROM issuance{where}"
                       " ORDER BY ticker, date, coalesce(period_start, ''), security, id", params)
    return [dict(zip(COLUMNS, row)) for row in rows]


def count(store: Store, ticker: str) -> int:
    return store.query("SELECT count(*) FROM issuance WHERE ticker = ?", (ticker,))[0][0]


def delete_for_company(store: Store, ticker: str) -> None:
    store.execute("DELETE FROM issuance WHERE ticker = ?", (ticker,))
