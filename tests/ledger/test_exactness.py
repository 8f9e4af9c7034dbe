"""Exact decimals: what a disclosure adds up to, to the last unit."""

from __future__ import annotations

from decimal import Decimal

from dattrack.ledger import Event, replay
from tests.ledger.ledger_text import D, ledger


def test_tenth_plus_two_tenths_is_three_tenths():
    result = replay(ledger("""
        2025-01-01  buy  0.1  1
        2025-01-02  buy  0.2  2
    """))
    assert result.position.quantity == D("0.3")
    assert str(result.position.quantity) == "0.3"


def test_eighteen_decimal_quantities_add_without_loss():
    result = replay(ledger("""
        2025-01-01  buy   0.000000000000000001   1
        2025-01-02  buy   0.000000000000000002   1
        2025-01-03  buy   999999999.999999999999999997  1
        2025-01-04  sell  0.000000000000000001   1
    """))
    assert result.position.quantity == D("999999999.999999999999999999")


def test_one_thousand_tenths_of_a_satoshi_scale_amounts_sum_exactly():
    events = [Event(i, "2025-01-01", "buy", Decimal("0.00000001"), Decimal("0.01")) for i in range(1, 1001)]
    result = replay(events)
    assert result.position.quantity == D("0.00001")
    assert result.position.cost_basis == D("10")


def test_a_series_of_purchases_sums_to_the_disclosed_1761_987():
    # 24 weekly purchases with fractional BTC; the company disclosed 1,761.987 BTC in total.
    result = replay(ledger("""
        2025-01-06 buy 94.89   8737463.61
        2025-01-13 buy 49.544  4918373.58
        2025-01-20 buy 113.5   10436757.44
        2025-01-27 buy 22.657  2568130.39
        2025-02-03 buy 28.988  2770839.72
        2025-02-10 buy 34.675  3541950.35
        2025-02-17 buy 105.863 11388737.31
        2025-02-24 buy 25.204  2420856.55
        2025-03-03 buy 143.021 16115320.24
        2025-03-10 buy 66.281  6292755.26
        2025-03-17 buy 19.829  2259432.26
        2025-03-24 buy 32.53   3348594.61
        2025-03-31 buy 123.677 14037202.22
        2025-04-07 buy 119.621 11672642.30
        2025-04-14 buy 28.312  2670457.49
        2025-04-21 buy 73.088  8360833.79
        2025-04-28 buy 33.779  3849388.63
        2025-05-05 buy 121.285 11871361.25
        2025-05-12 buy 25.495  2692768.64
        2025-05-19 buy 42.453  3994255.46
        2025-05-26 buy 68.52   7740982.59
        2025-06-02 buy 26.216  2428481.41
        2025-06-09 buy 113.987 12957052.75
        2025-06-16 buy 248.572 22992872.71
        2025-06-30 balance 1,761.987 180,067,510.56
    """))
    (check,) = result.checks
    assert check.computed_quantity == D("1761.987")
    assert check.quantity_delta == 0
    assert check.computed_cost == D("180067510.56")
    assert check.cost_delta == 0
    assert result.position.quantity == D("1761.987")


def test_no_binary_float_leaks_into_a_position():
    result = replay(ledger("""
        2025-01-01  buy   1.1  3.3
        2025-01-02  sell  0.1  0.7
    """))
    for value in (result.position.quantity, result.position.cost_basis, result.realized_pnl):
        assert isinstance(value, Decimal)
    assert result.position.quantity == D("1")
    assert result.position.cost_basis == D("3")            # 3.3 - 0.1 x 3
    assert result.realized_pnl == D("0.4")
