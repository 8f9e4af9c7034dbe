"""What the document reader returns (CONTRACTS.md "The reader"): plain frozen values, exact Decimals,
`datetime.date`s. Pure: the reader never touches the network, the store or the terminal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.errors import BadInput

KINDS = ("buy", "sell", "mine", "balance", "fact")
FACT_NAMES = ("shares_basic", "cash", "debt", "preferred")
QUOTE_LIMIT = 300


class UnreadableDocument(BadInput):
    """Bytes that are no document the reader reads within its limits (too large, compressed past the
    cap, nested too deep, a "PDF" that is not one). One line; the caller names the document."""


@dataclass(frozen=True)
class Found:
    """One disclosure read from a document. `amount` is money as printed, scaled ("$1.28" under
    "(in billions)" is 1280000000); for a balance it is the stated cost basis, never fair value.
    `date` is the period end or as-of date the text states, None when it states none (the caller
    then uses the filing date). `doubt` says what was guessed; None means certain."""

    kind: str                  # buy, sell, mine, balance, fact
    asset: str | None
    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    date: dt.date | None
    period_start: dt.date | None
    name: str | None           # fact name: shares_basic, cash, debt, preferred
    value: Decimal | None      # fact value
    quote: str                 # shortest verbatim words or table row, whitespace collapsed, <= 300 chars
    rule: str                  # the rule that read it
    doubt: str | None = None


@dataclass(frozen=True)
class IssuanceFound:
    """One row of an 8-K "ATM Update" table: shares of one security sold for cash over a period.
    Shares are never coins: an issuance is no buy."""

    date: dt.date | None       # period end / as-of
    period_start: dt.date | None
    security: str              # MSTR (class A common), STRK, STRF, STRD, STRC, STRE, ...
    shares: Decimal | None
    notional: Decimal | None   # preferreds: face value of the shares sold
    net_proceeds: Decimal | None
    capacity_left: Decimal | None  # "available for issuance and sale" under the program
    quote: str
    rule: str
    currency: str | None = "USD"


@dataclass(frozen=True)
class InstrumentFound:
    """A debt or preferred instrument of a 10-Q/10-K (helper xbrl's reader.periodic fills these)."""

    name: str
    member: str | None         # the XBRL member
    kind: str                  # loan, note, convertible, preferred
    currency: str | None
    outstanding: Decimal | None
    basis: str | None          # face or carrying
    rate: Decimal | None
    maturity: dt.date | None
    conversion_price: Decimal | None
    seniority: int | None
    shares: Decimal | None
    liquidation_preference: Decimal | None
    date: dt.date | None       # period end
    tag: str | None
    quote: str
    doubt: str | None = None


@dataclass(frozen=True)
class Reading:
    """Everything one document discloses; empty tuples when it discloses nothing."""

    disclosures: tuple[Found, ...] = ()
    issuance: tuple[IssuanceFound, ...] = ()
    instruments: tuple[InstrumentFound, ...] = ()
    cik: str | None = None     # the document's own dei:EntityCentralIndexKey, if any
    form: str | None = None    # dei:DocumentType, if any
    notes: tuple[str, ...] = field(default=())
