"""`dattrack import --from coingecko-treasury --coin BTC`: CoinGecko's list as today's balances."""

from __future__ import annotations

import subprocess
import sys
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from dattrack.interchange.treasury import fetch_public_treasury
from dattrack.providers.http import ProviderError, make_client

BITCOIN = """{"total_holdings": 1000000.5, "total_value_usd": 9e10, "market_cap_dominance": 4.9, "companies": [
  {"name": "Strategy", "symbol": "MSTR.US", "country": "US", "total_holdings": 640031,
   "total_entry_value_usd": 47350000000, "total_current_value_usd": 1, "percentage_of_total_supply": 3.05},
  {"name": "Metaplanet Inc.", "symbol": "3350.T", "country": "JP", "total_holdings": 30823.12345678,
   "total_entry_value_usd": 3100000000, "total_current_value_usd": 1, "percentage_of_total_supply": 0.15},
  {"name": "Mystery Mining", "symbol": "MYST.US", "country": "US", "total_holdings": 12.5,
   "total_entry_value_usd": 0, "total_current_value_usd": 1, "percentage_of_total_supply": 0},
  {"name": "Faraway Holdings", "symbol": "FAR.ZZ", "country": "ZZ", "total_holdings": 3,
   "total_entry_value_usd": 1, "total_current_value_usd": 1, "percentage_of_total_supply": 0},
  {"name": "Broken", "symbol": "BRK.US", "total_holdings": "lots"}
]}"""


class Treasury(BaseHTTPRequestHandler):
    answers: dict[str, tuple[int, str]] = {}
    seen: list[tuple[str, dict]] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        self.seen.append((self.path, dict(self.headers.items())))
        status, body = self.answers.get(self.path, (404, '{"error": "coin not found"}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def coingecko(monkeypatch):
    """A CoinGecko public_treasury endpoint on 127.0.0.1."""
    Treasury.answers = {"/api/v3/companies/public_treasury/bitcoin": (200, BITCOIN)}
    Treasury.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Treasury)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DATTRACK_COINGECKO_URL", f"http://127.0.0.1:{server.server_address[1]}/api/v3")
    yield Treasury
    server.shutdown()
    server.server_close()
    thread.join()


def test_companies_are_added_and_balances_recorded(cli, coingecko):
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    result = cli("import", "--from", "coingecko-treasury", "--coin", "btc")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("CoinGecko public treasuries of BTC on 2026-11-21: 4 companies listed, "
                             "3 balances recorded, 0 already recorded; added 2 companies: MSTR, MYST\n")
    assert "skipped: FAR.ZZ (Faraway Holdings): unknown exchange 'ZZ'" in result.stderr
    assert "skipped: CoinGecko entry" in result.stderr and "total_holdings is not a number" in result.stderr

    companies = {c["ticker"]: c for c in cli.json("company", "list")}
    assert set(companies) == {"METAPLANET", "MSTR", "MYST"}  # Metaplanet matched by its quote symbol
    assert companies["MSTR"] == {"ticker": "MSTR", "name": "Strategy", "asset": "BTC", "currency": "USD",
                                      "quote_symbol": "MSTR", "exchange": "US", "kind": "treasury", "cik": None}
    events = {e["ticker"]: e for e in cli.json("event", "list")}
    assert {t: (e["date"], e["kind"], e["asset"], e["quantity"], e["amount"]) for t, e in events.items()} == {
        "MSTR": ("2026-11-21", "balance", "BTC", Decimal("640031"), Decimal("47350000000")),
        # JPY company: the USD entry value is not its cost
        "METAPLANET": ("2026-11-21", "balance", "BTC", Decimal("30823.12345678"), None),
        # an entry value of 0 means unknown, not free
        "MYST": ("2026-11-21", "balance", "BTC", Decimal("12.5"), None),
    }
    assert events["MSTR"]["source"] == "CoinGecko public_treasury 2026-11-21"
    holdings = {h["ticker"]: h for h in cli.json("holdings")}
    assert holdings["MYST"]["cost_complete"] is False and holdings["MYST"]["avg_cost"] is None


def test_a_second_import_the_same_day_records_nothing_twice(cli, coingecko):
    cli.ok("import", "--from", "coingecko-treasury", "--coin", "BTC")
    before = cli.json("event", "list")
    out = cli.ok("import", "--from", "coingecko-treasury", "--coin", "BTC")
    assert "0 balances recorded, 3 already recorded" in out and "added" not in out
    assert cli.json("event", "list") == before


def test_the_key_travels_in_a_header(cli, coingecko, monkeypatch):
    monkeypatch.setenv("COINGECKO_API_KEY", "CG-secret")
    cli.ok("import", "--from", "coingecko-treasury", "--coin", "BTC")
    path, headers = coingecko.seen[0]
    assert path == "/api/v3/companies/public_treasury/bitcoin"
    assert {k.lower(): v for k, v in headers.items()}["x-cg-demo-api-key"] == "CG-secret"


def test_provider_errors_write_nothing(cli, coingecko):
    result = cli("import", "--from", "coingecko-treasury", "--coin", "ETH")  # the fake knows only bitcoin
    assert result.exit_code == 1
    assert result.stderr == "Error: coingecko: coin not found (HTTP 404)\n"
    assert cli.json("company", "list") == []


def test_an_unknown_coin_is_bad_input(cli):
    result = cli("import", "--from", "coingecko-treasury", "--coin", "PEPE")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no CoinGecko id for PEPE: the known coins are BTC, ETH, SOL, XRP, BNB, DOGE, "
                             "TRX, TON, HYPE, LTC, SUI, AVAX, ENA, WLD, LINK\n")


def test_fetch_reads_the_shape_with_exact_numbers():
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v3/companies/public_treasury/ethereum"
        return httpx.Response(200, content=b'{"companies": [{"name": "Bitmine", "symbol": "BMNR.US", '
                                            b'"total_holdings": 4285125.10, "total_entry_value_usd": 0}]}')
    with make_client(transport=httpx.MockTransport(answer)) as client:
        (holding,), problems = fetch_public_treasury(client, {"DATTRACK_COINGECKO_URL": "https://cg.test/api/v3"},
                                                     "ethereum")
    assert problems == []
    assert (holding.ticker, holding.exchange, holding.quantity, holding.entry_value_usd) == (
        "BMNR", "US", Decimal("4285125.1"), None)


def test_a_body_without_companies_is_a_provider_failure():
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=b"{}")))
    with client, pytest.raises(ProviderError, match="no companies list"):
        fetch_public_treasury(client, {"DATTRACK_COINGECKO_URL": "https://cg.test/api/v3"}, "bitcoin")


def test_offline_commands_do_not_load_httpx():
    code = ("import sys; from dattrack.cli.app import app; "
            "import dattrack.cli.io, dattrack.interchange.document, dattrack.interchange.importing; "
            "print('httpx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_undated_figure_never_overrides_a_book_with_events(cli, coingecko):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "balance", "738731", "--date", "2026-11-17", "--source", "8-K")
    result = cli("import", "--from", "coingecko-treasury", "--coin", "BTC")
    assert result.exit_code == 0, result.stderr
    assert "MSTR: differs from the ledger: CoinGecko 640031, ledger 738731\n" in result.stdout
    assert [(e["date"], e["quantity"]) for e in cli.json("event", "list", "MSTR")] == [
        ("2026-11-17", Decimal("738731"))]
    assert cli.json("holdings", "MSTR")[0]["quantity"] == Decimal("738731")
    others = {e["ticker"]: e["origin"] for e in cli.json("event", "list")}
    assert others == {"MSTR": "manual", "MYST": "treasury-list", "3350": "treasury-list"}
