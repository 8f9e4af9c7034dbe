"""`dattrack sync`: the ugly cases of the issue, each against the fake providers."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from tests.cli.conftest import db_state
from tests.fakes.disclosures import companyfacts, strategy_transactions, transaction, units_row

D = Decimal


def rows_of(result):
    return json.loads(result.stdout, parse_float=D, parse_int=D)


def event_rows(db_path, ticker):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT date, kind, quantity, amount, origin FROM events WHERE ticker = ?"
                            " ORDER BY date, closes_day, id", (ticker,)).fetchall()


def test_jpy_company_amounts_at_that_days_rate_and_unknown_without_one(cli, fake, db_path):
    fake.treasury["metaplanet"] = [
        transaction("2025-10-01", "buy", 5, 500000, 30005),
        transaction("2025-10-20", "buy", 10, 1100000, 30015),
    ]
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T",
           "--coingecko-id", "metaplanet")
    cli.ok("price", "set", "USDJPY", "147.5", "--date", "2025-09-30")   # one day before the first purchase
    fake.fail("coingecko:bitcoin", 500, times=None)   # no FX to be had for 10-20: neither CoinGecko...
    fake.fail("yahoo:JPY=X", 404, times=None)         # ...nor Yahoo
    rows = cli.json("sync", "METAPLANET", "--source", "coingecko")
    buys = {r["date"]: r for r in rows if r["kind"] == "buy"}
    assert buys["2025-10-01"]["amount"] == D("73750000")        # 500,000 USD x 147.5 JPY per USD
    assert buys["2025-10-20"]["amount"] is None                  # no rate within 3 days: cost unknown
    assert "cost unknown" in buys["2025-10-20"]["reason"]
    holding = cli.json("holdings", "METAPLANET")[0]
    assert holding["cost_complete"] is False and holding["avg_cost"] is None


def test_a_missing_rate_is_fetched_for_that_day_and_kept(cli, fake, db_path):
    fake.treasury["metaplanet"] = [transaction("2025-10-20", "buy", 10, 1100000, 30015)]
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T",
           "--coingecko-id", "metaplanet")
    rows = cli.json("sync", "METAPLANET", "--source", "coingecko")
    buy = next(r for r in rows if r["kind"] == "buy")
    assert buy["amount"] == D("165000000")                     # 1,100,000 USD x 150 (the fake's JPY per USD)
    stored = cli.json("price", "list", "USDJPY")
    assert [(p["date"], p["price"], p["source"]) for p in stored] == [("2025-10-20", D(150), "coingecko")]


def test_sec_total_of_a_multi_asset_company_is_not_given_to_one_asset(cli, fake, db_path):
    cli.ok("company", "add", "MULTI", "--name", "Multi", "--cik", "777")
    cli.ok("event", "add", "MULTI", "balance", "10", "--date", "2025-01-31")
    cli.ok("event", "add", "MULTI", "balance", "500", "--date", "2025-01-31", "--asset", "ETH")
    fake.companyfacts["0000000777"] = companyfacts(777, units={"Unit": [
        units_row("2025-06-30", 515, "0000000777-25-000010", "2025-08-01")]})
    before = event_rows(db_path, "MULTI")
    rows = cli.json("sync", "MULTI", "--source", "sec")
    assert [(r["status"], r["quantity"]) for r in rows] == [("skipped", D(515))]
    assert "not assigned to one asset" in rows[0]["reason"]
    assert event_rows(db_path, "MULTI") == before


def test_sec_units_named_by_asset_become_balances_with_cost_and_facts(cli, fake, db_path):
    cli.ok("company", "add", "SMLR", "--name", "Semler", "--cik", "1554859")
    fake.companyfacts["0001554859"] = companyfacts(
        1554859,
        units={"Bitcoin": [units_row("2025-06-30", 4449, "0001554859-25-000020", "2025-08-05"),
                           units_row("2025-06-30", 4449, "0001554859-25-000030", "2025-11-05"),
                           units_row("2025-09-30", 5021, "0001554859-25-000030", "2025-11-05")]},
        cost=[units_row("2025-09-30", "555000000.50", "0001554859-25-000030", "2025-11-05")],
        shares=[units_row("2025-11-01", 15000000, "0001554859-25-000030", "2025-11-05")])
    rows = cli.json("sync", "SMLR", "--source", "sec")
    assert [(r["date"], r["kind"], r["quantity"], r["amount"], r["source"], r["status"]) for r in rows] == [
        ("2025-06-30", "balance", D(4449), None, "10-Q 0001554859-25-000020", "added"),
        ("2025-09-30", "balance", D(5021), D("555000000.50"), "10-Q 0001554859-25-000030", "added")]
    assert event_rows(db_path, "SMLR")[-1][-1] == "sec"
    with sqlite3.connect(db_path) as conn:
        facts = conn.execute("SELECT name, value, source FROM facts WHERE ticker = 'SMLR'").fetchall()
    assert facts == [("shares_basic", "15000000", "SEC EDGAR 10-Q accession 0001554859-25-000030")]
    again = cli.json("sync", "SMLR", "--source", "sec")
    assert {r["status"] for r in again} == {"known"}


def test_a_sell_with_no_value_is_recorded_with_unknown_proceeds(cli, fake, db_path):
    fake.treasury["seller"] = [transaction("2025-10-01", "buy", 100, 9000000, 100),
                               transaction("2025-11-01", "sell", 40, None, 60)]
    cli.ok("company", "add", "SELL", "--name", "Seller", "--coingecko-id", "seller")
    rows = cli.json("sync", "SELL", "--source", "coingecko")
    sell = next(r for r in rows if r["kind"] == "sell")
    assert sell["status"] == "added" and sell["amount"] is None and sell["quantity"] == D(40)
    pnl = cli.json("pnl", "SELL")[0]
    assert pnl["realized_pnl"] is None
    assert cli.json("holdings", "SELL")[0]["quantity"] == D(60)


def test_a_demo_plan_gets_page_one_and_an_opening_balance(cli, fake, db_path):
    fake.treasury["big"] = strategy_transactions(opening=D(1000), weeks=105, start="2024-01-01")
    cli.ok("company", "add", "BIG", "--name", "Big", "--coingecko-id", "big")
    result = cli("sync", "BIG", "--source", "coingecko", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "need a paid plan" in result.stderr
    rows = rows_of(result)
    assert sum(1 for r in rows if r["kind"] == "buy") == 100    # the newest page only
    opening = rows[0]
    assert opening["kind"] == "balance" and opening["status"] == "added"
    check = cli("check", "BIG", "--format", "json")
    assert check.exit_code == 1  # only the contradicting filing (it is on page 1), not the opening
    assert [c["date"] for c in rows_of(check) if c["quantity_delta"] not in (None, 0)] == ["2025-10-13"]


def test_an_unknown_entity_fails_that_company_and_the_rest_is_synced(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("company", "add", "GONE", "--name", "Gone", "--coingecko-id", "gone")
    result = cli("sync", "--source", "coingecko", "--format", "json")
    assert result.exit_code == 1
    assert "failed GONE" in result.stderr and "'gone' not found" in result.stderr
    assert event_rows(db_path, "GONE") == []
    assert [r[1] for r in event_rows(db_path, "GOOD")] == ["buy", "balance"]


def test_a_rate_limit_with_retry_after_is_waited_out(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    fake.fail("coingecko:treasury:good", 429, times=1, headers={"Retry-After": "0"},
              body='{"status": {"error_code": 429, "error_message": "You\'ve exceeded the Rate Limit"}}',
              content_type="application/json")
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("sync", "GOOD", "--source", "coingecko")
    assert fake.hits["coingecko"] == 2
    assert len(event_rows(db_path, "GOOD")) == 2


def test_html_instead_of_json_leaves_the_company_as_it_was(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    fake.treasury["html"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    fake.fail("coingecko:treasury:html", 200, times=None, body="<html><body>Cloudflare</body></html>",
              content_type="text/html")
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("company", "add", "HTML", "--name", "Html", "--coingecko-id", "html")
    cli.ok("event", "add", "HTML", "balance", "3", "--date", "2025-09-01")
    before = event_rows(db_path, "HTML")
    result = cli("sync", "--source", "coingecko")
    assert result.exit_code == 1
    assert "failed HTML" in result.stderr and "HTML page instead of JSON" in result.stderr
    assert event_rows(db_path, "HTML") == before
    assert len(event_rows(db_path, "GOOD")) == 2


def test_a_hand_typed_purchase_days_off_is_known(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-09-01", "buy", 5, 500000, 5),
                             transaction("2025-10-06", "buy", 7, 700000, 12)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("event", "add", "GOOD", "buy", "5", "--date", "2025-08-29", "--total", "500000")
    rows = cli.json("sync", "GOOD", "--source", "coingecko", "--since", "2025-08-01")
    assert [(r["date"], r["kind"], r["status"]) for r in rows] == [
        ("2025-09-01", "buy", "known"), ("2025-09-01", "balance", "known"),
        ("2025-10-06", "buy", "added"), ("2025-10-06", "balance", "added")]
    assert [r[1] for r in event_rows(db_path, "GOOD")] == ["buy", "buy", "balance"]


def test_disclosures_before_the_books_latest_event_are_skipped_unless_since(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-09-01", "buy", 5, 500000, 5),
                             transaction("2025-10-06", "buy", 7, 700000, 12)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("event", "add", "GOOD", "balance", "5", "--date", "2025-09-15")
    rows = cli.json("sync", "GOOD", "--source", "coingecko")
    assert [(r["date"], r["status"]) for r in rows] == [
        ("2025-09-01", "skipped"), ("2025-09-01", "skipped"), ("2025-10-06", "added"), ("2025-10-06", "added")]
    assert "latest event (2025-09-15)" in rows[0]["reason"]


def test_the_entity_id_is_looked_up_and_stored(cli, fake, db_path):
    fake.entities = [{"id": "strategy", "symbol": "MSTR.US", "name": "Strategy", "country": "US"},
                     {"id": "us-gov", "symbol": "", "name": "United States", "country": "US"}]
    fake.treasury["strategy"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "NOPE", "--name", "Not listed")
    result = cli("sync", "--source", "coingecko")
    assert result.exit_code == 0, result.stderr
    assert "NOPE: not on CoinGecko's treasury list" in result.stderr
    shown = cli.json("company", "show", "MSTR")[0]
    assert shown["coingecko_id"] == "strategy"
    assert fake.hits["coingecko"] == 2   # one entity list for both companies, one history


def test_sync_source_sec_needs_the_user_agent(cli, fake, monkeypatch, refused):
    monkeypatch.delenv("DATTRACK_SEC_USER_AGENT")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    assert "DATTRACK_SEC_USER_AGENT" in refused("sync", "--source", "sec")


def test_a_provider_that_keeps_failing_is_not_asked_for_the_rest_of_the_run(cli, fake, db_path, monkeypatch):
    from dattrack.providers import http

    monkeypatch.setattr(http, "POOL_SIZE", 1)  # one company after another, as when companies outnumber workers
    for n in range(6):
        fake.treasury[f"e{n}"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
        cli.ok("company", "add", f"C{n}", "--name", f"Company {n}", "--coingecko-id", f"e{n}")
    fake.fail("coingecko:*", 429, times=None, headers={"Retry-After": "0"})
    result = cli("sync", "--source", "coingecko")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == 6
    assert sum("not asked" in line for line in failed) == 3   # after three companies failed in a row
    assert fake.hits["coingecko"] == 3 * 4                     # each of those three paid its four tries
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_bad_input_is_refused_before_any_request(cli, fake, refused, monkeypatch):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    assert "unknown --source" in refused("sync", "--source", "edgar")
    assert "unknown ticker" in refused("sync", "NOPE")
    assert "is in the future" in refused("sync", "--since", "2030-01-01")
    monkeypatch.delenv("DATTRACK_SEC_USER_AGENT")
    assert "DATTRACK_SEC_USER_AGENT" in refused("filings", "MSTR")
    assert fake.requests == 0


def test_two_transactions_of_one_day_assert_only_the_days_last_total(cli, fake, db_path):
    fake.treasury["twice"] = [transaction("2025-10-01", "buy", 100, 9000000, 100),
                              transaction("2025-11-03", "buy", 5, 450000, 105),
                              transaction("2025-11-03", "buy", 7, 630000, 112)]
    cli.ok("company", "add", "TWICE", "--name", "Twice", "--coingecko-id", "twice")
    rows = cli.json("sync", "TWICE", "--source", "coingecko")
    assert [(r["date"], r["kind"], r["quantity"]) for r in rows if r["date"] == "2025-11-03"] == [
        ("2025-11-03", "buy", D(5)), ("2025-11-03", "buy", D(7)), ("2025-11-03", "balance", D(112))]
    assert cli("check", "TWICE").exit_code == 0


def test_figures_that_contradict_the_book_leave_the_company_as_it_was(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    fake.treasury["odd"] = [transaction("2025-10-03", "sell", 5, 450000, 5)]
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("company", "add", "ODD", "--name", "Odd", "--coingecko-id", "odd")
    cli.ok("event", "add", "ODD", "balance", "10", "--date", "2025-10-01")
    cli.ok("event", "add", "ODD", "sell", "10", "--date", "2025-10-05", "--total", "900000")
    before = event_rows(db_path, "ODD")
    result = cli("sync", "--source", "coingecko", "--since", "2025-09-01")
    assert result.exit_code == 1
    assert ("failed ODD: not recorded: a sell of 10 BTC on 2025-10-05 is more than the position then: 5 BTC"
            in result.stderr)
    assert event_rows(db_path, "ODD") == before
    assert len(event_rows(db_path, "GOOD")) == 2
