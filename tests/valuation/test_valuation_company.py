"""mNAV lines computed by hand: each test writes out its arithmetic."""

from __future__ import annotations

import ast
import datetime as dt
import pathlib

from dattrack.valuation import ROW_KEYS, value_company
from dattrack.valuation.explanation import ASSUMED, MISSING, STALE, UNDEFINED

from .helpers import AS_OF, D, company, notes, on


def test_plain_btc_treasury():
    v = value_company(company(
        holdings=[("BTC", "10000", "600000000")],
        asset_prices={"BTC": on("80000")},
        share_price=on("25"),
        facts={"shares_basic": on("40000000"), "shares_diluted": on("50000000"),
               "debt": on("200000000"), "preferred": on("50000000"), "cash": on("25000000")}))
    # nav = 10,000 × 80,000 = 800,000,000; market_cap = 25 × 40,000,000 = 1,000,000,000
    assert v.nav == D("800000000") and v.market_cap == D("1000000000")
    # mnav = 1,000,000,000 / 800,000,000 = 1.25; premium = 0.25
    assert v.mnav == D("1.25") and v.premium == D("0.25")
    # ev = 1,000,000,000 + 200,000,000 + 50,000,000 − 25,000,000 = 1,225,000,000; ev_mnav = 1.225e9 / 8e8 = 1.53125
    assert v.ev == D("1225000000") and v.ev_mnav == D("1.53125")
    # diluted_mnav = 25 × 50,000,000 / 800,000,000 = 1.5625
    assert v.diluted_mnav == D("1.5625")
    # per_share = 10,000 / 50,000,000 (diluted) = 0.0002 BTC; × 10^8 = 20,000 sats
    assert v.per_share == D("0.0002") and v.sats_per_share == D("20000")
    # unrealized = 800,000,000 − 600,000,000 = 200,000,000 (USD company: both currencies agree)
    assert v.unrealized_pnl == v.unrealized_pnl_usd == D("200000000")
    assert all(line.reasons == () for line in v.lines)


def test_eth_company_with_debt_above_cash():
    v = value_company(company(
        asset="ETH",
        holdings=[("ETH", "100000", "380000000")],
        asset_prices={"ETH": on("3000")},
        share_price=on("12.50"),
        facts={"shares_basic": on("20000000"), "debt": on("90000000"), "cash": on("15000000")}))
    # nav = 100,000 × 3,000 = 300,000,000; market_cap = 12.50 × 20,000,000 = 250,000,000
    assert v.nav == D("300000000") and v.market_cap == D("250000000")
    # mnav = 250/300 = 0.8333… cut to 18 decimals; premium = mnav − 1
    assert v.mnav == D("0.833333333333333333") and v.premium == D("-0.166666666666666667")
    # ev = 250,000,000 + 90,000,000 − 15,000,000 = 325,000,000 (preferred assumed 0); ev_mnav = 325/300
    assert v.ev == D("325000000") and v.ev_mnav == D("1.083333333333333333")
    assert v.ev > v.market_cap  # net debt raises ev above the market cap
    # per_share = 100,000 / 20,000,000 = 0.005 ETH (no diluted count: basic stands in); no sats for ETH
    assert v.per_share == D("0.005") and v.sats_per_share is None
    assert "shares_diluted is unknown: per_share uses shares_basic" in notes(v, "per_share", ASSUMED)
    assert notes(v, "sats_per_share", UNDEFINED) == ["sats_per_share is for BTC only (primary asset is ETH)"]
    # unrealized = 300,000,000 − 380,000,000 = −80,000,000
    assert v.unrealized_pnl == D("-80000000")


def test_jpy_company_converted_with_usdjpy():
    v = value_company(company(
        ticker="METAPLANET", currency="JPY",
        holdings=[("BTC", "30000", "360000000000")],
        asset_prices={"BTC": on("100000")},
        share_price=on("600.0"), fx=on("150"),
        facts={"shares_basic": on("1000000000"), "debt": on("30000000000"), "cash": on("15000000000")}))
    assert v.currency == "JPY" and str(v.share_price) == "600.0"  # the price stays in yen, as recorded
    # market_cap = ¥600 × 1,000,000,000 / 150 = $4,000,000,000; nav = 30,000 × $100,000 = $3,000,000,000
    assert v.market_cap == D("4000000000") and v.nav == D("3000000000")
    # mnav = 4/3
    assert v.mnav == D("1.333333333333333333")
    # debt ¥30,000,000,000 / 150 = $200,000,000; cash ¥15,000,000,000 / 150 = $100,000,000
    assert v.debt == D("200000000") and v.cash == D("100000000")
    # ev = 4,000,000,000 + 200,000,000 − 100,000,000 = $4,100,000,000; ev_mnav = 41/30 = 1.3666…
    assert v.ev == D("4100000000") and v.ev_mnav == D("1.366666666666666667")
    # unrealized (yen) = 30,000 × 100,000 × 150 − 360,000,000,000 = 450e9 − 360e9 = ¥90,000,000,000
    # unrealized (USD) = 3,000,000,000 − 360,000,000,000 / 150 = 3e9 − 2.4e9 = $600,000,000
    assert v.unrealized_pnl == D("90000000000") and v.unrealized_pnl_usd == D("600000000")
    # per_share = 30,000 / 1,000,000,000 = 0.00003 BTC = 3,000 sats
    assert v.per_share == D("0.00003") and v.sats_per_share == D("3000")
    assert "USDJPY" in [i.name for i in v.line("market_cap").inputs]
    assert v.line("market_cap").formula == "share_price × shares_basic / USDJPY"


def test_jpy_company_without_fx_names_the_rate():
    v = value_company(company(
        currency="JPY", holdings=[("BTC", "1", None)], asset_prices={"BTC": on("100000")},
        share_price=on("600"), fx=None, facts={"shares_basic": on("1000")}))
    assert v.market_cap is None and v.mnav is None and v.nav == D("100000")
    assert f"no USDJPY rate on or before {AS_OF}" in v.line("mnav").reasons


def test_diluted_versus_basic():
    # shares_basic is the sum over share classes (done by the SEC client); diluted adds converts and options
    v = value_company(company(
        holdings=[("BTC", "5000", "400000000")], asset_prices={"BTC": on("100000")}, share_price=on("10"),
        facts={"shares_basic": on("100000000"), "shares_diluted": on("130000000")}))
    # nav = 5,000 × 100,000 = 500,000,000
    # mnav = 10 × 100,000,000 / 500,000,000 = 2; diluted_mnav = 10 × 130,000,000 / 500,000,000 = 2.6
    assert v.mnav == D("2") and v.diluted_mnav == D("2.6")
    assert (v.shares_basic, v.shares_diluted) == (D("100000000"), D("130000000"))
    # per_share uses diluted: 5,000 / 130,000,000 = 0.0000384615384615384615… → 18 decimals
    assert v.per_share == D("0.000038461538461538")
    # sats = 5,000 × 10^8 / 130,000,000 = 3846.153846153846153846153… → 18 decimals
    assert v.sats_per_share == D("3846.153846153846153846")


def test_missing_share_count_gives_none_and_names_the_fact():
    v = value_company(company(holdings=[("BTC", "100", "1")], asset_prices={"BTC": on("90000")},
                              share_price=on("3")))
    assert v.nav == D("9000000")
    for name in ("shares_basic", "market_cap", "mnav", "premium", "ev", "ev_mnav", "per_share", "sats_per_share"):
        assert getattr(v, name) is None, name
    assert "shares_basic was never recorded" in v.line("mnav").reasons
    assert "shares_diluted was never recorded" in v.line("diluted_mnav").reasons


def test_stale_fact_is_flagged_but_used():
    v = value_company(company(
        holdings=[("BTC", "100", None)], asset_prices={"BTC": on("100000")}, share_price=on("50"),
        facts={"shares_basic": on("200000"), "cash": on("1000000", dt.date(2025, 3, 31), "10-Q", stale=True)}))
    # ev = 50 × 200,000 − 1,000,000 = 9,000,000: the stale cash still counts, flagged
    assert v.cash == D("1000000") and v.ev == D("9000000")
    assert notes(v, "cash", STALE) == ["cash (2025-03-31) is stale"]
    assert "cash (2025-03-31) is stale" in notes(v, "ev_mnav", STALE)
    cash_input = next(i for i in v.line("ev").inputs if i.name == "cash")
    assert (cash_input.stale, cash_input.date, cash_input.source) == (True, dt.date(2025, 3, 31), "10-Q")
    assert notes(v, "mnav", STALE) == []  # mnav does not use cash


def test_debt_never_recorded_is_assumed_zero_in_ev_and_explained():
    v = value_company(company(
        holdings=[("BTC", "10", None)], asset_prices={"BTC": on("100000")}, share_price=on("2"),
        facts={"shares_basic": on("1000000"), "cash": on("500000")}))
    # ev = 2 × 1,000,000 + 0 (debt assumed) + 0 (preferred assumed) − 500,000 = 1,500,000
    assert v.ev == D("1500000") and v.ev_mnav == D("1.5")  # 1,500,000 / 1,000,000
    assert v.debt is None  # the row shows it unknown; only ev counts it as 0
    assert notes(v, "ev", ASSUMED) == ["debt was never recorded: assumed 0",
                                       "preferred was never recorded: assumed 0"]
    assert v.line("debt").reasons == ("debt was never recorded",)


def test_zero_nav_makes_mnav_none_with_a_reason():
    # Sold out: a zero position needs no price, nav is 0, every quotient by nav is undefined
    v = value_company(company(holdings=[("BTC", "0", "0")], share_price=on("5"),
                              facts={"shares_basic": on("1000")}))
    assert v.nav == 0 and v.mnav is None and v.ev_mnav is None
    assert v.line("mnav").reasons == ("nav is 0",)
    assert v.unrealized_pnl == 0


def test_missing_asset_price_and_incomplete_cost():
    v = value_company(company(holdings=[("BTC", "10", None)], share_price=on("5"),
                              facts={"shares_basic": on("1000")}))
    assert v.nav is None and v.mnav is None and v.market_cap == D("5000")
    assert f"no BTC price (USD) on or before {AS_OF}" in v.line("mnav").reasons
    v = value_company(company(holdings=[("BTC", "10", None)], asset_prices={"BTC": on("1")}))
    assert v.unrealized_pnl is None and v.line("unrealized_pnl").reasons == (
        "the BTC cost basis is incomplete (units were added without a disclosed cost)",)
    assert v.share_price is None and f"no share price on or before {AS_OF}" in v.line("market_cap").reasons


def test_no_holdings_is_missing_not_zero():
    v = value_company(company(share_price=on("5"), facts={"shares_basic": on("1000")}))
    assert v.nav is None and v.line("nav").notes[0].kind == MISSING
    assert v.line("per_share").reasons == ("no BTC holdings recorded",)


def test_row_keys_in_spec_order():
    v = value_company(company())
    assert list(v.as_row()) == list(ROW_KEYS) == [
        "ticker", "share_price", "currency", "shares_basic", "shares_diluted", "market_cap", "nav", "mnav",
        "premium", "debt", "preferred", "cash", "ev", "ev_mnav", "diluted_mnav", "per_share", "sats_per_share"]
    assert [line.name for line in v.lines] == list(ROW_KEYS[1:2] + ROW_KEYS[3:]) + [
        "unrealized_pnl", "unrealized_pnl_usd"]
    assert v.as_row()["share_price"] is None and v.as_row()["currency"] == "USD"


def test_valuation_package_is_pure():
    package = pathlib.Path(__file__).parents[2] / "dattrack" / "valuation"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(("dattrack.store", "dattrack.providers", "dattrack.cli",
                                            "httpx", "sqlite")), f"{path.name} imports {name}"
