"""Which event applies first, and disposals of more than is held."""

from __future__ import annotations

from dattrack.ledger import Shortfall, replay
from tests.ledger.ledger_text import D, ledger


def test_a_balance_closes_its_date_even_when_recorded_before_that_dates_buy():
    result = replay(ledger("""
        2025-05-01  buy      10   100
        2025-06-01  balance  15   -         # recorded first, but states the end of 2025-06-01
        2025-06-01  buy      5    50
    """))
    (check,) = result.checks
    assert (check.asserted, check.computed_quantity, check.quantity_delta) == (True, D("15"), D("0"))
    assert result.position.cost_complete is True
    assert result.position.cost_basis == D("150")


def test_events_in_scrambled_input_order_are_replayed_by_date():
    result = replay(list(reversed(ledger("""
        2025-01-01  buy   2   200
        2025-02-01  sell  1   300
        2025-03-01  buy   1   50
    """))))
    assert result.shortfall is None
    assert result.realized_pnl == D("200")
    assert result.position.quantity == D("2")


def test_other_events_of_one_date_keep_the_order_they_were_recorded_in():
    buy_then_sell = replay(ledger("""
        2025-03-01  buy   1   100
        2025-03-01  sell  1   120
    """))
    assert buy_then_sell.shortfall is None
    assert buy_then_sell.realized_pnl == D("20")

    sell_then_buy = replay(ledger("""
        2025-03-01  sell  1   120
        2025-03-01  buy   1   100
    """))
    assert sell_then_buy.shortfall == Shortfall(event_id=1, date="2025-03-01", held=D("0"), wanted=D("1"))


def test_oversell_is_reported_as_a_value_with_what_was_held_then():
    result = replay(ledger("""
        2025-01-01  buy   10   1000
        2025-02-01  sell  4    600
        2025-03-01  sell  7    900        # only 6 held
        2025-04-01  buy   100  1
    """))
    assert result.shortfall == Shortfall(event_id=3, date="2025-03-01", held=D("6"), wanted=D("7"))
    assert result.position.quantity == D("6")              # the replay stopped at the shortfall


def test_a_sell_before_any_buy_falls_short_of_zero():
    result = replay(ledger("""
        2024-12-31  sell  1    100
        2025-01-01  buy   10   1000
    """))
    assert result.shortfall == Shortfall(event_id=1, date="2024-12-31", held=D("0"), wanted=D("1"))


def test_oversell_under_lot_methods_too():
    events = ledger("""
        2025-01-01  buy   1   100
        2025-02-01  sell  2   300
    """)
    for method in ("fifo", "lifo", "hifo"):
        assert replay(events, method).shortfall == Shortfall(2, "2025-02-01", D("1"), D("2")), method


def test_selling_exactly_what_is_held_is_not_a_shortfall():
    result = replay(ledger("""
        2025-01-01  buy   0.1   10
        2025-01-02  buy   0.2   20
        2025-01-03  sell  0.3   45
    """))
    assert result.shortfall is None
    assert result.position.quantity == 0
    assert result.realized_pnl == D("15")
