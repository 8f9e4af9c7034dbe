"""`flows`: who is buying and who is selling. Every selected book walked once (the day's reading) and its
asset's USD price; the arithmetic is dattrack.ledger.flows."""

from __future__ import annotations

from dattrack.app.day import Day
from dattrack.app.prices import PriceBook
from dattrack.errors import BadInput
from dattrack.ledger.flows import Quote, walked_flow_rows


def flows(day: Day, *, asset: str | None = None) -> list[dict]:
    if day.since is not None and day.since > day.as_of:
        raise BadInput(f"--since {day.since} is after the as-of date {day.as_of}")
    wanted = asset.upper() if asset else None
    walked = ((key, walk) for key, walk in day.walks.items() if wanted is None or key[1] == wanted)
    return walked_flow_rows(walked, _Quotes(day.prices), as_of=day.as_of, starts=day.flow_starts)


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
