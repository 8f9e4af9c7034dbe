"""A database made by each earlier schema — built here from the old migrations, m001..mN only, and
filled as that schema allowed — opens with today's code and upgrades with every row kept: the same
counts and the same exact sums of every event, fact, price, instrument amount and snapshot."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from dattrack.store import open_store
from dattrack.store.schema import migrations

NAMES = migrations.names()
D = Decimal

COMPANIES = [
    {"ticker": "ABC", "name": "Abc Treasury", "currency": "USD", "quote_symbol": "ABC", "kind": "treasury",
     "asset": "BTC", "cik": 1050446, "note": "n", "source": "s", "coingecko_id": "abc"},
    {"ticker": "JPN", "name": "Jpn Holdings", "currency": "JPY", "quote_symbol": "3350.T", "kind": "treasury",
     "asset": "BTC", "cik": None, "note": None, "source": None, "coingecko_id": None},
]
EVENTS = [  # ticker, date, asset, kind, quantity, amount, origin
    ("ABC", "2025-01-02", "BTC", "buy", "10.5", "1050000.25", "manual"),
    ("ABC", "2025-02-03", "BTC", "buy", "2.000000000000000001", "210000", "import"),
    ("ABC", "2025-03-04", "BTC", "sell", "1.25", "130000.5", "manual"),
    ("ABC", "2025-03-31", "BTC", "balance", "11.250000000000000001", None, "sec"),
    ("ABC", "2025-04-01", "ETH", "buy", "100", "350000", "coingecko"),
    ("ABC", "2025-04-01", "ETH", "balance", "100", None, "coingecko"),
    ("JPN", "2025-01-10", "BTC", "balance", "1000", None, "seed"),
    ("JPN", "2025-02-10", "BTC", "buy", "500", "7500000000", "treasury-list"),
    ("JPN", "2025-02-11", "BTC", "mine", "0.5", "7000000", "manual"),
]
FACTS = [("ABC", "shares_basic", "2025-03-31", "250000000"), ("ABC", "cash", "2025-03-31", "54300000.75"),
         ("ABC", "debt", "2025-03-31", "8200000000"), ("JPN", "split", "2025-04-01", "10:1")]
PRICES = [("BTC", "2025-03-31", "82548.91", "USD"), ("ETH", "2025-03-31", "1822.123456789012345678", "USD"),
          ("ABC", "2025-03-31", "289.19", "USD"), ("3350.T", "2025-03-31", "391", "JPY"),
          ("USDJPY", "2025-03-31", "149.81", "JPY")]
SNAPSHOTS = [("2025-03-31", "ABC", "BTC", "11.25", "928675.2375"), ("2025-03-31", "JPN", "BTC", "1500.5", "123864.4")]
AMOUNTS = [("2025-01-02", "100000000", "2000"), ("2025-03-31", "40000000.5", None)]


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """The row as that schema has it: only the columns the table has at this version."""
    have = columns(conn, table)
    picked = {k: v for k, v in row.items() if k in have}
    conn.execute(f"INSERT INTO {table} ({', '.join(picked)}) VALUES ({', '.join('?' * len(picked))})",
                 tuple(picked.values()))


def old_database(path: Path, last: str) -> None:
    """m001..`last` applied, and rows in every table that schema has."""
    db = Database(path)
    following = NAMES.index(last) + 1
    migrations.apply(db, **({"stop_before": NAMES[following]} if following < len(NAMES) else {}))
    db.close()
    conn = sqlite3.connect(path)
    with conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for company in COMPANIES:
            insert(conn, "companies", company)
        insert(conn, "assets", {"symbol": "ZZZ", "coingecko_id": "zzz-coin", "coinbase_base": None,
                                "kraken_pair": None})
        for n, (ticker, date, asset, kind, quantity, amount, origin) in enumerate(EVENTS, start=1):
            insert(conn, "events", {"id": n * 10, "ticker": ticker, "date": date, "asset": asset, "kind": kind,
                                    "quantity": quantity, "amount": amount, "source": f"8-K {n}", "note": f"note {n}",
                                    "closes_day": int(kind == "balance"), "origin": origin,
                                    "recorded_at": f"2025-05-0{1 + n % 9}T10:00:00Z", "known_on": date})
        for n, (ticker, name, date, value) in enumerate(FACTS, start=1):
            insert(conn, "facts", {"id": n, "ticker": ticker, "name": name, "date": date, "value": value,
                                   "source": f"10-Q {n}", "known_on": date})
        for symbol, date, price, currency in PRICES:
            insert(conn, "prices", {"symbol": symbol, "date": date, "price": price, "currency": currency,
                                    "source": "coingecko", "fetched_at": "2025-04-01T00:00:00Z", "basis_date": None})
        if "snapshots" in tables:
            for date, ticker, asset, quantity, value_usd in SNAPSHOTS:
                insert(conn, "snapshots", {"date": date, "ticker": ticker, "asset": asset, "quantity": quantity,
                                           "cost_basis": "1", "cost_complete": 1, "currency": "USD",
                                           "value_usd": value_usd, "mnav": "1.25", "taken_at": "2025-04-01T06:30:00Z",
                                           "stale": 0, "inputs_date": date})
            insert(conn, "snapshot_runs", {"date": "2025-03-31", "started_at": "2025-04-01T06:30:00Z",
                                           "finished_at": "2025-04-01T06:31:00Z", "companies": 2, "rows": 2,
                                           "failures": 0, "offline": 0, "detail": None, "status": "ok"})
        if "sync_runs" in tables:
            insert(conn, "sync_runs", {"started_at": "2025-04-01T00:00:00Z", "finished_at": "2025-04-01T00:01:00Z",
                                       "sources": "all", "companies": 2, "added": 3, "known": 1, "skipped": 0,
                                       "failures": 0, "dry_run": 0})
        if "instruments" in tables:
            insert(conn, "instruments", {"id": 7, "ticker": "ABC", "name": "BTC-backed loan", "kind": "loan",
                                         "currency": "USD", "rate": "0.07", "seniority": 1, "collateral_asset": "BTC",
                                         "margin_ltv": "0.7", "liquidation_ltv": "0.8"})
            for date, outstanding, collateral in AMOUNTS:
                insert(conn, "instrument_amounts", {"instrument_id": 7, "date": date, "outstanding": outstanding,
                                                    "collateral": collateral, "source": "6-K", "known_on": date})
            insert(conn, "alerts", {"id": 3, "ticker": "ABC", "metric": "mnav", "op": "<", "threshold": "1",
                                    "created": "2025-04-01"})
    conn.close()


KEPT = {  # table -> (the columns that identify and carry each row's figures) every schema has had
    "companies": "ticker, name, currency, quote_symbol, cik",
    "assets": "symbol, coingecko_id",
    "events": "id, ticker, date, asset, kind, quantity, amount, source, note",
    "facts": "ticker, name, date, value, source",
    "prices": "symbol, date, price, currency",
    "snapshots": "date, ticker, asset, quantity, value_usd, mnav",
    "snapshot_runs": "date, companies, rows",
    "sync_runs": "sources, added",
    "instruments": "id, ticker, name, kind, rate, margin_ltv",
    "instrument_amounts": "instrument_id, date, outstanding, collateral",
    "alerts": "id, ticker, metric, op, threshold",
}
SUMMED = {"events": ("quantity", "amount"), "facts": ("value",), "prices": ("price",),
          "snapshots": ("quantity", "value_usd"), "instrument_amounts": ("outstanding", "collateral")}


def contents(path: Path) -> dict:
    """Each table's rows (by the columns above) and the exact sums of its figures."""
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = {}
        for table, cols in KEPT.items():
            if table not in tables:
                continue
            rows = conn.execute(f"SELECT {cols} FROM {table} ORDER BY {cols}").fetchall()
            sums = {column: sum((D(v) for (v,) in conn.execute(f"SELECT {column} FROM {table}")
                                 if v is not None and ":" not in v), D(0)) for column in SUMMED.get(table, ())}
            found[table] = (len(rows), rows, sums)
        return found
    finally:
        conn.close()


@pytest.mark.parametrize("last", NAMES, ids=lambda name: f"made-by-{name}")
def test_a_database_of_every_earlier_schema_upgrades_keeping_every_row(cli, db_path, last):
    old_database(db_path, last)
    before = contents(db_path)
    assert before["events"][0] == len(EVENTS) and before["prices"][0] == len(PRICES)
    open_store(db_path).close()                                  # opening upgrades it
    after = contents(db_path)
    assert {table: after[table] for table in before} == before   # counts, rows and exact sums
    conn = sqlite3.connect(db_path)
    applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert applied == list(NAMES)
    # ...and the upgraded file works: every event listed, the whole of it exported.
    assert len(cli.json("event", "list")) == len(EVENTS)
    assert cli("export").exit_code == 0
    assert cli("check").exit_code in (0, 1)


def test_the_sums_compared_are_exact(tmp_path):
    """The check above can fail: an upgrade that rounded one amount would change a sum."""
    path = tmp_path / "old.db"
    old_database(path, NAMES[0])
    before = contents(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE events SET quantity = '2' WHERE quantity = '2.000000000000000001'")
    conn.close()
    assert contents(path)["events"] != before["events"]
