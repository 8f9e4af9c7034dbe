"""Cost basis and realized P&L: a short ledger in, a position out, arithmetic in the comments."""

from __future__ import annotations


import pytest

from dattrack.ledger import replay
from tests.ledger.ledger_text import D, ledger


def test_average_cost_buy_buy_sell():
    result = replay(ledger("""
        2025-01-10  buy   1   100
        2025-02-10  buy   2   230      # 3 units for 330: average 110
        2025-03-10  sell  1   150      # realized = 150 - 110 x 1 = 40
    """))
    assert result.shortfall is None
    assert result.realized_pnl == D("40")
    assert result.proceeds == D("150")
    assert result.position.quantity == D("2")
    assert result.position.cost_basis == D("220")          # 330 - 110
    assert result.position.avg_cost == D("110")
    assert result.position.cost_complete is True


def test_average_cost_keeps_cost_exact_when_the_average_does_not_terminate():
    result = replay(ledger("""
        2025-01-10  buy   3   100      # average 33.333...
        2025-02-10  sell  1   40
    """))
    removed = D("33.333333333333333333")                  # 100 / 3 cut at 18 decimals
    assert result.realized_pnl == D("40") - removed
    assert result.position.cost_basis == D("100") - removed  # 66.666666666666666667: nothing lost
    assert result.position.cost_basis + removed == D("100")


def test_selling_everything_at_average_cost_leaves_no_cost_behind():
    result = replay(ledger("""
        2025-01-10  buy   3   100
        2025-02-10  sell  1   40
        2025-03-10  sell  2   90
    """))
    assert result.position.quantity == 0
    assert result.position.cost_basis == 0
    assert result.realized_pnl == D("130") - D("100")      # all proceeds minus all cost
    assert result.position.avg_cost is None                 # no units: no average


# One ledger, four methods.  Lots: A 1 @ 10,000   B 1 @ 30,000   C 1 @ 20,000; sell 1.5 for 45,000.
LOTS = """
    2025-01-01  buy   1    10000    # A
    2025-02-01  buy   1    30000    # B
    2025-03-01  buy   1    20000    # C
    2025-04-01  sell  1.5  45000
"""


@pytest.mark.parametrize("method, cost_of_sale, realized, remaining_cost", [
    # average: 60,000 / 3 = 20,000 a unit; 1.5 units cost 30,000
    ("average", "30000", "15000", "30000"),
    # fifo: all of A (10,000) + half of B (15,000) = 25,000; left: half B 15,000 + C 20,000
    ("fifo", "25000", "20000", "35000"),
    # lifo: all of C (20,000) + half of B (15,000) = 35,000; left: A 10,000 + half B 15,000
    ("lifo", "35000", "10000", "25000"),
    # hifo: all of B (30,000) + half of C (10,000) = 40,000; left: A 10,000 + half C 10,000
    ("hifo", "40000", "5000", "20000"),
])
def test_lot_methods_take_different_lots(method, cost_of_sale, realized, remaining_cost):
    result = replay(ledger(LOTS), method)
    assert D("45000") - D(cost_of_sale) == D(realized)      # the table above is self-consistent
    assert result.realized_pnl == D(realized)
    assert result.position.quantity == D("1.5")
    assert result.position.cost_basis == D(remaining_cost)
    assert result.position.cost_complete is True


def test_the_four_methods_disagree_on_the_same_ledger():
    realized = {m: replay(ledger(LOTS), m).realized_pnl for m in ("average", "fifo", "lifo", "hifo")}
    assert len(set(realized.values())) == 4


def test_fifo_sell_spanning_three_lots_then_a_second_sell():
    result = replay(ledger("""
        2025-01-01  buy   2    20     # 10 a unit
        2025-01-02  buy   2    40     # 20 a unit
        2025-01-03  buy   2    60     # 30 a unit
        2025-02-01  sell  5    200    # 2x10 + 2x20 + 1x30 = 90  -> +110
        2025-02-02  sell  1    25     # last unit of the third lot at 30 -> -5
    """), "fifo")
    assert result.realized_pnl == D("105")
    assert result.position.quantity == 0
    assert result.position.cost_basis == 0


def test_mine_with_a_production_cost_and_receive_are_inflows_at_their_amount():
    result = replay(ledger("""
        2025-01-31  mine     2    50000     # produced at 25,000 a coin
        2025-02-15  receive  0.5  45000     # option premium paid in BTC, booked at 90,000
        2025-02-28  buy      1.5  135000
        2025-03-31  sell     1    80000     # average 230,000 / 4 = 57,500 -> realized 22,500
    """))
    assert result.position.quantity == D("3")
    assert result.position.cost_basis == D("172500")
    assert result.realized_pnl == D("22500")


def test_realized_pnl_counts_only_sells_inside_the_window_but_every_sell_moves_the_position():
    events = ledger("""
        2025-01-01  buy   10   1000     # 100 a unit
        2025-02-01  sell  2    300      # +100  (before the window)
        2025-03-01  sell  3    600      # +300  (inside)
        2025-04-01  sell  1    50       # -50   (inside)
        2025-05-01  sell  1    400      # +300  (after the window)
    """)
    window = replay(events, since="2025-03-01", until="2025-04-30")
    assert window.realized_pnl == D("250")
    assert window.proceeds == D("650")
    assert window.position.quantity == D("4")             # 10 - 2 - 3 - 1, as of 2025-04-30
    assert replay(events).realized_pnl == D("650")


def test_until_replays_the_position_as_of_a_past_date():
    events = ledger("""
        2025-01-01  buy   1   100
        2025-06-01  buy   1   300
    """)
    assert replay(events, until="2025-05-31").position.quantity == D("1")
    assert replay(events, until="2025-06-01").position.quantity == D("2")
    assert replay(events, until="2024-12-31").last_date is None


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        replay(ledger("2025-01-01 buy 1 1"), "lofi")
