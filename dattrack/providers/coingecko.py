"""CoinGecko: the default crypto source, and FX cross rates from the same single request.

Plans and keys. Without COINGECKO_API_KEY the public host is used keyless. With a key,
COINGECKO_API_PLAN says which plan it belongs to: `demo` (the default: api.coingecko.com,
header `x-cg-demo-api-key`) or `pro` (pro-api.coingecko.com, header `x-cg-pro-api-key`).
Demo and pro keys look alike, so the plan is not guessed from the key; a key sent to the wrong
host is answered with error 10010/10011, and the failure says which variable to set.
DATTRACK_COINGECKO_URL replaces the host of either plan (proxies, tests). The key travels in a
header only, never in the URL.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from dattrack.dates import today
from dattrack.providers.http import ProviderError, base_url, get
from dattrack.providers.parse import DAY_SECONDS, answer_of, json_body, midnight, positive_price, shorten, utc_day

PROVIDER = "coingecko"
PRO_URL = "https://pro-api.coingecko.com/api/v3"
# Cross rates come from prices with about 10 significant digits; more digits would be noise.
CROSS_CONTEXT = decimal.Context(prec=12)
# The coin whose prices in two currencies give their cross rate: the most liquid one.
CROSS_COIN = "bitcoin"
# market_chart/range answers with daily points (at 00:00 UTC) only for ranges over 90 days.
HISTORY_SPAN_DAYS = 95
# A daily point stamped a few minutes off midnight is still that day's snapshot.
MIDNIGHT_SLACK_SECONDS = 15 * 60
WRONG_HOST_CODES = {10010, 10011}


def settings(env: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """Base URL and key header for the configured plan (see the module docstring)."""
    key = (env.get("COINGECKO_API_KEY") or "").strip()
    plan = (env.get("COINGECKO_API_PLAN") or "demo").strip().lower()
    if plan not in ("demo", "pro"):
        raise ProviderError(PROVIDER, f"COINGECKO_API_PLAN must be 'demo' or 'pro', not {shorten(plan, 20)!r}")
    if plan == "pro" and not key:
        raise ProviderError(PROVIDER, "COINGECKO_API_PLAN=pro needs COINGECKO_API_KEY")
    base = PRO_URL if plan == "pro" and not env.get("DATTRACK_COINGECKO_URL") else base_url(PROVIDER, env)
    return base, ({f"x-cg-{plan}-api-key": key} if key else {})


@dataclass(frozen=True)
class SimplePrices:
    """One /simple/price answer: {coin id: {currency: price, "last_updated_at": seconds}}."""

    coins: Mapping[str, Any]

    def price(self, coin_id: str, currency: str = "usd") -> tuple[Decimal, dt.date]:
        """The coin's price in `currency` and the UTC day CoinGecko last updated it."""
        with answer_of(PROVIDER, coin_id):
            return self._price(coin_id, currency)

    def _price(self, coin_id: str, currency: str) -> tuple[Decimal, dt.date]:
        entry = self.coins.get(coin_id)
        if not isinstance(entry, dict):
            raise ProviderError(PROVIDER, f"no price for id {coin_id!r}")
        if entry.get(currency) is None:
            raise ProviderError(PROVIDER, f"no {currency.upper()} price for id {coin_id!r}")
        price = positive_price(entry[currency], PROVIDER, f"{coin_id} in {currency.upper()}")
        updated = entry.get("last_updated_at")
        if updated is None:
            return price, today()
        if isinstance(updated, bool) or not isinstance(updated, int):
            raise ProviderError(PROVIDER, f"{coin_id}: last_updated_at {shorten(repr(updated), 40)} is not a timestamp")
        return price, utc_day(updated, PROVIDER)

    def cross(self, base: str, quote: str) -> tuple[Decimal, dt.date]:
        """Units of `quote` per 1 `base`, from the cross coin priced in both."""
        base_price, day = self.price(CROSS_COIN, base.lower())
        quote_price, _ = self.price(CROSS_COIN, quote.lower())
        return cross_rate(quote_price, base_price), day


def cross_rate(quote_price: Decimal, base_price: Decimal) -> Decimal:
    """quote/base rounded to the precision the inputs carry, trailing zeros dropped."""
    return CROSS_CONTEXT.divide(quote_price, base_price).normalize(CROSS_CONTEXT)


def simple_prices(client: httpx.Client, env: Mapping[str, str], ids: Iterable[str],
                  currencies: Iterable[str]) -> SimplePrices:
    """Every coin in every currency with one request (unknown ids are simply absent)."""
    params = {"ids": ",".join(sorted(set(ids))), "vs_currencies": ",".join(sorted({c.lower() for c in currencies})),
              "include_last_updated_at": "true"}
    payload = get_json(client, env, "/simple/price", params)
    if not isinstance(payload, dict):
        raise ProviderError(PROVIDER, "/simple/price did not answer with an object")
    return SimplePrices(payload)


def day_price(client: httpx.Client, env: Mapping[str, str], coin_id: str, day: dt.date,
              currency: str = "usd") -> Decimal:
    """The coin's price at 00:00 UTC of `day` — CoinGecko's daily snapshot, the same instant its
    /coins/{id}/history endpoint reports for a date."""
    start = midnight(day)
    params = {"vs_currency": currency.lower(), "from": start - HISTORY_SPAN_DAYS * DAY_SECONDS, "to": start + DAY_SECONDS}
    payload = get_json(client, env, f"/coins/{quote(coin_id, safe='')}/market_chart/range", params)
    with answer_of(PROVIDER, coin_id):
        return _day_point(payload, coin_id, start, day, currency)


def daily_cross_rates(client: httpx.Client, env: Mapping[str, str], currency: str, first: dt.date,
                      last: dt.date) -> dict[dt.date, Decimal]:
    """Units of `currency` per 1 USD at 00:00 UTC of each day from `first` to `last` that CoinGecko
    has, from two daily series of the cross coin (two requests, however many days)."""
    start = midnight(first) - HISTORY_SPAN_DAYS * DAY_SECONDS  # a span over 90 days: daily points
    end = midnight(last) + DAY_SECONDS
    series = {}
    for vs in ("usd", currency.lower()):
        payload = get_json(client, env, f"/coins/{CROSS_COIN}/market_chart/range",
                           {"vs_currency": vs, "from": start, "to": end})
        with answer_of(PROVIDER, CROSS_COIN):
            series[vs] = _midnight_points(payload, first, last)
    return {day: cross_rate(series[currency.lower()][day], series["usd"][day])
            for day in series["usd"] if day in series[currency.lower()]}


def _midnight_points(payload: Any, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    points = payload.get("prices") if isinstance(payload, dict) else None
    if not isinstance(points, list):
        raise ProviderError(PROVIDER, f"market_chart for {CROSS_COIN!r} has no price series")
    found = {}
    for stamp, price in points:
        seconds = int(stamp) // 1000
        day = utc_day(seconds + MIDNIGHT_SLACK_SECONDS, PROVIDER)
        if first <= day <= last and abs(seconds - midnight(day)) <= MIDNIGHT_SLACK_SECONDS:
            found[day] = positive_price(price, PROVIDER, f"{CROSS_COIN} on {day.isoformat()}")
    return found


def _day_point(payload: Any, coin_id: str, start: int, day: dt.date, currency: str) -> Decimal:
    points = payload.get("prices") if isinstance(payload, dict) else None
    if not isinstance(points, list):
        raise ProviderError(PROVIDER, f"market_chart for {coin_id!r} has no price series")
    best = None
    for point in points:
        if not (isinstance(point, list) and len(point) == 2 and isinstance(point[0], (int, Decimal))):
            raise ProviderError(PROVIDER, f"market_chart for {coin_id!r} has a malformed point")
        distance = abs(point[0] / 1000 - start)
        if distance <= MIDNIGHT_SLACK_SECONDS and (best is None or distance < best[0]):
            best = (distance, point[1])
    if best is None:
        raise ProviderError(PROVIDER, f"no 00:00 UTC point for {coin_id!r} on {day.isoformat()}")
    return positive_price(best[1], PROVIDER, f"{coin_id} in {currency.upper()} on {day.isoformat()}")


def get_json(client: httpx.Client, env: Mapping[str, str], path: str, params: Mapping | None = None) -> Any:
    """GET an API path with the configured host and key, and return its JSON body (errors raised)."""
    base, headers = settings(env)
    response = get(client, f"{base}{path}", provider=PROVIDER, params=params, headers=headers)
    with answer_of(PROVIDER, path):
        return payload(response)


def payload(response: httpx.Response) -> Any:
    """The JSON body, or ProviderError with CoinGecko's own message: errors come in several
    shapes, sometimes inside HTTP 200, so the body is read whatever the status."""
    payload = json_body(response, PROVIDER)
    message = _error_message(payload)
    if message is not None:
        raise ProviderError(PROVIDER, f"{message} (HTTP {response.status_code})")
    if response.status_code != 200:
        raise ProviderError(PROVIDER, f"HTTP {response.status_code}")
    return payload


def _error_message(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, str):
        return shorten(error)
    status = error.get("status") if isinstance(error, dict) else payload.get("status")
    if isinstance(status, dict) and "error_code" in status:
        code = status.get("error_code")
        message = f"error {code}: {shorten(status.get('error_message', ''))}"
        if code in WRONG_HOST_CODES:
            message += " (the key does not match the host: set COINGECKO_API_PLAN=pro for a pro key, demo for a demo key)"
        return message
    return None if error is None else shorten(repr(error))
