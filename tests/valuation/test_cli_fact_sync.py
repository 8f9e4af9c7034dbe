"""End-to-end `dattrack fact sync` against a local EDGAR stand-in (http.server on 127.0.0.1).

The server answers in EDGAR's shapes (PROVIDERS.md): the ticker list on the "www.sec.gov" base,
companyconcept and companyfacts on the "data.sec.gov" base, 404 for anything never reported.
Expected figures are computed by hand next to each body."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.cli.conftest import db_state

D = Decimal
AGENT = "Jane Doe jane@example.com"
MSTR_CIK, MARA_CIK = "0001050446", "0001507605"

TICKERS = {
    "0": {"cik_str": 1050446, "ticker": "MSTR", "title": "Strategy Inc"},
    "1": {"cik_str": 1507605, "ticker": "MARA", "title": "MARA Holdings, Inc."},
}


def share_row(end, val, accn, filed, form="10-Q"):
    return {"end": end, "val": val, "accn": accn, "fy": 2025, "fp": "Q3", "form": form, "filed": filed}


# MSTR cover page: two share classes in the latest filing, summed:
#   267,468,000 (class A) + 19,640,250 (class B) = 287,108,250 shares at 2025-10-27, accession 0001050446-25-000123.
# The older 10-Q (2025-07-28) and a later placeholder row of 1 share (below 1,000: dropped) do not count.
MSTR_SHARES = {
    "cik": 1050446, "taxonomy": "dei", "tag": "EntityCommonStockSharesOutstanding",
    "units": {"shares": [
        share_row("2025-07-28", 261318000, "0001050446-25-000100", "2025-07-31"),
        share_row("2025-07-28", 19640250, "0001050446-25-000100", "2025-07-31"),
        share_row("2025-10-27", 267468000, "0001050446-25-000123", "2025-11-03"),
        share_row("2025-10-27", 19640250, "0001050446-25-000123", "2025-11-03"),
        share_row("2025-11-10", 1, "0001050446-25-000130", "2025-11-12", form="S-3"),
    ]},
}


def money_row(end, val, accn, filed, form="10-Q"):
    return {"end": end, "val": val, "accn": accn, "fy": 2025, "fp": "Q3", "form": form, "filed": filed}


# MSTR balance sheet at 2025-09-30 (the latest date):
#   debt = LongTermDebt 8,214,000,000 (ConvertibleNotesPayable is a part of it: not added)
#   cash = CashAndCashEquivalentsAtCarryingValue 54,300,000
MSTR_FACTS = {
    "cik": 1050446, "entityName": "Strategy Inc",
    "facts": {"us-gaap": {
        "LongTermDebt": {"units": {"USD": [
            money_row("2025-06-30", 8100000000, "0001050446-25-000100", "2025-07-31"),
            money_row("2025-09-30", 8214000000, "0001050446-25-000123", "2025-11-03"),
        ]}},
        "ConvertibleNotesPayable": {"units": {"USD": [
            money_row("2025-09-30", 8100000000, "0001050446-25-000123", "2025-11-03"),
        ]}},
        "CashAndCashEquivalentsAtCarryingValue": {"units": {"USD": [
            money_row("2025-06-30", 50100000, "0001050446-25-000100", "2025-07-31"),
            money_row("2025-09-30", 54300000, "0001050446-25-000123", "2025-11-03"),
        ]}},
    }},
}

# MARA: one class, 370,000,000 shares at 2025-10-24; no companyfacts document (404: nothing else stored).
MARA_SHARES = {
    "cik": 1507605, "taxonomy": "dei", "tag": "EntityCommonStockSharesOutstanding",
    "units": {"shares": [share_row("2025-10-24", 370000000, "0001507605-25-000050", "2025-10-30")]},
}

CONCEPT = "/api/xbrl/companyconcept/CIK{}/dei/EntityCommonStockSharesOutstanding.json"
FACTS = "/api/xbrl/companyfacts/CIK{}.json"


class Edgar:
    """Routes: path -> (status, JSON body or None, extra headers). Every request is recorded."""

    def __init__(self):
        self.routes: dict[str, tuple[int, object, dict]] = {
            "/files/company_tickers.json": (200, TICKERS, {}),
            CONCEPT.format(MSTR_CIK): (200, MSTR_SHARES, {}),
            FACTS.format(MSTR_CIK): (200, MSTR_FACTS, {}),
            CONCEPT.format(MARA_CIK): (200, MARA_SHARES, {}),
        }
        self.requests: list[tuple[str, str | None]] = []   # (path, User-Agent)
        self.lock = threading.Lock()

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def edgar(monkeypatch):
    state = Edgar()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            with state.lock:
                state.requests.append((self.path, self.headers.get("User-Agent")))
            status, body, headers = state.routes.get(self.path, (404, {"error": "not found"}, {}))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("DATTRACK_SEC_URL", base)
    monkeypatch.setenv("DATTRACK_SEC_FILES_URL", base)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def agent(monkeypatch):
    monkeypatch.setenv("DATTRACK_SEC_USER_AGENT", AGENT)
    return AGENT


def facts_of(cli, ticker: str) -> dict[str, dict]:
    (profile,) = cli.json("company", "show", ticker)
    return {f["name"]: f for f in profile["facts"]}


# ---------------------------------------------------------------- no User-Agent

def test_without_user_agent_refuses_before_any_request(cli, db_path, edgar):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    before = db_state(db_path)
    result = cli("fact", "sync")
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "DATTRACK_SEC_USER_AGENT" in lines[0], lines
    assert "Traceback" not in result.stdout + result.stderr
    assert edgar.requests == []
    assert db_state(db_path) == before


def test_a_user_agent_without_an_email_is_refused_too(cli, edgar, monkeypatch):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    monkeypatch.setenv("DATTRACK_SEC_USER_AGENT", "Jane Doe")
    result = cli("fact", "sync")
    assert result.exit_code == 2 and "DATTRACK_SEC_USER_AGENT" in result.stderr
    assert edgar.requests == []


# ---------------------------------------------------------------- a successful sync

def test_sync_stores_shares_debt_and_cash_with_the_accession(cli, edgar, agent):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    result = cli("fact", "sync", "--format", "json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    stored = {r["name"]: r for r in json.loads(result.stdout, parse_float=D, parse_int=D)}
    assert set(stored) == {"shares_basic", "debt", "cash"}

    facts = facts_of(cli, "MSTR")
    assert set(facts) == {"shares_basic", "debt", "cash"}
    # shares_basic = 267,468,000 + 19,640,250 = 287,108,250 at 2025-10-27
    assert facts["shares_basic"]["value"] == D("287108250")
    assert facts["shares_basic"]["date"] == "2025-10-27"
    assert "0001050446-25-000123" in facts["shares_basic"]["source"]
    # debt = LongTermDebt 8,214,000,000 alone at 2025-09-30 (the convertible notes are inside it)
    assert facts["debt"]["value"] == D("8214000000")
    assert facts["debt"]["date"] == "2025-09-30"
    assert "0001050446-25-000123" in facts["debt"]["source"]
    # cash = 54,300,000 at 2025-09-30
    assert facts["cash"]["value"] == D("54300000")
    assert facts["cash"]["date"] == "2025-09-30"
    assert "0001050446-25-000123" in facts["cash"]["source"]
    assert all("SEC EDGAR" in f["source"] for f in facts.values())
    assert stored["shares_basic"]["value"] == D("287108250")

    # the CIK found in the ticker list is kept on the company
    (company,) = cli.json("company", "list")
    assert company["cik"] == 1050446
    # every request said who is asking, with the configured value
    assert edgar.requests and {ua for _, ua in edgar.requests} == {AGENT}
    assert edgar.paths().count("/files/company_tickers.json") == 1


def test_synced_facts_feed_mnav(cli, edgar, agent):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "640000", "--date", "2025-10-01", "--total", "47000000000")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "MSTR", "250", "--date", "2026-11-20")
    cli.ok("fact", "sync")
    (row,) = cli.json("mnav")
    # market_cap = 250 × 287,108,250 = 71,777,062,500; nav = 640,000 × 100,000 = 64,000,000,000
    assert row["market_cap"] == D("71777062500")
    assert row["nav"] == D("64000000000")
    # ev = 71,777,062,500 + 8,214,000,000 + 0 − 54,300,000 = 79,936,762,500
    assert row["ev"] == D("79936762500")
    # the facts of 2025 are more than 120 days old on 2026-11-21: explain flags them
    lines = {line["figure"]: line for line in cli.json("explain", "MSTR")}
    stale = [n["text"] for n in lines["ev"]["notes"] if n["kind"] == "stale"]
    assert any("shares_basic" in t for t in stale) and any("debt" in t for t in stale), stale


def test_a_known_cik_skips_the_ticker_list_and_a_second_sync_changes_nothing(cli, edgar, agent):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    cli.ok("fact", "sync")
    assert "/files/company_tickers.json" not in edgar.paths()
    first = facts_of(cli, "MSTR")
    cli.ok("fact", "sync", "mstr")
    assert facts_of(cli, "MSTR") == first
    (profile,) = cli.json("company", "show", "MSTR")
    assert len(profile["facts"]) == 3


# ---------------------------------------------------------------- skipped and failed companies

def test_company_not_on_edgar_is_skipped_not_failed(cli, edgar, agent):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    result = cli("fact", "sync")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    skipped = [line for line in result.stderr.splitlines() if "METAPLANET" in line]
    assert skipped and "skipped" in skipped[0].lower(), result.stderr
    assert "failed" not in result.stderr.lower()
    assert facts_of(cli, "METAPLANET") == {}
    assert facts_of(cli, "MSTR")["shares_basic"]["value"] == D("287108250")


def test_a_refused_company_fails_by_name_and_the_other_is_still_stored(cli, edgar, agent):
    cli.ok("company", "add", "MARA", "--name", "MARA Holdings")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    # 403 is not retried (PROVIDERS.md): one request, then MARA is reported as failed
    edgar.routes[CONCEPT.format(MARA_CIK)] = (403, {"message": "Request Rate Threshold Exceeded"}, {})
    result = cli("fact", "sync")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    failed = [line for line in result.stderr.splitlines() if "MARA" in line]
    assert failed and "fail" in failed[0].lower(), result.stderr
    assert "MSTR" not in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert edgar.paths().count(CONCEPT.format(MARA_CIK)) == 1
    assert facts_of(cli, "MARA") == {}
    assert set(facts_of(cli, "MSTR")) == {"shares_basic", "debt", "cash"}


def test_a_server_error_is_retried_then_fails_by_name(cli, edgar, agent):
    cli.ok("company", "add", "MARA", "--name", "MARA Holdings")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    # 500 with Retry-After: 0 keeps the retries instant; every try fails
    edgar.routes[FACTS.format(MSTR_CIK)] = (500, {"error": "oops"}, {"Retry-After": "0"})
    result = cli("fact", "sync")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert any("MSTR" in line and "fail" in line.lower() for line in result.stderr.splitlines()), result.stderr
    assert edgar.paths().count(FACTS.format(MSTR_CIK)) > 1           # retried
    # nothing of MSTR is stored (its shares came, its balance sheet did not); MARA's shares are
    assert facts_of(cli, "MSTR") == {}
    mara = facts_of(cli, "MARA")
    assert set(mara) == {"shares_basic"}
    # 370,000,000 shares at 2025-10-24, one class
    assert (mara["shares_basic"]["value"], mara["shares_basic"]["date"]) == (D("370000000"), "2025-10-24")
    assert "0001507605-25-000050" in mara["shares_basic"]["source"]


def test_sync_of_an_unknown_ticker_is_bad_input(cli, db_path, edgar, agent):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    before = db_state(db_path)
    result = cli("fact", "sync", "NOPE")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "NOPE" in result.stderr
    assert edgar.requests == []
    assert db_state(db_path) == before
