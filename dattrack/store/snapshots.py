"""The daily snapshot rows and the record of each snapshot run."""

from __future__ import annotations

from dattrack.store import Store

SNAPSHOT_COLUMNS = (
    "date", "ticker", "asset", "quantity", "cost_basis", "cost_complete", "currency", "price", "price_date",
    "price_source", "value", "value_usd", "unrealized_pnl", "unrealized_pnl_usd", "share_price",
    "share_price_date", "share_price_source", "fx", "fx_date", "shares_basic", "shares_basic_date",
    "market_cap", "nav", "mnav", "ev_mnav", "problems", "taken_at", "stale", "inputs_date",
)
RUN_COLUMNS = ("date", "started_at", "finished_at", "companies", "rows", "failures", "offline", "detail", "status",
               "error")


def replace_day(store: Store, date: str, rows: list[dict]) -> None:
    """A date's rows replace whatever that date had (re-running a date is idempotent)."""
    store.execute("DELETE FROM snapshots WHERE date = ?", (date,))
    store.executemany(
        f"INSERT INTO snapshots ({', '.join(SNAPSHOT_COLUMNS)}) VALUES ({', '.join('?' * len(SNAPSHOT_COLUMNS))})",
        [tuple(row[c] for c in SNAPSHOT_COLUMNS) for row in rows])


def record_run(store: Store, run: dict) -> None:
    """run: the RUN_COLUMNS of one snapshot run."""
    store.execute(f"INSERT INTO snapshot_runs ({', '.join(RUN_COLUMNS)}) VALUES ({', '.join('?' * len(RUN_COLUMNS))})",
                  tuple(run[c] for c in RUN_COLUMNS))


def company_rows(store: Store, ticker: str, columns: tuple[str, ...], *, since: str | None = None,
                 asset: str | None = None) -> list[tuple]:
    """One company's stored rows (the given columns, as stored text), oldest first."""
    clauses, params = ["ticker = ?"], [ticker]
    for clause, value in (("date >= ?", since), ("asset = ?", asset)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    unknown = [c for c in columns if c not in SNAPSHOT_COLUMNS]
    if unknown:
        raise ValueError(f"not a snapshot column: {unknown[0]}")
    return store.query(f"SELECT {', '.join(columns)} FROM snapshots WHERE {' AND '.join(clauses)}"
                       " ORDER BY date, asset", params)


def latest_date(store: Store) -> str | None:
    return store.query("SELECT max(date) FROM snapshots")[0][0]


def recent_runs(store: Store, limit: int) -> list[dict]:
    rows = store.query(f"SELECT {', '.join(RUN_COLUMNS)} FROM snapshot_runs ORDER BY started_at DESC, id DESC LIMIT ?",
                       (limit,))
    return [dict(zip(RUN_COLUMNS, row)) for row in rows]


def input_dates(store: Store, date: str) -> list[tuple]:
    """(ticker, asset, price_date, share_price_date, fx_date, currency) of every row stored for a date."""
    return store.query("SELECT ticker, asset, price_date, share_price_date, fx_date, currency FROM snapshots"
                       " WHERE date = ? ORDER BY ticker, asset", (date,))
