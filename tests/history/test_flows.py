"""`dattrack flows`: who bought and who sold over 1, 7, 30 days and the year, from the events."""

from __future__ import annotations

import pytest

from dattrack.ledger.flows import Quote, baselines, flow_rows
from dattrack.ledger import replay
from tests.ledger.ledger_text import D, ledger

AS_OF = "2026-11-21"   # baselines: 1d 11-20, 7d 11-14, 30d 10-22, ytd 2025-12-31 (end of each day)

SELLER = ledger("""
    2025-06-01  buy   5,000  400,000,000
    2026-03-01  sell  1,000   80,000,000
    2026-11-01  sell    500   40,000,000
    2026-11-21  sell    100    8,000,000
""")
BUYER = ledger("""
    2025-12-31  buy   600  60,000,000     # on the ytd baseline day: already held when the year starts
    2026-01-05  buy    40   4,000,000
    2026-11-17  buy    10   1,000,000
""")
MINER = ledger("""
    2026-09-30  balance  2,000  -
    2026-10-31  balance  1,500  -         # an implied outflow of 500
    2026-11-14  mine        10  -         # on the 7d baseline day: not in the 7-day change
    2026-11-20  balance  1,400  -
""")
ETH_SELLER = ledger("""
    2025-10-01  buy   100,000  300,000,000
    2026-11-10  sell   20,000   40,000,000
""")
BOOKS = {("CANG", "BTC"): SELLER, ("MSTR", "BTC"): BUYER, ("BTDR", "BTC"): MINER, ("ETHZ", "ETH"): ETH_SELLER,
         ("UPXI", "SOL"): ledger("2026-11-01 buy 100 20,000")}
QUOTES = {"BTC": Quote(D("80,000"), "2026-11-21"), "ETH": Quote(D("2,000"), "2026-11-20"), "SOL": None}


def changes(row: dict) -> tuple:
    return tuple(row[f"change_{name}"] for name in ("1d", "7d", "30d", "ytd"))


def by_ticker(rows: list[dict]) -> dict[str, dict]:
    return {row["ticker"]: row for row in rows}


def test_baselines_are_the_end_of_the_day_before_each_window():
    assert baselines(AS_OF, "2026-10-31") == {"1d": "2026-11-20", "7d": "2026-11-14", "30d": "2026-10-22",
                                              "ytd": "2025-12-31", "since": "2026-10-30"}


def test_changes_of_a_seller_a_buyer_and_a_miner_that_only_discloses_balances():
    rows = by_ticker(flow_rows(BOOKS, QUOTES, as_of=AS_OF))
    assert rows["CANG"]["quantity"] == 3400
    assert changes(rows["CANG"]) == (-100, -100, -600, -1600)
    assert rows["MSTR"]["quantity"] == 650
    assert changes(rows["MSTR"]) == (0, 10, 10, 50)
    assert rows["BTDR"]["quantity"] == 1400
    # Resets count as flows; before the opening balance of 09-30 what it held is unknown (the year's change too).
    assert changes(rows["BTDR"]) == (0, -110, -600, None)
    assert (rows["BTDR"]["last_event_date"], rows["BTDR"]["last_event_kind"]) == ("2026-11-20", "balance")
    assert [rows[t]["direction"] for t in ("CANG", "MSTR", "BTDR", "ETHZ")] == ["selling", "buying", "selling", "selling"]


def test_usd_changes_rank_btc_and_eth_sellers_together_biggest_seller_first():
    rows = flow_rows(BOOKS, QUOTES, as_of=AS_OF)
    # 30 days in USD: CANG and BTDR -48M each (CANG's year is known), ETHZ -40M (more units, fewer dollars),
    # MSTR +0.8M; UPXI has no SOL price and follows, ranked by units.
    assert [row["ticker"] for row in rows] == ["CANG", "BTDR", "ETHZ", "MSTR", "UPXI"]
    cang, btdr, ethz, mstr, upxi = rows
    assert (cang["change_30d_usd"], cang["change_ytd_usd"]) == (D("-48,000,000"), D("-128,000,000"))
    assert (btdr["change_30d_usd"], btdr["change_ytd_usd"]) == (D("-48,000,000"), None)
    assert (ethz["change_30d"], ethz["change_30d_usd"], ethz["price_date"]) == (-20000, D("-40,000,000"), "2026-11-20")
    assert mstr["change_7d_usd"] == D("800,000")
    assert (upxi["price"], upxi["change_30d_usd"], upxi["change_ytd_usd"]) == (None, None, None)
    assert upxi["change_30d"] == 100


def test_since_adds_the_change_from_that_date_inclusive():
    rows = by_ticker(flow_rows(BOOKS, QUOTES, as_of=AS_OF, since="2026-10-31"))
    assert rows["BTDR"]["change_since"] == -600              # the 10-31 balance counts
    assert rows["BTDR"]["change_since_usd"] == D("-48,000,000")
    assert "change_since" not in flow_rows(BOOKS, QUOTES, as_of=AS_OF)[0]


def test_an_earlier_as_of_ignores_later_events_and_books_not_started_yet():
    rows = by_ticker(flow_rows(BOOKS, QUOTES, as_of="2026-10-31"))
    assert set(rows) == {"CANG", "MSTR", "BTDR", "ETHZ"}
    assert changes(rows["BTDR"]) == (-500, -500, -500, None)
    assert rows["CANG"]["quantity"] == 4000


@pytest.mark.parametrize("day", ["2025-06-01", "2026-02-28", "2026-10-30", "2026-10-31", "2026-11-14", "2026-11-21"])
def test_one_walk_agrees_with_a_replay_to_each_day(day):
    for events in (SELLER, BUYER, MINER):
        walk = replay(events, ordered=True, ends=[day, "2026-01-01", "2026-11-20"])
        if events[0].date <= day:
            assert walk.at[day] == replay(events, until=day).position
        elif events[0].kind == "balance":   # before an opening balance: unknown, not zero
            assert walk.at[day] is None
        else:
            assert walk.at[day].quantity == 0


def test_flows_command_json_sorted_and_table_marks_directions(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("company", "add", "ETHZ", "--name", "ETHZilla", "--asset", "ETH")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "CANG", "buy", "5000", "--date", "2025-06-01", "--total", "400000000")
    cli.ok("event", "add", "CANG", "sell", "600", "--date", "2026-11-01", "--total", "48000000")
    cli.ok("event", "add", "ETHZ", "buy", "100000", "--date", "2025-10-01", "--total", "300000000")
    cli.ok("event", "add", "ETHZ", "sell", "20000", "--date", "2026-11-10", "--total", "40000000")
    cli.ok("event", "add", "MSTR", "buy", "600", "--date", "2025-12-01", "--total", "60000000")
    cli.ok("event", "add", "MSTR", "balance", "650", "--date", "2026-11-20")
    cli.ok("price", "set", "BTC", "80000", "--date", "2026-11-21")
    cli.ok("price", "set", "ETH", "2000", "--date", "2026-11-21")
    rows = cli.json("flows")
    assert [(r["ticker"], r["change_30d_usd"]) for r in rows] == [
        ("CANG", -48000000), ("ETHZ", -40000000), ("MSTR", 4000000)]
    assert list(rows[0])[:7] == ["ticker", "asset", "quantity", "change_1d", "change_7d", "change_30d", "change_ytd"]
    assert (rows[2]["change_1d"], rows[2]["change_7d"]) == (0, 50)   # the 11-20 balance: an implied inflow
    table = cli.ok("flows", "--since", "2026-11-10")
    assert "and since 2026-11-10" in table and "Since USD" in table  # the date in the title, the columns short
    lines = [line for line in table.splitlines() if line.split() and line.split()[0] in ("CANG", "ETHZ", "MSTR")]
    assert ["selling" in lines[0], "selling" in lines[1], "buying" in lines[2]] == [True, True, True]
    assert [r["ticker"] for r in cli.json("flows", "--asset", "eth")] == ["ETHZ"]


def test_before_an_opening_balance_the_change_is_unknown_not_a_flow_from_zero():
    opened = ledger("""
        2025-11-20  balance  738,731  -
        2025-11-24  buy           10  1,000,000
    """)
    went_to_zero = ledger("""
        2025-12-31  balance  2,000  -
        2026-02-20  balance      0  -
    """)
    bought_first = ledger("""
        2025-12-01  buy      100  1,000,000
    """)
    rows = by_ticker(flow_rows({("MSTR", "BTC"): opened, ("BTDR", "BTC"): went_to_zero, ("NEW", "BTC"): bought_first},
                               QUOTES, as_of="2026-03-01", since="2025-11-01"))
    # What MSTR held on 2025-10-31 is unknown: no change since then, neither +738,741 nor +10.
    assert (rows["MSTR"]["change_since"], rows["MSTR"]["change_since_usd"]) == (None, None)
    assert rows["MSTR"]["change_ytd"] == 0 and rows["MSTR"]["change_30d"] == 0   # after the opening: known
    assert rows["BTDR"]["change_since"] is None and rows["BTDR"]["change_30d"] == -2000
    assert rows["BTDR"]["direction"] == "selling"
    assert rows["NEW"]["change_since"] == 100     # a book that starts with a buy held 0 before it
    early = by_ticker(flow_rows({("MSTR", "BTC"): opened}, QUOTES, as_of="2025-11-24"))
    assert changes(early["MSTR"]) == (10, None, None, None)   # only the day's window starts after the opening
    assert early["MSTR"]["direction"] is None                  # neither 30 days nor the year is known


def test_flows_since_after_the_as_of_date_is_bad_input(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    result = cli("flows", "--as-of", "2026-11-01", "--since", "2026-11-10")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --since 2026-11-10 is after")
