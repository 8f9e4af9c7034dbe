"""Happy paths for `company` and `event` commands, on a temporary database."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.cli.conftest import event_count

COMPANY_KEYS = ["ticker", "name", "asset", "currency", "quote_symbol", "exchange", "kind", "cik"]
EVENT_KEYS = ["id", "ticker", "date", "asset", "kind", "quantity", "amount", "source", "note", "origin", "recorded_at",
              "estimate", "known_on"]
HEADER = "ticker,date,kind,asset,quantity,price,total,fee,source,note\n"


def test_company_add_list_show_rm(cli):
    cli.ok("company", "add", "mstr", "--name", "Strategy", "--cik", "1050446", "--exchange", "NASDAQ")
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY",
           "--quote-symbol", "3350.T", "--exchange", "TSE")
    cli.ok("company", "add", "MARA", "--name", "MARA Holdings", "--kind", "miner")
    rows = cli.json("company", "list")
    assert [list(r) for r in rows] == [COMPANY_KEYS] * 3
    by_ticker = {r["ticker"]: r for r in rows}
    assert by_ticker["MSTR"] == {"ticker": "MSTR", "name": "Strategy", "asset": "BTC", "currency": "USD",
                                 "quote_symbol": "MSTR", "exchange": "NASDAQ", "kind": "treasury",
                                 "cik": Decimal("1050446")}
    assert by_ticker["METAPLANET"]["currency"] == "JPY"
    assert by_ticker["METAPLANET"]["quote_symbol"] == "3350.T"
    assert by_ticker["MARA"]["kind"] == "miner"
    assert by_ticker["MARA"]["cik"] is None

    cli.ok("event", "add", "MSTR", "buy", "2", "--date", "2025-01-02", "--total", "200000")
    (shown,) = cli.json("company", "show", "mstr")
    assert shown["ticker"] == "MSTR"
    assert [e["quantity"] for e in shown["events"]] == [Decimal("2")]
    assert shown["holdings"][0]["quantity"] == Decimal("2")
    assert "Strategy" in cli.ok("company", "show", "MSTR")

    cli.ok("company", "rm", "MARA")
    assert sorted(r["ticker"] for r in cli.json("company", "list")) == ["METAPLANET", "MSTR"]
    cli.ok("company", "rm", "MSTR", "--force")
    assert [r["ticker"] for r in cli.json("company", "list")] == ["METAPLANET"]
    assert cli.json("event", "list") == []
    assert cli.json("holdings") == []


def test_event_add_prints_the_new_id(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    first = cli.ok("event", "add", "MSTR", "buy", "1", "--date", "2025-01-02", "--total", "100")
    second = cli.ok("event", "add", "MSTR", "buy", "1", "--date", "2025-01-03", "--total", "100")
    assert first.strip().isdigit() and second.strip().isdigit()
    ids = [r["id"] for r in cli.json("event", "list")]
    assert ids == [Decimal(first.strip()), Decimal(second.strip())]


def test_what_is_entered_comes_back_unchanged(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "1.50", "--date", "2025-01-02", "--total", "150000.00",
           "--source", "https://example.com/8-k", "--note", "first purchase")
    cli.ok("event", "add", "MSTR", "buy", "0.000000000000000001", "--date", "2025-01-03", "--total", "0.10")
    raw = cli.ok("event", "list", "--format", "json")
    assert '"quantity": 1.50,' in raw
    assert '"amount": 150000.00,' in raw
    assert '"quantity": 0.000000000000000001,' in raw
    assert '"amount": 0.10,' in raw
    first = json.loads(raw)[0]
    assert list(first) == EVENT_KEYS
    assert (first["source"], first["note"]) == ("https://example.com/8-k", "first purchase")


def test_scientific_notation_is_accepted_as_the_number_it_means(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "1e3", "--date", "2025-01-02", "--total", "2.5E+4")
    (event,) = cli.json("event", "list")
    assert (event["quantity"], event["amount"]) == (Decimal("1000"), Decimal("25000"))


def test_event_list_filters(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "MARA", "--name", "MARA", "--kind", "miner")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-01-01", "--total", "1")
    cli.ok("event", "add", "MSTR", "sell", "1", "--date", "2025-02-01", "--total", "1")
    cli.ok("event", "add", "MSTR", "buy", "5", "--date", "2025-03-01", "--total", "1")
    cli.ok("event", "add", "MARA", "mine", "2", "--date", "2025-02-15", "--total", "1")
    cli.ok("event", "add", "MARA", "balance", "2", "--date", "2025-02-28")

    def listed(*args):
        return [(r["ticker"], r["date"], r["kind"]) for r in cli.json("event", "list", *args)]

    assert len(listed()) == 5
    assert listed("--kind", "buy") == [("MSTR", "2025-01-01", "buy"), ("MSTR", "2025-03-01", "buy")]
    assert listed("mara") == [("MARA", "2025-02-15", "mine"), ("MARA", "2025-02-28", "balance")]
    assert listed("--since", "2025-02-01", "--until", "2025-02-28") == [
        ("MARA", "2025-02-15", "mine"), ("MARA", "2025-02-28", "balance"), ("MSTR", "2025-02-01", "sell")]
    assert listed("MSTR", "--since", "2025-02-02") == [("MSTR", "2025-03-01", "buy")]
    assert listed("--until", "2024-12-31") == []


def test_event_rm(cli, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-01-01", "--total", "1000")
    second = cli.ok("event", "add", "MSTR", "buy", "5", "--date", "2025-02-01", "--total", "700").strip()
    cli.ok("event", "rm", second)
    assert event_count(db_path) == 1
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"]) == (Decimal("10"), Decimal("1000"))


def test_removing_the_last_event_removes_the_position(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    only = cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-01-01", "--total", "1000").strip()
    cli.ok("event", "rm", only)
    assert cli.json("holdings") == []


def test_fee_with_price(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "2", "--date", "2025-01-01", "--price", "100000", "--fee", "150")
    cli.ok("event", "add", "MSTR", "sell", "0.5", "--date", "2025-02-01", "--price", "120000", "--fee", "25.5")
    buy, sell = cli.json("event", "list")
    assert buy["amount"] == Decimal("200150")        # 100,000 x 2 + 150
    assert sell["amount"] == Decimal("59974.5")      # 120,000 x 0.5 - 25.5
    (pnl,) = cli.json("pnl")
    assert pnl["realized_pnl"] == Decimal("59974.5") - Decimal("50037.5")   # average 100,075 x 0.5


def test_price_without_fee(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "0.3", "--date", "2025-01-01", "--price", "0.1")
    (event,) = cli.json("event", "list")
    assert event["amount"] == Decimal("0.03")


def test_mine_without_price_is_valued_at_the_stored_btc_close_of_that_day(cli):
    cli.ok("company", "add", "MARA", "--name", "MARA", "--kind", "miner")
    cli.ok("price", "set", "BTC", "95000.50", "--date", "2025-03-31")
    cli.ok("price", "set", "BTC", "99000", "--date", "2025-04-02")      # after the event: not used
    cli.ok("event", "add", "MARA", "mine", "2", "--date", "2025-04-01")  # one day after the close
    cli.ok("event", "add", "MARA", "receive", "0.1", "--date", "2025-04-02")
    mine, receive = cli.json("event", "list")
    assert mine["amount"] == Decimal("190001.00")    # 95,000.50 x 2
    assert receive["amount"] == Decimal("9900.0")    # 99,000 x 0.1
    # The value is fixed when recorded: a later correction of the close does not move it.
    cli.ok("price", "set", "BTC", "1", "--date", "2025-03-31")
    assert cli.json("event", "list")[0]["amount"] == Decimal("190001.00")


def test_mine_without_price_and_no_close_near_is_refused(cli, refused):
    cli.ok("company", "add", "MARA", "--name", "MARA", "--kind", "miner")
    line = refused("event", "add", "MARA", "mine", "2", "--date", "2025-04-01")
    assert "price" in line
    cli.ok("price", "set", "BTC", "95000", "--date", "2025-03-01")          # a month old: stale
    assert "price" in refused("event", "add", "MARA", "mine", "2", "--date", "2025-04-01")


def test_mine_with_its_production_cost(cli):
    cli.ok("company", "add", "MARA", "--name", "MARA", "--kind", "miner")
    cli.ok("event", "add", "MARA", "mine", "3", "--date", "2025-04-01", "--total", "120000")
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"], row["avg_cost"]) == (Decimal("3"), Decimal("120000"), Decimal("40000"))


def test_import_sorts_by_date_and_writes_every_row(cli, tmp_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "MARA", "--name", "MARA", "--kind", "miner")
    csv = tmp_path / "events.csv"
    csv.write_text(HEADER +
                   "MSTR,2025-03-01,sell,,4,,500000,,,\n"           # needs the buy below it
                   "MSTR,2025-01-01,buy,BTC,10,,1000000,,8-K,opening\n"
                   "mstr,2025-02-01,buy,,1.50,100000,,50,,\n"
                   "MARA,2025-02-01,mine,,2,,80000,,,\n"
                   "\n")
    assert "4" in cli.ok("event", "import", str(csv))
    events = cli.json("event", "list", "MSTR")
    assert [(e["date"], e["kind"]) for e in events] == [
        ("2025-01-01", "buy"), ("2025-02-01", "buy"), ("2025-03-01", "sell")]
    assert events[0]["id"] < events[1]["id"] < events[2]["id"]     # written in date order
    assert events[1]["quantity"] == Decimal("1.50")
    assert events[1]["amount"] == Decimal("150050")                # 100,000 x 1.5 + 50
    assert (events[0]["source"], events[0]["note"]) == ("8-K", "opening")
    rows = {r["ticker"]: r for r in cli.json("holdings")}
    assert rows["MSTR"]["quantity"] == Decimal("7.50")
    assert rows["MARA"]["quantity"] == Decimal("2")


def test_import_of_only_a_header_imports_nothing(cli, tmp_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    csv = tmp_path / "events.csv"
    csv.write_text(HEADER)
    cli.ok("event", "import", str(csv))
    assert cli.json("event", "list") == []


def test_balance_recorded_before_a_buy_of_the_same_date_still_closes_that_date(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-05-01", "--total", "1000")
    cli.ok("event", "add", "MSTR", "balance", "15", "--date", "2025-06-01")     # the 8-K total first
    cli.ok("event", "add", "MSTR", "buy", "5", "--date", "2025-06-01", "--total", "500")
    (check,) = cli.json("check")
    assert (check["asserted"], check["computed_quantity"], check["quantity_delta"]) == (True, Decimal("15"), 0)
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"], row["cost_complete"]) == (Decimal("15"), Decimal("1500"), True)


def test_a_zero_balance_after_selling_everything(cli):
    cli.ok("company", "add", "SOLD", "--name", "Sold Out Inc")
    cli.ok("event", "add", "SOLD", "buy", "5", "--date", "2025-01-01", "--total", "500")
    cli.ok("event", "add", "SOLD", "sell", "5", "--date", "2025-02-01", "--total", "600")
    cli.ok("event", "add", "SOLD", "balance", "0", "--date", "2025-02-28")
    assert cli("check").exit_code == 0
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"], row["avg_cost"]) == (0, 0, None)
    (pnl,) = cli.json("pnl")
    assert pnl["realized_pnl"] == Decimal("100")


def test_a_balance_without_a_prior_event_is_an_implied_flow_not_a_failed_check(cli):
    cli.ok("company", "add", "MINER", "--name", "Miner", "--kind", "miner")
    cli.ok("event", "add", "MINER", "balance", "100", "--date", "2025-01-31")
    cli.ok("event", "add", "MINER", "balance", "130", "--date", "2025-02-28")
    result = cli("check", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [(r["asserted"], r["computed_quantity"], r["quantity_delta"], r["cost_delta"]) for r in rows] == [
        (False, None, None, None), (False, None, None, None)]
