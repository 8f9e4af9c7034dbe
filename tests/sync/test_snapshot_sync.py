"""`dattrack snapshot --sync`: disclosures first, then the valuation of every company."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from tests.fakes.disclosures import transaction


def test_snapshot_sync_records_disclosures_and_values_even_a_company_that_failed(cli, fake, db_path):
    fake.prices.update({"GOOD": Decimal("12"), "BAD": Decimal("7")})
    fake.treasury["good"] = [transaction("2026-11-17", "buy", 5, 450000, 5)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("company", "add", "BAD", "--name", "Bad", "--coingecko-id", "missing")
    cli.ok("event", "add", "BAD", "buy", "1", "--date", "2026-11-01", "--total", "90000")
    result = cli("snapshot", "--sync", "--quiet")
    assert result.exit_code == 1
    assert "not synced BAD: coingecko: entity 'missing' not found" in result.stderr
    with sqlite3.connect(db_path) as conn:
        stored = dict(conn.execute("SELECT ticker, quantity FROM snapshots WHERE date = '2026-11-21'").fetchall())
        origins = conn.execute("SELECT origin, count(*) FROM events GROUP BY origin ORDER BY 1").fetchall()
    assert stored == {"GOOD": "5", "BAD": "1"}
    assert origins == [("coingecko", 2), ("manual", 1)]


def test_snapshot_sync_cannot_be_offline(cli, refused):
    assert "--offline" in refused("snapshot", "--sync", "--offline")
