"""fetch_prices: chains, fallbacks, failure isolation, history, progress and the breaker.
Providers are the fake of tests.fakes.provider_server, served through httpx.MockTransport."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from dattrack.dates import today
from dattrack.providers import fetch, http
from dattrack.providers.breaker import BREAKER_THRESHOLD
from dattrack.providers.fetch import FetchResult, PriceNeed, Quote, fetch_prices
from dattrack.providers.http import make_client
from tests.fakes.provider_server import FakeProviders

BTC = PriceNeed("BTC", "crypto", "bitcoin")
ETH = PriceNeed("ETH", "crypto", "ethereum")
MSTR = PriceNeed("MSTR", "stock")
METAPLANET = PriceNeed("3350.T", "stock")
USDJPY = PriceNeed("USDJPY", "fx")
STOOQ_KEY = "stooq-secret-key-123"
PRICES = {"BTC": "63210.5", "ETH": "2450.25", "SOL": "150", "MSTR": "220.69", "3350.T": "1234"}


@pytest.fixture
def fake() -> FakeProviders:
    return FakeProviders(PRICES, fx={"JPY": "147.25"}, stooq_key=STOOQ_KEY)


def run(fake: FakeProviders, needs, on=None, **env) -> FetchResult:
    with make_client(transport=fake.transport()) as client:
        return fetch_prices(needs, on, client=client, env=fake.env(**env))


def by_symbol(result: FetchResult) -> dict[str, Quote]:
    return {quote.symbol: quote for quote in result.quotes}


def test_latest_prices_for_every_kind(fake):
    result = run(fake, [BTC, ETH, MSTR, METAPLANET, USDJPY])
    quotes = by_symbol(result)
    assert result.failures == {}
    assert [q.symbol for q in result.quotes] == ["BTC", "ETH", "MSTR", "3350.T", "USDJPY"]  # the needs' order
    assert (quotes["BTC"].price, quotes["BTC"].currency, quotes["BTC"].source) == (Decimal("63210.5"), "USD", "coingecko")
    assert (quotes["3350.T"].price, quotes["3350.T"].currency, quotes["3350.T"].source) == (Decimal("1234"), "JPY", "yahoo")
    assert (quotes["USDJPY"].price, quotes["USDJPY"].currency, quotes["USDJPY"].source) == (Decimal("147.25"), "JPY", "coingecko")
    assert all(isinstance(q.price, Decimal) for q in result.quotes)
    # one /simple/price serves both coins and the FX rate; one chart per share
    assert fake.hits == {"coingecko": 1, "yahoo": 2} and result.requests == 3


def test_crypto_falls_back_to_coinbase_then_kraken(fake):
    fake.fail("coingecko:*", 404, times=None, body='{"error": "coin not found"}', content_type="application/json")
    fake.fail("coinbase:ETH", 503, times=None)
    quotes = by_symbol(run(fake, [BTC, ETH]))
    assert quotes["BTC"].source == "coinbase" and quotes["ETH"].source == "kraken"
    assert quotes["ETH"].price == Decimal("2450.25")


def test_crypto_without_a_coingecko_id_goes_straight_to_coinbase(fake):
    result = run(fake, [PriceNeed("SOL", "crypto")])
    assert result.quotes[0].source == "coinbase" and fake.hits["coingecko"] == 0


def test_a_coin_nobody_knows_fails_alone_with_every_cause(fake):
    result = run(fake, [BTC, PriceNeed("NOPE", "crypto", "nope-coin")])
    assert [q.symbol for q in result.quotes] == ["BTC"]
    cause = result.failures["NOPE"]
    assert cause.startswith("coingecko: no price for id 'nope-coin'; coinbase: NOPE-USD: Invalid currency (HTTP 404); ")
    assert cause.endswith("kraken: NOPEUSD: EQuery:Unknown asset pair (HTTP 200)")


def test_shares_fall_back_to_stooq_with_a_key(fake):
    fake.fail("yahoo:MSTR", 404, body='{"chart": {"result": null, "error": {"code": "Not Found", "description": "No data"}}}')
    quote = run(fake, [MSTR], STOOQ_API_KEY=STOOQ_KEY).quotes[0]
    assert (quote.source, quote.price, quote.currency) == ("stooq", Decimal("220.69"), "USD")


def test_without_a_stooq_key_the_cause_says_so(fake):
    result = run(fake, [MSTR, PriceNeed("NOPE", "stock")])
    assert [q.symbol for q in result.quotes] == ["MSTR"]
    assert result.failures["NOPE"] == ("yahoo: NOPE: No data found, symbol may be delisted (HTTP 404); "
                                       "stooq: skipped: STOOQ_API_KEY is not set")


def test_fx_falls_back_to_yahoo(fake):
    fake.fail("coingecko:simple", 500, times=None)
    quote = run(fake, [USDJPY]).quotes[0]
    assert (quote.symbol, quote.price, quote.currency, quote.source) == ("USDJPY", Decimal("147.25"), "JPY", "yahoo")


@pytest.mark.parametrize("reply", [
    dict(status=200, body="<html><body>Blocked</body></html>", content_type="text/html"),
    dict(status=200, body="Too Many Requests"),
    dict(status=200, body='{"chart": {"result": [{"meta": {"currency": "USD"}, "timestamp": [1726666200],'
                          ' "indicators": {"quote": [{"close": [0]}]}}], "error": null}}'),
    dict(status=200, body='{"chart": {"result": [{"meta": {"currency": "USD"}, "timestamp": [1726666200],'
                          ' "indicators": {"quote": [{"close": [NaN]}]}}], "error": null}}'),
    dict(status=200, body='{"chart": {"result": [{"meta": [], "timestamp": "x"}], "error": null}}'),
    dict(status=200, body='{"chart": {"result": [{"meta": {"currency": "USD"}, "indicators": {"quote": {"close": 1}}}]}}'),
    dict(status=200, body='[1, 2'),
])
def test_a_bad_answer_fails_its_symbol_only(fake, reply):
    fake.fail("yahoo:MSTR", **reply)
    result = run(fake, [MSTR, METAPLANET, BTC])
    assert [q.symbol for q in result.quotes] == ["3350.T", "BTC"]
    assert result.failures["MSTR"].startswith("yahoo: ")


def test_unknown_kind_and_bad_pair_are_failures_not_exceptions(fake):
    result = run(fake, [PriceNeed("GOLD", "metal"), PriceNeed("YEN", "fx"), BTC])
    assert result.failures == {"GOLD": "dattrack: unknown price kind 'metal' for GOLD",
                               "YEN": "dattrack: 'YEN' is not an FX pair like USDJPY"}
    assert [q.symbol for q in result.quotes] == ["BTC"]


def test_history_uses_the_daily_endpoints_and_shares_bitcoin_usd(fake):
    day = today() - dt.timedelta(days=3)  # the pinned today: the fake serves up to it
    result = run(fake, [BTC, MSTR, USDJPY], on=day)
    quotes = by_symbol(result)
    assert result.failures == {}
    assert quotes["BTC"] == Quote("BTC", day, Decimal("63210.5"), "USD", "coingecko")
    assert quotes["USDJPY"].price == Decimal("147.25") and quotes["USDJPY"].date == day
    assert quotes["MSTR"].date <= day
    charts = sorted(entry.query["vs_currency"][0] for entry in fake.log if entry.provider == "coingecko")
    assert charts == ["jpy", "usd"]  # bitcoin/usd fetched once for BTC and the cross rate


def test_duplicates_are_priced_once_and_progress_counts_up(fake):
    done = []
    with make_client(transport=fake.transport()) as client:
        result = fetch_prices([MSTR, BTC, MSTR, METAPLANET], None, client=client, env=fake.env(), progress=done.append)
    assert [q.symbol for q in result.quotes] == ["MSTR", "BTC", "3350.T"]
    assert done == [1, 2, 3]


def test_nothing_to_fetch(fake):
    assert run(fake, []) == FetchResult([], {}, 0)


def test_a_provider_that_keeps_failing_is_skipped(fake, monkeypatch):
    monkeypatch.setattr(http, "POOL_SIZE", 1)  # one at a time, so the count is exact
    fake.fail("yahoo:*", 503, times=None)
    needs = [PriceNeed(f"S{n}", "stock") for n in range(10)]
    result = run(fake, needs)
    assert fake.hits["yahoo"] == BREAKER_THRESHOLD * 4  # 3 symbols x 4 tries, then no more
    assert result.failures["S0"].startswith("yahoo: HTTP 503 on /yahoo/v8/finance/chart/S0 after 4 tries; stooq: skipped")
    assert result.failures["S9"].startswith("yahoo: skipped after 3 failed requests in a row (last: HTTP 503")


def test_a_transport_failure_never_escapes():
    def handler(request):
        raise httpx.ConnectError("connection refused")
    with make_client(transport=httpx.MockTransport(handler)) as client:
        result = fetch_prices([BTC, MSTR, USDJPY], None, client=client, env={})
    assert result.quotes == [] and set(result.failures) == {"BTC", "MSTR", "USDJPY"}
    assert ("coingecko: could not reach api.coingecko.com (ConnectError on /api/v3/simple/price after 4 tries)"
            in result.failures["BTC"])
    assert result.offline["BTC"] == ("api.coingecko.com", "api.coinbase.com", "api.kraken.com")


def test_a_bug_in_our_own_code_is_not_a_malformed_answer(fake, monkeypatch):
    """Only a provider's answer can be malformed: an error of ours reaches the CLI's boundary."""
    def broken(*args, **kwargs):
        raise KeyError("ours")

    monkeypatch.setattr(fetch.yahoo, "fx_symbol", broken)  # used by our chain, not by reading an answer
    fake.fail("coingecko:*", 404, times=None, body='{"error": "coin not found"}', content_type="application/json")
    with pytest.raises(KeyError):
        run(fake, [USDJPY])
