"""Disclosures against a book: which are new, which are already recorded, which come too early.
Pure: disclosures and recorded events (dicts with id, date, kind, quantity, amount) in, planned
rows out (SPEC section 6).

`Disclosure` is the one shape of a disclosed event from the provider to the store. What planning
needs besides it — the running balance a transaction states, the position before it (an empty
book's opening), a remark, a reason to skip it, how many days apart the same purchase may be
dated — rides in a `Candidate` around it; the writer takes the Disclosure alone.

A disclosure is *known* when its book has an event of the same kind, date and quantity (and
amount, when both have one); a candidate with `near_days` also when such an event lies within that
many days (the same purchase dated by period end, filing or announcement), and then its running
balance is known too. Only disclosures dated after the book's latest event are added unless
`since` reaches back; an empty book starts with the first candidate's opening balance (the day
before it), so a partial history never shows up as a discrepancy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

NEAR_DAYS = 7        # how far apart a synced purchase and the same one typed by hand may be dated
STATUSES = ("added", "known", "skipped")


@dataclass(frozen=True)
class Disclosure:
    """One disclosed event of one company, from the provider to the store."""

    ticker: str
    asset: str
    date: str                 # ISO: the period end or as-of date
    kind: str                 # buy, sell, mine, receive, balance
    quantity: Decimal
    amount: Decimal | None    # in the company's currency; None: not disclosed
    source: str | None        # for a filing: "FORM ACCESSION URL"
    origin: str               # coingecko, sec, filing, ...
    known_on: str             # ISO: the day it became public
    note: str | None = None   # for a filing: the quote
    estimate: str | None = None
    period_start: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A disclosure as planning sees it, with what comes with it."""

    disclosure: Disclosure
    running: Disclosure | None = None    # the running balance the same document states after it
    opening: Disclosure | None = None    # the position before it: an empty book's opening balance
    remark: str | None = None            # said on its row when it is added (a cost left unknown)
    skip: str | None = None              # why it is skipped whatever the book holds
    near_days: int = 0                   # the same kind and quantity this many days apart is known
    stated: Decimal | None = None        # an amount in `currency`, converted before planning
    currency: str | None = None          # None: the disclosure's amount is already the company's


@dataclass(frozen=True)
class Planned:
    """What sync does with one disclosure: added, known (already recorded) or skipped, and why."""

    disclosure: Disclosure
    status: str
    reason: str | None = None


def plan(candidates: Sequence[Candidate], books: Mapping[str, Sequence[dict]], since: str | None) -> list[Planned]:
    """Every disclosure planned against its book, in ledger order (a day's balances after its other
    events; otherwise in the order given: one source's before the next)."""
    ordered = sorted(candidates, key=lambda c: (c.disclosure.date, c.disclosure.kind == "balance"))
    rows: list[Planned] = []
    planned: dict[str, list[dict]] = {}      # asset -> events added in this run
    opened: set[str] = set()                 # empty books given their opening balance
    for candidate in ordered:
        disclosure, running = candidate.disclosure, candidate.running
        book = list(books.get(disclosure.asset, []))
        added = planned.setdefault(disclosure.asset, [])
        if candidate.skip:
            rows.append(Planned(disclosure, "skipped", candidate.skip))
            continue
        known = _known(disclosure, book + added, near_days=candidate.near_days)
        if known is not None:
            rows.append(Planned(disclosure, "known", f"recorded as event {known}"))
            if running is not None:
                rows.append(Planned(running, "known", "the running balance of a known transaction"))
            continue
        changed = _changed(disclosure, book)
        if changed:  # the source now says otherwise about a disclosure it gave before: said, never rewritten
            rows.append(Planned(disclosure, "skipped", changed))
            if running is not None:
                rows.append(Planned(running, "skipped", "the running balance of a changed transaction"))
            continue
        early = _too_early(disclosure.date, book, since)
        if early:
            rows.append(Planned(disclosure, "skipped", early))
            if running is not None:
                rows.append(Planned(running, "skipped", early))
            continue
        if not book and candidate.opening is not None and disclosure.asset not in opened:
            opened.add(disclosure.asset)
            added.append(_planned(candidate.opening))
            rows.append(Planned(candidate.opening, "added", "opening balance (the history listed starts later)"))
        added.append(_planned(disclosure))
        rows.append(Planned(disclosure, "added", candidate.remark))
        if running is not None:
            running_known = _known(running, book + added, near_days=0)
            if running_known is not None:
                rows.append(Planned(running, "known", f"recorded as event {running_known}"))
            else:
                rows.append(Planned(running, "added", _contradiction(running, book + added)))
                added.append(_planned(running))
    return rows


def _changed(d: Disclosure, book: Sequence[dict]) -> str | None:
    """Why a disclosure is the changed version of one recorded from the same source (same origin,
    document, date and kind; another quantity or amount), or None."""
    if d.source is None:
        return None
    for event in book:
        if (event.get("origin"), event.get("source"), event["date"], event["kind"]) != \
                (d.origin, d.source, d.date, d.kind):
            continue
        differences = [f"{what} {event[what]} -> {new}" for what, new in (("quantity", d.quantity), ("amount", d.amount))
                       if new is not None and event[what] is not None and event[what] != new]
        if differences:
            return (f"changed since recorded as event {event['id']} ({'; '.join(differences)}): not rewritten; "
                    "check the source, then correct the event by hand")
    return None


def _contradiction(running: Disclosure, events: Sequence[dict]) -> str | None:
    """When a running balance a source states disagrees with what the events before it add up to:
    said on its row (it is recorded all the same, and `check` shows the difference)."""
    position: Decimal | None = None
    for event in sorted((e for e in events if e["date"] <= running.date), key=lambda e: (e["date"], e["kind"] == "balance")):
        if event["kind"] == "balance":
            position = event["quantity"]
        elif position is not None or event["kind"] != "sell":
            sign = -1 if event["kind"] == "sell" else 1
            position = (position or Decimal(0)) + sign * event["quantity"]
    if position is None or position == running.quantity:
        return None
    return (f"the running balance contradicts the events: they add up to {position} "
            f"({running.quantity - position:+} unexplained; dattrack check shows it)")


def opening_before(first: Disclosure, quantity: Decimal, note: str) -> Disclosure | None:
    """The balance the day before `first`: the position a partial history starts from (None when
    there was none)."""
    if quantity <= 0:
        return None
    day = (dt.date.fromisoformat(first.date) - dt.timedelta(days=1)).isoformat()
    return Disclosure(first.ticker, first.asset, day, "balance", quantity, None, first.source, first.origin,
                      known_on=first.known_on, note=note)


def _planned(d: Disclosure) -> dict:
    return {"id": "(this run)", "date": d.date, "kind": d.kind, "quantity": d.quantity, "amount": d.amount}


def _known(d: Disclosure, events: list[dict], *, near_days: int) -> int | str | None:
    """The id of the recorded event that is this disclosure (or None)."""
    day = dt.date.fromisoformat(d.date)
    for event in events:
        if event["kind"] != d.kind or event["quantity"] != d.quantity:
            continue
        if d.amount is not None and event["amount"] is not None and event["amount"] != d.amount:
            continue
        if event["date"] == d.date:
            return event["id"]
        if near_days and abs((dt.date.fromisoformat(event["date"]) - day).days) <= near_days:
            return event["id"]
    return None


def _too_early(day: str, book: list[dict], since: str | None) -> str | None:
    if since is not None:
        return f"dated before --since {since}" if day < since else None
    if book and day <= book[-1]["date"]:
        return f"dated on or before the book's latest event ({book[-1]['date']}); --since reaches back"
    return None
