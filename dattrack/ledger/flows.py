"""Who is buying and who is selling, as arithmetic on plain events: each book's change in
holdings over 1, 7 and 30 days and the year to date (balance resets and implied flows included),
valued in USD at one price so that BTC and ETH sellers rank together. A book that opens with a
balance says nothing of what was held before it: a window that starts earlier has no change
(None), never one counted from zero. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.ledger.events import Event
from dattrack.ledger.replay import Replay, replay
from dattrack.numbers import tidy

ZERO = Decimal(0)


class BookFlow(NamedTuple):
    quantity: Decimal                     # held at the end of the as-of date
    changes: dict[str, Decimal | None]    # window -> units gained (negative: sold) since its baseline;
    #                                       None when the baseline is before the book's opening balance
    last_event: Event                     # the latest event on or before the as-of date


class Quote(NamedTuple):
    """The asset's USD price in force on the as-of date."""

    price: Decimal
    date: str


def flow_rows(books: Mapping[tuple[str, str], Sequence[Event]] | Iterable[tuple[tuple[str, str], Sequence[Event]]],
              quotes: Mapping[str, Quote | None], *, as_of: str, since: str | None = None) -> list[dict]:
    """One row per (ticker, asset) book with an event on or before `as_of`; biggest sellers first.
    `books`: a mapping, or a stream of (key, events) pairs (one book in memory at a time)."""
    starts = baselines(as_of, since)
    walked = ((key, replay(events, ordered=True, until=as_of, ends=starts.values()))
              for key, events in (books.items() if isinstance(books, Mapping) else books))
    return walked_flow_rows(walked, quotes, as_of=as_of, starts=starts)


def walked_flow_rows(walked: Iterable[tuple[tuple[str, str], Replay]], quotes: Mapping[str, Quote | None], *,
                     as_of: str, starts: Mapping[str, str]) -> list[dict]:
    """flow_rows of books already walked to `as_of` with `ends=starts.values()` (one reading of a day
    serves every report)."""
    rows = []
    for (ticker, asset), walk in walked:
        flow = book_flow(walk, starts)
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


def book_flow(walk: Replay, starts: Mapping[str, str]) -> BookFlow | None:
    """None when the book has no event yet on the as-of date. Before a book's opening balance what was
    held is unknown (SPEC 10): a window that starts before it has no change, not one from zero."""
    if walk.latest is None:
        return None
    held = walk.position.quantity
    changes = {name: None if walk.at[start] is None else tidy(held - walk.at[start].quantity)
               for name, start in starts.items()}
    return BookFlow(held, changes, walk.latest)


def flow_row(ticker: str, asset: str, flow: BookFlow, quote: Quote | None, as_of: str) -> dict:
    """The changes in units, then the price and each change in USD (null without a price)."""
    return {
        "ticker": ticker, "asset": asset, "quantity": flow.quantity,
        **{f"change_{name}": change for name, change in flow.changes.items()},
        "price": quote.price if quote else None,
        "price_date": quote.date if quote else None,
        "price_stale": bool(quote and is_stale(quote.date, as_of, CRYPTO_STALE_DAYS)),
        **{f"change_{name}_usd": tidy(change * quote.price) if quote and change is not None else None
           for name, change in flow.changes.items()},
        "direction": direction(flow.changes["30d"], flow.changes["ytd"]),
        "last_event_date": flow.last_event.date,
        "last_event_kind": flow.last_event.kind,
    }


def direction(change_30d: Decimal | None, change_ytd: Decimal | None) -> str | None:
    """The last 30 days decide; the year to date breaks a flat month. None: neither is known."""
    if change_30d is None and change_ytd is None:
        return None
    deciding = change_30d or change_ytd or ZERO
    return "selling" if deciding < 0 else "buying" if deciding > 0 else "flat"


def sellers_first(row: dict) -> tuple:
    """Biggest USD sellers over 30 days (then the year) first, biggest buyers last; books with no
    price follow, ranked by units."""
    if row["change_30d_usd"] is None:
        return (1, *_known_first(row["change_30d"]), *_known_first(row["change_ytd"]), row["ticker"], row["asset"])
    return (0, row["change_30d_usd"], *_known_first(row["change_ytd_usd"]), row["ticker"], row["asset"])


def _known_first(value: Decimal | None) -> tuple[bool, Decimal]:
    return (value is None, value if value is not None else ZERO)
