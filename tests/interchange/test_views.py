"""The SQL views show the CLI's exact digits to sqlite-utils and datasette."""

from __future__ import annotations

import sqlite3
from decimal import Decimal


def view_rows(path, sql: str) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_current_holdings_matches_holdings_on_the_seeded_database(cli, db_path):
    cli.ok("init", "--seed")
    report = {(r["ticker"], r["asset"]): r for r in cli.json("holdings")}
    rows = view_rows(db_path, "SELECT * FROM current_holdings")
    assert [(r["ticker"], r["asset"]) for r in rows] == list(report)
    for row in rows:
        held = report[(row["ticker"], row["asset"])]
        assert Decimal(row["quantity"]) == held["quantity"]
        assert Decimal(row["cost_basis"]) == held["cost_basis"]
        assert bool(row["cost_complete"]) == held["cost_complete"]
        assert (row["currency"], row["price_date"]) == (held["currency"], held["price_date"])
        assert row["price_currency"] == "USD"
        # value_usd is not in the view (SQLite would multiply in floats): the exact product of its columns is the CLI's.
        assert Decimal(row["quantity"]) * Decimal(row["price"]) == held["value_usd"]
        if row["currency"] == "USD":
            assert Decimal(row["price"]) == held["price"]


def test_view_numbers_are_text_with_the_stored_digits(cli, db_path):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    cli.ok("event", "add", "ABC", "buy", "0.12345678", "--total", "10000.25", "--date", "2026-01-02")
    cli.ok("price", "set", "BTC", "90000.50", "--date", "2026-01-02")
    cli.ok("price", "set", "BTC", "91000.25", "--date", "2026-01-03")
    (row,) = view_rows(db_path, "SELECT quantity, cost_basis, price, price_date, typeof(quantity) AS kind,"
                                " typeof(price) AS price_kind FROM current_holdings")
    assert row == {"quantity": "0.12345678", "cost_basis": "10000.25", "price": "91000.25",
                   "price_date": "2026-01-03", "kind": "text", "price_kind": "text"}


def test_a_holding_with_no_price_shows_null(cli, db_path):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp", "--asset", "DOGE")
    cli.ok("event", "add", "ABC", "buy", "5", "--total", "1", "--date", "2026-01-02")
    (row,) = view_rows(db_path, "SELECT asset, price, price_date FROM current_holdings")
    assert row == {"asset": "DOGE", "price": None, "price_date": None}
