"""Who is buying and who is selling, as arithmetic on plain events: each book's change in
holdings over 1, 7 and 30 days and the year to date (balance resets and implied flows included),
valued in USD at one price so that BTC and ETH sellers rank together. A book that opens with a
balance starts from that position: the opening is where the company stood, not a purchase made
in the window. Pure."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.ledger.events import Event
from dattrack.ledger.replay import Position, replay
from dattrack.numbers import tidy

ZERO = Decimal(0)


class BookFlow(NamedTuple):
    quantity: Decimal               # held at the end of the as-of date
    changes: dict[str, Decimal]     # window -> units gained (negative: sold) since its baseline
    last_event: Event               # the latest event on or before the as-of date


class Quote(NamedTuple):
    """The asset's USD price in force on the as-of date."""

    price: Decimal
    date: str


def flow_rows(books: Mapping[tuple[str, str], Sequence[Event]], quotes: Mapping[str, Quote | None], *,
              as_of: str, since: str | None = None) -> list[dict]:
    """One row per (ticker, asset) book with an event on or before `as_of`; biggest sellers first."""
    starts = baselines(as_of, since)
    rows = []
    for (ticker, asset), events in books.items():
        flow = book_flow(events, as_of, starts)
        if flow is not None:
            rows.append(flow_row(ticker, asset, flow, quotes.get(asset), as_of))
    return sorted(rows, key=sellers_first)


def baselines(as_of: str, since: str | None = None) -> dict[str, str]:
    """Each change is measured from the position at the end of this day up to the end of `as_of`:
    `change_since` counts the events dated `since` through `as_of`."""
    day = dt.date.fromisoformat(as_of)
    starts = {"1d": _days_before(day, 1), "7d": _days_before(day, 7), "30d": _days_before(day, 30),
              "ytd": _days_before(dt.date(day.year, 1, 1), 1)}
    if since is not None:
        starts["since"] = _days_before(dt.date.fromisoformat(since), 1)
    return starts


def _days_before(day: dt.date, days: int) -> str:
    """The ISO day `days` before; before the first day of the calendar, a day before every event."""
    try:
        return (day - dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return "0000-12-31"


def book_flow(events: Sequence[Event], as_of: str, starts: Mapping[str, str]) -> BookFlow | None:
    """None when the book has no event yet on `as_of`. `events` are in ledger order."""
    seen = bisect_right([event.date for event in events], as_of)
    if seen == 0:
        return None
    held = held_at_end_of(events, [as_of, *starts.values()])
    opening = events[0]
    if opening.kind == "balance":
        # The book opens with a disclosed position (a first balance, or the opening sync writes):
        # a starting point, not a purchase. Before it the company held that much as far as we know.
        for start in starts.values():
            if start < opening.date:
                held[start] = opening.quantity
    changes = {name: tidy(held[as_of] - held[start]) for name, start in starts.items()}
    return BookFlow(held[as_of], changes, events[seen - 1])


def held_at_end_of(events: Sequence[Event], days: Iterable[str]) -> dict[str, Decimal]:
    """Units held at the end of each day, replaying the book once: each stretch of events up to
    the next day continues the position where the previous stretch stopped."""
    dates = [event.date for event in events]
    position: Position | None = None
    replayed = 0
    held = {}
    for day in sorted(set(days)):
        end = bisect_right(dates, day)
        if end > replayed:
            position = replay(events[replayed:end], ordered=True, start=position).position
            replayed = end
        held[day] = position.quantity if position is not None else ZERO
    return held


def flow_row(ticker: str, asset: str, flow: BookFlow, quote: Quote | None, as_of: str) -> dict:
    """The changes in units, then the price and each change in USD (null without a price)."""
    return {
        "ticker": ticker, "asset": asset, "quantity": flow.quantity,
        **{f"change_{name}": change for name, change in flow.changes.items()},
        "price": quote.price if quote else None,
        "price_date": quote.date if quote else None,
        "price_stale": bool(quote and is_stale(quote.date, as_of, CRYPTO_STALE_DAYS)),
        **{f"change_{name}_usd": tidy(change * quote.price) if quote else None for name, change in flow.changes.items()},
        "direction": direction(flow.changes["30d"], flow.changes["ytd"]),
        "last_event_date": flow.last_event.date,
        "last_event_kind": flow.last_event.kind,
    }


def direction(change_30d: Decimal, change_ytd: Decimal) -> str:
    """The last 30 days decide; the year to date breaks a flat month."""
    deciding = change_30d or change_ytd
    return "selling" if deciding < 0 else "buying" if deciding > 0 else "flat"


def sellers_first(row: dict) -> tuple:
    """Biggest USD sellers over 30 days (then the year) first, biggest buyers last; books with no
    price follow, ranked by units."""
    if row["change_30d_usd"] is None:
        return (1, row["change_30d"], row["change_ytd"], row["ticker"], row["asset"])
    return (0, row["change_30d_usd"], row["change_ytd_usd"], row["ticker"], row["asset"])
