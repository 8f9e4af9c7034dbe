"""Disclosures against a book: which are new, which are already recorded, which come too early.
Pure: plain disclosures and recorded events (dicts with id, date, kind, quantity, amount) in,
report rows out (SPEC section 6).

A disclosure is *known* when its book has an event of the same kind, date and quantity (and
amount, when both have one); a synced buy or sell also when such an event lies within 7 days
(the same purchase dated by period end, filing or announcement), and then its running balance is
known too. Only disclosures dated after the book's latest event are added unless `since` reaches
back; an empty book starts with an opening balance (the running total before the first
transaction, the day before it), so a partial history never shows up as a discrepancy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

NEAR_DAYS = 7


@dataclass
class Disclosure:
    """One event a provider disclosed, its amount in the company's currency, before it is planned."""

    ticker: str
    asset: str
    date: str
    kind: str
    quantity: Decimal
    amount: Decimal | None
    source: str | None
    origin: str                  # coingecko or sec
    note: str | None = None
    known_on: str | None = None  # the day it became public (None: its date)
    reason: str | None = None    # why it is skipped, or a remark on an added row (cost unknown)
    pair: "Disclosure | None" = None   # a transaction's running balance
    opening: Decimal | None = None     # a transaction's balance before it (an empty book's opening)
    unassigned: bool = False           # an SEC company-wide total that cannot be given to one asset


def plan(candidates: list[Disclosure], books: Mapping[str, Sequence[dict]], since: str | None) -> list[dict]:
    """Every disclosure as a report row (status added, known or skipped, with the reason), in
    ledger order; an added row carries its Disclosure under `_event`."""
    candidates.sort(key=lambda d: (d.date, d.kind == "balance", d.origin != "coingecko"))
    rows: list[dict] = []
    planned: dict[str, list[dict]] = {}      # asset -> events added in this run
    opened: set[str] = set()                 # empty books given their opening balance
    for disclosure in candidates:
        book = list(books.get(disclosure.asset, []))
        added = planned.setdefault(disclosure.asset, [])
        if disclosure.unassigned:
            rows.append(_row(disclosure, "skipped", disclosure.reason))
            continue
        near = disclosure.origin == "coingecko" and disclosure.kind != "balance"
        known = _known(disclosure, book + added, near=near)
        if known is not None:
            rows.append(_row(disclosure, "known", f"recorded as event {known}"))
            if disclosure.pair is not None:
                rows.append(_row(disclosure.pair, "known", "the running balance of a known transaction"))
            continue
        early = _too_early(disclosure.date, book, since)
        if early:
            rows.append(_row(disclosure, "skipped", early))
            if disclosure.pair is not None:
                rows.append(_row(disclosure.pair, "skipped", early))
            continue
        if not book and disclosure.opening is not None and disclosure.asset not in opened:
            opened.add(disclosure.asset)
            opening = _opening(disclosure)
            if opening is not None:
                added.append(_planned(opening))
                rows.append(_row(opening, "added", opening.reason))
        added.append(_planned(disclosure))
        rows.append(_row(disclosure, "added", disclosure.reason))
        if disclosure.pair is not None:
            pair_known = _known(disclosure.pair, book + added, near=False)
            if pair_known is not None:
                rows.append(_row(disclosure.pair, "known", f"recorded as event {pair_known}"))
            else:
                added.append(_planned(disclosure.pair))
                rows.append(_row(disclosure.pair, "added", None))
    return rows


def _opening(first: Disclosure) -> Disclosure | None:
    quantity = first.opening
    if quantity is None or quantity <= 0:
        return None
    day = (dt.date.fromisoformat(first.date) - dt.timedelta(days=1)).isoformat()
    return Disclosure(first.ticker, first.asset, day, "balance", quantity, None, first.source, first.origin,
                      note="opening balance: CoinGecko's running total before its first listed transaction",
                      reason="opening balance (CoinGecko's history starts later)")


def _planned(d: Disclosure) -> dict:
    return {"id": "(this run)", "date": d.date, "kind": d.kind, "quantity": d.quantity, "amount": d.amount}


def _row(d: Disclosure, status: str, reason: str | None) -> dict:
    """A report row; an added one carries its disclosure under `_event` for the writer."""
    row = {"ticker": d.ticker, "asset": d.asset, "date": d.date, "kind": d.kind, "quantity": d.quantity,
           "amount": d.amount, "source": d.source, "origin": d.origin, "status": status, "reason": reason}
    if status == "added":
        row["_event"] = d
    return row


def _known(d: Disclosure, events: list[dict], *, near: bool) -> int | str | None:
    """The id of the recorded event that is this disclosure (or None)."""
    day = dt.date.fromisoformat(d.date)
    for event in events:
        if event["kind"] != d.kind or event["quantity"] != d.quantity:
            continue
        if d.amount is not None and event["amount"] is not None and event["amount"] != d.amount:
            continue
        if event["date"] == d.date:
            return event["id"]
        if near and abs((dt.date.fromisoformat(event["date"]) - day).days) <= NEAR_DAYS:
            return event["id"]
    return None


def _too_early(day: str, book: list[dict], since: str | None) -> str | None:
    if since is not None:
        return f"dated before --since {since}" if day < since else None
    if book and day <= book[-1]["date"]:
        return f"dated on or before the book's latest event ({book[-1]['date']}); --since reaches back"
    return None


