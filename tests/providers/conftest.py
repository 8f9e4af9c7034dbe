"""Shared helpers: clients on httpx.MockTransport, no real sleeping, and the fake provider server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from dattrack.providers import http
from tests.fakes.provider_server import FakeProviders

Handler = Callable[[httpx.Request], httpx.Response]


REAL_RETRY_DELAY = http.retry_delay


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen but never wait, unless a test asks for `real_delays`."""
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)


@pytest.fixture
def real_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy's own delays: Retry-After honoured and capped, backoff with jitter."""
    monkeypatch.setattr(http, "retry_delay", REAL_RETRY_DELAY)


def mock_client(handler: Handler) -> httpx.Client:
    return http.make_client(transport=httpx.MockTransport(handler))


def routes(table: dict[str, Callable[[httpx.Request], httpx.Response] | httpx.Response]) -> Handler:
    """A handler answering by URL path; unmatched paths fail the test loudly (as a 599)."""
    def handler(request: httpx.Request) -> httpx.Response:
        answer = table.get(request.url.path)
        if answer is None:
            return httpx.Response(599, text=f"unrouted {request.url.path}")
        return answer(request) if callable(answer) else answer
    return handler


def raw_json(status: int, text: str, **headers: str) -> httpx.Response:
    """A JSON response from literal text, so numbers reach the client exactly as written."""
    return httpx.Response(status, content=text.encode(), headers={"content-type": "application/json", **headers})


def as_json(status: int, payload: object) -> httpx.Response:
    return raw_json(status, json.dumps(payload))


@pytest.fixture
def fake_providers() -> Iterator[FakeProviders]:
    prices = {"BTC": "63210.5", "ETH": "2450.25", "MSTR": "220.69", "3350.T": "1234"}
    with FakeProviders(prices, fx={"JPY": "147.25"}, stooq_key="stooq-secret-key-123") as fake:
        yield fake
