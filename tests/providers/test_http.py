"""The retry policy of http.get, its request counter and the redaction of keys from httpx's log."""

from __future__ import annotations

import logging

import httpx
import pytest

from dattrack.providers import http
from dattrack.providers.http import ProviderError, counting, get

from .conftest import mock_client

URL = "https://example.test/api/thing"


def scripted(*answers):
    """A client whose successive requests get the given responses or raise the given errors."""
    calls = []

    def handler(request):
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer
    return mock_client(handler), calls


def test_429_honours_retry_after(real_delays):
    client, calls = scripted(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, text="ok"))
    slept = []
    assert get(client, URL, provider="p", sleep=slept.append).text == "ok"
    assert slept == [2.0] and len(calls) == 2


def test_retry_after_is_capped(real_delays):
    client, _ = scripted(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200))
    slept = []
    get(client, URL, provider="p", sleep=slept.append)
    assert slept == [http.RETRY_AFTER_CAP]


def test_500_then_success_backs_off(real_delays):
    client, calls = scripted(httpx.Response(500), httpx.Response(503), httpx.Response(200, text="ok"))
    slept = []
    assert get(client, URL, provider="p", sleep=slept.append).text == "ok"
    assert len(calls) == 3
    assert 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0  # exponential, with jitter


def test_404_is_not_retried():
    client, calls = scripted(httpx.Response(404, text="nope"))
    slept = []
    assert get(client, URL, provider="p", sleep=slept.append).status_code == 404
    assert len(calls) == 1 and slept == []


def test_connect_error_is_retried():
    client, calls = scripted(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.Response(200, text="ok"))
    assert get(client, URL, provider="p", sleep=lambda s: None).text == "ok"
    assert len(calls) == 3


def test_giving_up_names_provider_and_path_but_not_the_query():
    client, calls = scripted(httpx.Response(503))
    with pytest.raises(ProviderError) as caught:
        get(client, URL, provider="yahoo", params={"apikey": "s3cret"}, sleep=lambda s: None)
    assert str(caught.value) == "yahoo: HTTP 503 on /api/thing after 4 tries"
    assert caught.value.transient and len(calls) == http.MAX_TRIES


def test_unusable_url_is_not_retried():
    client, calls = scripted(httpx.UnsupportedProtocol("no such scheme"))
    with pytest.raises(ProviderError) as caught:
        get(client, URL, provider="p", sleep=lambda s: None)
    assert not caught.value.transient and len(calls) == 1


def test_counting_counts_every_try():
    client, _ = scripted(httpx.Response(500), httpx.Response(200))
    with counting() as counter:
        get(client, URL, provider="p", sleep=lambda s: None)
    assert counter.count == 2
    get(client, URL, provider="p")  # outside the block: not counted, no error
    assert counter.count == 2


def test_httpx_request_log_never_shows_a_key(caplog):
    client, _ = scripted(httpx.Response(200))
    with caplog.at_level(logging.DEBUG):
        get(client, URL, provider="stooq", params={"s": "mstr.us", "apikey": "s3cret-key"})
    assert "HTTP Request" in caplog.text and "mstr.us" in caplog.text
    assert "s3cret-key" not in caplog.text and "apikey=REDACTED" in caplog.text


@pytest.mark.parametrize("status, again", [(408, True), (429, True), (500, True), (501, True), (503, True),
                                           (599, True), (400, False), (401, False), (403, False), (404, False),
                                           (200, False)])
def test_only_timeouts_rate_limits_and_server_errors_are_retried(status, again):
    assert http.retryable(status) is again
