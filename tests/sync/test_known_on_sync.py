"""What `sync` records is public on its filing or transaction date (SPEC 10), not on the day it ran."""

from __future__ import annotations

import sqlite3

from tests.fakes.disclosures import companyfacts, transaction, units_row


def test_coingecko_rows_on_their_date_and_sec_rows_on_their_filing_date(cli, fake, db_path):
    fake.treasury["semler"] = [transaction("2025-10-01", "buy", 5, 500000, 4454)]
    cli.ok("company", "add", "SMLR", "--name", "Semler", "--cik", "1554859", "--coingecko-id", "semler")
    fake.companyfacts["0001554859"] = companyfacts(
        1554859, units={"Bitcoin": [units_row("2025-09-30", 4454, "0001554859-25-000030", "2025-11-05")]},
        shares=[units_row("2025-11-01", 15000000, "0001554859-25-000030", "2025-11-05")])
    cli.ok("sync", "SMLR")
    with sqlite3.connect(db_path) as conn:
        events = conn.execute("SELECT date, kind, origin, known_on FROM events ORDER BY date, closes_day, id").fetchall()
        facts = conn.execute("SELECT name, date, known_on FROM facts").fetchall()
    assert events == [("2025-09-30", "balance", "sec", "2025-11-05"),        # the 10-Q's filing date
                      ("2025-09-30", "balance", "coingecko", "2025-10-01"),  # the opening, public with the list
                      ("2025-10-01", "buy", "coingecko", "2025-10-01"),
                      ("2025-10-01", "balance", "coingecko", "2025-10-01")]
    assert facts == [("shares_basic", "2025-11-01", "2025-11-05")]


def test_an_estimated_amount_does_not_make_the_same_purchase_another_one(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500123, 5)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("event", "add", "GOOD", "buy", "5", "--total", "500000", "--date", "2025-09-30",
           "--estimate", "rounded as reported")
    rows = cli.json("sync", "GOOD", "--source", "coingecko", "--since", "2025-09-01")
    assert [(r["kind"], r["status"]) for r in rows] == [("buy", "known"), ("balance", "known")]
    assert "already has this buy" in cli("event", "add", "GOOD", "buy", "5", "--total", "500123",
                                         "--date", "2025-09-30").stderr
