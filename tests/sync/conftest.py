"""A fake CoinGecko and SEC EDGAR on 127.0.0.1 for sync and filings, with the environment pointing at it."""

from __future__ import annotations

import pytest

from tests.cli.conftest import refused  # noqa: F401 - the fixture

from dattrack.providers import http
from tests.fakes.provider_server import FakeProviders

AGENT = "Jane Doe jane@example.com"


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)  # retries, no waiting
    with FakeProviders({"BTC": "90000", "ETH": "3000"}, fx={"JPY": "150"}) as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("DATTRACK_SEC_USER_AGENT", AGENT)
        yield server
