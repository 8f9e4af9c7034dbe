"""Stooq CSV: symbol mapping, key handling, N/D rows and the non-CSV answers it may give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from dattrack.providers import stooq
from dattrack.providers.http import ProviderError
from dattrack.providers.model import Quote

from .conftest import mock_client, routes

KEY = "stooq-key-0123456789"
ENV = {"DATTRACK_STOOQ_URL": "https://st.test", "STOOQ_API_KEY": KEY}
LATEST = "Symbol,Date,Time,Open,High,Low,Close,Volume\r\n"


def csv_client(path: str, text: str, status: int = 200, seen: list | None = None, content_type="text/csv"):
    def answer(request):
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, text=text, headers={"content-type": content_type})
    return mock_client(routes({path: answer}))


@pytest.mark.parametrize("symbol, expected", [
    ("MSTR", ("mstr.us", "USD")), ("3350.T", ("3350.jp", "JPY")), ("BRK-B", ("brk-b.us", "USD")),
])
def test_symbol_mapping(symbol, expected):
    assert stooq.stooq_symbol(symbol) == expected


def test_unknown_market_suffix_fails():
    with pytest.raises(ProviderError, match="no Stooq market for suffix .XX"):
        stooq.stooq_symbol("ABC.XX")


def test_latest_quote_sends_the_key_as_apikey():
    seen = []
    client = csv_client("/q/l/", LATEST + "MSTR.US,2025-09-18,22:00:09,330,335.5,325,331.48,9000000\r\n", seen=seen)
    assert stooq.price(client, ENV, "MSTR", None) == Quote("MSTR", dt.date(2025, 9, 18), Decimal("331.48"), "USD", "stooq")
    assert seen[0].url.params["s"] == "mstr.us" and seen[0].url.params["apikey"] == KEY


def test_tokyo_quote_is_in_yen():
    client = csv_client("/q/l/", LATEST + "3350.JP,20250918,15:30:00,1200,1250,1190,1234,1\r\n")
    assert stooq.price(client, ENV, "3350.T", None) == Quote("3350.T", dt.date(2025, 9, 18), Decimal("1234"), "JPY", "stooq")


def test_without_a_key_stooq_is_skipped_and_says_why():
    with pytest.raises(ProviderError, match="stooq: skipped: STOOQ_API_KEY is not set"):
        stooq.price(mock_client(routes({})), {"DATTRACK_STOOQ_URL": "https://st.test"}, "MSTR", None)


def test_nd_row_is_a_failure():
    client = csv_client("/q/l/", LATEST + "NOPE.US,N/D,N/D,N/D,N/D,N/D,N/D,N/D\r\n")
    with pytest.raises(ProviderError, match=r"nope.us: no data \(N/D\)"):
        stooq.price(client, ENV, "NOPE", None)


@pytest.mark.parametrize("text, content_type, described", [
    ("No data", "text/plain", "text 'No data'"),
    ("Access denied", "text/plain", "text 'Access denied'"),
    ("<!DOCTYPE html><html><body>Stooq</body></html>", "text/html", "an HTML page"),
    ("", "text/plain", "an empty body"),
])
def test_non_csv_answers_are_failures(text, content_type, described):
    client = csv_client("/q/l/", text, content_type=content_type)
    with pytest.raises(ProviderError, match=f"HTTP 200 with {described} instead of CSV"):
        stooq.price(client, ENV, "MSTR", None)


def test_history_takes_the_last_close_on_or_before_the_date():
    seen = []
    text = "Date,Open,High,Low,Close,Volume\r\n2025-09-11,1,1,1,300.5,1\r\n2025-09-12,1,1,1,310.25,1\r\n"
    client = csv_client("/q/d/l/", text, seen=seen)
    saturday = dt.date(2025, 9, 13)
    assert stooq.price(client, ENV, "MSTR", saturday) == Quote("MSTR", dt.date(2025, 9, 12), Decimal("310.25"), "USD", "stooq")
    assert seen[0].url.params["d2"] == "20250913" and seen[0].url.params["i"] == "d"


def test_history_zero_close_fails():
    client = csv_client("/q/d/l/", "Date,Open,High,Low,Close,Volume\r\n2025-09-12,1,1,1,0,1\r\n")
    with pytest.raises(ProviderError, match="not a positive finite number"):
        stooq.price(client, ENV, "MSTR", dt.date(2025, 9, 12))
