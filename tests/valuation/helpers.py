"""Small builders so each test states only the inputs its hand computation uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.valuation import CompanyInputs, Holding, Sourced

AS_OF = dt.date(2025, 12, 31)


def D(text: str) -> Decimal:
    return Decimal(text)


def on(value: str, date: dt.date = AS_OF, source: str = "test", **kw) -> Sourced:
    return Sourced(D(value), date, source, **kw)


def company(*, ticker="TEST", currency="USD", asset="BTC", holdings=(), asset_prices=None, share_price=None,
            fx=None, facts=None, splits=()) -> CompanyInputs:
    return CompanyInputs(
        ticker=ticker, currency=currency, primary_asset=asset, as_of=AS_OF,
        holdings=tuple(Holding(a, D(q), None if c is None else D(c), c is not None) for a, q, c in holdings),
        asset_prices=asset_prices or {}, share_price=share_price or Sourced(None), fx=fx,
        facts=facts or {}, splits=tuple(splits))


def notes(valuation, name: str, kind: str) -> list[str]:
    return [n.text for n in valuation.line(name).notes if n.kind == kind]
