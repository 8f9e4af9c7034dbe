"""--known-on on the report commands (SPEC 10): the figures as an analyst could have computed them on a
day, from what was public by then; --as-of defaults to it; the report says so in its header."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture
def strategy(cli):
    """A purchase of 2026-02-15 that became public on 2026-02-17 (the 8-K of the Tuesday after), a share
    count restated later, and daily closes."""
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "100", "--total", "9000000", "--date", "2026-02-01",
           "--known-on", "2026-02-02", "--source", "8-K 2026-02-02")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000000", "--date", "2026-02-15",
           "--known-on", "2026-02-17", "--source", "8-K 2026-02-17")
    cli.ok("fact", "set", "MSTR", "shares_basic", "1000", "--date", "2026-01-31", "--known-on", "2026-02-05")
    cli.ok("fact", "set", "MSTR", "shares_basic", "1100", "--date", "2026-01-31", "--known-on", "2026-03-01")
    for day in range(10, 21):
        cli.ok("price", "set", "BTC", str(80000 + day * 100), "--date", f"2026-02-{day}")
        cli.ok("price", "set", "MSTR", "100", "--date", f"2026-02-{day}")
    return cli


def held(cli, *args: str) -> Decimal:
    (row,) = cli.json("holdings", *args)
    return row["quantity"]


def test_holdings_exclude_a_purchase_not_yet_public_and_include_it_the_day_it_is(strategy):
    assert held(strategy, "--as-of", "2026-02-16", "--known-on", "2026-02-16") == 100
    assert held(strategy, "--as-of", "2026-02-16", "--known-on", "2026-02-17") == 110
    assert held(strategy, "--as-of", "2026-02-16") == 110          # default: everything recorded
    assert held(strategy, "--known-on", "2026-02-16") == 100       # --as-of defaults to --known-on
    (row,) = strategy.json("holdings", "--known-on", "2026-02-16")
    assert row["price_date"] == "2026-02-16"


def test_a_revised_share_count_shows_its_old_value_under_the_earlier_known_on(strategy):
    (before,) = strategy.json("mnav", "--as-of", "2026-02-20", "--known-on", "2026-02-20")
    (after,) = strategy.json("mnav", "--as-of", "2026-02-20")
    assert (before["shares_basic"], after["shares_basic"]) == (1000, 1100)
    assert before["known_on"] == "2026-02-20" and after["known_on"] is None
    explained = {line["figure"]: line for line in strategy.json("explain", "MSTR", "--known-on", "2026-02-16")}
    assert explained["shares_basic"]["value"] == 1000
    (holding,) = [i for i in explained["nav"]["inputs"] if i["name"] == "BTC holdings"]
    assert holding["value"] == 100 and holding["source"].startswith("8-K 2026-02-02")


def test_prices_after_the_known_on_date_were_not_public_then(strategy):
    (row,) = strategy.json("holdings", "--as-of", "2026-02-20", "--known-on", "2026-02-16")
    assert row["quantity"] == 100 and row["price_date"] == "2026-02-16" and row["price"] == 81600
    table = strategy.ok("holdings", "--as-of", "2026-02-20", "--known-on", "2026-02-16")
    assert "Holdings as of 2026-02-20, as known on 2026-02-16 (average cost)" in table
    assert "Prices of 2026-02-16, 4 days old (stale)" in table


def test_every_report_command_takes_known_on(strategy, tmp_path):
    day = ["--known-on", "2026-02-16"]
    assert [r["ticker"] for r in strategy.json("risk", *day)] == ["MSTR"]
    (flow,) = strategy.json("flows", *day)
    assert flow["quantity"] == 100 and flow["last_event_date"] == "2026-02-01"
    (pnl,) = strategy.json("pnl", *day)
    assert (pnl["until"], pnl["quantity"]) == ("2026-02-16", 100)
    (row,) = strategy.json("yield", "MSTR", "--since", "2026-02-10", *day)
    assert (row["until"], row["holdings_end"], row["known_on"]) == ("2026-02-16", 100, "2026-02-16")
    assert "as known on 2026-02-16" in strategy.ok("mnav", *day).splitlines()[0]
    strategy.ok("snapshot", "--offline", "--quiet", *day)           # --date defaults to --known-on
    (snap,) = strategy.json("history", "MSTR")
    assert (snap["date"], snap["quantity"]) == ("2026-02-16", 100)


def test_report_known_on_says_so_in_its_header(strategy, tmp_path):
    target = tmp_path / "r.html"
    strategy.ok("report", "--known-on", "2026-02-16", "--out", str(target))
    header = target.read_text().split("</header>")[0]
    assert "As of 2026-02-16, as known on 2026-02-16" in header
    assert "<title>dattrack report — as of 2026-02-16, as known on 2026-02-16</title>" in header


@pytest.mark.parametrize("args", [["holdings", "--known-on", "2026-11-22"], ["mnav", "--known-on", "2026-02-30"],
                                  ["report", "--known-on", "yesterday"]])
def test_a_known_on_in_the_future_or_not_a_date_is_bad_input(strategy, args):
    result = strategy(*args)
    assert result.exit_code == 2 and result.stderr.startswith("Error: --known-on")


def test_instrument_list_as_known_on_a_day(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("instrument", "add", "MSTR", "2030 notes", "--kind", "convertible", "--outstanding", "800",
           "--date", "2025-09-30", "--known-on", "2025-11-03")
    cli.ok("instrument", "set", "1", "--outstanding", "850", "--date", "2025-09-30", "--known-on", "2026-02-19")
    assert [r["outstanding"] for r in cli.json("instrument", "list", "--known-on", "2025-12-31")] == [800]
    assert [r["outstanding"] for r in cli.json("instrument", "list", "--as-of", "2025-12-31")] == [850]
    assert "Instruments as of 2025-12-31, as known on 2025-12-31" in cli.ok("instrument", "list", "--known-on",
                                                                            "2025-12-31")
