"""`price set|list`, `fact set`, `init --seed`."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

PRICE_KEYS = ["symbol", "date", "price", "currency", "source", "fetched_at"]


def test_price_set_and_list(cli):
    cli.ok("price", "set", "btc", "97123.45", "--date", "2026-11-19")
    cli.ok("price", "set", "BTC", "98000.10", "--date", "2026-11-20")
    cli.ok("price", "set", "ETH", "3000")                      # default date: today, 2026-11-21
    rows = cli.json("price", "list")
    assert [list(r)[:len(PRICE_KEYS)] for r in rows] == [PRICE_KEYS] * 3
    assert [(r["symbol"], r["date"], r["price"], r["currency"]) for r in rows] == [
        ("BTC", "2026-11-19", Decimal("97123.45"), "USD"),
        ("BTC", "2026-11-20", Decimal("98000.10"), "USD"),
        ("ETH", "2026-11-21", Decimal("3000"), "USD"),
    ]
    assert all(r["source"] == "manual" and r["fetched_at"] for r in rows)
    assert '"price": 98000.10,' in cli.ok("price", "list", "BTC", "--format", "json")
    assert [r["date"] for r in cli.json("price", "list", "BTC", "--since", "2026-11-20")] == ["2026-11-20"]


def test_setting_a_price_again_replaces_that_days_close(cli):
    cli.ok("price", "set", "BTC", "1", "--date", "2026-11-20")
    cli.ok("price", "set", "BTC", "2", "--date", "2026-11-20")
    assert [r["price"] for r in cli.json("price", "list")] == [Decimal("2")]


def test_price_currency_defaults_to_the_companys_for_its_quote_symbol(cli):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("price", "set", "3350.T", "512", "--date", "2026-11-20")
    cli.ok("price", "set", "MSTR", "250.5", "--date", "2026-11-20")
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-11-20", "--currency", "EUR")
    currencies = {r["symbol"]: r["currency"] for r in cli.json("price", "list")}
    assert currencies == {"3350.T": "JPY", "MSTR": "USD", "BTC": "EUR"}


def test_fact_set_records_dated_figures(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    out = cli.ok("fact", "set", "MSTR", "shares_basic", "267468000", "--date", "2025-09-30", "--source", "10-Q")
    assert "267468000" in out
    cli.ok("fact", "set", "MSTR", "debt", "8200000000.50", "--date", "2025-09-30")
    cli.ok("fact", "set", "MSTR", "cash", "0", "--date", "2025-09-30")
    cli.ok("fact", "set", "MSTR", "split", "1:10", "--date", "2024-08-08")
    (profile,) = cli.json("company", "show", "MSTR")
    facts = {f["name"]: f for f in profile["facts"]}
    assert facts["split"]["value"] == "1:10"
    assert facts["split"]["date"] == "2024-08-08"
    assert facts["shares_basic"]["source"] == "10-Q"
    assert Decimal(str(facts["debt"]["value"])) == Decimal("8200000000.50")
    assert Decimal(str(facts["cash"]["value"])) == 0


def test_numeric_facts_are_json_numbers(cli):
    # SPEC 3: numbers are exact JSON numbers, not strings.
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "shares_basic", "267468000", "--date", "2025-09-30")
    raw = cli.ok("company", "show", "MSTR", "--format", "json")
    assert '"value": 267468000' in raw, raw


def test_fact_set_again_on_the_same_date_replaces_it(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "debt", "1", "--date", "2025-09-30")
    cli.ok("fact", "set", "MSTR", "debt", "2", "--date", "2025-09-30")
    (profile,) = cli.json("company", "show", "MSTR")
    assert [Decimal(str(f["value"])) for f in profile["facts"]] == [Decimal("2")]


def counts(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("companies", "events", "facts", "prices")}
    finally:
        conn.close()


def test_init_seed_twice_adds_nothing_the_second_time(cli, db_path):
    cli.ok("init", "--seed")
    first = counts(db_path)
    assert all(first.values()), first
    cli.ok("init", "--seed")
    assert counts(db_path) == first


def test_seed_does_not_overwrite_a_price_already_stored(cli):
    cli.ok("init")
    cli.ok("init", "--seed")
    (btc, *_) = cli.json("price", "list", "BTC")
    cli.ok("price", "set", "BTC", "1.5", "--date", btc["date"])
    cli.ok("init", "--seed")
    assert cli.json("price", "list", "BTC")[0]["price"] == Decimal("1.5")


def test_check_on_the_seeded_db_reports_cangos_unexplained_february(cli):
    cli.ok("init", "--seed")
    import json

    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout, parse_float=Decimal, parse_int=Decimal)
    (feb,) = [r for r in rows if r["ticker"] == "CANG" and r["date"] == "2026-02-28"]
    assert feb["quantity_delta"] == Decimal("-165.05")
    assert feb["disclosed_quantity"] == Decimal("3313.4")
    assert feb["computed_quantity"] == Decimal("3478.45")
    opening = [r for r in rows if r["ticker"] == "CANG"][0]
    assert (opening["date"], opening["asserted"], opening["quantity_delta"]) == ("2025-07-31", False, None)


def test_init_creates_the_database(cli, db_path):
    assert not db_path.exists()
    assert str(db_path) in cli.ok("init")
    assert db_path.exists()
    assert cli.json("company", "list") == []
