"""The real `dattrack price fetch`, as a user runs it, against fake providers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from tests.fakes.provider_server import FakeProviders


def run(db_path, env: dict, *args: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env, "DATTRACK_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "dattrack", *args], env=full_env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def companies(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("company", "add", "BMNR", "--name", "Bitmine", "--asset", "ETH")
    cli.ok("company", "add", "GONE", "--name", "Delisted Co", "--quote-symbol", "NOPE")


def test_fetch_retries_honours_retry_after_and_isolates_an_unknown_symbol(companies, db_path):
    prices = {"BTC": "63210.5", "ETH": "2062.31", "MSTR": "220.69", "BMNR": "31.4", "3350.T": "391"}
    with FakeProviders(prices, fx={"JPY": "147.25"}) as fake:
        fake.fail("coingecko:simple", 429, headers={"Retry-After": "1"},
                  body='{"status": {"error_code": 429, "error_message": "You\'ve exceeded the Rate Limit"}}')
        fake.fail("yahoo:MSTR", 500)
        started = time.monotonic()
        result = run(db_path, fake.env(), "price", "fetch", "--format", "json")
        elapsed = time.monotonic() - started
        subjects = [entry.subject for entry in fake.log]
        coingecko_simple, yahoo_mstr = subjects.count("coingecko:simple"), subjects.count("yahoo:MSTR")

    assert result.returncode == 1, result.stderr                    # one symbol could not be had
    assert "Traceback" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert len(failures) == 1 and failures[0].startswith("failed NOPE:")
    assert coingecko_simple == 2 and yahoo_mstr == 2                # each retried once, then answered
    assert elapsed >= 1.0                                           # Retry-After: 1 was honoured

    stored = {row["symbol"]: row for row in json.loads(result.stdout, parse_float=Decimal)}
    assert stored["BTC"]["price"] == Decimal("63210.5") and stored["BTC"]["source"] == "coingecko"
    assert stored["ETH"]["price"] == Decimal("2062.31")
    assert stored["MSTR"]["price"] == Decimal("220.69") and stored["MSTR"]["source"] == "yahoo"
    assert stored["3350.T"]["price"] == 391 and stored["3350.T"]["currency"] == "JPY"
    assert stored["USDJPY"]["price"] == Decimal("147.25")
    assert "NOPE" not in stored


def test_fetching_again_updates_the_same_rows(companies, db_path, cli):
    prices = {"BTC": "63210.5", "ETH": "2062.31", "MSTR": "220.69", "BMNR": "31.4", "3350.T": "391", "NOPE": "1"}
    with FakeProviders(prices, fx={"JPY": "147.25"}) as fake:
        first = run(db_path, fake.env(), "price", "fetch")
        fake.prices["BTC"] = Decimal("64000")
        second = run(db_path, fake.env(), "price", "fetch")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    btc = cli.json("price", "list", "BTC")
    assert len(btc) == 1 and btc[0]["price"] == 64000


def test_keys_are_sent_but_never_printed_or_stored(companies, db_path, cli):
    secret = "CG-very-secret-key"
    prices = {"BTC": "63210.5", "ETH": "2062.31", "MSTR": "220.69", "BMNR": "31.4", "3350.T": "391"}
    with FakeProviders(prices, fx={"JPY": "147.25"}) as fake:
        result = run(db_path, fake.env(COINGECKO_API_KEY=secret), "price", "fetch")
        sent = [entry.headers for entry in fake.log if entry.provider == "coingecko"]
    assert any(secret in headers.values() for headers in sent)
    assert secret not in result.stdout + result.stderr
    assert secret.encode() not in db_path.read_bytes()


def test_unreachable_providers_fail_by_name_with_exit_1(companies, db_path):
    dead = {f"DATTRACK_{name}_URL": "http://127.0.0.1:9" for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ")}
    result = run(db_path, dead, "price", "fetch")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    no_network, lost = result.stderr.splitlines()                    # one line per cause, then what it cost
    assert no_network == "no network: could not reach 127.0.0.1:9"
    assert lost.startswith("not fetched (no network): ") and "BTC" in lost and "MSTR" in lost
