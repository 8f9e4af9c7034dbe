"""`summary`: the headline of the tracked companies over a window, from one reading of the day — every
book read and walked once, with what it took in and gave out since the window began; the arithmetic is
dattrack.ledger.summary."""

from __future__ import annotations

import datetime as dt

from dattrack.app.books import public_by
from dattrack.app.day import Day
from dattrack.app.holdings import holdings
from dattrack.app.prices import PriceBook
from dattrack.errors import BadInput
from dattrack.ledger import summary as headline
from dattrack.store import events as event_rows


def default_since(as_of: str) -> str:
    """The first day of the as-of date's year: the year to date."""
    return dt.date.fromisoformat(as_of).replace(month=1, day=1).isoformat()


def summary(day: Day) -> dict:
    """SPEC 11's one object: as_of, since, totals, leaders, sellers, buyers. The Day must have been
    read with `since` and `moves`."""
    if day.since is None or not day.moves:
        raise ValueError("summary needs a Day read with since= and moves=True")
    if day.since > day.as_of:
        raise BadInput(f"--since {day.since} is after the as-of date {day.as_of}")
    start = day.flow_starts["since"]
    walks = day.walks   # first: the positions then come from the same walk as the flows (one reading)
    rows = {(row["ticker"], row["asset"]): row for row in holdings(day)}
    books = []
    for key, row in rows.items():
        walk, quantity = walks.get(key), row["quantity"]
        then = walk.at.get(start) if walk is not None else None
        change = None if quantity is None or then is None else quantity - then.quantity
        books.append(headline.Held(key[0], key[1], quantity, row["value_usd"], change))
    totals = headline.totals(books)
    closes = _Closes(day)
    sellers, buyers = [], []
    for (ticker, asset), walk in walks.items():
        currency = day.companies[ticker]["currency"]
        window = walk.flowed_total.since(walk.flowed[start])
        left = [move for move in walk.outs if move.date > start]   # kept from the earliest flows window on
        sold = headline.sellers(ticker, asset, currency, window, left, lambda a, d, c=currency: closes.get(a, d, c))
        for row in sold:
            if not row["implied"] and window.proceeds_disclosed < window.sales:
                row["realized_pnl_reason"] = "; ".join([row["realized_pnl_reason"],
                                                        *_estimates(day, ticker, asset, start)])
        sellers += sold
        buyers += headline.buyers(ticker, asset, currency, window)
    prices = {asset: day.prices.in_usd(asset) for asset in {key[1] for key in walks}}
    return {
        "as_of": day.as_of,
        "since": day.since,
        "totals": totals,
        "leaders": headline.leaders(books, {total["asset"]: total["quantity"] for total in totals}),
        "sellers": headline.by_usd(sellers, "units_sold", prices),
        "buyers": headline.by_usd(buyers, "units_bought", prices),
    }


def _estimates(day: Day, ticker: str, asset: str, start: str) -> list[str]:
    """The sales of the window whose recorded proceeds are an estimate (rounded, derived, a placeholder):
    not counted as disclosed, said with the figure and why."""
    rows = event_rows.listing(day.store, ticker, "sell", None, day.as_of, known_on=public_by(day.known_on))
    currency = day.companies[ticker]["currency"]
    return [f"the {row['amount']:,.2f} {currency} recorded for the {row['quantity']:,f} {asset} sold on {row['date']} "
            f"is an estimate, not counted ({row['estimate']})"
            for row in rows if row["asset"] == asset and row["date"] > start and row["estimate"]
            and row["amount"] is not None]


class _Closes:
    """An asset's close on or before a past date, in a company's currency: one price book a date."""

    def __init__(self, day: Day):
        self.day, self.books = day, {}

    def get(self, asset: str, date: str, currency: str):
        if date not in self.books:
            self.books[date] = PriceBook(self.day.store, date)
        return self.books[date].in_currency(asset, currency)
