"""Yahoo chart API: shares (MSTR, 3350.T) and FX (JPY=X). Keyless and best effort, hence the
Stooq fallback for shares. A bar's market day is taken in the exchange's own time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from dattrack.providers.http import ProviderError, base_url, get
from dattrack.providers.model import Quote
from dattrack.providers.parse import (DAY_SECONDS, MAX_TIMESTAMP, answer_of, json_body, local_day, midnight,
                                      positive_price, shorten)

PROVIDER = "yahoo"
# Yahoo throttles clients that do not look like a browser.
HEADERS = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) dattrack"}
# A week back reaches the last session before a long weekend or holiday.
LOOKBACK_DAYS = 7
# Minor units some exchanges quote in: price / factor is in the major currency.
MINOR_UNITS = {"GBp": ("GBP", 100), "GBX": ("GBP", 100), "ZAc": ("ZAR", 100), "ILA": ("ILS", 100)}


def fx_symbol(pair: str) -> str:
    """Yahoo's name for an FX pair: USDJPY -> JPY=X (Yahoo's USD crosses), EURJPY -> EURJPY=X."""
    base, counter = pair[:3].upper(), pair[3:].upper()
    return f"{counter}=X" if base == "USD" else f"{base}{counter}=X"


def price(client: httpx.Client, env: Mapping[str, str], symbol: str, on: dt.date | None) -> Quote:
    """Latest: the last bar with a close (the live session's price while it trades).
    For a date: the close of the last finished session on or before it, dated that session."""
    if on is None:
        params: dict[str, Any] = {"range": "5d", "interval": "1d"}
    else:
        params = {"period1": midnight(on) - LOOKBACK_DAYS * DAY_SECONDS, "period2": midnight(on) + 2 * DAY_SECONDS,
                  "interval": "1d"}
    url = f"{base_url(PROVIDER, env)}/v8/finance/chart/{quote(symbol, safe='=.^-')}"
    response = get(client, url, provider=PROVIDER, params=params, headers=HEADERS)
    with answer_of(PROVIDER, symbol):
        return _quote(_result(response, symbol), symbol, on)


def _quote(result: dict[str, Any], symbol: str, on: dt.date | None) -> Quote:
    meta = result.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("currency"), str):
        raise ProviderError(PROVIDER, f"{symbol}: answer has no currency")
    zone = _zone(meta)
    live = _live_day(meta, zone) if on is not None else None
    for day, close in reversed(_bars(result, zone, symbol)):
        if close is None or day == live or (on is not None and day > on):
            continue
        value = positive_price(close, PROVIDER, f"{symbol} close on {day.isoformat()}")
        currency, factor = MINOR_UNITS.get(meta["currency"], (meta["currency"].upper(), 1))
        return Quote(symbol, day, value / factor, currency, PROVIDER)
    wanted = "in the last 5 days" if on is None else f"on or before {on.isoformat()}"
    raise ProviderError(PROVIDER, f"{symbol}: no closing price {wanted}")


def _result(response: httpx.Response, symbol: str) -> dict[str, Any]:
    payload = json_body(response, PROVIDER)
    chart = payload.get("chart") if isinstance(payload, dict) else None
    if not isinstance(chart, dict):
        raise ProviderError(PROVIDER, f"{symbol}: HTTP {response.status_code}, answer is not a chart")
    error = chart.get("error")
    if error:
        detail = error.get("description") or error.get("code") if isinstance(error, dict) else error
        raise ProviderError(PROVIDER, f"{symbol}: {shorten(detail)} (HTTP {response.status_code})")
    if response.status_code != 200:
        raise ProviderError(PROVIDER, f"{symbol}: HTTP {response.status_code}")
    results = chart.get("result")
    if not (isinstance(results, list) and results and isinstance(results[0], dict)):
        raise ProviderError(PROVIDER, f"{symbol}: chart has no result")
    return results[0]


def _bars(result: dict[str, Any], zone: dt.tzinfo, symbol: str) -> list[tuple[dt.date, Decimal | int | None]]:
    """(market day, close) per bar, oldest first; a close may be null."""
    timestamps = result.get("timestamp") or []
    indicators = result.get("indicators")
    quotes = indicators.get("quote") if isinstance(indicators, dict) else None
    first = quotes[0] if isinstance(quotes, list) and quotes else None
    closes = (first.get("close") or []) if isinstance(first, dict) else []
    if not (isinstance(timestamps, list) and isinstance(closes, list)) or len(timestamps) != len(closes):
        raise ProviderError(PROVIDER, f"{symbol}: timestamps and closes do not line up")
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in timestamps):
        raise ProviderError(PROVIDER, f"{symbol}: malformed timestamps")
    # A bar stamped outside any plausible time is dropped; the others keep their closes.
    return [(local_day(t, zone, PROVIDER), close) for t, close in zip(timestamps, closes)
            if 0 <= t <= MAX_TIMESTAMP]


def _zone(meta: dict[str, Any]) -> dt.tzinfo:
    """The exchange's time zone, so that a Tokyo session is dated in Tokyo."""
    name = meta.get("exchangeTimezoneName")
    if isinstance(name, str):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    offset = meta.get("gmtoffset")
    if isinstance(offset, int) and not isinstance(offset, bool) and abs(offset) < DAY_SECONDS:
        return dt.timezone(dt.timedelta(seconds=offset))
    return dt.timezone.utc


def _live_day(meta: dict[str, Any], zone: dt.tzinfo) -> dt.date | None:
    """The day of a session still trading (its bar's close is not a close yet), if any."""
    regular = (meta.get("currentTradingPeriod") or {}).get("regular")
    market_time = meta.get("regularMarketTime")
    if not (isinstance(regular, dict) and isinstance(market_time, int)):
        return None
    start, end = regular.get("start"), regular.get("end")
    if isinstance(start, int) and isinstance(end, int) and start <= market_time < end:
        return local_day(start, zone, PROVIDER)
    return None
