"""The capital stack against input that cannot be true: a clear error (exit 2, nothing written) or
a null with its reason — never a traceback and never a wrong number."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.cli.test_capital_stack import loan, miner, risk  # noqa: F401 - fixtures and helpers

D = Decimal
INSTRUMENT = ("instrument", "add", "CANG")


@pytest.mark.parametrize("args, words", [
    (("principal", "--kind", "loan", "--outstanding", "-100", "--date", "2026-02-01"), "--outstanding must be at least 0"),
    (("principal", "--kind", "loan", "--outstanding", "1e16", "--date", "2026-02-01"), "larger than 10^15"),
    (("rate", "--kind", "note", "--outstanding", "100", "--date", "2026-02-01", "--rate", "-0.01"), "--rate must be"),
    (("rate", "--kind", "note", "--outstanding", "100", "--date", "2026-02-01", "--rate", "8"), "is above 1"),
    (("ltv", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01", "--collateral", "1", "--margin-ltv",
      "1.5"), "outside (0, 1]"),
    (("ltv", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01", "--collateral", "1", "--margin-ltv",
      "-0.5"), "--margin-ltv"),
    (("conv", "--kind", "convertible", "--outstanding", "100", "--date", "2026-02-01", "--conversion-price", "0"),
     "--conversion-price must be greater than 0"),
    (("mature", "--kind", "note", "--outstanding", "100", "--date", "2026-02-01", "--maturity", "2025-12-31"),
     "--maturity 2025-12-31 is before --date 2026-02-01: an instrument cannot mature before it is outstanding"),
    (("pledge", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01", "--collateral", "5",
      "--collateral-asset", "ETH"), "CANG holds no ETH: collateral is pledged from its holdings (BTC)"),
    (("pledge", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01", "--collateral", "-5"),
     "--collateral must be at least 0"),
])
def test_impossible_instruments_are_refused(miner, refused, args, words):  # noqa: F811
    assert words in refused(*INSTRUMENT, *args)


@pytest.mark.parametrize("args", [
    ("instrument", "set", "99999999999999999999999", "--outstanding", "5", "--date", "2026-03-01"),
    ("instrument", "set", str(2 ** 63), "--outstanding", "5", "--date", "2026-03-01"),
    ("alert", "rm", "99999999999999999999999"),
    ("alert", "rm", str(2 ** 64)),
])
def test_ids_beyond_64_bits_name_no_row(miner, refused, args):  # noqa: F811
    line = refused(*args)
    assert line.startswith("Error: no instrument with id") or line.startswith("Error: no alert with id")
    assert "Overflow" not in line


@pytest.mark.parametrize("rule, again", [(("mnav", "<", "1"), ("mnav", "<", "1.0")),     # the same limit
                                         (("ltv", ">=", "0.65"), ("ltv", ">=", "0.650")),
                                         (("sell",), ("sell",))])
def test_the_same_alert_rule_twice_is_refused(miner, refused, rule, again):  # noqa: F811
    first = miner.ok("alert", "add", "CANG", *rule).strip()
    assert refused("alert", "add", "CANG", *again) == f"Error: alert {first} is already CANG {' '.join(rule)}"
    miner.ok("alert", "add", "CANG", "mnav", "<", "0.9")         # another limit is another rule


def test_more_pledged_than_held_is_null_with_the_reason_not_a_negative_holding(miner):  # noqa: F811
    miner.ok("instrument", "add", "CANG", "big loan", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01",
             "--collateral", "12", "--margin-ltv", "0.5")                # CANG holds 10 BTC
    row = risk(miner)
    assert row["collateral"] == D(12) and row["unencumbered"] is None
    assert "12 BTC pledged but 10 BTC held: the collateral or the holdings are out of date" in row["reasons"]


def test_pledged_with_nothing_held(cli):
    cli.ok("company", "add", "NONE", "--name", "Holds nothing")
    cli.ok("event", "add", "NONE", "balance", "0", "--date", "2026-01-05")
    cli.ok("instrument", "add", "NONE", "loan", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01",
           "--collateral", "2", "--margin-ltv", "0.5")
    (row,) = json.loads(cli.ok("risk", "NONE", "--format", "json"), parse_float=D, parse_int=D)
    assert row["unencumbered"] is None and "2 BTC pledged but 0 BTC held" in row["reasons"]


def test_risk_with_no_price_is_null_with_the_reason(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("event", "add", "CANG", "buy", "10", "--date", "2026-01-05", "--total", "500000")
    cli.ok("instrument", "add", "CANG", "loan", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01",
           "--collateral", "2", "--margin-ltv", "0.5", "--rate", "0.1")
    (row,) = json.loads(cli.ok("risk", "CANG", "--format", "json"), parse_float=D, parse_int=D)
    assert row["nav"] is None and row["ltv"] is None and row["margin_cushion"] is None
    assert row["margin_call_price"] == D(100)                          # needs no price: loan / (collateral x LTV)
    assert "no BTC price (USD) on or before 2026-11-21" in row["reasons"]
    assert cli("explain", "CANG").exit_code == 0


def test_a_jpy_company_with_a_usd_loan_is_valued_in_usd_and_needs_no_rate_for_it(cli):
    cli.ok("company", "add", "MP", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "MP", "buy", "10", "--date", "2026-01-05", "--total", "150000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("instrument", "add", "MP", "USD loan", "--kind", "loan", "--currency", "USD", "--outstanding", "1000000",
           "--date", "2026-02-01", "--collateral", "2", "--margin-ltv", "0.5", "--rate", "0.1")
    (row,) = json.loads(cli.ok("risk", "MP", "--format", "json"), parse_float=D, parse_int=D)
    assert row["debt"] == D(1000000) and row["nav"] == D(1000000)     # both in USD: no USDJPY needed
    assert row["margin_call_price"] == D(1000000) and row["ltv"] == D(5)
    assert row["annual_obligations"] == D(100000)
    assert row["cash"] is None and "cash was never recorded" in row["reasons"]
