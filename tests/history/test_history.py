"""`dattrack history`: stored snapshot rows back out exactly, and a chart of one metric."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

HISTORY_KEYS = ["date", "ticker", "asset", "quantity", "price", "value_usd", "cost_basis", "unrealized_pnl",
                "share_price", "market_cap", "nav", "mnav", "ev_mnav"]
BRAILLE = range(0x2801, 0x2900)


def mstr_days(snapshots):
    """Three daily snapshots of Strategy: a gain, then a loss with no share price (mNAV unknown),
    then a gain again; the 20th was missed."""
    snapshots.insert([
        {"date": "2026-11-18", "ticker": "MSTR", "asset": "BTC", "quantity": "640000", "price": "90000",
         "value_usd": "57600000000", "cost_basis": "47000000000", "unrealized_pnl": "10600000000",
         "share_price": "250.50", "market_cap": "70000000000", "nav": "57600000000",
         "mnav": "1.215277777777777778", "ev_mnav": "1.4"},
        {"date": "2026-11-19", "ticker": "MSTR", "asset": "BTC", "quantity": "641000", "price": "73000",
         "value_usd": "46793000000", "cost_basis": "47100000000", "unrealized_pnl": "-307000000",
         "share_price": None, "market_cap": None, "nav": "46793000000", "mnav": None, "ev_mnav": None},
        {"date": "2026-11-21", "ticker": "MSTR", "asset": "BTC", "quantity": "641692.123456789012345678",
         "price": "88000.01", "value_usd": "56468913281.54858", "cost_basis": "47160000000",
         "unrealized_pnl": "9308913281.54858", "share_price": "240", "market_cap": "67000000000",
         "nav": "56468913281.54858", "mnav": "1.186", "ev_mnav": "1.37"},
    ])


def test_json_keys_in_contract_order_and_exact_values(cli, snapshots):
    mstr_days(snapshots)
    rows = cli.json("history", "mstr")
    assert [list(row) for row in rows] == [HISTORY_KEYS] * 3
    assert [row["date"] for row in rows] == ["2026-11-18", "2026-11-19", "2026-11-21"]
    first, gap, last = rows
    assert first["mnav"] == Decimal("1.215277777777777778")
    assert first["share_price"] == Decimal("250.50")
    assert last["quantity"] == Decimal("641692.123456789012345678")
    assert gap["unrealized_pnl"] == Decimal("-307000000")
    assert (gap["share_price"], gap["market_cap"], gap["mnav"], gap["ev_mnav"]) == (None, None, None, None)
    raw = cli.ok("history", "MSTR", "--format", "json")
    assert '"quantity": 641692.123456789012345678' in raw
    assert '"mnav": null' in raw


def test_csv_has_the_same_keys_and_empty_cells_for_unknowns(cli, snapshots):
    mstr_days(snapshots)
    rows = list(csv.DictReader(io.StringIO(cli.ok("history", "MSTR", "--format", "csv"))))
    assert list(rows[0]) == HISTORY_KEYS
    assert rows[1]["mnav"] == ""
    assert rows[2]["value_usd"] == "56468913281.54858"


def test_since_and_asset_select_rows(cli, snapshots):
    mstr_days(snapshots)
    snapshots.insert([
        {"date": "2026-11-20", "ticker": "BMNR", "asset": "ETH", "quantity": "4285125"},
        {"date": "2026-11-20", "ticker": "BMNR", "asset": "BTC", "quantity": "193"},
        {"date": "2026-11-21", "ticker": "BMNR", "asset": "ETH", "quantity": "4300000"},
    ])
    assert [r["date"] for r in cli.json("history", "MSTR", "--since", "2026-11-19")] == ["2026-11-19", "2026-11-21"]
    eth = cli.json("history", "BMNR", "--asset", "eth")
    assert [(r["date"], r["quantity"]) for r in eth] == [("2026-11-20", 4285125), ("2026-11-21", 4300000)]
    assert len(cli.json("history", "BMNR")) == 3


def test_table_shows_rows_and_a_chart_of_holdings_by_default(cli, snapshots):
    mstr_days(snapshots)
    out = cli.ok("history", "MSTR")
    assert "2026-11-19" in out and "641,692.123456789012345678" in out
    chart = out[out.index("holdings of MSTR (BTC)"):]
    assert any(ord(ch) in BRAILLE for ch in chart)
    assert "2026-11-18" in chart and "2026-11-21" in chart          # the date axis
    assert "first 640,000 on 2026-11-18" in chart
    assert "last 641,692.123456789012345678 on 2026-11-21" in chart
    assert "max 641,692.123456789012345678" in chart and "min 640,000" in chart


def test_chart_of_a_metric_with_a_gap_skips_it(cli, snapshots):
    mstr_days(snapshots)
    out = cli.ok("history", "MSTR", "--metric", "mnav")
    chart = out[out.index("mnav of MSTR"):]
    assert "first 1.215 on 2026-11-18" in chart and "last 1.186 on 2026-11-21" in chart
    assert "min 1.186" in chart                         # the unknown day is not a zero
    assert "0.000" not in chart


def test_chart_of_negative_unrealized_pnl_crosses_a_zero_line(cli, snapshots):
    mstr_days(snapshots)
    out = cli.ok("history", "MSTR", "--metric", "unrealized_pnl")
    chart = out[out.index("unrealized_pnl of MSTR"):]
    assert "min -307,000,000.00" in chart and "max 10,600,000,000.00" in chart
    assert "┈" in chart


def test_one_snapshot_is_one_dot(cli, snapshots):
    snapshots.insert([{"date": "2026-11-21", "ticker": "MSTR", "asset": "BTC", "quantity": "641692"}])
    out = cli.ok("history", "MSTR", "--metric", "value")
    chart = out[out.index("value of MSTR"):]
    assert "no values to chart" in chart                 # value_usd unknown: nothing drawn, no crash
    out = cli.ok("history", "MSTR")
    chart = out[out.index("holdings of MSTR"):]
    assert sum(ord(ch) in BRAILLE for ch in chart) == 1
    assert "one value: 641,692 on 2026-11-21" in chart


def test_chart_fits_the_terminal_width(cli, snapshots, monkeypatch):
    mstr_days(snapshots)
    monkeypatch.setenv("COLUMNS", "60")
    out = cli.ok("history", "MSTR", "--metric", "holdings")
    chart = out[out.index("holdings of MSTR"):].splitlines()
    plot = [line for line in chart if "┤" in line or "│" in line or "└" in line]
    assert plot and all(len(line) <= 60 for line in plot)


def test_chart_only_in_tables(cli, snapshots):
    mstr_days(snapshots)
    for fmt in ("json", "csv"):
        out = cli.ok("history", "MSTR", "--format", fmt)
        assert not any(ord(ch) in BRAILLE for ch in out)
        assert "holdings of" not in out


def refusal(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and not result.stdout
    return line


def test_unknown_ticker_is_bad_input(cli, snapshots):
    assert "unknown ticker 'NOPE'" in refusal(cli("history", "nope"))


def test_unknown_metric_is_bad_input(cli, snapshots):
    assert "unknown metric 'price'" in refusal(cli("history", "MSTR", "--metric", "price"))


def test_no_snapshots_yet_says_how_to_take_one(cli, snapshots):
    result = cli("history", "MSTR")
    assert result.exit_code == 0
    assert "no snapshots of MSTR yet" in result.stdout and "dattrack snapshot" in result.stdout
    assert cli.json("history", "MSTR") == []


def test_a_company_figure_is_charted_once_and_a_holding_once_per_asset(cli, snapshots):
    snapshots.insert([
        {"date": day, "ticker": "BMNR", "asset": asset, "quantity": quantity, "mnav": mnav}
        for day, mnav in (("2026-11-20", "0.9"), ("2026-11-21", "1.1"))
        for asset, quantity in (("BTC", "193"), ("ETH", "4285125"))
    ])
    mnav = cli.ok("history", "BMNR", "--metric", "mnav")
    assert mnav.count("mnav of BMNR") == 1 and "first 0.900 on 2026-11-20" in mnav
    holdings = cli.ok("history", "BMNR")
    assert "holdings of BMNR (BTC)" in holdings and "holdings of BMNR (ETH)" in holdings
