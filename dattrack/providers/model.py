"""What the price fetcher is asked for and what it answers (re-exported by `fetch`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PriceNeed:
    """One symbol to price: an asset ("BTC"), a quote symbol ("MSTR", "3350.T") or an FX pair
    ("USDJPY" = JPY per 1 USD). `provider_id` is the CoinGecko id of a crypto asset ("bitcoin")."""

    symbol: str
    kind: str  # "crypto" | "stock" | "fx"
    provider_id: str | None = None


@dataclass(frozen=True)
class Quote:
    """A positive, finite, exact price of `symbol` on `date` (the market day it belongs to)."""

    symbol: str
    date: dt.date
    price: Decimal
    currency: str
    source: str  # the provider that answered: "coingecko", "coinbase", "kraken", "yahoo", "stooq"


@dataclass
class FetchResult:
    quotes: list[Quote]
    failures: dict[str, str]  # symbol -> cause naming each provider tried and what failed; never a key
    requests: int  # HTTP requests made, retries included
    # symbol -> the hosts that could not be reached, for the failures that were the network's alone
    offline: dict[str, tuple[str, ...]] = field(default_factory=dict)
    late: tuple[str, ...] = ()   # symbols not fetched because the command's deadline passed first
