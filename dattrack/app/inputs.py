"""Checks of what a user typed (a ticker, a symbol, a currency, a kind): the text in, the clean
value out, or BadInput naming the problem. No store, no I/O."""

from __future__ import annotations

import re

from dattrack.dates import parse_date
from dattrack.errors import BadInput
from dattrack.ledger import KINDS, METHODS, ORIGINS

TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-_]{0,19}\Z")
SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-_=^]{0,19}\Z")
CURRENCY = re.compile(r"^[A-Z]{3}\Z")


def _ascii_upper(text: str | None) -> str:
    """Upper case for ASCII only: 'ß'.upper() is 'SS', which must be refused, not accepted."""
    value = (text or "").strip()
    return value.upper() if value.isascii() else value


def check_kind(kind: str | None) -> str:
    value = (kind or "").strip().lower()
    if value not in KINDS:
        raise BadInput(f"unknown event kind {kind!r}: use one of {', '.join(KINDS)}")
    return value


def check_origin(origin: str | None) -> str:
    if origin not in ORIGINS:
        raise BadInput(f"unknown event origin {origin!r}: use one of {', '.join(ORIGINS)}")
    return origin


def check_method(method: str) -> str:
    if method not in METHODS:
        raise BadInput(f"unknown cost basis method {method!r}: use one of {', '.join(METHODS)}")
    return method


def ticker_key(text: object) -> str | None:
    """The ticker a user typed, as it is stored: stripped and upper case. Only ASCII can name a
    ticker ('ß'.upper() is 'SS', which must not find the company SS): anything else is None."""
    value = str(text if text is not None else "").strip()
    return value.upper() if value and value.isascii() else None


def check_ticker(ticker: str) -> str:
    """A new ticker: ticker_key() of the text, and of the shape tickers have."""
    value = ticker_key(ticker) or ""
    if not TICKER.match(value):
        raise BadInput(f"invalid ticker {ticker!r}: letters, digits, '.', '-' or '_', at most 20")
    return value


def check_symbol(symbol: str, what: str) -> str:
    value = _ascii_upper(symbol)
    if not SYMBOL.match(value):
        raise BadInput(f"invalid {what} {symbol!r}")
    return value


def check_currency(currency: str) -> str:
    value = _ascii_upper(currency)
    if not CURRENCY.match(value):
        raise BadInput(f"invalid currency {currency!r}: a three-letter code such as USD or JPY")
    return value


def check_cik(cik) -> int | None:
    if cik is None or str(cik).strip() == "":
        return None
    text = str(cik).strip()
    if not text.isdigit() or int(text) == 0 or len(text) > 10:
        raise BadInput(f"invalid CIK {cik!r}: a positive number of at most 10 digits")
    return int(text)


def row_id(value: object) -> int | None:
    """The id a user typed, as the store keeps ids (a positive 64-bit integer), or None when the text
    can name no row (0, negative, beyond 64 bits, not a number): "no X with id N", never an overflow."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number < 2 ** 63 else None


def check_known_on(text: str | None, date: str, default: str, what: str = "--known-on", *,
                   announced: bool = False) -> str:
    """The day a disclosure dated `date` became public: the text given (ISO, not in the future), else
    `default`. An event is never public before the day it covers; a figure that can be announced
    ahead (`announced`: a fact such as a split's effective date, an instrument's issue) may be."""
    if text is None or not str(text).strip():
        return default
    known_on = parse_date(text, what).isoformat()
    if known_on < date and not announced:
        raise BadInput(f"{what} {known_on} is before the date {date} it covers: a disclosure is public on or "
                       "after the day it covers")
    return known_on


def check_estimate(text: str | None) -> str | None:
    """Why a figure is rounded, derived or estimated (one line), or None."""
    value = " ".join(str(text or "").split())
    if len(value) > 500:
        raise BadInput(f"--estimate is {len(value)} characters long: say why in at most 500")
    return value or None
