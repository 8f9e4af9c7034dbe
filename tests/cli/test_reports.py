"""`holdings`, `pnl` and their formats: a few events in, the figures a reader can check by hand."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from tests.cli.conftest import built_once, start_from

HOLDING_KEYS = ["ticker", "asset", "quantity", "cost_basis", "avg_cost", "currency", "price", "value",
                "value_usd", "unrealized_pnl", "unrealized_pnl_pct", "cost_complete", "price_date"]
PNL_KEYS = {"ticker", "asset", "realized_pnl", "unrealized_pnl", "currency"}


@pytest.fixture(scope="module")
def lots_template(tmp_path_factory):
    return built_once(tmp_path_factory, "lots", enter_lots)


@pytest.fixture
def add_lots(db_path, lots_template):
    """A test's database starts as the lots ledger (entered once through the CLI, then copied)."""
    return lambda cli: start_from(lots_template, db_path)


def enter_lots(cli):
    """Lots A 1 @ 10,000, B 1 @ 30,000, C 1 @ 20,000; then 1.5 sold for 45,000."""
    cli.ok("company", "add", "LOTS", "--name", "Lots Inc")
    cli.ok("event", "add", "LOTS", "buy", "1", "--date", "2025-01-01", "--total", "10000")
    cli.ok("event", "add", "LOTS", "buy", "1", "--date", "2025-02-01", "--total", "30000")
    cli.ok("event", "add", "LOTS", "buy", "1", "--date", "2025-03-01", "--total", "20000")
    cli.ok("event", "add", "LOTS", "sell", "1.5", "--date", "2025-04-01", "--total", "45000")


def test_holdings_keys_in_contract_order(cli, add_lots):
    add_lots(cli)
    (row,) = cli.json("holdings")
    assert list(row)[:len(HOLDING_KEYS)] == HOLDING_KEYS


def test_holdings_without_any_price_has_null_value_never_zero(cli, add_lots):
    add_lots(cli)
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"], row["avg_cost"]) == (Decimal("1.5"), Decimal("30000"), Decimal("20000"))
    for key in ("price", "value", "value_usd", "unrealized_pnl", "unrealized_pnl_pct", "price_date"):
        assert row[key] is None, key
    raw = cli.ok("holdings", "--format", "json")
    assert '"value": null' in raw
    assert '"value": 0' not in raw


def test_holdings_valued_with_the_latest_close(cli, add_lots):
    add_lots(cli)
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-11-19")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    (row,) = cli.json("holdings")
    assert row["price"] == Decimal("100000")
    assert row["price_date"] == "2026-11-20"
    assert row["value"] == row["value_usd"] == Decimal("150000")      # 1.5 x 100,000
    assert row["unrealized_pnl"] == Decimal("120000")                 # 150,000 - 30,000
    assert row["unrealized_pnl_pct"] == Decimal("400")                # 120,000 / 30,000


def test_holdings_as_of_a_past_date(cli, add_lots):
    add_lots(cli)
    cli.ok("price", "set", "BTC", "25000", "--date", "2025-02-10")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    (row,) = cli.json("holdings", "--as-of", "2025-02-15")
    assert (row["quantity"], row["cost_basis"]) == (Decimal("2"), Decimal("40000"))   # A and B only
    assert (row["price"], row["price_date"], row["value"]) == (Decimal("25000"), "2025-02-10", Decimal("50000"))
    assert row["unrealized_pnl"] == Decimal("10000")
    (before,) = cli.json("holdings", "--as-of", "2024-12-31")   # before its first buy the book held 0 (SPEC 10)
    assert (before["quantity"], before["unknown_until"]) == (0, None)


@pytest.mark.parametrize("method, remaining_cost", [
    ("average", "30000"), ("fifo", "35000"), ("lifo", "25000"), ("hifo", "20000")])
def test_holdings_by_method(cli, method, remaining_cost, add_lots):
    add_lots(cli)
    (row,) = cli.json("holdings", "--method", method)
    assert row["quantity"] == Decimal("1.5")
    assert row["cost_basis"] == Decimal(remaining_cost)


@pytest.mark.parametrize("method, realized", [
    ("average", "15000"), ("fifo", "20000"), ("lifo", "10000"), ("hifo", "5000")])
def test_pnl_by_method(cli, method, realized, add_lots):
    add_lots(cli)
    cli.ok("price", "set", "BTC", "40000", "--date", "2026-11-20")
    (row,) = cli.json("pnl", "--method", method)
    assert PNL_KEYS <= set(row)
    assert row["realized_pnl"] == Decimal(realized)
    # unrealized = 1.5 x 40,000 - what is left of the cost; whatever the method, the total is
    # 45,000 proceeds + 60,000 value - 60,000 paid = 45,000
    assert row["realized_pnl"] + row["unrealized_pnl"] == Decimal("45000")


def test_pnl_counts_realized_only_within_the_window(cli):
    cli.ok("company", "add", "SELLER", "--name", "Seller Co")
    cli.ok("event", "add", "SELLER", "buy", "10", "--date", "2025-01-01", "--total", "1000")  # 100 a unit
    cli.ok("event", "add", "SELLER", "sell", "2", "--date", "2025-02-01", "--total", "300")   # +100
    cli.ok("event", "add", "SELLER", "sell", "3", "--date", "2025-03-01", "--total", "600")   # +300
    cli.ok("event", "add", "SELLER", "sell", "1", "--date", "2025-04-01", "--total", "50")    # -50
    cli.ok("event", "add", "SELLER", "sell", "1", "--date", "2025-05-01", "--total", "400")   # +300
    (window,) = cli.json("pnl", "--since", "2025-03-01", "--until", "2025-04-30")
    assert window["realized_pnl"] == Decimal("250")
    (since,) = cli.json("pnl", "--since", "2025-03-02")
    assert since["realized_pnl"] == Decimal("250")                  # -50 + 300
    (until,) = cli.json("pnl", "--until", "2025-02-28")
    assert until["realized_pnl"] == Decimal("100")
    (everything,) = cli.json("pnl")
    assert everything["realized_pnl"] == Decimal("650")


def test_a_jpy_company_keeps_its_cost_in_yen_and_converts_value_with_usdjpy(cli):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "METAPLANET", "buy", "2", "--date", "2025-01-10", "--total", "25000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")

    (no_fx,) = cli.json("holdings")
    assert (no_fx["currency"], no_fx["cost_basis"], no_fx["avg_cost"]) == ("JPY", Decimal("25000000"), Decimal("12500000"))
    assert no_fx["value_usd"] == Decimal("200000")       # 2 x 100,000 USD: needs no FX
    assert no_fx["value"] is None                          # yen value needs USDJPY
    assert no_fx["unrealized_pnl"] is None

    cli.ok("price", "set", "USDJPY", "150", "--date", "2026-11-20")
    (row,) = cli.json("holdings")
    assert row["price"] == Decimal("15000000")            # 100,000 USD x 150 JPY/USD
    assert row["value"] == Decimal("30000000")            # 2 x 15,000,000 JPY
    assert row["value_usd"] == Decimal("200000")
    assert row["cost_basis"] == Decimal("25000000")       # still yen, as disclosed
    assert row["unrealized_pnl"] == Decimal("5000000")    # 30,000,000 - 25,000,000 JPY
    assert row["unrealized_pnl_pct"] == Decimal("20")


def test_jpy_company_without_any_btc_price_has_both_values_null(cli):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "METAPLANET", "buy", "2", "--date", "2025-01-10", "--total", "25000000")
    cli.ok("price", "set", "USDJPY", "150", "--date", "2026-11-20")
    (row,) = cli.json("holdings")
    assert (row["value"], row["value_usd"], row["unrealized_pnl"]) == (None, None, None)


def test_incomplete_cost_shows_as_null_average_and_pnl(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango", "--kind", "miner")
    cli.ok("event", "add", "CANG", "balance", "4529.7", "--date", "2025-07-31")
    cli.ok("event", "add", "CANG", "buy", "100", "--date", "2025-08-15", "--total", "10000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    (row,) = cli.json("holdings")
    assert row["quantity"] == Decimal("4629.7")
    assert row["cost_complete"] is False
    assert row["cost_basis"] == Decimal("10000000")        # the known part
    assert row["avg_cost"] is None
    assert row["unrealized_pnl"] is None
    assert row["value"] == Decimal("462970000")


def test_holdings_filters_by_ticker_and_asset(cli, add_lots):
    add_lots(cli)
    cli.ok("company", "add", "ETHCO", "--name", "Eth Co", "--asset", "ETH")
    cli.ok("event", "add", "ETHCO", "buy", "100", "--date", "2025-01-01", "--total", "300000")
    assert {r["ticker"] for r in cli.json("holdings")} == {"LOTS", "ETHCO"}
    assert [r["ticker"] for r in cli.json("holdings", "ethco")] == ["ETHCO"]
    assert [r["asset"] for r in cli.json("holdings", "--asset", "ETH")] == ["ETH"]


PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def test_csv_parses_with_the_csv_module_and_numbers_are_plain(cli):
    cli.ok("company", "add", "TINY", "--name", "Tiny, Inc.")
    cli.ok("event", "add", "TINY", "buy", "0.000000000000000001", "--date", "2025-01-01", "--total", "1e9")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    (row,) = list(csv.DictReader(io.StringIO(cli.ok("holdings", "--format", "csv"))))
    assert list(row)[:len(HOLDING_KEYS)] == HOLDING_KEYS
    for key in ("quantity", "cost_basis", "avg_cost", "price", "value", "value_usd", "unrealized_pnl"):
        assert PLAIN_NUMBER.match(row[key]), (key, row[key])
    assert row["quantity"] == "0.000000000000000001"
    assert Decimal(row["cost_basis"]) == Decimal("1000000000")
    assert Decimal(row["value"]) == Decimal("0.0000000000001")
    (company,) = list(csv.DictReader(io.StringIO(cli.ok("company", "list", "--format", "csv"))))
    assert company["name"] == "Tiny, Inc."


def test_csv_null_is_an_empty_cell(cli, add_lots):
    add_lots(cli)
    (row,) = list(csv.DictReader(io.StringIO(cli.ok("holdings", "--format", "csv"))))
    assert row["value"] == ""
    assert row["cost_basis"] == "30000"


def test_table_output_shows_the_position(cli, add_lots):
    add_lots(cli)
    out = cli.ok("holdings")
    assert "LOTS" in out
    assert "1.5" in out
    assert "Traceback" not in out


def test_a_btc_close_quoted_in_euros_is_not_taken_for_dollars(cli, add_lots):
    # SPEC 2: currencies are converted with FX prices; a missing input gives null, never a guess.
    add_lots(cli)                                                       # 1.5 BTC, USD company
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-11-20", "--currency", "EUR")
    (row,) = cli.json("holdings")
    assert row["value_usd"] is None                                    # not 135,000 "dollars"
    assert row["value"] is None
    cli.ok("price", "set", "USDEUR", "0.9", "--date", "2026-11-20")    # 0.9 EUR per USD
    (row,) = cli.json("holdings")
    assert row["value_usd"] == Decimal("150000")                       # 1.5 x 90,000 / 0.9
