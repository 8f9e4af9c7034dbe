"""`flows`: who is buying and who is selling. Loads every selected book and its asset's USD price;
the arithmetic is dattrack.ledger.flows."""

from __future__ import annotations

from dattrack.app.books import all_books
from dattrack.app.companies import selected_companies
from dattrack.app.prices import PriceBook
from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.ledger.flows import Quote, flow_rows
from dattrack.store import Store


def flows(store: Store, tickers: list[str] | None = None, *, asset: str | None = None,
          as_of: str | None = None, since: str | None = None) -> list[dict]:
    day = as_of or today().isoformat()
    if since is not None and since > day:
        raise BadInput(f"--since {since} is after the as-of date {day}")
    companies = selected_companies(store, tickers)
    books = {key: book for key, book in all_books(store, list(companies)).items()
             if asset is None or key[1] == asset}
    prices = PriceBook(store, day)
    quotes = {held: _quote(prices, held) for _, held in books}
    return flow_rows(books, quotes, as_of=day, since=since)


def _quote(prices: PriceBook, asset: str) -> Quote | None:
    """The asset's price in USD (converted by the one rule when quoted in another currency)."""
    stored, usd = prices.get(asset), prices.in_usd(asset)
    return None if stored is None or usd is None else Quote(usd, stored.date)
