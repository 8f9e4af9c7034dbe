"""Stooq CSV quotes: the shares fallback when Yahoo fails. Needs STOOQ_API_KEY, which Stooq only
accepts as the `apikey` query parameter (httpx's request log is redacted for it, see http.py).
Stooq does not say which currency a quote is in; the market suffix does."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping

import httpx

from dattrack.providers.http import NotConfigured, ProviderError, base_url, get
from dattrack.providers.model import Quote
from dattrack.providers.parse import answer_of, describe_body, positive_price

PROVIDER = "stooq"
# Yahoo-style suffix -> (Stooq market, currency of its quotes). No suffix = a US listing.
MARKETS = {"": ("us", "USD"), "T": ("jp", "JPY"), "HK": ("hk", "HKD"), "DE": ("de", "EUR")}
LATEST_HEADER = ["symbol", "date", "time", "open", "high", "low", "close", "volume"]
HISTORY_HEADER = ["date", "open", "high", "low", "close", "volume"]
LOOKBACK_DAYS = 7


def stooq_symbol(symbol: str) -> tuple[str, str]:
    """(Stooq symbol, currency): MSTR -> ("mstr.us", "USD"), 3350.T -> ("3350.jp", "JPY")."""
    stem, dot, suffix = symbol.rpartition(".")
    if not dot:
        stem, suffix = symbol, ""
    if suffix.upper() not in MARKETS or not stem:
        raise ProviderError(PROVIDER, f"{symbol}: no Stooq market for suffix .{suffix}")
    market, currency = MARKETS[suffix.upper()]
    return f"{stem.lower()}.{market}", currency


def price(client: httpx.Client, env: Mapping[str, str], symbol: str, on: dt.date | None) -> Quote:
    """The latest quote, or the close of the last session on or before `on`, dated that session."""
    key = (env.get("STOOQ_API_KEY") or "").strip()
    if not key:
        raise NotConfigured(PROVIDER, "skipped: STOOQ_API_KEY is not set")
    code, currency = stooq_symbol(symbol)
    base = base_url(PROVIDER, env)
    if on is None:
        params = {"s": code, "f": "sd2t2ohlcv", "h": "", "e": "csv", "apikey": key}
        rows = _rows(get(client, f"{base}/q/l/", provider=PROVIDER, params=params), code, LATEST_HEADER)
        rows = [row for row in rows if row["symbol"].lower() == code]
    else:
        params = {"s": code, "i": "d", "d1": (on - dt.timedelta(days=LOOKBACK_DAYS)).strftime("%Y%m%d"),
                  "d2": on.strftime("%Y%m%d"), "apikey": key}
        rows = _rows(get(client, f"{base}/q/d/l/", provider=PROVIDER, params=params), code, HISTORY_HEADER)
    with answer_of(PROVIDER, code):
        for row in reversed(rows):
            if "N/D" in (row["date"], row["close"]):
                raise ProviderError(PROVIDER, f"{code}: no data (N/D)")
            day = _day(row["date"], code)
            if on is None or day <= on:
                return Quote(symbol, day, positive_price(row["close"], PROVIDER, f"{code} close on {day.isoformat()}"),
                             currency, PROVIDER)
    wanted = "" if on is None else f" on or before {on.isoformat()}"
    raise ProviderError(PROVIDER, f"{code}: no quote{wanted}")


def _rows(response: httpx.Response, code: str, header: list[str]) -> list[dict[str, str]]:
    """CSV rows keyed by lower-case column; an HTML page or a line of text ("No data",
    "Access denied") in place of the expected header is a failure, whatever the status."""
    lines = response.text.strip().splitlines()
    if response.status_code != 200 or not lines or [c.strip().lower() for c in lines[0].split(",")] != header:
        raise ProviderError(PROVIDER, f"{code}: HTTP {response.status_code} with {describe_body(response)} instead of CSV")
    rows = []
    for values in csv.reader(lines[1:]):
        if len(values) != len(header):
            raise ProviderError(PROVIDER, f"{code}: CSV row with {len(values)} fields, expected {len(header)}")
        rows.append(dict(zip(header, (v.strip() for v in values))))
    return rows


def _day(text: str, code: str) -> dt.date:
    """Stooq writes dates as 2025-09-18 or 20250918 depending on the endpoint."""
    for layout in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            pass
    raise ProviderError(PROVIDER, f"{code}: unreadable date {text[:20]!r}")
