"""What a valuation needs, as plain values: the CLI loads them from SQLite, this package only computes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

FACT_NAMES = ("shares_basic", "shares_diluted", "debt", "preferred", "cash", "mining_cost", "reserve")
INSTRUMENT_KINDS = ("loan", "note", "convertible", "preferred")
DEBT_KINDS = ("loan", "note", "convertible")   # preferred is the other claim


@dataclass(frozen=True)
class Sourced:
    """One dated, sourced input; value None means nothing was in force on the date asked for."""

    value: Decimal | None
    date: dt.date | None = None
    source: str | None = None
    stale: bool = False
    # Share prices only: the date whose share structure the price is expressed in
    # (a split-adjusted series saved on day X has basis X; a live or typed close has its own date).
    basis_date: dt.date | None = None


@dataclass(frozen=True)
class Split:
    """A split effective on `date`: `new` shares for `old` ("1:10" reverse = 1 new for 10 old)."""

    date: dt.date
    new: Decimal
    old: Decimal
    source: str | None = None


@dataclass(frozen=True)
class Holding:
    """A position from the ledger; cost_basis is in the company's currency. quantity None: unknown, the
    date is before the book's opening balance (of `unknown_until`)."""

    asset: str
    quantity: Decimal | None
    cost_basis: Decimal | None
    cost_complete: bool
    # The disclosure behind the figure: the latest event on or before the date, and how many
    # events came after the latest balance (None: no balance was ever disclosed).
    source: str | None = None
    source_date: dt.date | None = None
    since_balance: int | None = None
    balance_date: dt.date | None = None
    unknown_until: dt.date | None = None


@dataclass(frozen=True)
class Instrument:
    """A debt or preferred claim as in force on the date: its latest outstanding amount on or before it
    (in its own currency) and the units pledged then."""

    id: int
    name: str
    kind: str
    currency: str
    seniority: int
    outstanding: Sourced                   # in `currency`; date and source of the amount in force
    fx: Sourced | None = None              # `currency` per 1 USD; None when the currency is USD
    rate: Decimal | None = None
    maturity: dt.date | None = None
    conversion_price: Decimal | None = None
    collateral: Sourced | None = None      # units of collateral_asset pledged; None = none recorded
    collateral_asset: str | None = None
    margin_ltv: Decimal | None = None
    liquidation_ltv: Decimal | None = None
    terms_source: str | None = None        # where its terms (rate, LTVs, conversion price) were recorded
    terms_date: dt.date | None = None      # the date of its first amount: the share basis of its conversion price
    rate_source: str | None = None         # where the rate in force was stated (rates change: dated)
    rate_date: dt.date | None = None
    origin: str = "manual"                 # manual, seed, import, filing
    matches: int | None = None             # a filing's instrument: the id of the hand-typed one of the same claim
    member: str | None = None              # the XBRL member a filing names it by
    basis: str | None = None               # face, carrying or liquidation preference (filings)
    shares: Decimal | None = None          # preferreds: shares outstanding

    @property
    def is_debt(self) -> bool:
        return self.kind in DEBT_KINDS

    @property
    def from_filing(self) -> bool:
        return self.origin == "filing"


@dataclass(frozen=True)
class CompanyInputs:
    ticker: str
    currency: str
    primary_asset: str
    as_of: dt.date
    holdings: tuple[Holding, ...]
    asset_prices: Mapping[str, Sourced]   # USD per unit, by asset
    share_price: Sourced                  # in the company's currency
    fx: Sourced | None                    # company currency per 1 USD; None when the currency is USD
    facts: Mapping[str, Sourced]          # money in the company's currency; a missing key = never recorded
    splits: tuple[Split, ...] = field(default=())
    instruments: tuple[Instrument, ...] = field(default=())   # those with an amount on or before as_of
