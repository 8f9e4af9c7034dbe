"""Who is buying and who is selling, as arithmetic on plain events: each book's change in
holdings over 1, 7 and 30 days, the year to date and a chosen window (balance resets and implied
flows included), in USD so that BTC and ETH sellers rank together: what the company disclosed it
paid or got where it did, the rest at the as-of price. A book that opens with a balance says nothing
of what was held before it: a window that starts earlier has no change (None), never one counted
from zero. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.ledger.events import Event
from dattrack.ledger.replay import Flowed, Replay, opens_unknown, replay
from dattrack.numbers import tidy

ZERO = Decimal(0)


class BookFlow(NamedTuple):
    quantity: Decimal                     # held at the end of the as-of date
    changes: dict[str, Decimal | None]    # window -> units gained (negative: sold) since its baseline;
    #                                       None when the baseline is before the book's opening balance
    last_event: Event                     # the latest event on or before the as-of date
    flowed: dict[str, Flowed]             # running totals of what came in and went out at each baseline
    flowed_total: Flowed                  # and at the end of the as-of date
    from_opening: Decimal | None          # units gained since an opening balance (None: the book has none)


class Quote(NamedTuple):
    """The asset's USD price in force on the as-of date."""

    price: Decimal
    date: str


ToUsd = Callable[[Decimal], Decimal | None]   # a company's money (its currency) in USD; None: no rate


def flow_rows(books: Mapping[tuple[str, str], Sequence[Event]] | Iterable[tuple[tuple[str, str], Sequence[Event]]],
              quotes: Mapping[str, Quote | None], *, as_of: str, since: str | None = None,
              to_usd: Mapping[str, ToUsd] | None = None) -> list[dict]:
    """One row per (ticker, asset) book with an event on or before `as_of`; biggest sellers first.
    `books`: a mapping, or a stream of (key, events) pairs (one book in memory at a time). `to_usd`:
    ticker -> its currency in USD (absent: the company reports in USD)."""
    starts = baselines(as_of, since)
    walked = ((key, replay(events, ordered=True, until=as_of, ends=starts.values(), flows_after=min(starts.values())))
              for key, events in (books.items() if isinstance(books, Mapping) else books))
    return walked_flow_rows(walked, quotes, as_of=as_of, starts=starts, to_usd=to_usd)


def walked_flow_rows(walked: Iterable[tuple[tuple[str, str], Replay]], quotes: Mapping[str, Quote | None], *,
                     as_of: str, starts: Mapping[str, str], to_usd: Mapping[str, ToUsd] | None = None) -> list[dict]:
    """flow_rows of books already walked to `as_of` with `ends=starts.values()` and `flows_after` (one
    reading of a day serves every report)."""
    rows = []
    for (ticker, asset), walk in walked:
        flow = book_flow(walk, starts)
        if flow is not None:
            rows.append(flow_row(ticker, asset, flow, quotes.get(asset), as_of, starts,
                                 (to_usd or {}).get(ticker, _same)))
    return sorted(rows, key=sellers_first)


def _same(amount: Decimal) -> Decimal:
    return amount


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
    opened = tidy(held - walk.opening.quantity) if opens_unknown(walk.opening) else None
    return BookFlow(held, changes, walk.latest, walk.flowed, walk.flowed_total, opened)


def flow_row(ticker: str, asset: str, flow: BookFlow, quote: Quote | None, as_of: str, starts: Mapping[str, str],
             to_usd: ToUsd = _same) -> dict:
    """The changes in units, then the price and each change in USD (null without a price where one is
    needed) with the basis of its money: `disclosed` (the costs and proceeds the company disclosed),
    `price` (units at the as-of price) or `mixed`. The direction follows the chosen window (`since`)
    when there is one — from the book's opening balance when that came later — else the last 30 days
    (the year to date breaks a flat month)."""
    usd = windows_usd(flow.flowed, flow.flowed_total, starts, flow.changes, quote, to_usd)
    if "since" in flow.changes:
        deciding = (flow.from_opening if flow.changes["since"] is None else flow.changes["since"],)
    else:
        deciding = (flow.changes["30d"], flow.changes["ytd"])
    return {
        "ticker": ticker, "asset": asset, "quantity": flow.quantity,
        **{f"change_{name}": change for name, change in flow.changes.items()},
        "price": quote.price if quote else None,
        "price_date": quote.date if quote else None,
        "price_stale": bool(quote and is_stale(quote.date, as_of, CRYPTO_STALE_DAYS)),
        **{f"change_{name}_usd": value for name, (value, _) in usd.items()},
        **{f"change_{name}_usd_basis": basis for name, (_, basis) in usd.items()},
        "direction": direction(*deciding),
        "last_event_date": flow.last_event.date,
        "last_event_kind": flow.last_event.kind,
    }


def windows_usd(flowed: Mapping[str, Flowed], total: Flowed, starts: Mapping[str, str],
                changes: Mapping[str, Decimal | None], quote: Quote | None,
                to_usd: ToUsd = _same) -> dict[str, tuple[Decimal | None, str | None]]:
    """For each window, what came in and went out after the end of its start day, in USD: the costs
    and proceeds disclosed in USD, the units with none at the as-of price; and the basis (None: nothing
    moved). Unknown (None) when the window's change is, or a needed price or rate is missing. A walk
    that kept no totals gives the change at the price."""
    found: dict[str, tuple[Decimal | None, str | None]] = {}
    for name, after in starts.items():
        change = changes[name]
        start = flowed.get(after)
        if change is None:
            found[name] = (None, None)
            continue
        if start is None:
            found[name] = (ZERO, None) if change == 0 else (_at_price(change, quote), "price")
            continue
        moved = total.since(start)
        money = to_usd(moved.money) if moved.disclosed else ZERO
        if not (moved.disclosed or moved.undisclosed):
            found[name] = (ZERO, None)
        elif money is None or (moved.undisclosed and quote is None):
            found[name] = (None, None)
        else:
            value = money + (moved.units * quote.price if moved.undisclosed else ZERO)
            found[name] = (tidy(value), "mixed" if moved.disclosed and moved.undisclosed else
                           "disclosed" if moved.disclosed else "price")
    return found


def _at_price(change: Decimal | None, quote: Quote | None) -> Decimal | None:
    return tidy(change * quote.price) if quote and change is not None else None


def direction(deciding: Decimal | None, tie_break: Decimal | None = None) -> str | None:
    """Units gained or lost over the deciding window; a tie-break window decides a flat one. None:
    neither is known."""
    if deciding is None and tie_break is None:
        return None
    value = deciding or tie_break or ZERO
    return "selling" if value < 0 else "buying" if value > 0 else "flat"


def sellers_first(row: dict) -> tuple:
    """Biggest USD sellers over the chosen window (else 30 days, then the year) first, biggest buyers
    last; books with no price follow, ranked by units."""
    first, then = ("since", "30d") if "change_since" in row else ("30d", "ytd")
    if row[f"change_{first}_usd"] is None:
        return (1, *_known_first(row[f"change_{first}"]), *_known_first(row[f"change_{then}"]), row["ticker"],
                row["asset"])
    return (0, row[f"change_{first}_usd"], *_known_first(row[f"change_{then}_usd"]), row["ticker"], row["asset"])


def _known_first(value: Decimal | None) -> tuple[bool, Decimal]:
    return (value is None, value if value is not None else ZERO)
