"""Balance events: a disclosed position that resets the book and asserts what the events add up to."""

from __future__ import annotations

from dattrack.ledger import replay
from tests.ledger.ledger_text import D, ledger

DISCLOSURES = """
    2025-01-01  buy      100   1,000,000
    2025-01-31  balance  100   1,000,000    # 1: agrees
    2025-02-10  buy      10    110,000
    2025-02-28  balance  112   1,120,000    # 2: events say 110 / 1,110,000: +2 units, +10,000 cost
    2025-03-15  sell     5     60,000       #    avg 10,000: cost out 50,000, realized +10,000
    2025-03-31  balance  105   -            # 3: events say 107: -2 units, left at average cost
    2025-04-30  balance  120   -            # 4: nothing in between: an implied flow of +15, cost unknown
    2025-05-31  balance  120   1,200,000    # 5: nothing in between; the disclosed cost completes the basis
"""


def rows(result):
    return [(c.event_id, c.asserted, c.disclosed_quantity, c.computed_quantity, c.quantity_delta,
             c.disclosed_cost, c.computed_cost, c.cost_delta) for c in result.checks]


def test_every_balance_is_checked_against_the_events_before_it():
    result = replay(ledger(DISCLOSURES))
    assert rows(result) == [
        # id asserted disclosed  computed  delta    disclosed cost    computed cost     cost delta
        (2, True, D("100"), D("100"), D("0"), D("1000000"), D("1000000"), D("0")),
        (4, True, D("112"), D("110"), D("2"), D("1120000"), D("1110000"), D("10000")),
        (6, True, D("105"), D("107"), D("-2"), None, D("1070000"), None),
        (7, False, D("120"), None, None, None, None, None),
        (8, False, D("120"), None, None, D("1200000"), None, None),
    ]
    assert result.realized_pnl == D("10000")


def test_a_balance_resets_the_position_to_the_disclosure():
    events = ledger(DISCLOSURES)
    after_reset = replay(events, until="2025-02-28").position
    assert (after_reset.quantity, after_reset.cost_basis) == (D("112"), D("1120000"))
    # 2 units removed by balance 3 leave at the average cost of 10,000: 107 x 10,000 - 20,000
    removed = replay(events, until="2025-03-31").position
    assert (removed.quantity, removed.cost_basis, removed.cost_complete) == (D("105"), D("1050000"), True)


def test_units_added_without_cost_make_the_basis_incomplete_until_a_cost_is_disclosed():
    events = ledger(DISCLOSURES)
    incomplete = replay(events, until="2025-04-30").position
    assert incomplete.quantity == D("120")
    assert incomplete.cost_complete is False
    assert incomplete.cost_basis == D("1050000")            # the known part, not a silent total
    assert incomplete.avg_cost is None
    complete = replay(events).position
    assert (complete.quantity, complete.cost_basis, complete.cost_complete) == (D("120"), D("1200000"), True)
    assert complete.avg_cost == D("10000")


def test_first_balance_with_nothing_before_it_is_an_opening_position_not_a_discrepancy():
    result = replay(ledger("""
        2025-07-31  balance  4529.7  -
        2025-08-31  mine     663.7   50000000
        2025-08-31  balance  5193.4  -
    """))
    opening, august = result.checks
    assert (opening.asserted, opening.computed_quantity, opening.quantity_delta) == (False, None, None)
    assert (august.asserted, august.computed_quantity, august.quantity_delta) == (True, D("5193.4"), D("0"))
    assert august.computed_cost is None                      # the opening position had no cost
    assert result.position.cost_complete is False


def test_incomplete_cost_leaves_average_and_lot_methods_incomplete_alike():
    events = ledger("""
        2025-01-01  buy      10   1000
        2025-02-01  balance  15   -          # 5 units of unknown cost appear
        2025-03-01  sell     1    200
    """)
    for method in ("average", "fifo", "lifo", "hifo"):
        result = replay(events, method)
        assert result.position.quantity == D("14"), method
        assert result.position.cost_complete is False, method
        assert result.position.avg_cost is None, method


def test_fifo_sale_of_a_lot_of_unknown_cost_has_unknown_realized_pnl():
    result = replay(ledger("""
        2025-01-01  balance  5    -          # opening position, cost not disclosed
        2025-02-01  buy      5    500
        2025-03-01  sell     1    200        # fifo takes from the opening lot: cost unknown
    """), "fifo")
    assert result.realized_pnl is None
    assert result.proceeds == D("200")


def test_balance_of_zero_after_selling_everything():
    result = replay(ledger("""
        2025-01-01  buy      5   500
        2025-02-01  sell     5   600
        2025-02-28  balance  0   -
    """))
    (check,) = result.checks
    assert (check.asserted, check.computed_quantity, check.quantity_delta) == (True, D("0"), D("0"))
    assert result.position.quantity == 0
    assert result.position.cost_basis == 0
    assert result.position.cost_complete is True
    assert result.position.avg_cost is None
    assert result.realized_pnl == D("100")


def test_balance_of_zero_that_the_events_do_not_explain():
    result = replay(ledger("""
        2025-01-01  buy      5   500
        2025-02-28  balance  0   -
    """))
    assert result.checks[0].quantity_delta == D("-5")
    assert (result.position.quantity, result.position.cost_basis) == (0, 0)


def test_a_sub_unit_difference_is_reported_exactly():
    result = replay(ledger("""
        2025-01-01  buy      1761.987    1000
        2025-01-02  balance  1761.9875   -
    """))
    assert result.checks[0].quantity_delta == D("0.0005")
