"""One reading of a day (SPEC 10): the selected companies' books, facts, instruments and prices as they
stood at the end of a date — as known on a date, when asked — each read once, and each company valued
once. Every report takes its figures from a Day: holdings, pnl, check, flows, mnav, explain, risk, yield,
snapshot and the HTML report; risk and explain build on the valuation instead of working it out again.

A Day reads lazily: `mnav` today never reads a book (the positions kept current on every write are
today's), `flows` and `check` walk every book once, and `report` asks for everything from that one walk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from dattrack.app.books import all_books, lot_positions, positions, public_by, replay_books
from dattrack.app.companies import selected_companies
from dattrack.app.inputs import check_method
from dattrack.app.instruments import instruments_in_force
from dattrack.app.prices import PriceBook, is_fx_pair
from dattrack.currency import USD
from dattrack.dates import today
from dattrack.freshness import (CRYPTO_STALE_DAYS, FACT_STALE_DAYS, STOCK_STALE_DAYS, InputDates, input_dates,
                                is_stale)
from dattrack.ledger import Position
from dattrack.ledger.flows import baselines
from dattrack.ledger.replay import Replay, replay
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.valuation import CompanyInputs, Holding, Sourced, Split, Valuation, parse_split, value_company
from dattrack.valuation.inputs import FACT_NAMES
from dattrack.valuation.risk import Risk, assess_risk

Key = tuple[str, str]   # (ticker, asset): one book


class Day:
    """The figures of one date. `as_of`: the valuation date (default `known_on`, else today);
    `known_on`: only what was public by then (None: everything recorded); `method`: the cost basis of
    the positions; `since`: the start of pnl's realized window and of flows' "since" change; `series`:
    keep each book's units at every event date (the report's charts). `held`: positions already
    worked out for this date (a snapshot backfill replays every book once for all its dates). `moves`:
    keep running totals of what each book took in and gave out (at each flows window's start and at the
    end) and each falling balance since the earliest window (flows in money, pnl, summary);
    `instruments`: the companies' instruments and amounts read once for many days (dilution)."""

    def __init__(self, store: Store, tickers: list[str] | None = None, *, as_of: str | None = None,
                 known_on: str | None = None, method: str = "average", since: str | None = None,
                 series: bool = False, held: dict[Key, Position | None] | None = None, moves: bool = False,
                 instruments: tuple | None = None):
        self.store = store
        self.known_on = known_on
        self._public = public_by(known_on)   # what the store's reads filter on: None from today on
        self.as_of = as_of or known_on or today().isoformat()
        # A close of a later day was not public on `known_on`, whatever the valuation date.
        self.price_day = min(self.as_of, known_on) if known_on else self.as_of
        self.method = check_method(method)
        self.since = since
        self.series = series
        self.moves = moves
        self.companies = selected_companies(store, tickers)
        self.prices = PriceBook(store, self.price_day)
        self._held = held
        self._instrument_history = instruments   # app.instruments.instrument_history(), read once for many days
        self._inputs: dict[str, CompanyInputs] = {}
        self._valuations: dict[str, Valuation] = {}
        self._risks: dict[str, Risk] = {}
        self._facts_used: list[tuple[str, str, str]] = []

    # ------------------------------------------------------------------ the books

    @property
    def tickers(self) -> list[str]:
        return list(self.companies)

    @cached_property
    def flow_starts(self) -> dict[str, str]:
        """The days whose end each flows window is measured from (1d, 7d, 30d, ytd, since)."""
        return baselines(self.as_of, self.since)

    @cached_property
    def walks(self) -> dict[Key, Replay]:
        """Every book of the selected companies, read once and walked once to the end of the date: its
        position, balance checks, latest event, the positions flows start from and (with `series`) its
        units at each event date. One book is in memory at a time."""
        ends = self.flow_starts.values()
        after = min(ends) if self.moves else None   # what came in and went out: flows in money, pnl, summary
        return {key: replay(events, self.method, until=self.as_of, since=self.since, ordered=True, ends=ends,
                            series=self.series, flows_after=after)
                for key, events in all_books(self.store, self.tickers, self._public)}

    @property
    def saved_state_holds(self) -> bool:
        """Today's positions are the ones kept current on every write (no event is dated in the future),
        unless only part of what is recorded counts."""
        return self._public is None and self.as_of >= today().isoformat()

    @cached_property
    def positions(self) -> dict[Key, Position | None]:
        """Each book's position at the end of the date, by (ticker, asset); None: unknown, the date is
        before the book's opening balance (SPEC 10). A book whose first event, a buy, comes later held
        nothing then: its position is 0."""
        if self._held is not None:
            found = dict(self._held)
        elif "walks" in self.__dict__ or not self.saved_state_holds:
            found = {key: None if walk.unknown_until else walk.position for key, walk in self.walks.items()}
        elif self.method == "average":
            found = positions(self.store, self.tickers)
        else:
            found, missing = lot_positions(self.store, self.method, self.tickers)
            found.update(replay_books(self.store, missing, self.method, None))  # saved before lot books were kept
        return dict(sorted(found.items()))

    def unknown_until(self, key: Key) -> str | None:
        """The date of the book's opening balance when the position is unknown on this date."""
        if self.positions.get(key, 0) is not None:
            return None
        if "walks" in self.__dict__ and key in self.walks:
            return self.walks[key].unknown_until
        return event_rows.first_date(self.store, *key, self._public)   # a backfill's: only the opening is read

    @cached_property
    def cited(self) -> dict[Key, event_rows.Cited]:
        """The latest disclosure of each book on or before the date, and its distance from the last balance:
        from the walk when the books were walked, else three indexed look-ups a book."""
        if "walks" not in self.__dict__:
            found = {key: event_rows.latest_disclosure(self.store, *key, self.as_of, self._public)
                     for key in self.positions}
            return {key: cited for key, cited in found.items() if cited is not None}
        walked = {key: walk for key, walk in self.walks.items() if walk.latest is not None}
        sources = event_rows.sources(self.store, [walk.latest.id for walk in walked.values()])
        return {key: event_rows.Cited(walk.latest.id, walk.latest.date, sources.get(walk.latest.id),
                                      walk.balance_date, walk.since_balance)
                for key, walk in walked.items()}

    # ------------------------------------------------------------------ each company, valued once

    def inputs(self, ticker: str) -> CompanyInputs:
        if ticker not in self._inputs:
            self._inputs[ticker] = self._company_inputs(self.companies[ticker])
        return self._inputs[ticker]

    def valuation(self, ticker: str) -> Valuation:
        if ticker not in self._valuations:
            self._valuations[ticker] = value_company(self.inputs(ticker))
        return self._valuations[ticker]

    def risk(self, ticker: str) -> Risk:
        if ticker not in self._risks:
            self._risks[ticker] = assess_risk(self.inputs(ticker), self.valuation(ticker))
        return self._risks[ticker]

    def valuations(self) -> list[Valuation]:
        return [self.valuation(ticker) for ticker in self.companies]

    @cached_property
    def _instruments(self):
        return instruments_in_force(self.store, self.tickers, self.as_of,
                                    lambda currency: self._sourced(self.prices.usd_to(currency), CRYPTO_STALE_DAYS),
                                    self._public, self._instrument_history)

    def _company_inputs(self, company: dict) -> CompanyInputs:
        ticker, day = company["ticker"], self.as_of
        holdings = tuple(self._holding(key, position) for key, position in self.positions.items() if key[0] == ticker)
        asset_prices = {h.asset: self._in_usd(h.asset) for h in holdings}
        share = self.prices.get(company["quote_symbol"])
        share_price = self._sourced(share, STOCK_STALE_DAYS)
        if share is not None:
            share_price = Sourced(self.prices.in_currency(share.symbol, company["currency"]), share_price.date,
                                  share_price.source, share_price.stale, _date(share.basis_date or share.date))
        fx = None if company["currency"] == USD else self._sourced(self.prices.usd_to(company["currency"]),
                                                                   CRYPTO_STALE_DAYS)
        in_force = fact_rows.in_force(self.store, ticker, day, self._public)
        # A fact first recorded after the date is "none on or before it" (value None), not "never recorded".
        facts = {name: Sourced(None) for name in fact_rows.names(self.store, ticker, self._public)
                 if name in FACT_NAMES}
        for name, fact in in_force.items():
            if name in FACT_NAMES:
                facts[name] = Sourced(Decimal(fact.value), _date(fact.date), fact.source,
                                      is_stale(fact.date, day, FACT_STALE_DAYS))
                self._facts_used.append(("fact", f"{ticker} {name}", fact.date))
        splits = tuple(Split(_date(s.date), *parse_split(s.value), source=s.source)
                       for s in fact_rows.splits(self.store, ticker, self._public))
        instruments = self._instruments.get(ticker, ())
        for instrument in instruments:  # a pledged asset the company no longer holds still needs its price
            if instrument.collateral_asset and instrument.collateral_asset not in asset_prices:
                asset_prices[instrument.collateral_asset] = self._in_usd(instrument.collateral_asset)
        if company["asset"] not in asset_prices:  # mining cost and margin prices compare with the primary asset
            asset_prices[company["asset"]] = self._in_usd(company["asset"])
        return CompanyInputs(ticker=ticker, currency=company["currency"], primary_asset=company["asset"],
                             as_of=_date(day), holdings=holdings, asset_prices=asset_prices, share_price=share_price,
                             fx=fx, facts=facts, splits=splits, instruments=instruments)

    def _holding(self, key: Key, position: Position | None) -> Holding:
        asset = key[1]
        if position is None:
            unknown = self.unknown_until(key)
            return Holding(asset, None, None, False, unknown_until=_date(unknown) if unknown else None)
        cited = self.cited.get(key)
        if cited is None:
            return Holding(asset, position.quantity, position.cost_basis, position.cost_complete)
        return Holding(asset, position.quantity, position.cost_basis, position.cost_complete,
                       source=self._with_quote(cited), source_date=_date(cited.date),
                       since_balance=cited.since_balance,
                       balance_date=_date(cited.balance_date) if cited.balance_date else None)

    def _with_quote(self, cited: event_rows.Cited) -> str | None:
        """An event read from a filing is cited with the words it was read from (its note)."""
        event = event_rows.get(self.store, cited.event_id)
        if event is None or event["origin"] != "filing" or not event["note"]:
            return cited.source
        return f"{cited.source or 'a document'}: \u201c{event['note']}\u201d"

    def _in_usd(self, asset: str) -> Sourced:
        """An asset's price in USD, converted when it was quoted in another currency."""
        stored = self._sourced(self.prices.get(asset), CRYPTO_STALE_DAYS)
        return Sourced(self.prices.in_usd(asset), stored.date, stored.source, stored.stale)

    def _sourced(self, price, threshold: int) -> Sourced:
        if price is None:
            return Sourced(None)
        return Sourced(price.price, _date(price.date), price.source, is_stale(price.date, self.as_of, threshold))

    # ------------------------------------------------------------------ honest dates

    def input_dates(self) -> InputDates:
        """The dates of every price served and every fact used so far, against the valuation date."""
        quoted = {company["quote_symbol"] for company in self.companies.values()}
        used = [("fx" if is_fx_pair(symbol) else "stock" if symbol in quoted else "crypto", symbol, price.date)
                for symbol, price in self.prices.used().items()]
        return input_dates(self.as_of, used + self._facts_used, self.known_on)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
