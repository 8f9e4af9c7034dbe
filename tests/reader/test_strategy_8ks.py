"""Strategy's 8-Ks, August 2020 to February 2026 (181 primary documents, whole): every buy with its
period and amount, every running total with its aggregate cost, nothing from the 8-Ks that disclose
nothing. The expected table was typed from the documents; it is held to its own running totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import pytest

from tests.reader.corpus import expected, fixtures, read_fixture, score


@cache
def strategy_score():
    return score("MSTR", read_fixture)


@cache
def reading_of(prefix: str):
    fixture = next(f for f in fixtures("MSTR") if f.document.startswith(prefix))
    return read_fixture(fixture)


def test_recall_is_at_least_95_percent_and_no_number_is_wrong():
    result = strategy_score()
    assert result.expected >= 250 and len(fixtures("MSTR")) == 181
    assert result.wrong == []
    assert result.unexpected == []          # nothing read that the documents do not state
    assert result.recall >= 0.95, result.missed


def test_every_disclosure_names_the_rule_that_read_it_and_a_short_clean_quote():
    for fixture in fixtures("MSTR")[::9]:
        for found in read_fixture(fixture).disclosures:
            assert found.rule and found.quote
            assert len(found.quote) <= 300 and found.quote == " ".join(found.quote.split())
            assert not any(ord(ch) < 32 for ch in found.quote)


def _near(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance


def _half_step(value: Decimal) -> Decimal:
    """Half the step of the last digit a rounded figure states (205,000 -> 500; $6.91 billion -> 5,000,000)."""
    exponent = value.normalize().as_tuple().exponent
    return Decimal(1).scaleb(max(exponent, 0)) / 2 if exponent > 0 else Decimal("0.5")


def test_the_expected_table_holds_its_own_running_totals():
    """Balance of one 8-K + the next one's purchase = the next one's balance, wherever the next
    purchase's period starts the day after the previous balance (no gap between documents)."""
    rows = expected("MSTR")
    balances = {(r.date): r for r in rows if r.kind == "balance" and r.amount is not None and r.date}
    checked = 0
    for buy in (r for r in rows if r.kind == "buy" and r.period_start):
        before = balances.get(buy.period_start - dt.timedelta(days=1))
        after = balances.get(buy.date)
        if before is None or after is None:
            continue
        quantity_slack = _half_step(before.quantity) + _half_step(after.quantity)
        assert _near(before.quantity + buy.quantity, after.quantity, quantity_slack), (before, buy, after)
        money_slack = _half_step(before.amount) + _half_step(buy.amount) + _half_step(after.amount)
        assert _near(before.amount + buy.amount, after.amount, money_slack), (before, buy, after)
        checked += 1
    assert checked >= 50


@pytest.mark.parametrize("prefix, kind, quantity, amount, start, end, rule", [
    # 2020: the first purchase, a sentence without a period
    ("8k-2020-08-11", "buy", "21454", "250000000", None, "2020-08-11", "acquired-for"),
    # 2021: "completed its acquisition" / "holds approximately ... acquired at an aggregate purchase price"
    ("8k-2021-02-02", "balance", "71079", "1145000000", None, "2021-02-02", "holds-acquired-for"),
    ("8k-2021-08-24", "buy", "3907", "177000000", "2021-07-01", "2021-08-23", "acquired-for"),
    # 2022: bullets in layout tables, the one sale, a running total "held by ... as of ... were acquired"
    ("8k-2022-12-28", "sell", "704", "11800000", None, "2022-12-22", "sold-for"),
    ("8k-2022-12-28", "balance", "132500", "4030000000", None, "2022-12-27", "held-by-acquired-for"),
    # 2024: the KPI table's share count "(in '000s)"
    ("8k-2024-12-09", "fact", "239647000", None, None, "2024-12-08", "holdings-by-date-table"),
    # 2025: the BTC Update table in "$ 1.92 billion" cells, in "(in millions)" columns, then "(in billions)"
    ("8k-2025-03-31", "buy", "22048", "1920000000", "2025-03-24", "2025-03-30", "btc-update-table"),
    ("8k-2025-06-09", "balance", "582000", "40790400000", None, "2025-06-08", "btc-update-table"),
    ("8k-2025-06-30", "balance", "597325", "42400000000", None, "2025-06-29", "btc-update-table"),
    # a quarter's roll-forward: the exact cost in thousands wins over the rounded "$35.63 billion"
    ("8k-2025-04-07", "balance", "528185", "35629911000", None, "2025-03-31", "rollforward-table"),
    # 2026: two BTC tables in one 8-K
    ("8k-2026-01-05", "buy", "3", "300000", "2025-12-29", "2025-12-31", "btc-update-table"),
])
def test_a_hand_checked_sample_across_years_and_formats(prefix, kind, quantity, amount, start, end, rule):
    found = [f for f in reading_of(prefix).disclosures if f.kind == kind and
             (f.quantity if kind != "fact" else f.value) == Decimal(quantity) and f.date == dt.date.fromisoformat(end)]
    assert len(found) == 1, reading_of(prefix).disclosures
    item = found[0]
    assert item.amount == (Decimal(amount) if amount else None)
    assert item.period_start == (dt.date.fromisoformat(start) if start else None)
    assert item.rule == rule and item.doubt is None
    assert item.asset == ("BTC" if kind != "fact" else None)


def test_an_earlier_purchase_told_again_is_no_new_disclosure_and_a_total_to_date_is_doubtful():
    reading = reading_of("8k-2020-09-15")
    buys = [(f.quantity, f.date) for f in reading.disclosures if f.kind == "buy"]
    assert buys == [(Decimal("16796"), dt.date(2020, 9, 14))]   # not the 21,454 "previously disclosed"
    [total] = [f for f in reading.disclosures if f.kind == "balance"]
    assert total.quantity == Decimal("38250") and total.doubt and total.date is None


def test_a_pledged_subset_and_another_holder_are_not_holdings():
    reading = reading_of("8k-2023-03-27")      # "approximately 34,619 bitcoins were held in a collateral account"
    assert Decimal("34619") not in {f.quantity for f in reading.disclosures}
    reading = reading_of("8k-2022-04-05")      # "with MacroStrategy holding approximately 115,110 of these bitcoins"
    assert Decimal("115110") not in {f.quantity for f in reading.disclosures}


def test_the_document_names_its_cik_and_form():
    reading = reading_of("8k-2026-01-26")
    assert (reading.cik, reading.form) == ("1050446", "8-K")
