"""One walk of a book gives every figure the reports take from it: the position at the end of the day,
the position at the end of other days, the units after each event date, the latest event and its distance
from the last balance — and, before a book's opening balance, an unknown position instead of zero."""

from __future__ import annotations

from dattrack.ledger import replay
from dattrack.ledger.replay import opens_unknown
from tests.ledger.ledger_text import D, ledger

OPENED = ledger("""
    2025-12-28  balance  672,497  50,440,000,000
    2026-01-05  buy        1,000     90,000,000
    2026-01-05  balance  673,497  -
    2026-01-12  buy           20      2,000,000
    2026-01-20  sell           5        400,000
""")
BOUGHT = ledger("""
    2025-06-01  buy   100  1,000,000
    2025-07-01  buy    50    600,000
""")


def test_before_an_opening_balance_the_position_is_unknown():
    walk = replay(OPENED, ordered=True, until="2025-10-01")
    assert walk.latest is None and walk.unknown_until == "2025-12-28"
    assert replay(OPENED, ordered=True, until="2025-12-28").unknown_until is None
    # A book that starts with a buy held 0 before it: known.
    early = replay(BOUGHT, ordered=True, until="2025-01-01")
    assert early.unknown_until is None and early.position.quantity == 0
    assert opens_unknown(ledger("2025-01-01 balance 0 -")[0]) is False   # a first balance of 0 says 0


def test_the_position_at_the_end_of_other_days_comes_from_the_same_walk():
    days = ["2025-10-01", "2025-12-28", "2026-01-05", "2026-01-19", "2026-02-01"]
    walk = replay(OPENED, ordered=True, until="2026-02-01", ends=days)
    assert walk.at["2025-10-01"] is None                       # before the opening: unknown
    for day in days[1:]:
        assert walk.at[day] == replay(OPENED, until=day).position, day
    assert walk.at["2026-01-05"].quantity == D("673,497")      # the day's balance closes it


def test_series_holds_the_units_at_the_end_of_each_event_date():
    walk = replay(OPENED, ordered=True, until="2026-01-15", series=True)
    assert walk.series == [("2025-12-28", D("672,497")), ("2026-01-05", D("673,497")), ("2026-01-12", D("673,517"))]  # as numbers
    assert replay(OPENED, ordered=True, until="2025-01-01", series=True).series == []


def test_latest_event_and_its_distance_from_the_last_balance():
    walk = replay(OPENED, ordered=True, until="2026-01-15")
    assert (walk.latest.id, walk.balance_date, walk.since_balance) == (4, "2026-01-05", 1)
    none_disclosed = replay(BOUGHT, ordered=True)
    assert (none_disclosed.latest.id, none_disclosed.balance_date, none_disclosed.since_balance) == (2, None, 2)
    assert replay(OPENED, ordered=True).opening.id == 1
