"""fetch_prices against the fake providers over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from dattrack.dates import today
from dattrack.providers.fetch import PriceNeed, fetch_prices
from dattrack.providers.http import make_client

NEEDS = [PriceNeed("BTC", "crypto", "bitcoin"), PriceNeed("ETH", "crypto", "ethereum"),
         PriceNeed("MSTR", "stock"), PriceNeed("3350.T", "stock"), PriceNeed("USDJPY", "fx"),
         PriceNeed("NOPE", "stock")]


def test_retries_succeed_and_an_unknown_symbol_fails_alone(fake_providers, real_delays):
    fake_providers.fail("yahoo:MSTR", 429, headers={"Retry-After": "1"})
    fake_providers.fail("coingecko:simple", 500)
    started = time.monotonic()
    with make_client(trust_env=False) as client:  # 127.0.0.1 must not go through an HTTP_PROXY
        result = fetch_prices(NEEDS, None, client=client, env=fake_providers.env())
    quotes = {q.symbol: q for q in result.quotes}
    assert set(quotes) == {"BTC", "ETH", "MSTR", "3350.T", "USDJPY"}
    assert set(result.failures) == {"NOPE"} and "STOOQ_API_KEY is not set" in result.failures["NOPE"]
    assert quotes["MSTR"].price == Decimal("220.69") and quotes["MSTR"].source == "yahoo"
    assert (quotes["3350.T"].currency, quotes["USDJPY"].price) == ("JPY", Decimal("147.25"))
    assert quotes["BTC"].source == "coingecko"  # after its 500
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured
    # simple/price twice, MSTR twice, 3350.T and NOPE once each
    assert result.requests == fake_providers.requests == 6


def test_stooq_fallback_and_history_over_http(fake_providers):
    fake_providers.fail("yahoo:*", 404, times=None)
    day = today() - dt.timedelta(days=2)  # the pinned today: the fake serves up to it
    env = fake_providers.env(STOOQ_API_KEY="stooq-secret-key-123")
    with make_client(trust_env=False) as client:  # 127.0.0.1 must not go through an HTTP_PROXY
        result = fetch_prices(NEEDS, day, client=client, env=env)
    quotes = {q.symbol: q for q in result.quotes}
    assert (quotes["MSTR"].source, quotes["MSTR"].date) == ("stooq", day)
    assert (quotes["3350.T"].currency, quotes["3350.T"].price) == ("JPY", Decimal("1234"))
    assert (quotes["BTC"].date, quotes["BTC"].price) == (day, Decimal("63210.5"))
    assert quotes["USDJPY"].source == "coingecko"
    assert "stooq: nope.us: HTTP 200 with text 'No data' instead of CSV" in result.failures["NOPE"]
