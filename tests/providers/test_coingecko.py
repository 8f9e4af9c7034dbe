"""CoinGecko on its real shapes and every error body of PROVIDERS.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.providers import coingecko
from dattrack.providers.http import ProviderError

from .conftest import as_json, mock_client, raw_json, routes

ENV = {"DATTRACK_COINGECKO_URL": "https://cg.test/api/v3"}
SIMPLE = "/api/v3/simple/price"
CHART = "/api/v3/coins/bitcoin/market_chart/range"
# 2024-09-18 21:19:00 UTC
UPDATED = 1726694340


def simple(text: str, status: int = 200):
    return mock_client(routes({SIMPLE: raw_json(status, text)}))


# -- plans and keys ----------------------------------------------------------------------------

def test_keyless_uses_the_public_host_without_headers():
    assert coingecko.settings({}) == ("https://api.coingecko.com/api/v3", {})


def test_a_key_alone_is_a_demo_key():
    assert coingecko.settings({"COINGECKO_API_KEY": "CG-abc"}) == (
        "https://api.coingecko.com/api/v3", {"x-cg-demo-api-key": "CG-abc"})


def test_pro_plan_switches_host_and_header():
    env = {"COINGECKO_API_KEY": "CG-abc", "COINGECKO_API_PLAN": "Pro"}
    assert coingecko.settings(env) == ("https://pro-api.coingecko.com/api/v3", {"x-cg-pro-api-key": "CG-abc"})
    assert coingecko.settings({**env, **ENV})[0] == "https://cg.test/api/v3"  # the override wins


@pytest.mark.parametrize("env, message", [
    ({"COINGECKO_API_PLAN": "gold"}, "must be 'demo' or 'pro'"),
    ({"COINGECKO_API_PLAN": "pro"}, "needs COINGECKO_API_KEY"),
])
def test_bad_plan_settings_are_explained(env, message):
    with pytest.raises(ProviderError, match=message):
        coingecko.settings(env)


# -- /simple/price -----------------------------------------------------------------------------

def test_one_request_prices_every_coin_exactly_with_cross_rates():
    seen = []

    def answer(request):
        seen.append(request)
        return raw_json(200, '{"bitcoin": {"usd": 63210.12345678901234567, "jpy": 9450000, "last_updated_at": %d},'
                             ' "ethereum": {"usd": 2450, "jpy": 366275.5, "last_updated_at": %d}}' % (UPDATED, UPDATED))
    prices = coingecko.simple_prices(mock_client(routes({SIMPLE: answer})), ENV, ["ethereum", "bitcoin"], ["usd", "JPY"])
    assert len(seen) == 1
    assert dict(seen[0].url.params) == {"ids": "bitcoin,ethereum", "vs_currencies": "jpy,usd",
                                        "include_last_updated_at": "true"}
    assert prices.price("bitcoin") == (Decimal("63210.12345678901234567"), dt.date(2024, 9, 18))
    assert prices.price("ethereum", "jpy") == (Decimal("366275.5"), dt.date(2024, 9, 18))
    rate, day = prices.cross("USD", "JPY")
    assert rate == Decimal("149.501369135") and day == dt.date(2024, 9, 18)


def test_unknown_id_is_simply_absent():
    prices = coingecko.simple_prices(simple("{}"), ENV, ["nosuchcoin"], ["usd"])
    with pytest.raises(ProviderError, match="coingecko: no price for id 'nosuchcoin'"):
        prices.price("nosuchcoin")


def test_missing_currency_is_a_failure_not_a_zero():
    prices = coingecko.simple_prices(simple('{"bitcoin": {"usd": 63210}}'), ENV, ["bitcoin"], ["usd", "xyz"])
    with pytest.raises(ProviderError, match="no XYZ price"):
        prices.cross("USD", "XYZ")


@pytest.mark.parametrize("value", ["0", "-5", "null", "NaN", "Infinity", '"63210"x', "true", "1e16"])
def test_unusable_prices_are_failures(value):
    text = '{"bitcoin": {"usd": %s}}' % value
    try:
        prices = coingecko.simple_prices(simple(text), ENV, ["bitcoin"], ["usd"])
    except ProviderError:
        return  # not even JSON: also a failure
    with pytest.raises(ProviderError):
        prices.price("bitcoin")


def test_a_price_with_too_many_decimals_is_rounded_to_18():
    prices = coingecko.simple_prices(simple('{"pepe": {"usd": 1.23456789012345678912e-6}}'), ENV, ["pepe"], ["usd"])
    assert prices.price("pepe")[0] == Decimal("0.000001234567890123")


def test_rate_limit_body_is_reported():
    body = '{"status": {"error_code": 429, "error_message": "You\'ve exceeded the Rate Limit. Please visit..."}}'
    client = simple(body, status=429)
    with pytest.raises(ProviderError) as caught:
        coingecko.simple_prices(client, ENV, ["bitcoin"], ["usd"])
    assert caught.value.transient and "HTTP 429" in str(caught.value)


def test_html_instead_of_json_is_a_failure():
    client = mock_client(routes({SIMPLE: lambda r: __import__("httpx").Response(
        403, text="<html>Just a moment...</html>", headers={"content-type": "text/html"})}))
    with pytest.raises(ProviderError, match="HTTP 403 with an HTML page instead of JSON"):
        coingecko.simple_prices(client, ENV, ["bitcoin"], ["usd"])


@pytest.mark.parametrize("code", [10010, 10011])
def test_key_sent_to_the_wrong_host_explains_the_plan_variable(code):
    body = '{"status": {"error_code": %d, "error_message": "If you are using Pro API key, please change your root URL"}}' % code
    with pytest.raises(ProviderError, match=f"error {code}: .*COINGECKO_API_PLAN=pro"):
        coingecko.simple_prices(simple(body, status=400), ENV, ["bitcoin"], ["usd"])


# -- history -----------------------------------------------------------------------------------

DAY = dt.date(2025, 3, 10)
MIDNIGHT_MS = 1741564800000  # 2025-03-10 00:00 UTC


def chart(text: str, status: int = 200):
    seen = []

    def answer(request):
        seen.append(request)
        return raw_json(status, text)
    return mock_client(routes({CHART: answer})), seen


def test_history_picks_the_midnight_point_of_the_day():
    points = [[MIDNIGHT_MS - 86400000, 80000.5], [MIDNIGHT_MS, 78532.0012], [MIDNIGHT_MS + 86400000, 82000],
              [MIDNIGHT_MS + 86400000 + 3600 * 5000, 83000]]  # the last one is "now"
    client, seen = chart('{"prices": %s, "market_caps": [], "total_volumes": []}' % points)
    assert coingecko.day_price(client, ENV, "bitcoin", DAY) == Decimal("78532.0012")
    params = seen[0].url.params
    assert params["vs_currency"] == "usd"
    assert int(params["to"]) - int(params["from"]) > 90 * 86400  # daily granularity needs > 90 days


def test_history_without_a_point_that_day_is_a_failure():
    client, _ = chart('{"prices": [[%d, 80000]]}' % (MIDNIGHT_MS - 86400000))
    with pytest.raises(ProviderError, match="no 00:00 UTC point for 'bitcoin' on 2025-03-10"):
        coingecko.day_price(client, ENV, "bitcoin", DAY)


def test_history_with_a_null_price_is_a_failure():
    client, _ = chart('{"prices": [[%d, null]]}' % MIDNIGHT_MS)
    with pytest.raises(ProviderError, match="no price"):
        coingecko.day_price(client, ENV, "bitcoin", DAY)


@pytest.mark.parametrize("status", [200, 401])
def test_history_beyond_the_plan_is_read_from_the_body_whatever_the_status(status):
    body = ('{"error": {"status": {"timestamp": "2025-01-01T00:00:00Z", "error_code": 10012,'
            ' "error_message": "Your request exceeds the allowed time range. Public API users are limited'
            ' to querying historical data within the past 365 days."}}}')
    client, _ = chart(body, status)
    with pytest.raises(ProviderError, match="error 10012: .*past 365 days.*"):
        coingecko.day_price(client, ENV, "bitcoin", DAY)


def test_unknown_coin_history_is_404_with_its_message():
    client = mock_client(routes({"/api/v3/coins/nosuchcoin/market_chart/range": as_json(404, {"error": "coin not found"})}))
    with pytest.raises(ProviderError, match=r"coingecko: coin not found \(HTTP 404\)"):
        coingecko.day_price(client, ENV, "nosuchcoin", DAY)
