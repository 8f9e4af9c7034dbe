"""Reading provider answers strictly: exact JSON numbers, checked prices, UTC days.

A provider that sends something other than what it promises (HTML, plain text, a null, a zero)
raises ProviderError here, so callers never turn a bad answer into a price."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from dattrack.numbers import MAX_ABS, MAX_FRACTION_DIGITS, rounded
from dattrack.providers.http import ProviderError

DAY_SECONDS = 86400
# What reading an answer of an unexpected shape can raise (a list where a dict was promised, a
# timestamp out of range...). Only code that reads a provider's decoded answer converts these.
MALFORMED = (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError, OSError)


@contextlib.contextmanager
def answer_of(provider: str, what: str):
    """Around code that reads a provider's decoded answer and nothing else: an answer of an
    unexpected shape becomes ProviderError. A bug anywhere else stays a bug (cli/app.py's boundary)."""
    try:
        yield
    except ProviderError:
        raise
    except MALFORMED as error:
        raise ProviderError(provider, f"{what}: malformed answer ({type(error).__name__})") from None


def json_body(response: httpx.Response, provider: str) -> Any:
    """The body as JSON with every fraction a Decimal (never a float), NaN/Infinity included so
    that the price check can reject them."""
    try:
        return json.loads(response.content, parse_float=Decimal, parse_constant=Decimal)
    except (ValueError, RecursionError):
        pass  # reported below, outside the handler, so no decoding traceback is chained
    raise ProviderError(provider, f"HTTP {response.status_code} with {describe_body(response)} instead of JSON")


def describe_body(response: httpx.Response) -> str:
    """A short, printable account of an unexpected body: 'an HTML page' or its first line."""
    text = response.text.strip()
    if "html" in response.headers.get("content-type", "") or text[:1] == "<":
        return "an HTML page"
    if not text:
        return "an empty body"
    return f"text {shorten(text.splitlines()[0])!r}"


def shorten(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def positive_price(value: Any, provider: str, what: str) -> Decimal:
    """An exact price from a JSON number or a numeric string: finite, > 0, within the ledger's
    limits (at most 10^15, 18 decimals) — anything else is the provider's failure, not a 0."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ProviderError(provider, f"{what}: no price (got {shorten(repr(value), 40)})")
    try:
        price = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise ProviderError(provider, f"{what}: price {shorten(value, 40)!r} is not a number") from None
    if not price.is_finite() or price <= 0:
        raise ProviderError(provider, f"{what}: price {price} is not a positive finite number")
    if price > MAX_ABS:
        raise ProviderError(provider, f"{what}: price {price} is larger than 10^15")
    exponent = price.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_FRACTION_DIGITS:
        price = rounded(price)
        if price == 0:
            raise ProviderError(provider, f"{what}: price {value} rounds to 0 at {MAX_FRACTION_DIGITS} decimals")
    return price


# Timestamps a provider may plausibly send: 1970 to 2200. Anything else is a malformed answer.
MAX_TIMESTAMP = 7258118400


def utc_day(seconds: Any, provider: str = "provider") -> dt.date:
    """The UTC date of a Unix timestamp given in seconds."""
    return local_day(seconds, dt.timezone.utc, provider)


def local_day(seconds: Any, zone: dt.tzinfo, provider: str = "provider") -> dt.date:
    """The date in `zone` of a Unix timestamp; ProviderError when it is not a plausible one."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, Decimal)) or not 0 <= seconds <= MAX_TIMESTAMP:
        raise ProviderError(provider, f"timestamp {shorten(repr(seconds), 40)} is out of range")
    try:
        return dt.datetime.fromtimestamp(int(seconds), zone).date()
    except (OverflowError, OSError, ValueError):
        raise ProviderError(provider, f"timestamp {shorten(repr(seconds), 40)} is out of range") from None


def midnight(day: dt.date) -> int:
    """Unix seconds of 00:00 UTC on `day`."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
