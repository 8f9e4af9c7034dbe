"""`dattrack sync` of a Strategy-like purchase series (the issue's "done when")."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from tests.cli.conftest import db_state
from tests.fakes.disclosures import CONTRADICTING_DAY, STRATEGY_URL, strategy_transactions

D = Decimal


def events(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT id, date, kind, quantity, amount, source, origin FROM events ORDER BY id").fetchall()


def start_strategy(cli, fake):
    fake.treasury["strategy"] = strategy_transactions()
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--coingecko-id", "strategy")


def test_sync_records_every_purchase_with_its_filing(cli, fake, db_path):
    start_strategy(cli, fake)
    rows = cli.json("sync", "MSTR", "--source", "coingecko")
    added = [r for r in rows if r["status"] == "added"]
    buys = [r for r in added if r["kind"] == "buy"]
    assert len(buys) == 12
    assert all(r["origin"] == "coingecko" and r["source"].startswith("https://www.sec.gov/") for r in buys)
    opening = added[0]
    assert (opening["kind"], opening["date"], opening["quantity"]) == ("balance", "2025-08-31", D(640031))
    listed = cli.json("event", "list", "MSTR", "--kind", "buy")
    assert {e["source"] for e in listed} == {STRATEGY_URL.format(f"00010504462500{n:04d}") for n in range(12)}
    assert all(e["origin"] == "coingecko" and e["recorded_at"] for e in listed)
    # 12 purchases: 12 x 1000 + 37 x (0 + ... + 11) = 14,442 BTC, plus the 100 the contradicting filing adds.
    holdings = cli.json("holdings", "MSTR")
    assert holdings[0]["quantity"] == D(640031) + D(14442) + D(100)


def test_check_flags_only_the_self_contradicting_filing(cli, fake):
    start_strategy(cli, fake)
    cli.ok("sync", "MSTR", "--source", "coingecko")
    result = cli("check", "MSTR", "--format", "json")
    assert result.exit_code == 1
    import json

    checks = json.loads(result.stdout, parse_float=D, parse_int=D)
    flagged = [c for c in checks if c["quantity_delta"] not in (None, 0)]
    assert [(c["date"], c["quantity_delta"]) for c in flagged] == [(CONTRADICTING_DAY, D(100))]


def test_second_sync_adds_and_changes_nothing(cli, fake, db_path):
    start_strategy(cli, fake)
    cli.ok("sync", "MSTR", "--source", "coingecko")
    before = events(db_path)
    with sqlite3.connect(db_path) as conn:
        companies = conn.execute("SELECT * FROM companies").fetchall()
        facts = conn.execute("SELECT * FROM facts").fetchall()
    rows = cli.json("sync", "MSTR", "--source", "coingecko")
    assert rows and {r["status"] for r in rows} <= {"known", "skipped"}
    assert events(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT * FROM companies").fetchall() == companies
        assert conn.execute("SELECT * FROM facts").fetchall() == facts
        assert conn.execute("SELECT count(*) FROM sync_runs").fetchone()[0] == 2


def test_dry_run_prints_the_same_rows_and_writes_nothing(cli, fake, db_path):
    start_strategy(cli, fake)
    before = db_state(db_path)
    dry = cli.json("sync", "MSTR", "--source", "coingecko", "--dry-run")
    assert db_state(db_path) == before
    real = cli.json("sync", "MSTR", "--source", "coingecko")
    assert dry == real


def test_explain_cites_the_disclosure_behind_the_holdings(cli, fake):
    start_strategy(cli, fake)
    cli.ok("sync", "MSTR", "--source", "coingecko")
    cli.ok("event", "add", "MSTR", "buy", "5", "--date", "2025-11-20", "--total", "500000", "--source", "8-K 2025-11-20")
    lines = {line["figure"]: line for line in cli.json("explain", "MSTR")}
    held = next(i for i in lines["nav"]["inputs"] if i["name"] == "BTC holdings")
    assert held["date"] == "2025-11-20"
    assert held["source"] == "8-K 2025-11-20 (latest event; 1 since the balance of 2025-11-17)"
    assert "8-K 2025-11-20 (latest event" in cli.ok("explain", "MSTR")


def test_default_sync_adds_the_sec_quarter_end_balance_that_agrees(cli, fake, db_path):
    from tests.fakes.disclosures import companyfacts, units_row

    start_strategy(cli, fake)
    fake.sec_tickers = {"MSTR": 1050446}
    # 640,031 + the purchases of 09-01 .. 09-29 (1,000 + 1,037 + 1,074 + 1,111 + 1,148) = 645,401 at the quarter end.
    fake.companyfacts["0001050446"] = companyfacts(
        1050446, units={"BTC": [units_row("2025-09-30", 645401, "0001050446-25-000123", "2025-11-03")]},
        cost=[units_row("2025-09-30", "70000000000", "0001050446-25-000123", "2025-11-03")])
    rows = cli.json("sync", "MSTR")
    sec = [r for r in rows if r["origin"] == "sec"]
    assert [(r["date"], r["kind"], r["quantity"], r["amount"], r["status"]) for r in sec] == [
        ("2025-09-30", "balance", D(645401), D(70000000000), "added")]
    assert cli.json("company", "show", "MSTR")[0]["cik"] == 1050446
    result = cli("check", "MSTR", "--format", "json")
    import json

    flagged = [c["date"] for c in json.loads(result.stdout) if c["quantity_delta"] not in (None, 0)]
    assert result.exit_code == 1 and flagged == [CONTRADICTING_DAY]
    before = events(db_path)
    again = cli.json("sync", "MSTR")
    assert {r["status"] for r in again} <= {"known", "skipped"}
    assert events(db_path) == before
