"""Prices for a list of needs: a chain of providers per symbol, run on a small thread pool.

Chains (the first provider that answers wins; every failure's cause is kept):
  crypto  CoinGecko -> Coinbase -> Kraken           (USD)
  stock   Yahoo -> Stooq (only with STOOQ_API_KEY)  (the currency the provider reports)
  fx      CoinGecko cross rate -> Yahoo ("JPY=X")   (USDJPY = JPY per 1 USD)

`on=None` asks for the latest price, dated with its market day (UTC for crypto, the exchange's
day for shares). A date asks for history: crypto and FX at 00:00 UTC of that date (CoinGecko's
daily snapshot; Kraken's fallback takes the open of that day's candle, the same instant;
Coinbase's is its `date=` price for that UTC day); shares at the close of the last finished
session on or before it, dated that session, so a Saturday gets Friday's close, dated Friday.

A symbol no provider can price lands in `failures` with every provider's cause; nothing a
provider sends can become a zero price or an exception out of here. Keys never appear in causes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx

from dattrack.providers import coinbase, coingecko, kraken, stooq, yahoo
from dattrack.dates import today
from dattrack.providers.breaker import Breaker
from dattrack.providers import http
from dattrack.providers.http import (NotConfigured, OutOfTime, ProviderError, Unreachable, counting, interruptible,
                                     run_bound)
from dattrack.providers.model import FetchResult, PriceNeed, Quote
from dattrack.secrets import configured, scrub

__all__ = ["FetchResult", "PriceNeed", "Quote", "fetch_prices"]

Step = tuple[str, Callable[[], Quote]]


def fetch_prices(needs: list[PriceNeed], on: dt.date | None, *, client: httpx.Client,
                 env: Mapping[str, str] | None = None,
                 progress: Callable[[int], None] | None = None) -> FetchResult:
    """Price every need (duplicates by symbol are priced once). `progress(done)` is called from
    the calling thread with the number of symbols finished so far, 1 to len(unique needs)."""
    env = os.environ if env is None else env
    first: dict[str, PriceNeed] = {}
    for need in needs:
        first.setdefault(need.symbol, need)
    unique = list(first.values())
    run = _Run(client, env, on, unique)
    outcomes: dict[str, Quote | Failure] = {}
    with counting() as counter, run_bound():
        if unique:
            with ThreadPoolExecutor(max_workers=min(http.POOL_SIZE, len(unique)), thread_name_prefix="dattrack-price") as pool, \
                    interruptible():  # Ctrl-C: workers stop within a second, queued symbols are dropped
                futures = {pool.submit(contextvars.copy_context().run, run.price, need): need for need in unique}
                try:
                    for done, future in enumerate(as_completed(futures), start=1):
                        outcomes[futures[future].symbol] = future.result()
                        if progress is not None:
                            progress(done)
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
    keys = configured(env)  # causes are built without keys, but a provider may echo one back
    failed = {need.symbol: outcome for need in unique if isinstance(outcome := outcomes[need.symbol], Failure)}
    return FetchResult(
        quotes=[outcome for need in unique if isinstance(outcome := outcomes[need.symbol], Quote)],
        failures={symbol: scrub(failure.cause, keys) for symbol, failure in failed.items()},
        requests=counter.count,
        offline={symbol: failure.hosts for symbol, failure in failed.items() if failure.hosts},
        late=tuple(symbol for symbol, failure in failed.items() if failure.late),
    )


class Failure:
    """Why a symbol could not be priced: each provider's error, in chain order."""

    def __init__(self, errors: list[ProviderError]):
        self.errors = errors

    @property
    def cause(self) -> str:
        return "; ".join(str(error) for error in self.errors)

    @property
    def late(self) -> bool:
        """Not had because the command's deadline came first (whatever was tried before)."""
        return bool(self.errors) and isinstance(self.errors[-1], OutOfTime)

    @property
    def hosts(self) -> tuple[str, ...]:
        """The unreachable hosts, when nothing but the network stood in the way (every provider
        asked was unreachable; one not set up to be asked does not count); else ()."""
        asked = [error for error in self.errors if not isinstance(error, NotConfigured)]
        if asked and all(isinstance(error, Unreachable) for error in asked):
            return tuple(dict.fromkeys(error.host for error in asked))
        return ()


class _Run:
    """One fetch: the needs' chains, the shared CoinGecko answers and the breaker."""

    def __init__(self, client: httpx.Client, env: Mapping[str, str], on: dt.date | None, needs: list[PriceNeed]):
        self.client, self.env, self.on = client, env, on
        self.once = _Once()
        self.today = today()
        self.breaker = Breaker()
        fx_currencies = {code.lower() for need in needs if need.kind == "fx" and _is_pair(need.symbol)
                         for code in (need.symbol[:3], need.symbol[3:])}
        self.coin_ids = {need.provider_id for need in needs if need.kind == "crypto" and need.provider_id}
        if fx_currencies:
            self.coin_ids.add(coingecko.CROSS_COIN)
        self.currencies = {"usd"} | fx_currencies

    def price(self, need: PriceNeed) -> Quote | Failure:
        """The need's quote, or the causes of every provider that failed."""
        errors: list[ProviderError] = []
        for provider, step in self._chain(need):
            skipped = self.breaker.skip(provider)
            if skipped:
                errors.append(skipped)
                continue
            try:
                quote = step()
            except OutOfTime as error:  # the next provider would not be asked either
                errors.append(error)
                break
            except ProviderError as error:
                errors.append(error)
                self.breaker.record(provider, error)
            except httpx.HTTPError as error:
                errors.append(ProviderError(provider, type(error).__name__))
            else:
                self.breaker.record(provider, None)
                absurd = self._absurd(quote)
                if absurd:
                    errors.append(ProviderError(provider, absurd))
                    continue
                return replace(quote, symbol=need.symbol)
        return Failure(errors)

    def _absurd(self, quote: Quote) -> str | None:
        """Why a quote cannot be true: dated after the day asked for (a day of slack for
        exchanges ahead of UTC)."""
        latest = (self.on or self.today) + dt.timedelta(days=1 if self.on is None else 0)
        if quote.date > latest:
            return f"a price dated {quote.date.isoformat()}, after {(self.on or self.today).isoformat()}; refused"
        return None

    def _chain(self, need: PriceNeed) -> list[Step]:
        client, env, on, symbol = self.client, self.env, self.on, need.symbol
        if need.kind == "crypto":
            return [("coingecko", lambda: self._coingecko_coin(need)),
                    ("coinbase", lambda: coinbase.price(client, env, symbol, on)),
                    ("kraken", lambda: kraken.price(client, env, symbol, on))]
        if need.kind == "stock":
            return [("yahoo", lambda: yahoo.price(client, env, symbol, on)),
                    ("stooq", lambda: stooq.price(client, env, symbol, on))]
        if need.kind == "fx":
            if not _is_pair(symbol):
                return [("dattrack", _fail(f"{symbol!r} is not an FX pair like USDJPY"))]
            return [("coingecko", lambda: self._coingecko_cross(symbol)),
                    ("yahoo", lambda: self._yahoo_fx(symbol))]
        return [("dattrack", _fail(f"unknown price kind {need.kind!r} for {symbol}"))]

    def _simple(self) -> coingecko.SimplePrices:
        return self.once.get("simple", lambda: coingecko.simple_prices(self.client, self.env, self.coin_ids,
                                                                       self.currencies))

    def _day_price(self, coin_id: str, currency: str) -> Decimal:
        currency = currency.lower()
        return self.once.get(("day", coin_id, currency),
                             lambda: coingecko.day_price(self.client, self.env, coin_id, self.on, currency))

    def _coingecko_coin(self, need: PriceNeed) -> Quote:
        if not need.provider_id:
            raise ProviderError("coingecko", f"no CoinGecko id for {need.symbol}")
        if self.on is None:
            price, day = self._simple().price(need.provider_id)
        else:
            price, day = self._day_price(need.provider_id, "usd"), self.on
        return Quote(need.symbol, day, price, "USD", "coingecko")

    def _coingecko_cross(self, pair: str) -> Quote:
        base, counter = pair[:3].upper(), pair[3:].upper()
        if self.on is None:
            rate, day = self._simple().cross(base, counter)
        else:
            coin = coingecko.CROSS_COIN
            rate, day = coingecko.cross_rate(self._day_price(coin, counter), self._day_price(coin, base)), self.on
        return Quote(pair, day, rate, counter, "coingecko")

    def _yahoo_fx(self, pair: str) -> Quote:
        quote = yahoo.price(self.client, self.env, yahoo.fx_symbol(pair), self.on)
        if quote.currency != pair[3:].upper():
            raise ProviderError("yahoo", f"{yahoo.fx_symbol(pair)} is priced in {quote.currency}, not {pair[3:].upper()}")
        return quote


def _is_pair(symbol: str) -> bool:
    return len(symbol) == 6 and symbol.isascii() and symbol.isalpha()


def _fail(cause: str) -> Callable[[], Quote]:
    def step() -> Quote:
        raise ProviderError("dattrack", cause)
    return step


class _Once:
    """Runs each keyed call once per fetch however many threads ask, so the one /simple/price
    request serves every coin and a coin's history is fetched once for its price and FX."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._futures: dict[Any, Future] = {}

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if owner:
                future = self._futures[key] = Future()
        if owner:
            try:
                future.set_result(compute())
            except Exception as error:  # every waiter sees the same failure
                future.set_exception(error)
        return future.result()
