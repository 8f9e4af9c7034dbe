"""The crypto fallbacks, Coinbase and Kraken, on their real shapes and error bodies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.providers import coinbase, kraken
from dattrack.providers.http import ProviderError
from dattrack.providers.model import Quote

from .conftest import as_json, mock_client, raw_json, routes

ENV = {"DATTRACK_COINBASE_URL": "https://cb.test", "DATTRACK_KRAKEN_URL": "https://kr.test"}
TODAY = dt.date(2025, 9, 18)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("DATTRACK_TODAY", TODAY.isoformat())


# -- Coinbase ----------------------------------------------------------------------------------

def test_coinbase_spot_amount_is_an_exact_string():
    client = mock_client(routes({"/v2/prices/BTC-USD/spot": as_json(
        200, {"data": {"amount": "100000.015", "base": "BTC", "currency": "USD"}})}))
    assert coinbase.price(client, ENV, "BTC", None) == Quote("BTC", TODAY, Decimal("100000.015"), "USD", "coinbase")


def test_coinbase_history_asks_for_the_date():
    seen = []

    def answer(request):
        seen.append(request)
        return as_json(200, {"data": {"amount": "43859.33", "base": "BTC", "currency": "USD"}})
    quote = coinbase.price(mock_client(routes({"/v2/prices/BTC-USD/spot": answer})), ENV, "BTC", dt.date(2024, 1, 2))
    assert seen[0].url.params["date"] == "2024-01-02"
    assert quote.date == dt.date(2024, 1, 2) and quote.price == Decimal("43859.33")


def test_coinbase_unknown_currency_404():
    client = mock_client(routes({"/v2/prices/NOPE-USD/spot": as_json(
        404, {"errors": [{"id": "not_found", "message": "Invalid currency"}]})}))
    with pytest.raises(ProviderError, match=r"coinbase: NOPE-USD: Invalid currency \(HTTP 404\)"):
        coinbase.price(client, ENV, "NOPE", None)


@pytest.mark.parametrize("data", [
    {"amount": "0", "base": "BTC", "currency": "USD"},
    {"amount": "n/a", "base": "BTC", "currency": "USD"},
    {"amount": None, "base": "BTC", "currency": "USD"},
    {"amount": "100", "base": "BTC", "currency": "EUR"},
])
def test_coinbase_unusable_amounts_fail(data):
    client = mock_client(routes({"/v2/prices/BTC-USD/spot": as_json(200, {"data": data})}))
    with pytest.raises(ProviderError, match="coinbase: BTC-USD"):
        coinbase.price(client, ENV, "BTC", None)


# -- Kraken ------------------------------------------------------------------------------------

def test_kraken_ticker_reads_the_renamed_key():
    seen = []

    def answer(request):
        seen.append(request)
        return raw_json(200, '{"error": [], "result": {"XXBTZUSD": {"a": ["27712.2", "1", "1.0"], "c": ["27712.10000", "0.0168"]}}}')
    quote = kraken.price(mock_client(routes({"/0/public/Ticker": answer})), ENV, "BTC", None)
    assert seen[0].url.params["pair"] == "XBTUSD"
    assert quote == Quote("BTC", TODAY, Decimal("27712.10000"), "USD", "kraken")


def test_kraken_error_inside_200():
    client = mock_client(routes({"/0/public/Ticker": as_json(200, {"error": ["EQuery:Unknown asset pair"]})}))
    with pytest.raises(ProviderError, match=r"kraken: NOPEUSD: EQuery:Unknown asset pair \(HTTP 200\)"):
        kraken.price(client, ENV, "NOPE", None)


def test_kraken_history_takes_the_open_of_the_days_candle():
    day = dt.date(2025, 3, 10)
    midnight = 1741564800
    rows = [[midnight - 86400, "79000.1", "80000", "78000", "78500.5", "79000", "10", 100],
            [midnight, "78500.6", "81000", "77000", "80100.0", "79000", "10", 100],
            [midnight + 86400, "80100.0", "80200", "80000", "80150.0", "80100", "1", 10]]  # unfinished
    seen = []

    def answer(request):
        seen.append(request)
        return as_json(200, {"error": [], "result": {"XXBTZUSD": rows, "last": midnight + 86400}})
    quote = kraken.price(mock_client(routes({"/0/public/OHLC": answer})), ENV, "BTC", day)
    assert quote.price == Decimal("78500.6") and quote.date == day
    assert seen[0].url.params["interval"] == "1440"


def test_kraken_history_older_than_720_candles_fails():
    client = mock_client(routes({"/0/public/OHLC": as_json(200, {"error": [], "result": {"XXBTZUSD": [], "last": 0}})}))
    with pytest.raises(ProviderError, match="no daily candle for 2020-01-01"):
        kraken.price(client, ENV, "BTC", dt.date(2020, 1, 1))


def test_kraken_plain_text_is_a_failure():
    client = mock_client(routes({"/0/public/Ticker": lambda r: __import__("httpx").Response(200, text="Service down")}))
    with pytest.raises(ProviderError, match="text 'Service down' instead of JSON"):
        kraken.price(client, ENV, "BTC", None)
