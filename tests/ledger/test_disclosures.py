"""Planning disclosures against a book (pure): added, known or skipped, and the opening balance."""

from __future__ import annotations

from decimal import Decimal

import dataclasses

import pytest

from dattrack.ledger.disclosures import NEAR_DAYS, Candidate, Disclosure, opening_before, plan

D = Decimal


def buy(day, quantity, amount, balance):
    """A transaction as a treasury list gives it: the purchase, its running balance, the position before."""
    tx = Disclosure("MSTR", "BTC", day, "buy", D(quantity), None if amount is None else D(amount), "8-K", "coingecko",
                    known_on=day)
    running = Disclosure("MSTR", "BTC", day, "balance", D(balance), None, "8-K", "coingecko", known_on=day)
    return Candidate(tx, running=running, opening=opening_before(tx, D(balance) - D(quantity), "opening"),
                     near_days=NEAR_DAYS)


def balance(day, quantity, origin="sec"):
    return Candidate(Disclosure("MSTR", "BTC", day, "balance", D(quantity), None, "10-Q", origin, known_on=day))


def recorded(event_id, day, kind, quantity, amount=None):
    return {"id": event_id, "date": day, "kind": kind, "quantity": D(quantity),
            "amount": None if amount is None else D(amount)}


def statuses(rows):
    return [(r.disclosure.date, r.disclosure.kind, r.status) for r in rows]


def test_an_empty_book_opens_the_day_before_the_first_transaction():
    rows = plan([buy("2025-10-01", 10, 1000, 110), buy("2025-10-08", 5, 500, 115)], {}, None)
    assert statuses(rows) == [("2025-09-30", "balance", "added"), ("2025-10-01", "buy", "added"),
                              ("2025-10-01", "balance", "added"), ("2025-10-08", "buy", "added"),
                              ("2025-10-08", "balance", "added")]
    assert rows[0].disclosure.quantity == 100 and rows[0].disclosure.date == "2025-09-30"


def test_a_purchase_recorded_days_apart_is_known_with_its_balance():
    book = {"BTC": [recorded(7, "2025-09-28", "buy", 10, 1000)]}
    rows = plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")
    assert statuses(rows) == [("2025-10-01", "buy", "known"), ("2025-10-01", "balance", "known")]
    assert rows[0].reason == "recorded as event 7"


def test_another_amount_is_another_purchase_and_a_week_and_a_day_is_too_far():
    book = {"BTC": [recorded(7, "2025-09-28", "buy", 10, 999)]}
    assert plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")[0].status == "added"
    book = {"BTC": [recorded(7, "2025-09-23", "buy", 10, 1000)]}
    assert plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")[0].status == "added"


def test_only_after_the_latest_event_unless_since():
    book = {"BTC": [recorded(1, "2025-10-05", "balance", 100)]}
    rows = plan([buy("2025-10-01", 10, 1000, 110), buy("2025-10-08", 5, 500, 115)], book, None)
    assert statuses(rows) == [("2025-10-01", "buy", "skipped"), ("2025-10-01", "balance", "skipped"),
                              ("2025-10-08", "buy", "added"), ("2025-10-08", "balance", "added")]
    assert [r.status for r in plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-10-01")] == ["added", "added"]


def test_a_disclosure_dated_apart_is_known_only_where_its_source_says_so():
    book = {"BTC": [recorded(7, "2025-09-28", "buy", 10, 1000)]}
    exact = dataclasses.replace(buy("2025-10-01", 10, 1000, 110), near_days=0)
    assert plan([exact], book, "2025-09-01")[0].status == "added"


def test_a_days_balances_come_after_its_other_events_and_a_second_sources_same_total_is_known():
    rows = plan([balance("2025-10-01", 110, "sec"), buy("2025-10-01", 10, 1000, 110)], {}, None)
    assert [(r.disclosure.kind, r.disclosure.origin, r.status) for r in rows] == [
        ("balance", "coingecko", "added"),   # the opening, the day before
        ("buy", "coingecko", "added"), ("balance", "coingecko", "added"),   # the purchase and its running total
        ("balance", "sec", "known")]          # the same total from the second source is one event


def test_a_skipped_candidate_says_why_and_a_remark_rides_on_its_row():
    skipped = dataclasses.replace(balance("2025-10-01", 5), skip="a company-wide total")
    remarked = dataclasses.replace(buy("2025-10-08", 1, None, 1), remark="value not disclosed: cost unknown")
    rows = plan([skipped, remarked], {"BTC": [recorded(1, "2025-09-01", "balance", 0)]}, None)
    assert [(r.status, r.reason) for r in rows] == [("skipped", "a company-wide total"),
                                                    ("added", "value not disclosed: cost unknown"), ("added", None)]


def test_the_disclosure_is_one_frozen_record():
    d = buy("2025-10-01", 1, 1, 1).disclosure
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.amount = D(2)
