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
    books = ((key, book) for key, book in all_books(store, list(companies))
             if asset is None or key[1] == asset)   # one book at a time
    return flow_rows(books, _Quotes(PriceBook(store, day)), as_of=day, since=since)


class _Quotes(dict):
    """Each asset's USD quote, read when a book first asks for it."""

    def __init__(self, prices: PriceBook):
        super().__init__()
        self.prices = prices

    def __missing__(self, asset: str) -> Quote | None:
        self[asset] = _quote(self.prices, asset)
        return self[asset]

    def get(self, asset, default=None):
        return self[asset]


def _quote(prices: PriceBook, asset: str) -> Quote | None:
    """The asset's price in USD (converted by the one rule when quoted in another currency)."""
    stored, usd = prices.get(asset), prices.in_usd(asset)
    return None if stored is None or usd is None else Quote(usd, stored.date)
