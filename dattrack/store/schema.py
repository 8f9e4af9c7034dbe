"""The schema, as an ordered list of migrations applied once each (sqlite_utils.Migrations).

Decimals are stored as TEXT in canonical plain notation so that nothing is ever a binary float.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("dattrack")

BUILTIN_ASSETS = [
    # symbol, CoinGecko id, Coinbase product base, Kraken pair
    ("BTC", "bitcoin", "BTC", "XBTUSD"),
    ("ETH", "ethereum", "ETH", "ETHUSD"),
    ("SOL", "solana", "SOL", "SOLUSD"),
]


@migrations()
def m001_ledger(db: Database) -> None:
    db.executescript("""
    CREATE TABLE companies (
        ticker TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        currency TEXT NOT NULL DEFAULT 'USD',
        quote_symbol TEXT NOT NULL,
        exchange TEXT,
        kind TEXT NOT NULL DEFAULT 'treasury' CHECK (kind IN ('treasury', 'miner', 'other')),
        asset TEXT NOT NULL DEFAULT 'BTC',
        cik INTEGER,
        note TEXT,
        source TEXT
    );
    CREATE TABLE assets (
        symbol TEXT PRIMARY KEY,
        coingecko_id TEXT,
        coinbase_base TEXT,
        kraken_pair TEXT
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        date TEXT NOT NULL,
        asset TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('buy', 'sell', 'mine', 'receive', 'balance')),
        quantity TEXT NOT NULL,
        amount TEXT,
        source TEXT,
        note TEXT,
        closes_day INTEGER NOT NULL DEFAULT 0  -- 1 for a balance: it applies after the day's other events
    );
    CREATE INDEX events_book ON events (ticker, asset, date, closes_day, id);
    -- The average-cost position after every event, kept current on each write so that
    -- `holdings` costs one row per company, not one per event.
    CREATE TABLE positions (
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        asset TEXT NOT NULL,
        quantity TEXT NOT NULL,
        cost_basis TEXT NOT NULL,
        cost_complete INTEGER NOT NULL,
        last_date TEXT,
        PRIMARY KEY (ticker, asset)
    );
    CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        name TEXT NOT NULL,
        date TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT,
        UNIQUE (ticker, name, date)
    );
    CREATE TABLE prices (
        symbol TEXT NOT NULL,
        date TEXT NOT NULL,
        price TEXT NOT NULL,
        currency TEXT NOT NULL,
        source TEXT,
        fetched_at TEXT NOT NULL,
        basis_date TEXT,  -- share closes: the day whose share structure the price is expressed in
        PRIMARY KEY (symbol, date)
    );
    """)
    db["assets"].insert_all(
        [dict(zip(("symbol", "coingecko_id", "coinbase_base", "kraken_pair"), row)) for row in BUILTIN_ASSETS])


@migrations()
def m003_views(db: Database) -> None:
    """Read-only views for sqlite-utils and datasette: current_holdings, latest_snapshot, latest_mnav."""
    from dattrack.store.views import create_views

    create_views(db)
