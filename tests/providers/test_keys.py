"""Keys travel where the APIs want them and nowhere else: not in causes, exceptions or logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from dattrack.providers.fetch import PriceNeed, fetch_prices
from dattrack.providers.http import make_client
from tests.fakes.provider_server import FakeProviders

CG_KEY = "CG-SECRETcoingeckoKEY42"
STOOQ_KEY = "STOOQsecretKEY0042"
NEEDS = [PriceNeed("BTC", "crypto", "bitcoin"), PriceNeed("MSTR", "stock"), PriceNeed("USDJPY", "fx")]


def keyed_env(fake: FakeProviders, **extra: str) -> dict[str, str]:
    return fake.env(COINGECKO_API_KEY=CG_KEY, STOOQ_API_KEY=STOOQ_KEY, **extra)


def run(fake: FakeProviders, env: dict[str, str]):
    with make_client(transport=fake.transport()) as client:
        return fetch_prices(NEEDS, None, client=client, env=env)


def test_coingecko_key_goes_in_the_header_of_its_plan_only():
    fake = FakeProviders({"BTC": "1", "MSTR": "2"}, fx={"JPY": "150"})
    run(fake, keyed_env(fake))
    run(fake, keyed_env(fake, COINGECKO_API_PLAN="pro"))
    demo, pro = [entry for entry in fake.log if entry.provider == "coingecko"]
    assert demo.headers["x-cg-demo-api-key"] == CG_KEY and "x-cg-pro-api-key" not in demo.headers
    assert pro.headers["x-cg-pro-api-key"] == CG_KEY and "x-cg-demo-api-key" not in pro.headers
    for entry in fake.log:
        assert CG_KEY not in str(entry.query)
        assert (entry.provider == "coingecko") == any(CG_KEY in value for value in entry.headers.values())


def test_stooq_key_goes_in_its_query_only():
    fake = FakeProviders({"MSTR": "2"}, stooq_key=STOOQ_KEY)
    fake.fail("yahoo:MSTR", 404)
    run(fake, keyed_env(fake))
    stooq = [entry for entry in fake.log if entry.provider == "stooq"]
    assert stooq and stooq[0].query["apikey"] == [STOOQ_KEY]
    assert all(STOOQ_KEY not in str(entry.query) for entry in fake.log if entry.provider != "stooq")


def test_failing_requests_never_show_a_key(caplog):
    fake = FakeProviders({})  # nothing is known: every provider fails, in every way below
    fake.fail("coingecko:simple", 401, times=None, content_type="application/json",
              body='{"status": {"error_code": 10010, "error_message": "bad key %s"}}' % CG_KEY)
    fake.fail("stooq:*", 500, times=None, body=f"internal error for apikey={STOOQ_KEY}")
    fake.fail("yahoo:*", 200, times=None, body=f"<html>{STOOQ_KEY}</html>", content_type="text/html")
    with caplog.at_level(logging.DEBUG):
        result = run(fake, keyed_env(fake))
    assert set(result.failures) == {"BTC", "MSTR", "USDJPY"}
    text = " ".join(result.failures.values()) + caplog.text
    assert "stooq: HTTP 500 on /stooq/q/l/ after 4 tries" in result.failures["MSTR"]
    assert "HTTP Request" in caplog.text
    assert CG_KEY not in text and STOOQ_KEY not in text


def test_connection_errors_never_show_a_key(caplog):
    def refuse(request):
        raise httpx.ConnectError(f"cannot reach {request.url}")
    env = {"COINGECKO_API_KEY": CG_KEY, "STOOQ_API_KEY": STOOQ_KEY}
    with caplog.at_level(logging.DEBUG), make_client(transport=httpx.MockTransport(refuse)) as client:
        result = fetch_prices(NEEDS, None, client=client, env=env)
    assert "stooq: could not reach stooq.com (ConnectError on /q/l/ after 4 tries)" in result.failures["MSTR"]
    text = " ".join(result.failures.values()) + caplog.text
    assert CG_KEY not in text and STOOQ_KEY not in text


@pytest.mark.parametrize("plan", ["demo", "pro"])
def test_wrong_plan_for_a_key_is_explained_without_the_key(plan):
    fake = FakeProviders({"MSTR": "2"})
    fake.fail("coingecko:simple", 401, times=None, content_type="application/json",
              body='{"status": {"error_code": 10011, "error_message": "Invalid API Key"}}')
    result = run(fake, keyed_env(fake, COINGECKO_API_PLAN=plan))
    assert "COINGECKO_API_PLAN=pro" in result.failures["BTC"] and CG_KEY not in result.failures["BTC"]
