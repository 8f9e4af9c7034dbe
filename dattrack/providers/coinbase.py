"""Coinbase spot prices: the first crypto fallback. Keyless; `date=` gives a past day's price."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import quote

import httpx

from dattrack.dates import today
from dattrack.providers.http import ProviderError, base_url, get
from dattrack.providers.model import Quote
from dattrack.providers.parse import answer_of, json_body, positive_price, shorten

PROVIDER = "coinbase"


def price(client: httpx.Client, env: Mapping[str, str], asset: str, on: dt.date | None) -> Quote:
    """The USD price of `asset` now (dated today, UTC: Coinbase gives no timestamp) or on `on`."""
    pair = f"{asset.upper()}-USD"
    url = f"{base_url(PROVIDER, env)}/v2/prices/{quote(pair, safe='')}/spot"
    response = get(client, url, provider=PROVIDER, params={"date": on.isoformat()} if on else None)
    with answer_of(PROVIDER, pair):
        return _quote(response, asset, pair, on)


def _quote(response: httpx.Response, asset: str, pair: str, on: dt.date | None) -> Quote:
    payload = json_body(response, PROVIDER)
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if errors:
        first = errors[0] if isinstance(errors, list) and isinstance(errors[0], dict) else {}
        raise ProviderError(PROVIDER, f"{pair}: {shorten(first.get('message') or first.get('id') or errors)} "
                                      f"(HTTP {response.status_code})")
    if response.status_code != 200:
        raise ProviderError(PROVIDER, f"{pair}: HTTP {response.status_code}")
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise ProviderError(PROVIDER, f"{pair}: answer has no data")
    if data.get("currency") != "USD" or str(data.get("base", "")).upper() != asset.upper():
        raise ProviderError(PROVIDER, f"{pair}: answer is for {data.get('base')}-{data.get('currency')}")
    amount = positive_price(data.get("amount"), PROVIDER, pair)
    return Quote(asset, on or today(), amount, "USD", PROVIDER)
