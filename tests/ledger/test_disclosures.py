"""Planning disclosures against a book (pure): added, known or skipped, and the opening balance."""

from __future__ import annotations

from decimal import Decimal

from dattrack.ledger.disclosures import Disclosure, plan

D = Decimal


def buy(day, quantity, amount, balance):
    tx = Disclosure("MSTR", "BTC", day, "buy", D(quantity), None if amount is None else D(amount), "8-K", "coingecko")
    tx.pair = Disclosure("MSTR", "BTC", day, "balance", D(balance), None, "8-K", "coingecko")
    tx.opening = D(balance) - D(quantity)
    return tx


def recorded(event_id, day, kind, quantity, amount=None):
    return {"id": event_id, "date": day, "kind": kind, "quantity": D(quantity),
            "amount": None if amount is None else D(amount)}


def statuses(rows):
    return [(r["date"], r["kind"], r["status"]) for r in rows]


def test_an_empty_book_opens_the_day_before_the_first_transaction():
    rows = plan([buy("2025-10-01", 10, 1000, 110), buy("2025-10-08", 5, 500, 115)], {}, None)
    assert statuses(rows) == [("2025-09-30", "balance", "added"), ("2025-10-01", "buy", "added"),
                              ("2025-10-01", "balance", "added"), ("2025-10-08", "buy", "added"),
                              ("2025-10-08", "balance", "added")]
    assert rows[0]["quantity"] == 100


def test_a_purchase_recorded_days_apart_is_known_with_its_balance():
    book = {"BTC": [recorded(7, "2025-09-28", "buy", 10, 1000)]}
    rows = plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")
    assert statuses(rows) == [("2025-10-01", "buy", "known"), ("2025-10-01", "balance", "known")]
    assert rows[0]["reason"] == "recorded as event 7"


def test_another_amount_is_another_purchase_and_a_week_and_a_day_is_too_far():
    book = {"BTC": [recorded(7, "2025-09-28", "buy", 10, 999)]}
    assert plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")[0]["status"] == "added"
    book = {"BTC": [recorded(7, "2025-09-23", "buy", 10, 1000)]}
    assert plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-09-01")[0]["status"] == "added"


def test_only_after_the_latest_event_unless_since():
    book = {"BTC": [recorded(1, "2025-10-05", "balance", 100)]}
    rows = plan([buy("2025-10-01", 10, 1000, 110), buy("2025-10-08", 5, 500, 115)], book, None)
    assert statuses(rows) == [("2025-10-01", "buy", "skipped"), ("2025-10-01", "balance", "skipped"),
                              ("2025-10-08", "buy", "added"), ("2025-10-08", "balance", "added")]
    assert [r["status"] for r in plan([buy("2025-10-01", 10, 1000, 110)], book, "2025-10-01")] == ["added", "added"]
