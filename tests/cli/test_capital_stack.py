"""`instrument`, `risk`, `yield`, `explain` with a capital stack, the seed's instruments CSV, export/import."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal

import pytest

D = Decimal
RISK_KEYS = ["ticker", "nav", "debt", "preferred", "cash", "debt_to_nav", "btc_rating", "collateral", "unencumbered",
             "ltv", "margin_call_price", "liquidation_price", "margin_cushion", "annual_obligations",
             "cash_cover_months", "mining_cost", "mining_cost_to_price"]
LIST_KEYS = ["id", "ticker", "name", "kind", "currency", "outstanding", "outstanding_date", "rate", "maturity",
             "conversion_price", "seniority", "collateral", "collateral_asset", "margin_ltv", "liquidation_ltv",
             "source"]
YIELD_KEYS = ["ticker", "since", "until", "holdings_start", "holdings_end", "shares_start", "shares_end",
              "per_share_start", "per_share_end", "btc_yield", "btc_gain", "btc_usd_gain", "mnav", "months_to_cover"]


@pytest.fixture
def miner(cli):
    """CANG holds 10 BTC at 100 USD (NAV 1,000); 1,000 shares at 2 USD (market cap 2,000)."""
    cli.ok("company", "add", "CANG", "--name", "Cango", "--kind", "miner")
    cli.ok("event", "add", "CANG", "buy", "10", "--date", "2026-01-05", "--total", "500000")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")
    cli.ok("price", "set", "CANG", "2", "--date", "2026-11-20")
    cli.ok("fact", "set", "CANG", "shares_basic", "1000", "--date", "2026-10-01")
    return cli


def loan(cli, *extra):
    return cli.ok("instrument", "add", "CANG", "BTC-backed loan", "--kind", "loan", "--outstanding", "100",
                  "--date", "2026-02-01", "--collateral", "2", "--margin-ltv", "0.5", "--liquidation-ltv", "0.8",
                  "--source", "6-K 2026-02-03", *extra).strip()


def risk(cli, ticker="CANG", *extra):
    (row,) = cli.json("risk", ticker, *extra)
    return row


def test_a_loan_of_100_with_2_btc_pledged_at_margin_ltv_half_has_a_margin_call_price_of_exactly_100(miner):
    assert loan(miner) == "1"
    row = risk(miner)
    assert list(row)[:len(RISK_KEYS)] == RISK_KEYS
    assert row["margin_call_price"] == 100 and row["liquidation_price"] == D("62.5")   # 100 / (2 × 0.8)
    assert row["ltv"] == D("0.5") and row["margin_cushion"] == 0
    assert row["collateral"] == 2 and row["unencumbered"] == 8
    assert row["debt"] == 100 and row["debt_to_nav"] == D("0.1") and row["btc_rating"] == 10


def test_a_repayment_moves_the_margin_call_price_and_history_stays(miner):
    loan(miner)
    out = miner.ok("instrument", "set", "1", "--outstanding", "40", "--date", "2026-06-30", "--source", "repaid 60")
    assert "40 USD outstanding as of 2026-06-30" in out
    assert risk(miner)["margin_call_price"] == 40                          # 40 / (2 × 0.5)
    assert risk(miner, "CANG", "--as-of", "2026-03-01")["margin_call_price"] == 100
    miner.ok("instrument", "set", "1", "--outstanding", "40", "--date", "2026-07-31", "--collateral", "1")
    assert risk(miner)["margin_call_price"] == 80                          # 40 / (1 × 0.5): collateral released
    miner.ok("instrument", "set", "1", "--outstanding", "0", "--date", "2026-08-31")
    row = risk(miner)
    assert row["margin_call_price"] is None and row["debt"] == 0 and row["collateral"] == 0
    assert "no crypto-backed loan" in row["reasons"]


def test_instrument_list_shows_the_amount_in_force(miner):
    loan(miner, "--rate", "0.08", "--maturity", "2028-12-31")
    miner.ok("instrument", "set", "1", "--outstanding", "60", "--date", "2026-05-01", "--source", "8-K repay")
    (now,) = miner.json("instrument", "list")
    assert list(now)[:len(LIST_KEYS)] == LIST_KEYS
    assert (now["outstanding"], now["outstanding_date"], now["source"]) == (60, "2026-05-01", "8-K repay")
    assert (now["rate"], now["maturity"], now["seniority"], now["collateral"]) == (D("0.08"), "2028-12-31", 1, 2)
    (then,) = miner.json("instrument", "list", "CANG", "--as-of", "2026-03-01")
    assert (then["outstanding"], then["source"]) == (100, "6-K 2026-02-03")
    (before,) = miner.json("instrument", "list", "--as-of", "2026-01-01")
    assert before["outstanding"] is None


def test_jpy_instruments_convert(cli):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "METAPLANET", "buy", "10", "--date", "2026-01-05", "--total", "150000000")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")
    cli.ok("price", "set", "USDJPY", "150", "--date", "2026-11-20")
    cli.ok("instrument", "add", "METAPLANET", "bonds", "--kind", "note", "--outstanding", "15000",
           "--date", "2026-03-01", "--rate", "0")
    cli.ok("instrument", "add", "METAPLANET", "USD loan", "--kind", "loan", "--currency", "USD",
           "--outstanding", "50", "--date", "2026-03-01", "--collateral", "1", "--margin-ltv", "0.5")
    row = risk(cli, "METAPLANET")
    assert row["debt"] == 150                        # 15,000 JPY / 150 + 50 USD
    assert row["margin_call_price"] == 100           # 50 / (1 × 0.5), in USD per BTC
    assert row["annual_obligations"] is None         # the USD loan's rate is not recorded
    assert "no rate recorded for USD loan" in row["reasons"]


def test_a_company_with_no_instruments_and_a_debt_fact_behaves_as_before(miner):
    miner.ok("fact", "set", "CANG", "debt", "250", "--date", "2026-09-30")
    (row,) = miner.json("mnav", "CANG")
    assert row["debt"] == 250 and row["ev"] == 2250 and row["ev_mnav"] == D("2.25")
    assert row["shares_diluted"] is None and row["diluted_mnav"] is None
    explained = {line["figure"]: line for line in miner.json("explain", "CANG")}
    assert explained["debt"]["formula"] == "debt"
    assert not [n for n in explained["debt"]["notes"] if n["kind"] == "chosen"]
    # The ladder holds the one claim the company row counts: the debt fact, rated nav / debt.
    (claim,) = [line for line in explained.values() if line["section"] == "capital_stack"]
    assert (claim["figure"], claim["value"]) == ("btc_rating debt (2026-09-30, fact)", 4)
    assert risk(miner)["debt_to_nav"] == D("0.25") and risk(miner)["collateral"] is None


def test_instruments_newer_than_the_debt_fact_are_the_debt_and_explain_says_so(miner):
    miner.ok("fact", "set", "CANG", "debt", "250", "--date", "2026-01-31")
    loan(miner)
    (row,) = miner.json("mnav", "CANG")
    assert row["debt"] == 100 and row["ev"] == 2100
    explained = {line["figure"]: line for line in miner.json("explain", "CANG")}
    chosen = [n["text"] for n in explained["debt"]["notes"] if n["kind"] == "chosen"]
    assert chosen == ["debt = Σ outstanding of 1 instrument(s) in force (latest amount 2026-02-01); "
                      "the debt fact of 2026-01-31 is older and not used"]
    miner.ok("fact", "set", "CANG", "debt", "300", "--date", "2026-10-31")
    assert miner.json("mnav", "CANG")[0]["debt"] == 300


def test_explain_shows_the_capital_stack_and_the_margin_call_inputs_with_sources(miner):
    loan(miner, "--rate", "0.1")
    miner.ok("instrument", "add", "CANG", "Series A preferred", "--kind", "preferred", "--outstanding", "400",
             "--date", "2026-03-01", "--rate", "0.1", "--conversion-price", "4", "--source", "prospectus")
    lines = miner.json("explain", "CANG")
    stack = {line["figure"]: line for line in lines if line["section"] == "capital_stack"}
    assert stack["btc_rating BTC-backed loan"]["value"] == 10          # 1,000 / 100
    assert stack["btc_rating Series A preferred"]["value"] == 2         # 1,000 / (100 + 400)
    detail = [n["text"] for n in stack["btc_rating Series A preferred"]["notes"] if n["kind"] == "detail"]
    assert "preferred, seniority 4" in detail[0] and "source: prospectus" in detail[0]
    margin = next(line for line in lines if line["figure"] == "margin_call_price")
    inputs = {i["name"]: (i["value"], i["source"]) for i in margin["inputs"]}
    assert inputs == {"BTC-backed loan outstanding": (100, "6-K 2026-02-03"),
                      "BTC-backed loan collateral": (2, "6-K 2026-02-03"),
                      "BTC-backed loan margin_ltv": (D("0.5"), "6-K 2026-02-03")}
    diluted = next(line for line in lines if line["figure"] == "shares_diluted")
    assert diluted["value"] == 1100                                      # 1,000 + 400 / 4
    assert any("assumed diluted" in n["text"] for n in diluted["notes"])
    text = miner.ok("explain", "CANG")
    assert "Capital stack" in text
    assert [line.split() for line in text.splitlines() if line.startswith("margin_call_price")][0][:3] == [
        "margin_call_price", "100.00", "USD/BTC"]   # a price in USD reads as money


def test_cash_cover_and_mining_cost_in_risk(miner):
    loan(miner, "--rate", "0.06")
    miner.ok("fact", "set", "CANG", "cash", "1200", "--date", "2026-09-30")
    miner.ok("fact", "set", "CANG", "mining_cost", "110", "--date", "2026-09-30", "--source", "Q3 results")
    row = risk(miner)
    assert row["annual_obligations"] == 6 and row["cash_cover_months"] == 2400    # 1,200 / (6 / 12)
    assert row["mining_cost"] == 110 and row["mining_cost_to_price"] == D("1.1")   # mining costs more than buying
    assert {f["name"]: f["value"] for f in miner.json("company", "show", "CANG")[0]["facts"]}["mining_cost"] == 110


def test_risk_without_inputs_is_null_never_zero(miner):
    row = risk(miner)
    for key in ("debt", "preferred", "cash", "debt_to_nav", "btc_rating", "collateral", "ltv",
                "margin_call_price", "annual_obligations", "mining_cost", "mining_cost_to_price"):
        assert row[key] is None, key
    assert row["nav"] == 1000
    assert "neither instruments nor a debt or preferred fact are recorded" in row["reasons"]
    table = miner.ok("risk")
    assert "CANG" in table and "Call price" in table


@pytest.mark.parametrize("args, words", [
    (["--kind", "loan", "--outstanding", "-5"], "--outstanding"),
    (["--kind", "loan", "--outstanding", "100", "--margin-ltv", "0"], "outside (0, 1]"),
    (["--kind", "loan", "--outstanding", "100", "--liquidation-ltv", "1.5"], "outside (0, 1]"),
    (["--kind", "loan", "--outstanding", "100", "--margin-ltv", "0.8", "--liquidation-ltv", "0.7"], "above"),
    (["--kind", "preferred", "--outstanding", "100", "--collateral", "2"], "not a preferred"),
    (["--kind", "preferred", "--outstanding", "100", "--margin-ltv", "0.5"], "not a preferred"),
    (["--kind", "loan", "--outstanding", "100", "--conversion-price", "5"], "not a loan"),
    (["--kind", "bond", "--outstanding", "100"], "unknown instrument kind"),
    (["--kind", "note", "--outstanding", "100", "--rate", "8"], "fraction"),
    (["--kind", "note", "--outstanding", "100", "--seniority", "0"], "seniority"),
    (["--kind", "note", "--outstanding", "100", "--currency", "dollars"], "currency"),
    (["--kind", "convertible", "--outstanding", "100", "--conversion-price", "0"], "greater than 0"),
])
def test_bad_instruments_are_refused_and_nothing_is_written(miner, refused, args, words):
    line = refused("instrument", "add", "CANG", "X", *args, "--date", "2026-03-01")
    assert words in line


def test_more_refusals(miner, refused):
    loan(miner)
    assert "already has an instrument named" in refused("instrument", "add", "CANG", "BTC-backed loan", "--kind",
                                                        "loan", "--outstanding", "1", "--date", "2026-03-01")
    assert "no instrument with id 9" in refused("instrument", "set", "9", "--outstanding", "1", "--date", "2026-03-01")
    assert "--outstanding" in refused("instrument", "set", "1", "--outstanding", "-1", "--date", "2026-03-01")
    assert "future" in refused("instrument", "set", "1", "--outstanding", "1", "--date", "2027-01-01")
    assert "unknown ticker" in refused("instrument", "add", "NOPE", "x", "--kind", "loan", "--outstanding", "1",
                                       "--date", "2026-03-01")
    assert "unknown ticker" in refused("risk", "NOPE")
    miner.ok("instrument", "add", "CANG", "STRK", "--kind", "preferred", "--outstanding", "5", "--date", "2026-03-01")
    assert "--collateral" in refused("instrument", "set", "2", "--outstanding", "1", "--date", "2026-04-01",
                                     "--collateral", "3")


def test_a_maturity_may_lie_in_the_future(miner):
    loan(miner, "--maturity", "2030-06-30")
    assert miner.json("instrument", "list")[0]["maturity"] == "2030-06-30"


def test_removing_a_company_removes_its_instruments_and_alerts(miner):
    loan(miner)
    miner.ok("alert", "add", "CANG", "ltv", ">", "0.6")
    miner.ok("company", "rm", "CANG", "--force")
    assert miner.json("instrument", "list") == [] and miner.json("alert", "list") == []


# ---------------------------------------------------------------- yield

def test_yield_equals_the_spec_formula_on_a_hand_checked_ledger(cli):
    # 10 BTC on 1,000 shares on 2025-01-01; 487 days later (= 16 × 30.4375) 10 × 1.1^16 BTC on the same shares.
    # btc_yield = 1.1^16 − 1; the monthly yield is then exactly 0.1, and an mNAV of 1.331 = 1.1^3 takes 3 months.
    start, end = dt.date(2025, 1, 1), dt.date(2025, 1, 1) + dt.timedelta(days=487)
    growth = D("1.1") ** 16                                  # 4.5949729863572161
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "shares_basic", "1000", "--date", "2024-12-31")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2024-12-31", "--total", "1000")
    cli.ok("event", "add", "MSTR", "buy", str(10 * growth - 10), "--date", "2025-06-30", "--total", "5000")
    cli.ok("price", "set", "BTC", "1000", "--date", end.isoformat())
    nav = 10 * growth * 1000
    cli.ok("price", "set", "MSTR", str(nav * D("1.331") / 1000), "--date", end.isoformat())
    (row,) = cli.json("yield", "MSTR", "--since", start.isoformat(), "--until", end.isoformat())
    assert list(row)[:len(YIELD_KEYS)] == YIELD_KEYS
    assert (row["holdings_start"], row["holdings_end"]) == (10, 10 * growth)
    assert (row["shares_start"], row["shares_end"]) == (1000, 1000)
    assert row["btc_yield"] == growth - 1                    # (h1/d1)/(h0/d0) − 1
    assert row["btc_gain"] == 10 * (growth - 1)              # h0 × btc_yield
    assert row["btc_usd_gain"] == 10 * (growth - 1) * 1000   # × the BTC price at `until`
    assert row["mnav"] == D("1.331") and row["months_to_cover"] == 3


def test_yield_with_dilution_uses_diluted_shares_and_months_to_cover_is_null_below_mnav_1(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "shares_diluted", "100", "--date", "2025-12-31")
    cli.ok("fact", "set", "MSTR", "shares_diluted", "120", "--date", "2026-06-30")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-12-31", "--total", "1000")
    cli.ok("event", "add", "MSTR", "buy", "5", "--date", "2026-06-30", "--total", "1000")
    cli.ok("fact", "set", "MSTR", "shares_basic", "100", "--date", "2025-12-31")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-06-30")
    cli.ok("price", "set", "MSTR", "5", "--date", "2026-06-30")          # 500 / 1,500: mNAV 1/3
    (row,) = cli.json("yield", "MSTR", "--since", "2025-12-31", "--until", "2026-06-30")
    assert row["btc_yield"] == D("0.25")                                # (15/120) / (10/100) − 1
    assert row["btc_gain"] == D("2.5") and row["btc_usd_gain"] == 250
    assert row["mnav"] < 1 and row["months_to_cover"] is None


def test_yield_default_window_and_bad_windows(cli, refused):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    (row,) = cli.json("yield", "MSTR")
    assert (row["since"], row["until"]) == ("2025-12-31", "2026-11-21")
    assert row["btc_yield"] is None
    assert "before" in refused("yield", "MSTR", "--since", "2026-05-01", "--until", "2026-04-01")
    assert "unknown ticker" in refused("yield", "NOPE")


# ---------------------------------------------------------------- company show for a miner

def test_company_show_for_a_miner_gives_units_mined_per_month_with_booked_cost(miner):
    miner.ok("event", "add", "CANG", "mine", "2", "--date", "2026-10-15", "--total", "180000")
    miner.ok("event", "add", "CANG", "mine", "1", "--date", "2026-10-31", "--total", "99000")
    miner.ok("event", "add", "CANG", "mine", "1.5", "--date", "2026-11-15", "--total", "150000")
    (profile,) = miner.json("company", "show", "CANG")
    assert [(m["period"], m["units"], m["booked_cost"], m["cost_per_unit"]) for m in profile["mined"]] == [
        ("2026-10", 3, 279000, 93000), ("2026-11", D("1.5"), 150000, 100000)]
    assert "Mined per month" in miner.ok("company", "show", "CANG")


# ---------------------------------------------------------------- seed CSV and the export document

CSV = """ticker,name,kind,currency,rate,maturity,conversion_price,seniority,collateral,collateral_asset,margin_ltv,liquidation_ltv,date,outstanding,source,note
CANG,BTC-backed loan,loan,,0.07,,,,2,BTC,0.5,0.8,2026-02-01,100,6-K loan,
CANG,BTC-backed loan,loan,,,,,,,,,,2026-06-30,40,6-K repayment,repaid 60
CANG,2031 notes,convertible,USD,0.02,2031-06-01,40,,,BTC,,,2026-03-01,300,8-K notes,secured by BTC
CANG,2031 notes,convertible,USD,0.02,2031-06-01,40,,1617,BTC,,,2026-04-01,300,8-K amendment,1617 BTC in a collateral account
"""


def test_the_instruments_csv_loads_once_first_row_adds_later_rows_set(miner, db_path, tmp_path):
    from dattrack.app.instruments import load_instrument_csv
    from dattrack.store import open_store

    path = tmp_path / "instruments.csv"
    path.write_text(CSV, encoding="utf-8")
    store = open_store(db_path)
    try:
        with store.write():
            assert load_instrument_csv(store, path) == 4
        with store.write():
            assert load_instrument_csv(store, path) == 0          # idempotent
    finally:
        store.close()
    rows = {r["name"]: r for r in miner.json("instrument", "list", "CANG")}
    assert (rows["BTC-backed loan"]["outstanding"], rows["BTC-backed loan"]["collateral"]) == (40, 2)
    assert rows["BTC-backed loan"]["source"] == "6-K repayment" and rows["BTC-backed loan"]["currency"] == "USD"
    assert (rows["2031 notes"]["seniority"], rows["2031 notes"]["conversion_price"]) == (3, 40)
    # A secured convertible pledges units too (issue 19): its 1,617 BTC count, from the row that states them.
    assert (rows["2031 notes"]["collateral"], rows["2031 notes"]["collateral_asset"]) == (1617, "BTC")
    row = risk(miner)
    assert row["collateral"] == 1619                       # 2 for the loan + 1,617 for the notes
    # The notes state no margin LTV: the call price is the loan's, and the row says the notes are not counted.
    assert row["margin_call_price"] == 40
    (line,) = [line for line in miner.json("explain", "CANG") if line["figure"] == "margin_call_price"]
    assert "no margin_ltv recorded for 2031 notes: not counted" in [note["text"] for note in line["notes"]]


def test_a_bad_row_in_the_instruments_csv_names_its_row_and_writes_nothing(miner, db_path, tmp_path):
    from dattrack.app.instruments import load_instrument_csv
    from dattrack.errors import BadInput
    from dattrack.store import open_store

    path = tmp_path / "instruments.csv"
    path.write_text(CSV.replace("2031 notes,convertible,USD,0.02", "2031 notes,convertible,USD,2"), encoding="utf-8")
    store = open_store(db_path)
    try:
        with pytest.raises(BadInput, match="instruments.csv row 4: --rate"):
            with store.write():
                load_instrument_csv(store, path)
        assert store.query("SELECT count(*) FROM instruments")[0][0] == 0
    finally:
        store.close()


def test_the_bundled_instruments_csv_loads_when_present(cli):
    from importlib import resources

    cli.ok("init", "--seed")
    if not resources.files("dattrack.data").joinpath("instruments.csv").is_file():
        pytest.skip("no data/instruments.csv in this tree yet")
    assert cli.json("instrument", "list")
    assert "already up to date" in cli.ok("init", "--seed")


def test_export_import_carries_instruments_and_alerts(miner, tmp_path):
    loan(miner, "--rate", "0.05")
    miner.ok("instrument", "set", "1", "--outstanding", "40", "--date", "2026-06-30")
    miner.ok("alert", "add", "CANG", "margin_cushion", "<", "0.2")
    miner.ok("alert", "add", "CANG", "sell")
    document = miner.ok("export")
    parsed = json.loads(document)
    assert len(parsed["instruments"]) == 1 and len(parsed["instrument_amounts"]) == 2 and len(parsed["alerts"]) == 2
    path = tmp_path / "backup.json"
    path.write_text(document, encoding="utf-8")
    other = tmp_path / "other.db"
    miner.ok("--db", str(other), "import", str(path))
    assert miner.ok("--db", str(other), "export") == document
    assert miner.json("--db", str(other), "risk", "CANG")[0]["margin_call_price"] == 40
    miner.ok("--db", str(other), "import", str(path))                      # again: nothing new, no conflict
    with sqlite3.connect(other) as conn:
        assert conn.execute("SELECT count(*) FROM instrument_amounts").fetchone()[0] == 2
