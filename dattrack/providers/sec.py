"""SEC EDGAR company facts: shares outstanding (all classes), debt and cash, as plain dated values.

Endpoints (PROVIDERS.md): {sec_files}/files/company_tickers.json for ticker -> CIK,
{sec}/api/xbrl/companyconcept/CIK##########/dei/EntityCommonStockSharesOutstanding.json for
shares, {sec}/api/xbrl/companyfacts/CIK##########.json for debt and cash.

Share rule: rows under 1,000 shares are cover-page placeholders and dropped; of the rest, the
latest filing (by filing date) wins, and its rows with one accession and end date are summed
(one row per share class).

Debt rule, per taxonomy (us-gaap first, then ifrs-full), at the latest balance-sheet date D any
debt tag reports, in one unit:
  - the first OPTION with any tag reported at D, its reported tags summed. Each option lists
    tags that do not overlap; options are never mixed, because a total and its parts (or
    convertible notes and the long-term debt that contains them) would be counted twice:
      us-gaap:   LongTermDebt
                 | LongTermDebtNoncurrent + LongTermDebtCurrent
                 | ConvertibleNotesPayable
                 | ConvertibleLongTermNotesPayable + ConvertibleNotesPayableCurrent
      ifrs-full: Borrowings
                 | LongtermBorrowings + CurrentPortionOfLongtermBorrowings + ShorttermBorrowings
  - plus ADDED tags reported at D, which no option contains: us-gaap ShortTermBorrowings.
Cash: the first of us-gaap CashAndCashEquivalentsAtCarryingValue, Cash / ifrs-full
CashAndCashEquivalents reported at the latest date. Among several filings of one date, the
latest filed (a restatement) wins. Money facts carry their unit (USD, or a foreign filer's
currency)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import httpx

from dattrack.errors import BadInput
from dattrack.providers.http import ProviderError, base_url, get

PROVIDER = "SEC EDGAR"
USER_AGENT_VARIABLE = "DATTRACK_SEC_USER_AGENT"
REQUESTS_PER_SECOND = 8          # EDGAR allows 10; 8 leaves room for clock jitter
PLACEHOLDER_BELOW = Decimal(1000)
SHARES_CONCEPT = "dei/EntityCommonStockSharesOutstanding"

TAXONOMIES = ("us-gaap", "ifrs-full")
DEBT_OPTIONS = {
    "us-gaap": (("LongTermDebt",),
                ("LongTermDebtNoncurrent", "LongTermDebtCurrent"),
                ("ConvertibleNotesPayable",),
                ("ConvertibleLongTermNotesPayable", "ConvertibleNotesPayableCurrent")),
    "ifrs-full": (("Borrowings",),
                  ("LongtermBorrowings", "CurrentPortionOfLongtermBorrowings", "ShorttermBorrowings")),
}
DEBT_ADDED = {"us-gaap": ("ShortTermBorrowings",), "ifrs-full": ()}
CASH_OPTIONS = {"us-gaap": (("CashAndCashEquivalentsAtCarryingValue",), ("Cash",)),
                "ifrs-full": (("CashAndCashEquivalents",),)}


class NotOnEdgar(ProviderError):
    """The ticker is not in EDGAR's company list: a company listed only abroad, not a failure."""


@dataclass(frozen=True)
class SecFact:
    name: str        # shares_basic, debt or cash
    value: Decimal
    date: dt.date    # the cover-page or balance-sheet date ('end')
    source: str      # "SEC EDGAR 10-Q accession 0001050446-25-000123"
    unit: str        # "shares", or the currency of a money fact
    filed: str = ""  # the filing's date (EDGAR's `filed`): the day the figure became public


@dataclass(frozen=True)
class SecFacts:
    cik: str         # ten digits
    facts: list[SecFact]


class RateLimiter:
    """At most `limit` acquisitions in any `period` seconds, shared by every thread (sliding window)."""

    def __init__(self, limit: int = REQUESTS_PER_SECOND, period: float = 1.0, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.limit, self.period = limit, period
        self._clock, self._sleep = clock, sleep
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:  # waiting inside the lock keeps the window exact when threads race
            while True:
                now = self._clock()
                while self._stamps and now - self._stamps[0] >= self.period:
                    self._stamps.popleft()
                if len(self._stamps) < self.limit:
                    self._stamps.append(now)
                    return
                self._sleep(self._stamps[0] + self.period - now)


# One budget per process: EDGAR counts requests per client host, not per SecClient.
SEC_RATE = RateLimiter()


def user_agent(env: Mapping[str, str]) -> str:
    """EDGAR answers 403 to requests that do not say who is asking; refuse before asking."""
    value = (env.get(USER_AGENT_VARIABLE) or "").strip()
    if not any("@" in word for word in value.split()):
        raise BadInput(f'{USER_AGENT_VARIABLE} must be set to "Name email" for SEC EDGAR, '
                       f'e.g. {USER_AGENT_VARIABLE}="Jane Doe jane@example.com"')
    return value


class SecClient:
    """Facts for one run; pass cik when the company record has it, to skip the company list."""

    def __init__(self, client: httpx.Client, env: Mapping[str, str] | None = None, *,
                 limiter: RateLimiter = SEC_RATE, sleep: Callable[[float], None] = time.sleep):
        env = os.environ if env is None else env
        self._headers = {"User-Agent": user_agent(env)}
        self._data_url, self._files_url = base_url("sec", env), base_url("sec_files", env)
        self._http = _Paced(client, limiter)
        self._sleep = sleep
        self._ciks: dict[str, str] | None = None
        self._ciks_lock = threading.Lock()  # several threads of one run may ask at once: fetch the list once

    def facts(self, ticker: str, cik: str | int | None = None) -> SecFacts:
        """Shares, debt and cash as last reported; a tag never reported is simply absent."""
        cik = self.cik(ticker) if cik is None else pad_cik(cik)
        shares = self.shares(cik)
        return SecFacts(cik, ([shares] if shares else []) + self.balance_sheet(cik))

    def cik(self, ticker: str) -> str:
        with self._ciks_lock:
            if self._ciks is None:  # the list is about 1 MB: fetch it once per client
                listing = self._json(f"{self._files_url}/files/company_tickers.json")
                if listing is None:
                    raise ProviderError(PROVIDER, "the company list /files/company_tickers.json is not available")
                self._ciks = {_ticker_key(row["ticker"]): pad_cik(row["cik_str"]) for row in listing.values()
                              if isinstance(row, dict) and "ticker" in row and "cik_str" in row}
        found = self._ciks.get(_ticker_key(ticker))
        if found is None:
            raise NotOnEdgar(PROVIDER, f"{ticker.upper()} is not in EDGAR's company list "
                                          "(companies listed only abroad are not on EDGAR)")
        return found

    def shares(self, cik: str) -> SecFact | None:
        concept = self._json(f"{self._data_url}/api/xbrl/companyconcept/CIK{pad_cik(cik)}/{SHARES_CONCEPT}.json",
                             cik=cik)
        return None if concept is None else latest_shares(concept)

    def balance_sheet(self, cik: str) -> list[SecFact]:
        document = self.companyfacts(cik)
        return [] if document is None else balance_sheet_facts(document)

    def companyfacts(self, cik: str) -> dict | None:
        """Every tag the company reported (None: EDGAR has no facts for it)."""
        return self._json(f"{self._data_url}/api/xbrl/companyfacts/CIK{pad_cik(cik)}.json", cik=cik)

    def submissions(self, cik: str) -> dict | None:
        """The company's filing index, newest first (None: unknown CIK)."""
        return self._json(f"{self._data_url}/submissions/CIK{pad_cik(cik)}.json", cik=cik)

    @property
    def files_url(self) -> str:
        return self._files_url

    def _json(self, url: str, *, cik: str | None = None) -> dict | None:
        """The decoded body, or None for 404 (EDGAR's answer for a tag or company never reported).
        With `cik`: a document that names another company (its own `cik`) is refused, never
        recorded for the company that asked."""
        response = get(self._http, url, provider=PROVIDER, headers=self._headers, sleep=self._sleep)
        path = httpx.URL(url).path
        if response.status_code == 404:
            return None
        if response.status_code == 403:
            raise ProviderError(PROVIDER, f"HTTP 403 on {path}: EDGAR refuses requests whose User-Agent does not "
                                          f"name a person and an email; check {USER_AGENT_VARIABLE} "
                                          "(EDGAR also answers 403 above 10 requests per second)")
        if response.status_code != 200:
            raise ProviderError(PROVIDER, f"HTTP {response.status_code} on {path}")
        try:
            document = json.loads(response.content, parse_float=Decimal)  # money stays exact
        except ValueError:
            raise ProviderError(PROVIDER, f"{path} did not return JSON") from None
        if not isinstance(document, dict):
            raise ProviderError(PROVIDER, f"{path} returned JSON of an unexpected shape")
        if cik is not None:
            _same_company(document, cik, path)
        return document


def _same_company(document: Mapping, cik: str, path: str) -> None:
    """EDGAR's documents carry their company's CIK (and name): another one is a wrong answer."""
    named = document.get("cik")
    if named is None:
        return
    try:
        same = int(str(named).strip()) == int(cik)
    except ValueError:
        same = False
    if not same:
        from dattrack.providers.parse import shorten

        name = document.get("entityName") or document.get("name")
        raise ProviderError(PROVIDER, f"{path} answered for CIK {shorten(str(named), 20)}"
                                      + (f" ({shorten(str(name), 60)})" if name else "")
                                      + f", not CIK {int(cik)}: refused")


def pad_cik(cik: str | int) -> str:
    text = str(cik).strip()
    if not text.isdigit() or len(text) > 10:
        raise BadInput(f"CIK {text!r} is not a number of at most 10 digits")
    return text.zfill(10)


class _Paced:
    """Stands in for httpx.Client in http.get, so every attempt, retries included, waits its turn."""

    def __init__(self, client: httpx.Client, limiter: RateLimiter):
        self._client, self._limiter = client, limiter

    def build_request(self, *args, **kwargs) -> httpx.Request:
        return self._client.build_request(*args, **kwargs)

    def send(self, request: httpx.Request, **kwargs) -> httpx.Response:
        self._limiter.acquire()
        return self._client.send(request, **kwargs)


class _Row(NamedTuple):
    """One reported value of one tag, as EDGAR lists it."""

    tag: str
    unit: str
    end: str
    value: Decimal
    accn: str
    form: str
    filed: str


def latest_shares(concept: Mapping) -> SecFact | None:
    """The latest filing's cover-page count, summed over share classes; placeholders dropped."""
    rows = [r for r in _rows(concept, "EntityCommonStockSharesOutstanding")
            if r.unit == "shares" and r.value >= PLACEHOLDER_BELOW]
    if not rows:
        return None
    latest = max(rows, key=lambda r: (r.filed, r.end, r.accn))
    classes = [r for r in rows if (r.accn, r.end) == (latest.accn, latest.end)]
    return SecFact("shares_basic", sum((r.value for r in classes), Decimal(0)), dt.date.fromisoformat(latest.end),
                   _source(latest), "shares", latest.filed)


def companyfacts_facts(document: Mapping) -> list[SecFact]:
    """Shares (dei cover page), debt and cash from one companyfacts document: one request for all."""
    concept = document.get("facts", {}).get("dei", {}).get("EntityCommonStockSharesOutstanding")
    shares = latest_shares(concept) if isinstance(concept, dict) else None
    return ([shares] if shares else []) + balance_sheet_facts(document)


def balance_sheet_facts(document: Mapping) -> list[SecFact]:
    """Debt and cash from a companyfacts document, by the rules in this module's docstring."""
    found = []
    for name, options, added in (("debt", DEBT_OPTIONS, DEBT_ADDED), ("cash", CASH_OPTIONS, {})):
        for taxonomy in TAXONOMIES:
            facts = document.get("facts", {}).get(taxonomy, {})
            rows = _chosen(facts, options[taxonomy], added.get(taxonomy, ()))
            if rows:
                newest = max(rows, key=lambda r: (r.filed, r.accn))
                tags = " + ".join(f"{taxonomy}:{r.tag}" for r in rows)
                found.append(SecFact(name, sum((r.value for r in rows), Decimal(0)),
                                     dt.date.fromisoformat(newest.end), f"{_source(newest)} ({tags})", newest.unit,
                                     max(r.filed for r in rows)))
                break
    return found


def _chosen(facts: Mapping, options: tuple[tuple[str, ...], ...], added: tuple[str, ...]) -> list[_Row]:
    """The rows to sum at the latest date: the first option reported there, plus the added tags.
    Money only: a row in another unit (shares, pure) is not a balance-sheet amount."""
    by_tag = {tag: [r for r in _rows(facts.get(tag, {}), tag) if is_currency(r.unit)]
              for tag in (*(t for option in options for t in option), *added)}
    every = [row for rows in by_tag.values() for row in rows]
    if not every:
        return []
    latest = max(every, key=lambda r: (r.end, r.filed))
    chosen: list[_Row] = []
    for option in options:
        chosen = _reported(by_tag, option, latest)
        if chosen:
            break
    return chosen + _reported(by_tag, added, latest)


def _reported(by_tag: Mapping[str, list[_Row]], tags: Iterable[str], latest: _Row) -> list[_Row]:
    """For each tag, its latest-filed row at latest's date and unit, if any."""
    found = []
    for tag in tags:
        same = [r for r in by_tag[tag] if (r.end, r.unit) == (latest.end, latest.unit)]
        if same:
            found.append(max(same, key=lambda r: (r.filed, r.accn)))
    return found


def _rows(concept: Mapping, tag: str) -> list[_Row]:
    """A tag's instant rows (no 'start': balance-sheet and cover-page values) with an exact value."""
    rows = []
    for unit, facts in concept.get("units", {}).items():
        for fact in facts:
            value = fact.get("val")
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or "end" not in fact \
                    or "start" in fact or not _iso_day(fact["end"]):
                continue
            rows.append(_Row(tag, unit, fact["end"], Decimal(value), fact.get("accn", "?"),
                             fact.get("form", "filing"), fact.get("filed", "")))
    return rows


def _iso_day(text) -> bool:
    """A real calendar date (EDGAR never sends 2026-02-30; a hostile answer might)."""
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return isinstance(text, str) and len(text) == 10


def is_currency(unit: str) -> bool:
    """An XBRL unit that is money: an ISO 4217 code (USD, JPY, EUR)."""
    return isinstance(unit, str) and len(unit) == 3 and unit.isascii() and unit.isalpha() and unit.isupper()


def _source(row: _Row) -> str:
    return f"{PROVIDER} {row.form} accession {row.accn}"


def _ticker_key(ticker: str) -> str:
    """EDGAR writes share-class tickers with a dash (BRK-B); users often type a dot."""
    return str(ticker).strip().upper().replace(".", "-")
