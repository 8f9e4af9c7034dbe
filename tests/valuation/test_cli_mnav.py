"""End-to-end `dattrack mnav`, `dattrack explain` and `dattrack fact set` (SPEC sections 2 and 3).

Every scenario is built through the CLI on the isolated test database (today = 2026-11-21)
and every expected figure is computed by hand in the comments next to it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.cli.conftest import built_once, db_state, start_from

D = Decimal
TODAY = "2026-11-21"
MNAV_KEYS = ["ticker", "share_price", "currency", "shares_basic", "shares_diluted", "market_cap", "nav", "mnav",
             "premium", "debt", "preferred", "cash", "ev", "ev_mnav", "diluted_mnav", "per_share", "sats_per_share"]


def close(value, expected: str, places: int = 15) -> bool:
    """For repeating decimals only: equal to `places` decimals (the product keeps 18)."""
    return value is not None and abs(value - D(expected)) < D(10) ** -places


def by_ticker(rows: list[dict]) -> dict[str, dict]:
    return {r["ticker"]: r for r in rows}


def explain_json(cli, ticker: str, *extra: str) -> dict[str, dict]:
    return {line["figure"]: line for line in cli.json("explain", ticker, *extra)}


def note_texts(line: dict, kind: str | None = None) -> list[str]:
    return [n["text"] for n in line["notes"] if kind is None or n["kind"] == kind]


def refused(cli, db_path, *args) -> str:
    """The SPEC 4 refusal: exit 2, one `Error:` line on stderr, no traceback, database unchanged."""
    before = db_state(db_path)
    result = cli(*args)
    assert result.exit_code == 2, (args, result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert db_state(db_path) == before, f"{args} changed the database"
    return lines[0]


# ---------------------------------------------------------------- scenarios

def acme(cli) -> None:
    """A plain BTC treasury in USD with a history, so that a past --as-of sees other inputs.

    BTC held: 100 (2026-01-10) + 50 (2026-06-01) + 50 (2026-09-01) = 200 today, 150 on 2026-06-15.
    Cost: 6,000,000 + (90,000 × 50 + 1,000 = 4,501,000) + 5,000,000 = 15,501,000."""
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    cli.ok("event", "add", "ACME", "buy", "100", "--date", "2026-01-10", "--total", "6000000", "--source", "8-K jan")
    cli.ok("event", "add", "ACME", "buy", "50", "--date", "2026-06-01", "--price", "90000", "--fee", "1000")
    cli.ok("event", "add", "ACME", "buy", "50", "--date", "2026-09-01", "--total", "5000000")
    cli.ok("price", "set", "BTC", "80000", "--date", "2026-06-14")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "ACME", "120", "--date", "2026-06-12")
    cli.ok("price", "set", "ACME", "250", "--date", "2026-11-20")
    cli.ok("fact", "set", "ACME", "shares_basic", "150000", "--date", "2026-04-01", "--source", "10-K 2025")
    cli.ok("fact", "set", "ACME", "debt", "1200000", "--date", "2026-04-01", "--source", "10-K 2025")
    cli.ok("fact", "set", "ACME", "shares_basic", "200000", "--date", "2026-10-01", "--source", "10-Q Q3")
    cli.ok("fact", "set", "ACME", "shares_diluted", "240000", "--date", "2026-10-01", "--source", "10-Q Q3")
    cli.ok("fact", "set", "ACME", "debt", "1000000", "--date", "2026-10-01", "--source", "10-Q Q3")
    cli.ok("fact", "set", "ACME", "preferred", "2000000", "--date", "2026-10-01", "--source", "10-Q Q3")
    cli.ok("fact", "set", "ACME", "cash", "500000", "--date", "2026-10-01", "--source", "10-Q Q3")


def lowco(cli) -> None:
    """A BTC treasury trading under its crypto: nav 1,000 × 100,000 = 100,000,000;
    market cap 10 × 5,000,000 = 50,000,000; mnav 0.5."""
    cli.ok("company", "add", "LOWCO", "--name", "Low Co")
    cli.ok("event", "add", "LOWCO", "buy", "1000", "--date", "2026-02-01", "--total", "50000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "LOWCO", "10", "--date", "2026-11-20")
    cli.ok("fact", "set", "LOWCO", "shares_basic", "5000000", "--date", "2026-10-01")


def noprice(cli) -> None:
    """Holdings and shares but no share price ever recorded: market cap and mnav unknown."""
    cli.ok("company", "add", "NOPRICE", "--name", "No Price Inc")
    cli.ok("event", "add", "NOPRICE", "buy", "10", "--date", "2026-02-01", "--total", "900000")
    cli.ok("fact", "set", "NOPRICE", "shares_basic", "1000000", "--date", "2026-10-01")


def build_market(cli) -> None:
    acme(cli)
    lowco(cli)
    noprice(cli)


# Each scenario is entered through the CLI once per session; a test starts from a copy of it.

@pytest.fixture(scope="session")
def acme_template(tmp_path_factory):
    return built_once(tmp_path_factory, "acme", acme)


@pytest.fixture(scope="session")
def market_template(tmp_path_factory):
    return built_once(tmp_path_factory, "market", build_market)


@pytest.fixture
def with_acme(cli, db_path, acme_template):
    start_from(acme_template, db_path)
    return cli


@pytest.fixture
def with_market(cli, db_path, market_template):
    start_from(market_template, db_path)
    return cli


# ---------------------------------------------------------------- 1. the mNAV row

def test_mnav_json_keys_are_the_spec_keys_in_order(cli, with_acme):
    out = cli.ok("mnav", "--format", "json")
    (raw,) = json.loads(out)
    assert list(raw)[:len(MNAV_KEYS)] == MNAV_KEYS
    # numbers are JSON numbers, not strings; unknown values are null
    assert all(isinstance(raw[k], (int, float)) for k in MNAV_KEYS if k not in ("ticker", "currency"))
    assert '"market_cap": 50000000,' in out


def test_plain_btc_treasury_every_figure(cli, with_acme):
    (row,) = cli.json("mnav")
    # As of today (2026-11-21): BTC 100,000 (2026-11-20), ACME 250 (2026-11-20),
    # facts of 2026-10-01 in force; 200 BTC held.
    assert row["ticker"] == "ACME" and row["currency"] == "USD"
    assert row["share_price"] == D("250")
    assert row["shares_basic"] == D("200000")
    assert row["shares_diluted"] == D("240000")
    # market_cap = 250 × 200,000 = 50,000,000
    assert row["market_cap"] == D("50000000")
    # nav = 200 × 100,000 = 20,000,000
    assert row["nav"] == D("20000000")
    # mnav = 50,000,000 / 20,000,000 = 2.5; premium = 1.5
    assert row["mnav"] == D("2.5")
    assert row["premium"] == D("1.5")
    assert row["debt"] == D("1000000")
    assert row["preferred"] == D("2000000")
    assert row["cash"] == D("500000")
    # ev = 50,000,000 + 1,000,000 + 2,000,000 − 500,000 = 52,500,000; ev_mnav = 52.5 / 20 = 2.625
    assert row["ev"] == D("52500000")
    assert row["ev_mnav"] == D("2.625")
    # diluted_mnav = 250 × 240,000 / 20,000,000 = 60,000,000 / 20,000,000 = 3
    assert row["diluted_mnav"] == D("3")
    # per_share = 200 / 240,000 = 0.000833333...; sats_per_share = × 10^8 = 83,333.333...
    assert close(row["per_share"], "0.000833333333333333")
    assert close(row["sats_per_share"], "83333.333333333333333")
    assert row["below_nav"] is False


def test_mnav_as_of_a_past_date_uses_what_was_in_force_then(cli, with_acme):
    (row,) = cli.json("mnav", "--as-of", "2026-06-15")
    # On 2026-06-15: 150 BTC (the 2026-09-01 buy is later), BTC 80,000 (2026-06-14),
    # ACME 120 (2026-06-12), shares_basic 150,000 and debt 1,200,000 (2026-04-01);
    # no shares_diluted, preferred or cash on or before that date.
    assert row["share_price"] == D("120")
    assert row["shares_basic"] == D("150000")
    assert row["shares_diluted"] is None
    # nav = 150 × 80,000 = 12,000,000; market_cap = 120 × 150,000 = 18,000,000; mnav = 1.5
    assert row["nav"] == D("12000000")
    assert row["market_cap"] == D("18000000")
    assert row["mnav"] == D("1.5")
    assert row["premium"] == D("0.5")
    assert row["debt"] == D("1200000")
    assert row["preferred"] is None and row["cash"] is None
    # ev = 18,000,000 + 1,200,000 + 0 + 0 = 19,200,000 (unrecorded preferred and cash count as 0)
    # ev_mnav = 19,200,000 / 12,000,000 = 1.6
    assert row["ev"] == D("19200000")
    assert row["ev_mnav"] == D("1.6")
    assert row["diluted_mnav"] is None
    # per_share falls back to basic: 150 / 150,000 = 0.001 BTC; 100,000 sats
    assert row["per_share"] == D("0.001")
    assert row["sats_per_share"] == D("100000")
    lines = explain_json(cli, "ACME", "--as-of", "2026-06-15")
    (shares,) = lines["shares_basic"]["inputs"]
    assert (shares["value"], shares["date"], shares["source"]) == (D("150000"), "2026-04-01", "10-K 2025")
    assert any("preferred" in t and "assumed 0" in t for t in note_texts(lines["ev"], "assumed"))
    assert any("cash" in t and "assumed 0" in t for t in note_texts(lines["ev"], "assumed"))
    # the facts in force then are not stale on that date (75 days old), the prices neither
    assert not [n for line in lines.values() for n in line["notes"] if n["kind"] == "stale"]


def test_mnav_as_of_in_the_future_is_refused(cli, with_acme, db_path):
    assert "2026-11-22" in refused(cli, db_path, "mnav", "--as-of", "2026-11-22")


def test_sorted_by_mnav_ascending_with_nulls_last(cli, with_market):
    # ACME mnav 2.5, LOWCO 0.5, NOPRICE null
    rows = cli.json("mnav")
    assert [r["ticker"] for r in rows] == ["LOWCO", "ACME", "NOPRICE"]
    assert [r["mnav"] for r in rows] == [D("0.5"), D("2.5"), None]
    # the order holds whatever order the tickers are asked in
    rows = cli.json("mnav", "noprice", "acme", "lowco")
    assert [r["ticker"] for r in rows] == ["LOWCO", "ACME", "NOPRICE"]


def test_below_nav_is_flagged_in_json_and_table(cli, with_market):
    rows = by_ticker(cli.json("mnav"))
    # LOWCO: mnav = 50,000,000 / 100,000,000 = 0.5 < 1; premium = −0.5
    assert rows["LOWCO"]["mnav"] == D("0.5") and rows["LOWCO"]["premium"] == D("-0.5")
    assert rows["LOWCO"]["below_nav"] is True
    assert rows["ACME"]["below_nav"] is False
    table = cli.ok("mnav")  # the default view marks the row and explains the mark under the table
    lines = {line.split()[0]: line for line in table.splitlines() if line.split()}
    assert "▼" in lines["LOWCO"] and "▼" not in lines["ACME"]
    assert "▼ below NAV" in table
    wide = cli.ok("mnav", "--wide")
    lines = {line.split()[0]: line for line in wide.splitlines() if line.split()}
    assert "below NAV" in lines["LOWCO"]
    assert "below NAV" not in lines["ACME"]


def test_mnav_of_exactly_one_is_not_below_nav(cli):
    cli.ok("company", "add", "PAR", "--name", "Par Co")
    cli.ok("event", "add", "PAR", "buy", "10", "--date", "2026-02-01", "--total", "500000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "PAR", "2", "--date", "2026-11-20")
    cli.ok("fact", "set", "PAR", "shares_basic", "500000", "--date", "2026-10-01")
    # market_cap = 2 × 500,000 = 1,000,000 = nav (10 × 100,000): mnav exactly 1, premium 0
    (row,) = cli.json("mnav")
    assert row["mnav"] == 1 and row["premium"] == 0 and row["below_nav"] is False
    assert "below NAV" not in cli.ok("mnav")


# ---------------------------------------------------------------- 2. a JPY company

def metaplanet(cli) -> None:
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "METAPLANET", "buy", "1000", "--date", "2026-03-01", "--total", "12000000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "3350.T", "600", "--date", "2026-11-20")          # JPY: the quote symbol's company
    cli.ok("price", "set", "USDJPY", "150", "--date", "2026-11-20")          # JPY per USD
    cli.ok("fact", "set", "METAPLANET", "shares_basic", "1000000000", "--date", "2026-10-01")
    cli.ok("fact", "set", "METAPLANET", "debt", "30000000000", "--date", "2026-10-01")    # JPY
    cli.ok("fact", "set", "METAPLANET", "cash", "15000000000", "--date", "2026-10-01")    # JPY


def test_jpy_company_money_in_usd_share_price_in_jpy(cli):
    metaplanet(cli)
    prices = by_ticker([{"ticker": r["symbol"], **r} for r in cli.json("price", "list")])
    assert prices["3350.T"]["currency"] == "JPY" and prices["USDJPY"]["currency"] == "JPY"
    (row,) = cli.json("mnav")
    assert row["ticker"] == "METAPLANET" and row["currency"] == "JPY"
    # share_price stays in JPY
    assert row["share_price"] == D("600")
    # market_cap = 600 JPY × 1,000,000,000 / 150 JPY per USD = 4,000,000,000 USD
    assert row["market_cap"] == D("4000000000")
    # nav = 1,000 × 100,000 = 100,000,000 USD; mnav = 40; premium = 39
    assert row["nav"] == D("100000000")
    assert row["mnav"] == D("40") and row["premium"] == D("39")
    # debt = 30,000,000,000 / 150 = 200,000,000 USD; cash = 15,000,000,000 / 150 = 100,000,000 USD
    assert row["debt"] == D("200000000")
    assert row["cash"] == D("100000000")
    assert row["preferred"] is None
    # ev = 4,000,000,000 + 200,000,000 + 0 − 100,000,000 = 4,100,000,000; ev_mnav = 41
    assert row["ev"] == D("4100000000")
    assert row["ev_mnav"] == D("41")
    assert row["shares_diluted"] is None and row["diluted_mnav"] is None
    # per_share = 1,000 / 1,000,000,000 (basic stands in) = 0.000001 BTC = 100 sats
    assert row["per_share"] == D("0.000001")
    assert row["sats_per_share"] == D("100")
    # unrealized: value 100,000,000 USD × 150 = 15,000,000,000 JPY − cost 12,000,000,000 = 3,000,000,000 JPY;
    # in USD: 100,000,000 − 12,000,000,000 / 150 = 100,000,000 − 80,000,000 = 20,000,000
    assert row["unrealized_pnl"] == D("3000000000")
    assert row["unrealized_pnl_usd"] == D("20000000")
    lines = explain_json(cli, "METAPLANET")
    assert "USDJPY" in lines["market_cap"]["formula"]
    assert "USDJPY" in [i["name"] for i in lines["market_cap"]["inputs"]]


def test_jpy_company_without_an_fx_rate_has_null_money_and_says_why(cli):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "METAPLANET", "buy", "1000", "--date", "2026-03-01", "--total", "12000000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "3350.T", "600", "--date", "2026-11-20")
    cli.ok("fact", "set", "METAPLANET", "shares_basic", "1000000000", "--date", "2026-10-01")
    (row,) = cli.json("mnav")
    # no USDJPY: the share price is still known in JPY, nothing in USD that needs it is
    assert row["share_price"] == D("600")
    assert row["market_cap"] is None and row["mnav"] is None
    assert row["nav"] == D("100000000")                 # BTC is quoted in USD: no FX needed
    lines = explain_json(cli, "METAPLANET")
    assert any("USDJPY" in t for t in note_texts(lines["mnav"], "missing"))


# ---------------------------------------------------------------- 3. an ETH company, debt > cash

def test_eth_company_with_debt_above_cash(cli):
    cli.ok("company", "add", "ETHZ", "--name", "ETHZilla", "--asset", "ETH")
    cli.ok("event", "add", "ETHZ", "buy", "10000", "--date", "2026-08-01", "--total", "30000000")
    cli.ok("price", "set", "ETH", "4000", "--date", "2026-11-20")
    cli.ok("price", "set", "ETHZ", "5", "--date", "2026-11-20")
    cli.ok("fact", "set", "ETHZ", "shares_basic", "10000000", "--date", "2026-10-01")
    cli.ok("fact", "set", "ETHZ", "shares_diluted", "12500000", "--date", "2026-10-01")
    cli.ok("fact", "set", "ETHZ", "debt", "50000000", "--date", "2026-10-01")
    cli.ok("fact", "set", "ETHZ", "cash", "10000000", "--date", "2026-10-01")
    (row,) = cli.json("mnav")
    # nav = 10,000 × 4,000 = 40,000,000; market_cap = 5 × 10,000,000 = 50,000,000; mnav 1.25
    assert row["nav"] == D("40000000")
    assert row["market_cap"] == D("50000000")
    assert row["mnav"] == D("1.25") and row["premium"] == D("0.25")
    # ev = 50,000,000 + 50,000,000 + 0 (preferred never recorded) − 10,000,000 = 90,000,000
    # ev_mnav = 90,000,000 / 40,000,000 = 2.25
    assert row["ev"] == D("90000000")
    assert row["ev_mnav"] == D("2.25")
    # diluted_mnav = 5 × 12,500,000 / 40,000,000 = 1.5625
    assert row["diluted_mnav"] == D("1.5625")
    # per_share = 10,000 ETH / 12,500,000 = 0.0008 ETH; sats are for BTC only
    assert row["per_share"] == D("0.0008")
    assert row["sats_per_share"] is None
    lines = explain_json(cli, "ETHZ")
    assert any("preferred" in t for t in note_texts(lines["ev"], "assumed"))
    assert lines["sats_per_share"]["notes"], "a null sats_per_share must say why"
    assert lines["nav"]["formula"] == "ETH holdings × ETH price"


# ---------------------------------------------------------------- 4. a missing share count

def test_missing_share_count_gives_null_and_explain_names_it(cli):
    cli.ok("company", "add", "NOSH", "--name", "No Shares Co")
    cli.ok("event", "add", "NOSH", "buy", "10", "--date", "2026-02-01", "--total", "900000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "NOSH", "3", "--date", "2026-11-20")
    (row,) = cli.json("mnav")
    # nav = 10 × 100,000 = 1,000,000 is known; nothing that needs shares is
    assert row["nav"] == D("1000000")
    for key in ("shares_basic", "shares_diluted", "market_cap", "mnav", "premium", "ev", "ev_mnav",
                "diluted_mnav", "per_share", "sats_per_share"):
        assert row[key] is None, key
    assert row["below_nav"] is False
    result = cli("explain", "NOSH", "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = {line["figure"]: line for line in json.loads(result.stdout)}
    assert lines["mnav"]["value"] is None
    assert any("shares_basic" in t for t in note_texts(lines["mnav"], "missing"))
    assert any("shares_basic" in t for t in note_texts(lines["market_cap"], "missing"))
    table = cli("explain", "NOSH")
    assert table.exit_code == 0 and "Traceback" not in table.stdout + table.stderr
    # the mnav figure line carries the letters of its caveats; one of them names the missing input
    (mnav_line,) = [line for line in table.stdout.splitlines() if line.split()[:1] == ["mnav"]]
    letters = mnav_line.split("(")[1].split(")")[0].split(",")
    caveats = {line.split(")")[0].strip(" ("): line for line in table.stdout.split("Caveats")[1].splitlines()
               if line.strip().startswith("(")}
    assert any("missing" in caveats[letter] and "shares_basic" in caveats[letter] for letter in letters)
    # the mnav table says there is something to see in explain
    assert "missing" in cli.ok("mnav")


def test_no_holdings_at_all_gives_null_nav_not_zero(cli):
    cli.ok("company", "add", "EMPTY", "--name", "Empty Shell")
    cli.ok("price", "set", "EMPTY", "3", "--date", "2026-11-20")
    cli.ok("fact", "set", "EMPTY", "shares_basic", "1000", "--date", "2026-10-01")
    (row,) = cli.json("mnav")
    # market_cap = 3 × 1,000 = 3,000; no holdings: nav and everything over it unknown
    assert row["market_cap"] == D("3000")
    assert row["nav"] is None and row["mnav"] is None and row["per_share"] is None
    lines = explain_json(cli, "EMPTY")
    assert note_texts(lines["nav"], "missing")


def test_explain_unknown_ticker_is_bad_input(cli, with_acme, db_path):
    assert "NOPE" in refused(cli, db_path, "explain", "NOPE")
    assert "NOPE" in refused(cli, db_path, "mnav", "ACME", "NOPE")


# ---------------------------------------------------------------- 5. stale inputs

def test_stale_fact_and_stale_prices_are_flagged(cli):
    cli.ok("company", "add", "OLD", "--name", "Old News Co")
    cli.ok("event", "add", "OLD", "buy", "10", "--date", "2026-02-01", "--total", "900000")
    # 2026-11-21 − 2026-07-01 = 143 days > 120: stale. 2026-11-21 − 2026-07-24 = 120 days: not stale.
    cli.ok("fact", "set", "OLD", "shares_basic", "1000000", "--date", "2026-07-01", "--source", "10-Q Q2")
    cli.ok("fact", "set", "OLD", "debt", "1000", "--date", "2026-07-24", "--source", "10-Q Q2")
    # share price 11 days old (> 5 for stocks), BTC price 4 days old (> 3 for crypto)
    cli.ok("price", "set", "OLD", "2", "--date", "2026-11-10")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-17")
    (row,) = cli.json("mnav")
    # stale inputs are still used: market_cap = 2 × 1,000,000; nav = 10 × 100,000; mnav = 2
    assert row["market_cap"] == D("2000000") and row["nav"] == D("1000000") and row["mnav"] == D("2")
    assert "stale" in row["caveats"]
    lines = explain_json(cli, "OLD")
    stale = note_texts(lines["mnav"], "stale")
    assert any("shares_basic" in t and "2026-07-01" in t for t in stale), stale
    assert any("share_price" in t and "2026-11-10" in t for t in stale), stale
    assert any("BTC price" in t and "2026-11-17" in t for t in stale), stale
    inputs = {i["name"]: i for i in lines["mnav"]["inputs"]}
    assert inputs["shares_basic"]["stale"] is True and inputs["share_price"]["stale"] is True
    # exactly 120 days old is not stale
    (debt,) = lines["debt"]["inputs"]
    assert debt["date"] == "2026-07-24" and debt["stale"] is False
    assert not note_texts(lines["debt"], "stale")
    table = cli.ok("explain", "OLD")
    assert "(stale)" in table and "shares_basic (2026-07-01) is stale" in table


def test_staleness_is_measured_against_the_as_of_date(cli):
    cli.ok("company", "add", "OLD", "--name", "Old News Co")
    cli.ok("event", "add", "OLD", "buy", "10", "--date", "2026-02-01", "--total", "900000")
    cli.ok("fact", "set", "OLD", "shares_basic", "1000000", "--date", "2026-07-01")
    cli.ok("price", "set", "OLD", "2", "--date", "2026-08-01")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-08-01")
    # as of 2026-08-02 every input is 1 (prices) or 32 (fact) days old: nothing stale
    lines = explain_json(cli, "OLD", "--as-of", "2026-08-02")
    assert not [n for line in lines.values() for n in line["notes"] if n["kind"] == "stale"]
    # as of today the same inputs are all stale (112 days for prices, 143 for the fact)
    lines = explain_json(cli, "OLD")
    assert len(note_texts(lines["mnav"], "stale")) == 3


# ---------------------------------------------------------------- 6. splits

def reverse_split_company(cli) -> None:
    """10,000,000 shares counted 2026-05-01; a 1:10 reverse split 2026-08-01; a close of 40 on
    2026-11-20 (typed, so on the post-split basis). 500 BTC at 100,000 = nav 50,000,000."""
    cli.ok("company", "add", "RSPL", "--name", "Reverse Split Co")
    cli.ok("event", "add", "RSPL", "buy", "500", "--date", "2026-02-01", "--total", "30000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "RSPL", "40", "--date", "2026-11-20")
    cli.ok("fact", "set", "RSPL", "shares_basic", "10000000", "--date", "2026-07-25", "--source", "10-Q Q2")
    cli.ok("fact", "set", "RSPL", "shares_diluted", "12000000", "--date", "2026-07-25", "--source", "10-Q Q2")
    cli.ok("fact", "set", "RSPL", "split", "1:10", "--date", "2026-08-01", "--source", "8-K split")


@pytest.fixture(scope="session")
def rspl_template(tmp_path_factory):
    return built_once(tmp_path_factory, "rspl", reverse_split_company)


@pytest.fixture
def with_rspl(cli, db_path, rspl_template):
    start_from(rspl_template, db_path)
    return cli


def test_reverse_split_between_share_count_and_price(cli, with_rspl):
    (row,) = cli.json("mnav")
    # shares_basic on the price's basis: 10,000,000 × 1/10 = 1,000,000; diluted 12,000,000 / 10 = 1,200,000
    assert row["shares_basic"] == D("1000000")
    assert row["shares_diluted"] == D("1200000")
    # market_cap = 40 × 1,000,000 = 40,000,000 (not 400,000,000); mnav = 40,000,000 / 50,000,000 = 0.8
    assert row["market_cap"] == D("40000000")
    assert row["mnav"] == D("0.8") and row["below_nav"] is True
    # diluted_mnav = 40 × 1,200,000 / 50,000,000 = 0.96; per_share = 500 / 1,200,000 = 0.000416666...
    assert row["diluted_mnav"] == D("0.96")
    assert close(row["per_share"], "0.000416666666666667")
    lines = explain_json(cli, "RSPL")
    split_notes = note_texts(lines["market_cap"], "split")
    assert any("1:10" in t and "2026-08-01" in t for t in split_notes), split_notes
    # the input is shown as recorded, before the adjustment
    (shares,) = [i for i in lines["shares_basic"]["inputs"] if i["name"] == "shares_basic"]
    assert shares["value"] == D("10000000") and shares["date"] == "2026-07-25"
    table = cli.ok("explain", "RSPL")
    assert "split:" in table and "1:10" in table


def test_price_before_a_reverse_split_and_count_after_it(cli, with_rspl):
    cli.ok("price", "set", "RSPL", "4", "--date", "2026-07-31")
    cli.ok("fact", "set", "RSPL", "shares_basic", "1000000", "--date", "2026-08-02")
    # as of 2026-08-03: price 4 of 2026-07-31 is on the pre-split basis; the 2026-08-02 count
    # 1,000,000 moves back over the 1:10 split: × 10 = 10,000,000. market_cap = 4 × 10,000,000 = 40,000,000
    (row,) = cli.json("mnav", "--as-of", "2026-08-03")
    assert row["share_price"] == D("4")
    assert row["shares_basic"] == D("10000000")
    assert row["market_cap"] == D("40000000")


def test_split_is_listed_as_a_fact(cli, with_rspl):
    (profile,) = cli.json("company", "show", "RSPL")
    splits = [f for f in profile["facts"] if f["name"] == "split"]
    assert [(f["value"], f["date"], f["source"]) for f in splits] == [("1:10", "2026-08-01", "8-K split")]


def test_bad_split_text_is_refused_and_nothing_written(cli, db_path, with_rspl):
    for text in ["10", "0:1", "1:1", "a:b", "1:0", "1:10:1", ":10", "2:2.0", "inf:1", "1e16:1", "1_0:1", "1/10"]:
        line = refused(cli, db_path, "fact", "set", "RSPL", "split", text, "--date", "2026-09-01")
        assert "split" in line, (text, line)
    # a leading minus reads as an option: still one usage line, exit 2, nothing written
    refused(cli, db_path, "fact", "set", "RSPL", "split", "-1:10", "--date", "2026-09-01")
    refused(cli, db_path, "fact", "set", "RSPL", "split", "--date", "2026-09-01", "--", "-1:10")


# ---------------------------------------------------------------- 7. fact set inputs and company show

BAD_FACTS = [
    ("shares", "100"),                   # unknown fact name
    ("price", "100"),                    # unknown fact name
    ("debt", "--", "-5"),                # negative money
    ("cash", "--", "-0.01"),             # negative money
    ("shares_basic", "--", "-1"),        # negative count
    ("shares_basic", "0"),               # a share count must be > 0
    ("debt", "abc"),                     # not a number
    ("debt", "1e16"),                    # over 10^15
    ("debt", "1.0000000000000000001"),   # 19 decimals
]


def test_fact_set_bad_values_are_refused(cli, db_path):
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    for name, *value in BAD_FACTS:
        refused(cli, db_path, "fact", "set", "ACME", name, *value, "--date", "2026-10-01")
    assert cli.json("company", "show", "ACME")[0]["facts"] == []


def test_fact_set_negative_value_typed_plainly_is_refused(cli, db_path):
    # `fact set ACME debt -5` as a user types it: exit 2, one Error line, nothing written
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    refused(cli, db_path, "fact", "set", "ACME", "debt", "-5", "--date", "2026-10-01")


def test_fact_set_bad_dates_are_refused(cli, db_path):
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    for date in ["2026-11-22", "2026-13-01", "20261001", "yesterday", "2026-02-30"]:
        refused(cli, db_path, "fact", "set", "ACME", "debt", "5", "--date", date)


def test_fact_set_unknown_ticker_is_refused(cli, db_path):
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    assert "NOPE" in refused(cli, db_path, "fact", "set", "NOPE", "debt", "5", "--date", "2026-10-01")


def test_fact_set_same_name_and_date_replaces_and_default_date_is_today(cli):
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    cli.ok("fact", "set", "ACME", "debt", "5", "--date", "2026-10-01", "--source", "first")
    cli.ok("fact", "set", "ACME", "debt", "7.50", "--date", "2026-10-01", "--source", "restated")
    cli.ok("fact", "set", "acme", "CASH", "0")
    (profile,) = cli.json("company", "show", "ACME")
    facts = [(f["name"], f["value"], f["date"], f["source"]) for f in profile["facts"]]
    assert sorted(facts) == [("cash", D("0"), TODAY, None), ("debt", D("7.50"), "2026-10-01", "restated")]


def test_company_show_lists_facts_with_dates_and_sources(cli, with_acme):
    (profile,) = cli.json("company", "show", "ACME")
    facts = sorted((f["name"], f["date"], f["value"], f["source"]) for f in profile["facts"])
    assert facts == [
        ("cash", "2026-10-01", D("500000"), "10-Q Q3"),
        ("debt", "2026-04-01", D("1200000"), "10-K 2025"),
        ("debt", "2026-10-01", D("1000000"), "10-Q Q3"),
        ("preferred", "2026-10-01", D("2000000"), "10-Q Q3"),
        ("shares_basic", "2026-04-01", D("150000"), "10-K 2025"),
        ("shares_basic", "2026-10-01", D("200000"), "10-Q Q3"),
        ("shares_diluted", "2026-10-01", D("240000"), "10-Q Q3"),
    ]
    # the age shown is counted to today: 2026-10-01 -> 2026-11-21 = 51 days
    ages = {(f["name"], f["date"]): f.get("age_days") for f in profile["facts"]}
    assert ages[("cash", "2026-10-01")] == 51


# ---------------------------------------------------------------- found while testing

def test_as_of_before_a_fact_was_recorded_does_not_say_it_was_never_recorded(cli, with_acme):
    # ACME's preferred and cash were recorded on 2026-10-01. As of 2026-06-15 none is in force:
    # explain must say there is none on or before that date, not that it "was never recorded".
    lines = explain_json(cli, "ACME", "--as-of", "2026-06-15")
    for name in ("preferred", "cash", "shares_diluted"):
        texts = note_texts(lines[name])
        assert texts, name
        assert not any("never recorded" in t for t in texts), (name, texts)
        assert any("2026-06-15" in t for t in texts), (name, texts)


def test_share_price_stored_in_another_currency_is_not_taken_as_the_companys(cli):
    cli.ok("company", "add", "ACME", "--name", "Acme Treasury")
    cli.ok("event", "add", "ACME", "buy", "10", "--date", "2026-03-01", "--total", "1000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "USDJPY", "150", "--date", "2026-11-20")
    # a close recorded in JPY for a USD company: 37,500 JPY / 150 = 250 USD
    cli.ok("price", "set", "ACME", "37500", "--date", "2026-11-20", "--currency", "JPY")
    cli.ok("fact", "set", "ACME", "shares_basic", "1000", "--date", "2026-10-01")
    (row,) = cli.json("mnav")
    # market_cap = 250 × 1,000 = 250,000 USD (or unknown, with a reason) — never 37,500 × 1,000
    assert row["market_cap"] == D("250000"), row["market_cap"]
    assert row["share_price"] == D("250"), row["share_price"]


def test_explain_csv_has_no_python_reprs(cli, with_acme):
    import csv
    import io

    result = cli("explain", "ACME", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    figures = [k for k in MNAV_KEYS if k not in ("ticker", "currency")]
    assert [r["figure"] for r in rows][:len(figures)] == figures
    for bad in ("Decimal(", "datetime.date("):
        assert bad not in result.stdout, f"CSV carries Python reprs: {rows[0]['inputs']}"
