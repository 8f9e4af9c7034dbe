"""Yahoo chart on its real shapes: shares, Tokyo listings, FX, nulls, live bars and errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import httpx
import pytest

from dattrack.providers import yahoo
from dattrack.providers.http import ProviderError
from dattrack.providers.model import Quote

from .conftest import mock_client, raw_json, routes

ENV = {"DATTRACK_YAHOO_URL": "https://y.test"}
NY_OPEN = 13 * 3600 + 1800  # 09:30 New York (EDT) in seconds after 00:00 UTC


def ts(day: dt.date, seconds: int = NY_OPEN) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()) + seconds


def chart(symbol: str, days: list[dt.date], closes: list, *, currency="USD", zone="America/New_York",
          offset=NY_OPEN, meta=None) -> str:
    result = {"meta": {"currency": currency, "symbol": symbol, "exchangeTimezoneName": zone, **(meta or {})},
              "timestamp": [ts(d, offset) for d in days],
              "indicators": {"quote": [{"close": ["__%s__" % c if c is not None else None for c in closes]}]}}
    text = json.dumps({"chart": {"result": [result], "error": None}})
    for c in closes:  # write closes as bare JSON numbers, digits exactly as given
        if c is not None:
            text = text.replace('"__%s__"' % c, str(c), 1)
    return text


def client_for(symbol: str, text: str, status: int = 200, seen: list | None = None):
    def answer(request):
        if seen is not None:
            seen.append(request)
        return raw_json(status, text)
    return mock_client(routes({f"/v8/finance/chart/{symbol}": answer}))


SEP = [dt.date(2024, 9, d) for d in (12, 13, 16, 17, 18)]


def test_latest_skips_a_trailing_null_close():
    seen = []
    client = client_for("MSTR", chart("MSTR", SEP, ["131.1", "134.8", "133.72", "220.69", None]), seen=seen)
    assert yahoo.price(client, ENV, "MSTR", None) == Quote("MSTR", dt.date(2024, 9, 17), Decimal("220.69"), "USD", "yahoo")
    assert dict(seen[0].url.params) == {"range": "5d", "interval": "1d"}
    assert seen[0].headers["user-agent"].startswith("Mozilla/5.0")


def test_tokyo_bars_are_dated_in_tokyo():
    day = dt.date(2025, 9, 18)
    # Tokyo opens at 09:00 JST = 00:00 UTC; a bar stamped 23:30 UTC the day before is still 18 Sep in Tokyo
    client = client_for("3350.T", chart("3350.T", [day], ["1234"], currency="JPY", zone="Asia/Tokyo", offset=-1800))
    assert yahoo.price(client, ENV, "3350.T", None) == Quote("3350.T", day, Decimal("1234"), "JPY", "yahoo")


def test_fx_symbol_and_quote():
    assert yahoo.fx_symbol("USDJPY") == "JPY=X" and yahoo.fx_symbol("EURUSD") == "EURUSD=X"
    client = client_for("JPY=X", chart("JPY=X", SEP[-1:], ["147.2549991"], currency="JPY", zone="Europe/London", offset=0))
    assert yahoo.price(client, ENV, "JPY=X", None).price == Decimal("147.2549991")


def test_pence_become_pounds():
    client = client_for("SMLR.L", chart("SMLR.L", SEP[-1:], ["1234.5"], currency="GBp", zone="Europe/London"))
    quote = yahoo.price(client, ENV, "SMLR.L", None)
    assert (quote.price, quote.currency) == (Decimal("12.345"), "GBP")


def test_all_null_closes_are_a_failure():
    client = client_for("MSTR", chart("MSTR", SEP, [None] * 5))
    with pytest.raises(ProviderError, match="yahoo: MSTR: no closing price in the last 5 days"):
        yahoo.price(client, ENV, "MSTR", None)


def test_zero_close_is_a_failure_not_a_price():
    client = client_for("MSTR", chart("MSTR", SEP[-1:], ["0"]))
    with pytest.raises(ProviderError, match="not a positive finite number"):
        yahoo.price(client, ENV, "MSTR", None)


def test_history_takes_the_close_on_or_before_the_date():
    seen = []
    client = client_for("MSTR", chart("MSTR", SEP, ["131.1", "134.8", "133.72", "220.69", "230"]), seen=seen)
    saturday = dt.date(2024, 9, 14)
    assert yahoo.price(client, ENV, "MSTR", saturday) == Quote("MSTR", dt.date(2024, 9, 13), Decimal("134.8"), "USD", "yahoo")
    params = seen[0].url.params
    assert int(params["period1"]) < ts(saturday, 0) < int(params["period2"]) and "range" not in params


def test_history_skips_the_live_session():
    day = SEP[-1]
    meta = {"regularMarketTime": ts(day, NY_OPEN + 3600),
            "currentTradingPeriod": {"regular": {"start": ts(day), "end": ts(day, NY_OPEN + 6 * 3600 + 1800)}}}
    client = client_for("MSTR", chart("MSTR", SEP, ["1", "2", "3", "4", "5"], meta=meta))
    assert yahoo.price(client, ENV, "MSTR", day).date == SEP[-2]
    assert yahoo.price(client, ENV, "MSTR", None).price == Decimal("5")  # latest: the live price is wanted


def test_unknown_symbol_404_body():
    body = '{"chart": {"result": null, "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"}}}'
    with pytest.raises(ProviderError, match=r"yahoo: NOPE: No data found, symbol may be delisted \(HTTP 404\)"):
        yahoo.price(client_for("NOPE", body, 404), ENV, "NOPE", None)


def test_rate_limit_plain_text_gives_up_after_retries():
    calls = []

    def answer(request):
        calls.append(request)
        return httpx.Response(429, text="Too Many Requests", headers={"content-type": "text/plain"})
    with pytest.raises(ProviderError) as caught:
        yahoo.price(mock_client(routes({"/v8/finance/chart/MSTR": answer})), ENV, "MSTR", None)
    assert caught.value.transient and "HTTP 429" in str(caught.value) and len(calls) == 4


def test_malformed_chart_is_a_failure():
    text = ('{"chart": {"result": [{"meta": {"currency": "USD"}, "timestamp": [1, 2],'
            ' "indicators": {"quote": [{"close": [1]}]}}], "error": null}}')
    with pytest.raises(ProviderError, match="do not line up"):
        yahoo.price(client_for("MSTR", text), ENV, "MSTR", None)


def test_an_answer_of_an_unexpected_shape_is_a_provider_failure():
    # currentTradingPeriod should be an object; a list cannot be read: that is the provider's fault
    text = ('{"chart": {"result": [{"meta": {"currency": "USD", "currentTradingPeriod": [1],'
            ' "regularMarketTime": 1}, "timestamp": [], "indicators": {"quote": [{"close": []}]}}], "error": null}}')
    with pytest.raises(ProviderError, match="MSTR: malformed answer"):
        yahoo.price(client_for("MSTR", text), ENV, "MSTR", dt.date(2025, 9, 18))
