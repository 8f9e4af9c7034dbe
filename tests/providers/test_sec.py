"""SEC EDGAR client against httpx.MockTransport. Fixture bodies have EDGAR's shapes; the figures
are illustrative (MSTR's two share classes, Sequans' ifrs-full Q4 2025 debt and cash)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import threading
from decimal import Decimal

import httpx
import pytest

from dattrack.errors import BadInput
from dattrack.providers.http import ProviderError
from dattrack.providers.sec import (RateLimiter, SecClient, SecFact, balance_sheet_facts, latest_shares,
                                    pad_cik)

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
UA = "Jane Doe jane@example.com"
ENV = {"DATTRACK_SEC_USER_AGENT": UA, "DATTRACK_SEC_URL": "https://sec.test",
       "DATTRACK_SEC_FILES_URL": "https://files.sec.test"}
ROUTES = {
    "/files/company_tickers.json": "sec_company_tickers.json",
    "/api/xbrl/companyconcept/CIK0001050446/dei/EntityCommonStockSharesOutstanding.json":
        "sec_concept_mstr_shares.json",
    "/api/xbrl/companyfacts/CIK0001050446.json": "sec_companyfacts_mstr.json",
    "/api/xbrl/companyfacts/CIK0001383395.json": "sec_companyfacts_sqns.json",
}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(), parse_float=Decimal)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Edgar:
    """A tiny EDGAR: known paths answer their fixture, others 404 (a tag never reported)."""

    def __init__(self, status_for=None, bodies=None):
        self.requests: list[httpx.Request] = []
        self.status_for = status_for or (lambda request: None)
        self.bodies = {path: (FIXTURES / name).read_bytes() for path, name in ROUTES.items()} | (bodies or {})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status = self.status_for(request)
        if status:
            return httpx.Response(status, text="<html>Your Request Originates from an Undeclared Automated Tool</html>")
        body = self.bodies.get(request.url.path)
        if body is None:
            return httpx.Response(404, text="<Error><Code>NoSuchKey</Code></Error>")
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})


def sec(edgar: Edgar, env=ENV, limiter: RateLimiter | None = None) -> SecClient:
    clock = FakeClock()
    return SecClient(httpx.Client(transport=httpx.MockTransport(edgar)), env,
                     limiter=limiter or RateLimiter(8, 1.0, clock=clock, sleep=clock.sleep), sleep=lambda s: None)


def test_two_share_classes_summed_with_debt_and_cash():
    edgar = Edgar()
    result = sec(edgar).facts("mstr")
    assert result.cik == "0001050446"
    by_name = {f.name: f for f in result.facts}
    # Q3 10-Q cover: class A 267,468,000 + class B 19,640,250 = 287,108,250
    assert by_name["shares_basic"] == SecFact("shares_basic", Decimal("287108250"), dt.date(2025, 10, 27),
                                              "SEC EDGAR 10-Q accession 0001050446-25-000123", "shares",
                                              filed="2025-11-03")  # known_on of what sync records
    # LongTermDebt (8,214,000,000) alone: its parts (8,173,000,000 + 41,000,000) and the convertible notes
    # inside it (8,136,000,000) are not added again
    assert by_name["debt"] == SecFact("debt", Decimal("8214000000"), dt.date(2025, 9, 30),
                                      "SEC EDGAR 10-Q accession 0001050446-25-000123 (us-gaap:LongTermDebt)", "USD",
                                      filed="2025-11-03")
    assert (by_name["cash"].value, by_name["cash"].date) == (Decimal("54285000"), dt.date(2025, 9, 30))
    assert all(type(f.value) is Decimal for f in result.facts)
    assert {r.headers["User-Agent"] for r in edgar.requests} == {UA}
    assert [r.url.host for r in edgar.requests] == ["files.sec.test", "sec.test", "sec.test"]


def test_company_list_is_fetched_once_and_dotted_tickers_match():
    edgar = Edgar()
    client = sec(edgar)
    assert client.cik("BRK.B") == "0001067983" and client.cik("MSTR") == "0001050446"
    assert len(edgar.requests) == 1
    with pytest.raises(ProviderError, match="METAPLANET is not in EDGAR's company list"):
        client.cik("metaplanet")


def test_placeholder_count_rejected():
    concept = fixture("sec_concept_mstr_shares.json")
    # a later cover page carrying a placeholder of 1 share must not replace the real count
    concept["units"]["shares"].append({"end": "2025-11-20", "val": 1, "accn": "0001050446-25-000150",
                                       "form": "S-3ASR", "filed": "2025-11-21"})
    fact = latest_shares(concept)
    assert (fact.value, fact.date) == (Decimal("287108250"), dt.date(2025, 10, 27))
    only_placeholders = {"units": {"shares": [{"end": "2025-01-01", "val": 100, "accn": "a", "filed": "2025-01-02"}]}}
    assert latest_shares(only_placeholders) is None


def test_404_tag_is_not_reported_and_ifrs_full_is_read():
    edgar = Edgar()
    result = sec(edgar).facts("SQNS")  # no dei shares concept for this filer: 404
    assert [f.name for f in result.facts] == ["debt", "cash"]
    debt, cash = result.facts
    assert debt == SecFact("debt", Decimal("94500000"), dt.date(2025, 12, 31),
                           "SEC EDGAR 6-K accession 0001383395-26-000013 (ifrs-full:Borrowings)", "USD",
                           filed="2026-02-10")
    assert (cash.value, cash.source) == (
        Decimal("13400000"), "SEC EDGAR 6-K accession 0001383395-26-000013 (ifrs-full:CashAndCashEquivalents)")
    assert edgar.requests[1].url.path.endswith("/dei/EntityCommonStockSharesOutstanding.json")


def test_company_without_any_facts_gives_an_empty_list():
    assert sec(Edgar()).facts("MARA").facts == []


def test_403_names_the_user_agent_and_is_not_retried():
    edgar = Edgar(status_for=lambda request: 403 if request.headers.get("User-Agent") != "Registered r@x.org" else None)
    with pytest.raises(ProviderError, match="HTTP 403.*DATTRACK_SEC_USER_AGENT"):
        sec(edgar).facts("MSTR")
    assert len(edgar.requests) == 1


@pytest.mark.parametrize("env", [{}, {"DATTRACK_SEC_USER_AGENT": "  "}, {"DATTRACK_SEC_USER_AGENT": "dattrack"}])
def test_missing_user_agent_refused_before_any_request(env):
    edgar = Edgar()
    with pytest.raises(BadInput, match='DATTRACK_SEC_USER_AGENT must be set to "Name email"'):
        sec(edgar, env={**ENV, **env} if env else {})
    assert edgar.requests == []


def test_retry_after_server_error_goes_through_the_limiter():
    statuses = iter([503])
    edgar = Edgar(status_for=lambda request: next(statuses, None))
    clock = FakeClock()
    two_per_second = RateLimiter(2, 1.0, clock=clock, sleep=clock.sleep)
    assert sec(edgar, limiter=two_per_second).facts("MSTR", cik=1050446).cik == "0001050446"
    assert len(edgar.requests) == 3  # the 503 try, its retry, then facts; a known CIK needs no company list
    assert clock.now == 1.0  # the third try waited for the window: retries are paced too


def test_money_is_parsed_exactly():
    body = json.dumps({"facts": {"us-gaap": {"Cash": {"units": {"USD": [
        {"end": "2025-09-30", "val": 0.1, "accn": "x", "form": "10-Q", "filed": "2025-11-01"}]}}}}}).encode()
    edgar = Edgar(bodies={"/api/xbrl/companyfacts/CIK0001050446.json": body})
    (cash,) = sec(edgar).balance_sheet("1050446")
    assert cash.value == Decimal("0.1") and cash.name == "cash"


def test_rate_limit_never_exceeds_8_in_any_second():
    clock = FakeClock()
    limiter = RateLimiter(8, 1.0, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(20):
        limiter.acquire()
        stamps.append(clock.now)
    assert max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps) == 8
    assert stamps[-1] >= 2.0  # 20 calls at 8 per second take at least two seconds


def test_rate_limit_holds_across_threads():
    clock = FakeClock()
    limiter = RateLimiter(8, 1.0, clock=clock, sleep=clock.sleep)
    stamps, lock = [], threading.Lock()

    def work():
        for _ in range(5):
            limiter.acquire()
            with lock:
                stamps.append(clock.now)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stamps) == 20
    assert max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps) <= 8


def test_debt_rule_sums_parts_and_short_term_borrowings_at_the_latest_date():
    def instant(end, val, accn="0000000001-25-000001", filed="2025-11-01"):
        return {"end": end, "val": val, "accn": accn, "form": "10-Q", "filed": filed}

    document = {"facts": {"us-gaap": {
        # LongTermDebt was last used a year earlier: the newer date decides, and the total is not mixed in
        "LongTermDebt": {"units": {"USD": [instant("2024-09-30", 999, filed="2024-11-01")]}},
        "LongTermDebtNoncurrent": {"units": {"USD": [instant("2025-09-30", 300000000)]}},
        "LongTermDebtCurrent": {"units": {"USD": [
            instant("2025-09-30", 20000000, filed="2025-11-01"),
            instant("2025-09-30", 25000000, accn="0000000001-26-000002", filed="2026-02-01")]}},  # restated
        "ShortTermBorrowings": {"units": {"USD": [instant("2025-09-30", 5000000)]}},
    }}}
    (debt,) = balance_sheet_facts(document)
    # 300,000,000 + 25,000,000 (the restatement, filed later) + 5,000,000 = 330,000,000
    assert (debt.value, debt.date) == (Decimal("330000000"), dt.date(2025, 9, 30))
    assert debt.source == ("SEC EDGAR 10-Q accession 0000000001-26-000002 (us-gaap:LongTermDebtNoncurrent"
                           " + us-gaap:LongTermDebtCurrent + us-gaap:ShortTermBorrowings)")


def test_cik_padding():
    assert pad_cik(1050446) == "0001050446" and pad_cik("0001050446") == "0001050446"
    with pytest.raises(BadInput):
        pad_cik("MSTR")
