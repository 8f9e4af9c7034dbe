"""`dattrack summary` (SPEC 11): the headline — totals per asset, the leaders, the sellers of the window
with the proceeds they disclosed and realized P&L at average cost (a falling balance kept apart, marked
implied, never a sale for nothing), the buyers; one JSON object."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dattrack.ledger import replay
from dattrack.ledger.summary import INCOMPLETE, Held, buyers, leaders, sellers, totals
from tests.ledger.ledger_text import D, ledger

KEYS = {
    "totals": ["asset", "quantity", "value_usd", "companies"],
    "leaders": ["rank", "ticker", "asset", "quantity", "value_usd", "share", "change_since"],
    "sellers": ["ticker", "asset", "units_sold", "proceeds", "proceeds_currency", "proceeds_disclosed", "realized_pnl",
                "realized_pnl_reason", "implied"],
    "buyers": ["ticker", "asset", "units_bought", "cost", "cost_currency"],
}


def walked(text: str, after: str = "2025-12-31"):
    return replay(ledger(text), ordered=True, ends=[after], flows_after=after)


def sold(text: str, close, ticker: str = "CANG", after: str = "2025-12-31") -> list[dict]:
    """The seller rows of one book over the window that begins after `after`."""
    walk = walked(text, after)
    return sellers(ticker, "BTC", "USD", walk.flowed_total.since(walk.flowed[after]), walk.outs, close)


def no_close(asset, date):
    raise AssertionError("no close needed")


# ---------------------------------------------------------------- the arithmetic

def test_a_disclosed_sale_realizes_its_proceeds_less_the_average_cost():
    rows = sold("""
        2025-06-01  buy   1,000  60,000,000     # average cost 60,000
        2026-02-07  sell    400  30,000,000
        2026-03-01  sell    100   7,000,000
    """, no_close)
    assert rows == [{"ticker": "CANG", "asset": "BTC", "units_sold": 500, "proceeds": D("37,000,000"),
                     "proceeds_currency": "USD", "proceeds_disclosed": True, "realized_pnl": D("7,000,000"),
                     "realized_pnl_reason": None, "implied": False}]


def test_a_falling_balance_is_an_implied_sale_valued_at_that_day_s_close_never_zero():
    closes = {("BTC", "2026-05-31"): D("70,000")}
    (row,) = sold("""
        2025-06-01  buy      1,000  60,000,000
        2026-05-31  balance    400  -             # 600 left, none sold on record
    """, lambda asset, date: closes[(asset, date)], "BTDR")
    assert (row["units_sold"], row["implied"], row["proceeds"], row["proceeds_disclosed"]) == (600, True, None, False)
    assert row["realized_pnl"] == 600 * D("70,000") - 600 * D("60,000")   # 6,000,000: at average cost
    assert "no sale disclosed" in row["realized_pnl_reason"]


def test_disclosed_and_implied_sales_of_one_book_are_two_rows():
    rows = sold("""
        2025-06-01  buy      1,000  60,000,000
        2026-02-01  sell       100   7,000,000
        2026-03-31  balance    800  -
    """, lambda asset, date: D("50,000"), "MARA")
    assert [(r["implied"], r["units_sold"]) for r in rows] == [(False, 100), (True, 100)]


def test_an_estimated_amount_is_no_disclosed_proceeds_and_an_incomplete_cost_basis_no_realized_pnl():
    (row,) = sold("""
        2025-06-01  balance  1,000  -            # an opening position of unknown cost
        2026-02-07  sell       400  30,000,000
        2026-03-01  sell       100  -            # proceeds not disclosed (or an estimate: the ledger counts none)
    """, no_close)
    assert (row["proceeds"], row["proceeds_disclosed"], row["realized_pnl"]) == (D("30,000,000"), True, None)
    assert row["realized_pnl_reason"].startswith(INCOMPLETE)
    assert "the proceeds of 1 of 2 sales were not disclosed" in row["realized_pnl_reason"]


def test_an_opening_balance_moves_nothing_and_a_rise_is_no_purchase():
    walk = walked("""
        2025-12-20  buy      100  8,000,000     # before the window
        2026-01-05  balance  500  -             # a rise of 400 with no cost: in the units, not bought
        2026-02-01  buy      100  9,000,000
        2026-02-02  mine      10  -
        2026-03-01  balance  700  -             # +90 implied: shows in the leaders' change, not as bought
    """)
    window = walk.flowed_total.since(walk.flowed["2025-12-31"])
    assert (window.bought, window.bought_cost, window.bought_costed) == (110, D("9,000,000"), 1)
    assert (window.money, window.units, window.disclosed, window.undisclosed) == (D("9,000,000"), 500, 1, 3)
    assert buyers("X", "BTC", "USD", window) == [{"ticker": "X", "asset": "BTC", "units_bought": 110,
                                                  "cost": D("9,000,000"), "cost_currency": "USD"}]
    assert sellers("X", "BTC", "USD", window, walk.outs, no_close) == []
    opened = walked("""
        2026-01-05  balance  500  -             # where the ledger starts: a position, not a flow
    """)
    assert opened.flowed_total == opened.flowed["2025-12-31"]


def test_totals_and_leaders_with_shares_of_the_asset_and_unknowns_left_out():
    books = [Held("MSTR", "BTC", D("800"), D("80,000"), D("100")), Held("CANG", "BTC", D("200"), D("20,000"), None),
             Held("BMNR", "ETH", D("5,000"), D("15,000"), D("0")), Held("OLD", "BTC", None, None, None),
             Held("GONE", "BTC", D("0"), D("0"), D("-5"))]
    found = totals(books)
    assert found == [{"asset": "BTC", "quantity": 1000, "value_usd": D("100,000"), "companies": 2},
                     {"asset": "ETH", "quantity": 5000, "value_usd": D("15,000"), "companies": 1}]
    ranked = leaders(books, {"BTC": D("1000"), "ETH": D("5000")})
    assert [(r["rank"], r["ticker"], r["share"], r["change_since"]) for r in ranked] == [
        (1, "MSTR", D("0.8"), 100), (2, "CANG", D("0.2"), None), (3, "BMNR", 1, 0)]


# ---------------------------------------------------------------- the command

@pytest.fixture
def desk(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("company", "add", "BTDR", "--name", "Bitdeer")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "CANG", "buy", "1000", "--total", "60000000", "--date", "2025-06-01")
    cli.ok("event", "add", "CANG", "sell", "400", "--total", "30000000", "--date", "2026-02-07")
    cli.ok("event", "add", "CANG", "sell", "50", "--total", "4000000", "--date", "2026-02-20", "--estimate",
           "rounded as disclosed")
    cli.ok("event", "add", "BTDR", "buy", "1000", "--total", "50000000", "--date", "2025-06-01")
    cli.ok("event", "add", "BTDR", "balance", "400", "--date", "2026-05-31")
    cli.ok("event", "add", "MSTR", "buy", "5000", "--total", "400000000", "--date", "2025-11-01")
    cli.ok("event", "add", "MSTR", "buy", "1000", "--total", "90000000", "--date", "2026-03-02", "--known-on", "2026-03-04")
    for day, btc in (("2026-05-31", "70000"), ("2026-11-20", "80000")):
        cli.ok("price", "set", "BTC", btc, "--date", day)
    return cli


def summary_json(cli, *args: str) -> dict:
    return json.loads(cli.ok("summary", *args, "--format", "json"), parse_float=Decimal, parse_int=Decimal)


def test_one_object_with_exactly_the_keys_of_the_spec(desk):
    document = summary_json(desk, "--since", "2026-01-01")
    assert list(document) == ["as_of", "since", "totals", "leaders", "sellers", "buyers"]
    assert (document["as_of"], document["since"]) == ("2026-11-21", "2026-01-01")
    for section, keys in KEYS.items():
        assert document[section] and all(list(row) == keys for row in document[section]), section


def test_the_window_s_sellers_buyers_and_leaders(desk):
    document = summary_json(desk)   # the year to date by default
    assert document["since"] == "2026-01-01"
    by_ticker = {(r["ticker"], r["implied"]): r for r in document["sellers"]}
    cang = by_ticker[("CANG", False)]
    # 450 sold; 30M disclosed; the 4M is an estimate: not counted, and no realized P&L without it
    assert (cang["units_sold"], cang["proceeds"], cang["proceeds_disclosed"], cang["realized_pnl"]) == \
        (450, 30000000, True, None)
    assert "is an estimate, not counted (rounded as disclosed)" in cang["realized_pnl_reason"]
    btdr = by_ticker[("BTDR", True)]
    assert (btdr["units_sold"], btdr["realized_pnl"]) == (600, 600 * 70000 - 600 * 50000)  # the close of 05-31
    assert document["buyers"] == [{"ticker": "MSTR", "asset": "BTC", "units_bought": 1000, "cost": 90000000,
                                   "cost_currency": "USD"}]
    assert [(r["ticker"], r["quantity"], r["change_since"]) for r in document["leaders"]] == [
        ("MSTR", 6000, 1000), ("CANG", 550, -450), ("BTDR", 400, -600)]
    assert document["totals"] == [{"asset": "BTC", "quantity": 6950, "value_usd": 6950 * 80000, "companies": 3}]


def test_known_on_leaves_out_what_was_not_public_yet(desk):
    document = summary_json(desk, "--known-on", "2026-03-03")
    assert document["as_of"] == "2026-03-03" and document["buyers"] == []   # the 03-02 buy was public on 03-04


def test_the_table_names_what_is_not_disclosed_and_why(desk):
    table = desk.ok("summary")
    assert "Sellers since 2026-01-01" in table and "Buyers since 2026-01-01" in table
    sold = {line.split()[0]: line for line in table.split("Sellers since")[1].split("Buyers")[0].splitlines()
            if line.split() and line.split()[0] in ("CANG", "BTDR")}
    assert "30.00M" in sold["CANG"] and "not disclosed" not in sold["CANG"]   # CANG disclosed a part
    assert "600~" in sold["BTDR"] and "not disclosed" in sold["BTDR"]        # Bitdeer's falling balance, marked
    assert "~ implied" in table and "is an estimate, not counted" in " ".join(table.split())


def test_csv_is_one_table_each_row_naming_its_section(desk):
    lines = desk.ok("summary", "--format", "csv").splitlines()
    assert lines[0].startswith("section,")
    assert {line.split(",")[0] for line in lines[1:]} == {"totals", "leaders", "sellers", "buyers"}


def test_a_since_after_the_as_of_date_is_bad_input(desk):
    result = desk("summary", "--since", "2026-11-10", "--as-of", "2026-11-01")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --since 2026-11-10 is after")


# ---------------------------------------------------------------- the bundled data (issue 21's acceptance)

def test_bundled_2026_sellers_and_totals_equal_the_sum_of_holdings(cli, monkeypatch):
    monkeypatch.setenv("DATTRACK_TODAY", "2026-12-04")
    cli.ok("init", "--seed")
    document = summary_json(cli, "--since", "2026-01-01", "--as-of", "2026-07-17")
    held = json.loads(cli.ok("holdings", "--as-of", "2026-07-17", "--format", "json"), parse_float=Decimal,
                      parse_int=Decimal)
    for total in document["totals"]:
        rows = [r for r in held if r["asset"] == total["asset"] and r["quantity"] is not None]
        assert total["quantity"] == sum(r["quantity"] for r in rows)
        assert total["value_usd"] == sum(r["value_usd"] for r in rows)
        assert total["companies"] == len({r["ticker"] for r in rows if r["quantity"] > 0})
    cango = {r["implied"]: r for r in document["sellers"] if r["ticker"] == "CANG"}
    # Cango's 2026 sales: 550.03 (2026-01-31), 4,451 (2026-02-07) and 2,000 (2026-03-31) BTC
    assert cango[False]["units_sold"] == D("550.03") + 4451 + 2000
    events = json.loads(cli.ok("event", "list", "CANG", "--kind", "sell", "--since", "2026-01-01", "--format", "json"),
                        parse_float=Decimal, parse_int=Decimal)
    disclosed = [e["amount"] for e in events if e["amount"] is not None and not e["estimate"]]
    # proceeds as disclosed: the sum of the amounts not marked as estimates (none: "not disclosed")
    assert cango[False]["proceeds"] == (sum(disclosed) if disclosed else None)
    assert cango[False]["proceeds_disclosed"] is bool(disclosed)
    # realized P&L at average cost, or null with the reason (Cango's opening balance has no disclosed cost)
    assert cango[False]["realized_pnl"] is not None or cango[False]["realized_pnl_reason"]
    for row in document["sellers"]:
        assert row["realized_pnl"] != 0 or row["units_sold"] == 0   # never a silent zero


def test_pnl_says_which_units_left_through_a_falling_balance_instead_of_a_bare_zero(desk):
    rows = {row["ticker"]: row for row in json.loads(desk.ok("pnl", "--since", "2026-01-01", "--format", "json"),
                                                      parse_float=Decimal, parse_int=Decimal)}
    assert (rows["BTDR"]["realized_pnl"], rows["BTDR"]["implied_out"]) == (0, 600)
    assert rows["CANG"]["implied_out"] == 0
    table = " ".join(desk.ok("pnl", "--since", "2026-01-01").split())
    assert "Units that left through falling balances, no sale disclosed: BTDR 600 BTC" in table
