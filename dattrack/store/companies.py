"""Companies and assets."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

COMPANY_COLUMNS = ("ticker", "name", "asset", "currency", "quote_symbol", "exchange", "kind", "cik", "note", "source")


def get(store: Store, ticker: str) -> dict | None:
    row = store.query(f"SELECT {', '.join(COMPANY_COLUMNS)} FROM companies WHERE ticker = ?", (ticker.upper(),))
    return dict(zip(COMPANY_COLUMNS, row[0])) if row else None


def all_companies(store: Store, tickers: list[str] | None = None) -> list[dict]:
    where, params = ticker_filter(tickers)
    rows = store.query(f"SELECT {', '.join(COMPANY_COLUMNS)} FROM companies{where} ORDER BY ticker", params)
    return [dict(zip(COMPANY_COLUMNS, row)) for row in rows]


def insert(store: Store, company: dict) -> None:
    columns = [c for c in COMPANY_COLUMNS if c in company]
    store.execute(f"INSERT INTO companies ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                  tuple(company[c] for c in columns))


def delete(store: Store, ticker: str) -> None:
    from dattrack.store import alerts, instruments

    instruments.delete_for_company(store, ticker)
    alerts.delete_for_company(store, ticker)
    for table in ("events", "positions", "facts"):
        store.execute(f"DELETE FROM {table} WHERE ticker = ?", (ticker,))
    store.execute("DELETE FROM companies WHERE ticker = ?", (ticker,))


def event_count(store: Store, ticker: str) -> int:
    return store.query("SELECT count(*) FROM events WHERE ticker = ?", (ticker,))[0][0]


def asset_ids(store: Store) -> dict[str, dict]:
    rows = store.query("SELECT symbol, coingecko_id, coinbase_base, kraken_pair FROM assets")
    return {r[0]: {"coingecko_id": r[1], "coinbase_base": r[2], "kraken_pair": r[3]} for r in rows}


def held_assets(store: Store) -> list[str]:
    """Every asset some company holds or names as primary."""
    rows = store.query("SELECT asset FROM companies UNION SELECT asset FROM events ORDER BY 1")
    return [r[0] for r in rows]
