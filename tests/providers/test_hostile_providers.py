"""Providers that redirect, drip, lie or send absurd values: keys stay home, every request ends,
Ctrl-C stops a fetch, and nothing absurd is stored — while the good prices of the run are."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from decimal import Decimal

import httpx
import pytest

from dattrack.providers import http
from dattrack.providers.fetch import PriceNeed, fetch_prices
from dattrack.providers.http import ProviderError, get, make_client, retry_after_seconds
from tests.fakes.scripted_server import Answer, ScriptedServer, wait_for
from tests.providers.conftest import as_json, mock_client, routes

KEY = "CG-hostile-test-KEY-0042"
PRICES = '{"bitcoin": {"usd": 90000, "last_updated_at": 1763683200}}'  # 2025-11-21 00:00 UTC
BTC = PriceNeed("BTC", "crypto", "bitcoin")


def coingecko_env(url: str, **extra: str) -> dict[str, str]:
    return {"DATTRACK_COINGECKO_URL": url + "/api/v3", "COINGECKO_API_KEY": KEY,
            "DATTRACK_COINBASE_URL": "http://127.0.0.1:9/none", "DATTRACK_KRAKEN_URL": "http://127.0.0.1:9/none",
            **extra}


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_key_never_follows_a_redirect_to_another_port(status):
    with ScriptedServer({"/elsewhere/simple/price": Answer(200, PRICES)}) as elsewhere, \
            ScriptedServer() as home:
        home.answers["/api/v3/simple/price"] = Answer(status, headers={
            "Location": f"{elsewhere.url}/elsewhere/simple/price?x_cg_demo_api_key={KEY}&ids=bitcoin"})
        with make_client() as client:
            result = fetch_prices([BTC], None, client=client, env=coingecko_env(home.url))
    assert home.requests and home.requests[0].headers.get("x-cg-demo-api-key") == KEY  # sent home...
    assert elsewhere.requests, "the redirect was followed"
    for seen in elsewhere.requests:                                                 # ...and nowhere else
        assert KEY not in json.dumps(seen.headers) and KEY not in seen.query
    assert result.quotes and result.quotes[0].price == Decimal("90000")


def test_a_redirect_on_the_same_host_and_port_keeps_the_key():
    with ScriptedServer({"/api/v3/moved/price": Answer(200, PRICES)}) as home:
        home.answers["/api/v3/simple/price"] = Answer(302, headers={"Location": "/api/v3/moved/price"})
        with make_client() as client:
            fetch_prices([BTC], None, client=client, env=coingecko_env(home.url))
    assert [seen.path for seen in home.requests] == ["/api/v3/simple/price", "/api/v3/moved/price"]
    assert all(seen.headers.get("x-cg-demo-api-key") == KEY for seen in home.requests)


def test_a_dripping_server_is_cut_at_the_request_deadline(monkeypatch):
    monkeypatch.setattr(http, "REQUEST_DEADLINE_S", 1.0)
    body = json.dumps({"bitcoin": {"usd": 1, "padding": "x" * 400}})  # 400 s at one byte a second
    with ScriptedServer({"/api/v3/simple/price": Answer(200, body, drip_every=1.0)}) as server:
        with make_client() as client:
            with pytest.raises(ProviderError) as failure:
                get(client, server.url + "/api/v3/simple/price", provider="coingecko", tries=2)
    assert "ReadTimeout" in str(failure.value) and "after 2 tries" in str(failure.value)
    assert len(server.requests) == 2  # each try was made, and each was cut


def test_a_fetch_gives_up_when_its_bound_is_reached():
    with ScriptedServer() as server, make_client() as client, http.run_bound(0):
        with pytest.raises(ProviderError, match="deadline passed"):
            get(client, server.url + "/anything", provider="coingecko")
    assert server.requests == []  # no try is started once the fetch's time is up


def test_an_interruption_stops_a_request_in_flight():
    body = json.dumps({"padding": "x" * 400})
    with ScriptedServer({"/slow": Answer(200, body, drip_every=0.5)}) as server, make_client() as client:
        outcome = {}

        def fetch():
            try:
                outcome["response"] = get(client, server.url + "/slow", provider="yahoo")
            except ProviderError as error:
                outcome["error"] = error

        worker = threading.Thread(target=fetch)
        with pytest.raises(KeyboardInterrupt), http.interruptible():
            worker.start()
            assert wait_for(lambda: server.requests)  # the request is in flight...
            raise KeyboardInterrupt                     # ...when the user presses Ctrl-C
        worker.join(timeout=30)
        assert not worker.is_alive()
    assert "response" not in outcome and "interrupted" in str(outcome["error"])
    http.CANCELLED.clear()


def test_ctrl_c_stops_price_fetch_in_progress(tmp_path):
    """SIGINT to a real `dattrack price fetch` blocked on a server that drips for minutes."""
    body = json.dumps({"padding": "x" * 400})
    with ScriptedServer(default=Answer(200, body, drip_every=1.0)) as server:
        env = {**os.environ, "DATTRACK_DB": str(tmp_path / "fetch.db")}
        for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ"):
            env[f"DATTRACK_{name}_URL"] = server.url + f"/{name.lower()}"
        subprocess.run([sys.executable, "-m", "dattrack", "company", "add", "MSTR", "--name", "Strategy"],
                       env=env, check=True, capture_output=True)
        proc = subprocess.Popen([sys.executable, "-m", "dattrack", "price", "fetch"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: len(server.requests) >= 1, timeout=30)  # work in progress
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)   # unbounded, the drip would hold it for minutes
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("price fetch did not stop on Ctrl-C")
    assert proc.returncode == 130 and err.strip() == "Error: interrupted", err


def test_retry_after_as_an_http_date():
    now = dt.datetime(2026, 11, 21, 12, 0, 0, tzinfo=dt.timezone.utc).timestamp()
    assert retry_after_seconds("Sat, 21 Nov 2026 12:00:07 GMT", now=now) == 7
    assert retry_after_seconds("7", now=now) == 7
    assert retry_after_seconds("Sat, 21 Nov 2026 11:00:00 GMT", now=now) < 0   # past: no wait (clamped to 0)
    assert retry_after_seconds("soon", now=now) is None


def test_retry_after_date_is_honoured_and_capped(real_delays):
    waits = []
    far = "Fri, 01 Jan 2100 00:00:00 GMT"  # later than any clock this runs on: capped whatever the time
    answers = iter([httpx.Response(429, headers={"Retry-After": far}), as_json(200, {"ok": True})])
    client = mock_client(lambda request: next(answers))
    get(client, "http://providers.fake/x", provider="coingecko", sleep=waits.append)
    assert waits == [http.RETRY_AFTER_CAP]


def test_absurd_answers_are_refused_and_the_good_prices_of_the_run_kept():
    payload = {"bitcoin": {"usd": 90000, "last_updated_at": 1763683200},
               "ethereum": {"usd": 3000, "last_updated_at": 10 ** 20},          # out of range
               "solana": {"usd": 150, "last_updated_at": 4102444800},           # 2100-01-01: the future
               "dogecoin": {"usd": "1e300", "last_updated_at": 1763683200}}     # absurd price
    client = mock_client(routes({"/api/v3/simple/price": as_json(200, payload)}))
    needs = [BTC, PriceNeed("ETH", "crypto", "ethereum"), PriceNeed("SOL", "crypto", "solana"),
             PriceNeed("DOGE", "crypto", "dogecoin")]
    env = {"DATTRACK_COINGECKO_URL": "http://providers.fake/api/v3",
           "DATTRACK_COINBASE_URL": "http://providers.fake/none", "DATTRACK_KRAKEN_URL": "http://providers.fake/none"}
    result = fetch_prices(needs, None, client=client, env=env)
    assert [(q.symbol, q.price) for q in result.quotes] == [("BTC", Decimal("90000"))]
    assert "out of range" in result.failures["ETH"]
    assert "2100-01-01" in result.failures["SOL"] and "refused" in result.failures["SOL"]
    assert "larger than 10^15" in result.failures["DOGE"]


def test_a_yahoo_bar_with_an_impossible_timestamp_is_dropped_not_fatal():
    from dattrack.providers import yahoo

    chart = {"chart": {"error": None, "result": [{
        "meta": {"currency": "USD", "symbol": "MSTR", "exchangeTimezoneName": "America/New_York"},
        "timestamp": [1763649000, 99999999999999], "indicators": {"quote": [{"close": [300.5, 1]}]}}]}}
    client = mock_client(routes({"/v8/finance/chart/MSTR": as_json(200, chart)}))
    quote = yahoo.price(client, {"DATTRACK_YAHOO_URL": "http://providers.fake"}, "MSTR", dt.date(2025, 11, 21))
    assert quote.price == Decimal("300.5") and quote.date == dt.date(2025, 11, 20)


def test_fact_sync_refuses_absurd_figures_and_keeps_the_plausible(cli, monkeypatch):
    tickers = {"0": {"cik_str": 1050446, "ticker": "MSTR", "title": "Strategy Inc"}}
    row = {"accn": "0001050446-25-000123", "form": "10-Q", "filed": "2025-11-03"}
    shares = {"units": {"shares": [{**row, "end": "2025-10-27", "val": 10 ** 14}]}}          # beyond any company
    facts = {"facts": {"us-gaap": {
        "LongTermDebt": {"units": {"USD": [{**row, "end": "2025-09-30", "val": -5}]}},        # negative debt
        "CashAndCashEquivalentsAtCarryingValue": {"units": {"USD": [
            {**row, "end": "2099-09-30", "val": 54300000}]}},                                # dated in the future
    }}}
    with ScriptedServer({"/files/company_tickers.json": Answer(200, json.dumps(tickers)),
                         "/api/xbrl/companyconcept/CIK0001050446/dei/EntityCommonStockSharesOutstanding.json":
                             Answer(200, json.dumps(shares)),
                         "/api/xbrl/companyfacts/CIK0001050446.json": Answer(200, json.dumps(facts))}) as sec:
        monkeypatch.setenv("DATTRACK_SEC_URL", sec.url)
        monkeypatch.setenv("DATTRACK_SEC_FILES_URL", sec.url)
        monkeypatch.setenv("DATTRACK_SEC_USER_AGENT", "Jane Doe jane@example.com")
        cli.ok("company", "add", "MSTR", "--name", "Strategy")
        result = cli("fact", "sync", "MSTR")
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert "not a plausible share count" in result.stderr
    assert "negative" in result.stderr and "in the future" in result.stderr
    export = json.loads(cli.ok("export"))
    assert export.get("facts", []) == []  # nothing absurd was stored
