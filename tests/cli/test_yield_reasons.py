"""`yield` says why a figure is unknown instead of a row of dashes (issue 21)."""

from __future__ import annotations


def test_yield_names_the_missing_share_count_and_the_mnav_that_leaves_nothing_to_cover(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "100", "--total", "5000000", "--date", "2025-11-03")
    cli.ok("event", "add", "MSTR", "buy", "50", "--total", "3000000", "--date", "2026-03-02")
    cli.ok("fact", "set", "MSTR", "shares_basic", "1000", "--date", "2026-02-19")
    for day in ("2025-12-31", "2026-11-20"):
        cli.ok("price", "set", "BTC", "80000", "--date", day)
        cli.ok("price", "set", "MSTR", "10000", "--date", day)   # market cap 10M < NAV 12M: mNAV 0.833
    (row,) = cli.json("yield", "MSTR")
    assert (row["shares_start"], row["btc_yield"], row["months_to_cover"]) == (None, None, None)
    assert "no share count on 2025-12-31: no shares_basic on or before 2025-12-31" in row["reasons"]
    assert "mNAV 0.833 on 2026-11-21 is not above 1" in row["reasons"]
    table = " ".join(cli.ok("yield", "MSTR").split())
    assert "— unknown: no share count on 2025-12-31" in table
    (later,) = cli.json("yield", "MSTR", "--since", "2026-02-19")
    assert later["btc_yield"] is not None and "share count" not in later["reasons"]
