"""Companies and assets."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

COMPANY_COLUMNS = ("ticker", "name", "asset", "currency", "quote_symbol", "exchange", "kind", "cik", "note", "source",
                   "coingecko_id")
UPDATABLE = frozenset({"name", "quote_symbol", "exchange", "kind", "cik", "note", "coingecko_id"})


def get(store: Store, ticker: str) -> dict | None:
    """The company stored under this ticker (as stored: upper case)."""
    row = store.query(f"SELECT {', '.join(COMPANY_COLUMNS)} FROM companies WHERE ticker = ?", (ticker,))
    return dict(zip(COMPANY_COLUMNS, row[0])) if row else None


def all_companies(store: Store, tickers: list[str] | None = None) -> list[dict]:
    where, params = ticker_filter(tickers)
    rows = store.query(f"SELECT {', '.join(COMPANY_COLUMNS)} FROM companies{where} ORDER BY ticker", params)
    return [dict(zip(COMPANY_COLUMNS, row)) for row in rows]


def insert(store: Store, company: dict) -> None:
    columns = [c for c in COMPANY_COLUMNS if c in company]
    store.execute(f"INSERT INTO companies ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                  tuple(company[c] for c in columns))


def update(store: Store, ticker: str, changes: dict) -> None:
    columns = [c for c in changes if c in UPDATABLE]
    if columns:
        store.execute(f"UPDATE companies SET {', '.join(f'{c} = ?' for c in columns)} WHERE ticker = ?",
                      (*(changes[c] for c in columns), ticker))


def by_coingecko_id(store: Store, coingecko_id: str) -> str | None:
    rows = store.query("SELECT ticker FROM companies WHERE coingecko_id = ?", (coingecko_id,))
    return rows[0][0] if rows else None


def delete(store: Store, ticker: str) -> None:
    from dattrack.store import alerts, inbox, instruments, issuance

    inbox.delete_for_company(store, ticker)
    instruments.delete_for_company(store, ticker)
    issuance.delete_for_company(store, ticker)
    alerts.delete_for_company(store, ticker)
    for table in ("events", "positions", "lot_books", "facts"):
        store.execute(f"DELETE FROM {table} WHERE ticker = ?", (ticker,))
    store.execute("DELETE FROM companies WHERE ticker = ?", (ticker,))


def event_count(store: Store, ticker: str) -> int:
    return store.query("SELECT count(*) FROM events WHERE ticker = ?", (ticker,))[0][0]


def set_cik(store: Store, ticker: str, cik: int) -> None:
    store.execute("UPDATE companies SET cik = ? WHERE ticker = ?", (cik, ticker))


def quote_currency(store: Store, symbol: str) -> str | None:
    """The currency of the company quoted under this symbol, if any."""
    rows = store.query("SELECT currency FROM companies WHERE quote_symbol = ? LIMIT 1", (symbol,))
    return rows[0][0] if rows else None


def coingecko_ids(store: Store) -> dict[str, str | None]:
    """Asset symbol -> its CoinGecko id (None when unknown)."""
    return {symbol: coingecko_id for symbol, coingecko_id in store.query("SELECT symbol, coingecko_id FROM assets")}


def held_assets(store: Store) -> list[str]:
    """Every asset some company holds or names as primary."""
    rows = store.query("SELECT asset FROM companies UNION SELECT asset FROM events ORDER BY 1")
    return [r[0] for r in rows]
