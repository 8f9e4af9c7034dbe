"""Kraken public market data: the last crypto fallback. Keyless; errors arrive inside HTTP 200."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import httpx

from dattrack.dates import today
from dattrack.providers.http import ProviderError, base_url, get
from dattrack.providers.model import Quote
from dattrack.providers.parse import DAY_SECONDS, answer_of, json_body, midnight, positive_price, shorten

PROVIDER = "kraken"
# Kraken's own names for a few assets; the answer's key is renamed again (XBTUSD -> XXBTZUSD).
ALIASES = {"BTC": "XBT", "DOGE": "XDG"}


def pair_of(asset: str) -> str:
    return f"{ALIASES.get(asset.upper(), asset.upper())}USD"


def price(client: httpx.Client, env: Mapping[str, str], asset: str, on: dt.date | None) -> Quote:
    """The last trade now (dated today, UTC), or for a date the open of that day's daily candle:
    00:00 UTC, the instant CoinGecko's daily point stands for, so fallbacks agree."""
    pair = pair_of(asset)
    base = base_url(PROVIDER, env)
    if on is None:
        response = get(client, f"{base}/0/public/Ticker", provider=PROVIDER, params={"pair": pair})
        with answer_of(PROVIDER, pair):
            ticker = _only_entry(_result(response, pair), pair)
            last = ticker.get("c") if isinstance(ticker, dict) else None
            if not (isinstance(last, list) and last):
                raise ProviderError(PROVIDER, f"{pair}: ticker has no last trade")
            return Quote(asset, today(), positive_price(last[0], PROVIDER, pair), "USD", PROVIDER)
    start = midnight(on)
    params = {"pair": pair, "interval": 1440, "since": start - DAY_SECONDS}
    response = get(client, f"{base}/0/public/OHLC", provider=PROVIDER, params=params)
    with answer_of(PROVIDER, pair):
        result = _result(response, pair)
        rows = _only_entry({k: v for k, v in result.items() if k != "last"}, pair)
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, list) and len(row) > 1 and row[0] == start:
                return Quote(asset, on, positive_price(row[1], PROVIDER, f"{pair} on {on.isoformat()}"), "USD",
                             PROVIDER)
    raise ProviderError(PROVIDER, f"{pair}: no daily candle for {on.isoformat()} (only the last 720 days are served)")


def _result(response: httpx.Response, pair: str) -> dict[str, Any]:
    payload = json_body(response, PROVIDER)
    errors = payload.get("error") if isinstance(payload, dict) else None
    if errors:
        text = "; ".join(map(str, errors)) if isinstance(errors, list) else errors
        raise ProviderError(PROVIDER, f"{pair}: {shorten(text)} (HTTP {response.status_code})")
    if response.status_code != 200:
        raise ProviderError(PROVIDER, f"{pair}: HTTP {response.status_code}")
    result = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(result, dict):
        raise ProviderError(PROVIDER, f"{pair}: answer has no result")
    return result


def _only_entry(result: dict[str, Any], pair: str) -> Any:
    """The one entry whatever Kraken renamed its key to."""
    if len(result) != 1:
        raise ProviderError(PROVIDER, f"{pair}: expected one pair in the result, got {len(result)}")
    return next(iter(result.values()))
