"""Loads what the pure valuation needs for a company on a date, from the store, with freshness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.app.books import positions_as_of
from dattrack.app.companies import selected_companies
from dattrack.app.prices import PriceBook
from dattrack.currency import USD
from dattrack.dates import today
from dattrack.freshness import CRYPTO_STALE_DAYS, FACT_STALE_DAYS, STOCK_STALE_DAYS, is_stale
from dattrack.app.instruments import instruments_in_force
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.valuation import CompanyInputs, Holding, Sourced, Split, Valuation, parse_split, value_company
from dattrack.valuation.inputs import FACT_NAMES


def value_companies(store: Store, tickers: list[str] | None = None, as_of: str | None = None) -> list[Valuation]:
    """The mNAV line of each selected company on a date (today by default)."""
    companies = selected_companies(store, tickers)
    day = as_of or today().isoformat()
    held = positions_as_of(store, companies, as_of=as_of, method="average")
    prices = PriceBook(store, day)
    return [value_company(company_inputs(store, company, day, held, prices)) for company in companies.values()]


def company_inputs(store: Store, company: dict, day: str, held: dict, prices: PriceBook) -> CompanyInputs:
    ticker = company["ticker"]
    holdings = tuple(_holding(store, ticker, asset, p, day) for (t, asset), p in held.items() if t == ticker)
    asset_prices = {h.asset: _in_usd(prices, h.asset, day) for h in holdings}
    share = prices.get(company["quote_symbol"])
    share_price = _sourced(share, day, STOCK_STALE_DAYS)
    if share is not None:
        share_price = Sourced(prices.in_currency(share.symbol, company["currency"]), share_price.date,
                              share_price.source, share_price.stale, _date(share.basis_date or share.date))
    fx = None if company["currency"] == USD else _sourced(prices.usd_to(company["currency"]), day, CRYPTO_STALE_DAYS)
    in_force = fact_rows.in_force(store, ticker, day)
    # A fact first recorded after the date is "none on or before it" (value None), not "never recorded".
    facts = {name: Sourced(None) for name in fact_rows.names(store, ticker) if name in FACT_NAMES}
    facts.update({name: Sourced(Decimal(f.value), _date(f.date), f.source, is_stale(f.date, day, FACT_STALE_DAYS))
                  for name, f in in_force.items() if name in FACT_NAMES})
    splits = tuple(Split(_date(s.date), *parse_split(s.value), source=s.source) for s in fact_rows.splits(store, ticker))
    instruments = instruments_in_force(store, ticker, day,
                                       lambda currency: _sourced(prices.usd_to(currency), day, CRYPTO_STALE_DAYS))
    for instrument in instruments:  # a pledged asset the company no longer holds still needs its price
        if instrument.collateral_asset and instrument.collateral_asset not in asset_prices:
            asset_prices[instrument.collateral_asset] = _in_usd(prices, instrument.collateral_asset, day)
    if company["asset"] not in asset_prices:  # mining cost and margin prices compare with the primary asset
        asset_prices[company["asset"]] = _in_usd(prices, company["asset"], day)
    return CompanyInputs(ticker=ticker, currency=company["currency"], primary_asset=company["asset"],
                         as_of=_date(day), holdings=holdings, asset_prices=asset_prices, share_price=share_price,
                         fx=fx, facts=facts, splits=splits, instruments=instruments)


def _holding(store: Store, ticker: str, asset: str, position, day: str) -> Holding:
    cited = event_rows.latest_disclosure(store, ticker, asset, day)
    if cited is None:
        return Holding(asset, position.quantity, position.cost_basis, position.cost_complete)
    return Holding(asset, position.quantity, position.cost_basis, position.cost_complete,
                   source=_with_quote(store, cited), source_date=_date(cited.date), since_balance=cited.since_balance,
                   balance_date=_date(cited.balance_date) if cited.balance_date else None)


def _with_quote(store: Store, cited) -> str | None:
    """An event read from a filing is cited with the words it was read from (its note)."""
    event = event_rows.get(store, cited.event_id)
    if event is None or event["origin"] != "filing" or not event["note"]:
        return cited.source
    return f"{cited.source or 'a document'}: \u201c{event['note']}\u201d"


def _in_usd(prices: PriceBook, asset: str, day: str) -> Sourced:
    """An asset's price in USD, converted when it was quoted in another currency."""
    stored = _sourced(prices.get(asset), day, CRYPTO_STALE_DAYS)
    return Sourced(prices.in_usd(asset), stored.date, stored.source, stored.stale)


def _sourced(price, day: str, threshold: int) -> Sourced:
    if price is None:
        return Sourced(None)
    return Sourced(price.price, _date(price.date), price.source, is_stale(price.date, day, threshold))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)

