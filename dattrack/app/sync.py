"""`dattrack sync`: new disclosures from CoinGecko and SEC EDGAR into the ledger (SPEC section 6).

Three steps. Fetch every company's disclosures (no transaction held; a few companies at a time).
Plan each company against its books: every disclosure becomes a row `added`, `known` (already
recorded) or `skipped` (with the reason). Write each company's added events, facts and provider
ids in one transaction, then replay its books; a provider failure or a refused replay leaves that
company exactly as it was and is reported by name, and the others are stored.

Rules: only disclosures dated after a book's latest event are added unless `since` reaches back;
an empty book starts with an opening balance; a disclosure is known when its book has an event
of the same kind, date and quantity (and amount, when both have one), and a synced buy or sell
also when such an event lies within 7 days; sync never changes or removes an event.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.currency import USD, convert, usd_pair
from dattrack.app.facts import filed_on
from dattrack.dates import now_stamp
from dattrack.errors import BadInput
from dattrack.ledger.disclosures import Disclosure, plan
from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.numbers import rounded, to_text
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.store import prices as price_rows
from dattrack.store import sync as sync_rows

SOURCES = ("coingecko", "sec", "all")
# After this many companies in a row whose requests to one provider outlived the retry policy
# (429s, 5xx, timeouts), that provider is skipped for the rest of the run: a rate-limited demo key
# should not cost every company its full retry schedule.
BREAKER_THRESHOLD = 3
WORKERS = 24            # = the connection pool of http.make_client; EDGAR is paced apart (8 a second)
ROW_KEYS = ("ticker", "asset", "date", "kind", "quantity", "amount", "source", "origin", "status", "reason")


@dataclass
class Fetched:
    """What the providers gave for one company."""

    ticker: str
    coingecko_id: str | None = None
    transactions: list = field(default_factory=list)
    sec_cik: str | None = None
    sec_balances: list = field(default_factory=list)
    sec_facts: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failure: str | None = None
    rates: dict = field(default_factory=dict)    # day -> Quote of USD{currency} fetched for this run


@dataclass
class SyncReport:
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)          # "TICKER: ..." lines for stderr
    failed: dict[str, str] = field(default_factory=dict)    # ticker -> cause
    facts_added: int = 0


# ---------------------------------------------------------------- the use case

def sync(store: Store, tickers: list[str] | None = None, *, source: str = "all", since: str | None = None,
         dry_run: bool = False, client=None, env: Mapping[str, str] | None = None) -> SyncReport:
    from dattrack.app.companies import selected_companies
    from dattrack.providers.http import borrowed_or_new, interruptible, run_bound

    if source not in SOURCES:
        raise BadInput(f"unknown --source {source!r}: use one of {', '.join(SOURCES)}")
    env = os.environ if env is None else env
    started = now_stamp()
    companies = selected_companies(store, tickers)
    report = SyncReport()
    books = {ticker: _books(store, ticker) for ticker in companies}
    coin_ids = {asset: coin for asset, coin in company_rows.coingecko_ids(store).items() if coin}
    # A cron job gets its answer: what is late after the run's bound is named as failed.
    with borrowed_or_new(client) as http, run_bound():
        fetcher = _Fetcher(http, env, source, coin_ids, report)
        jobs = [(company, _oldest_wanted(company, books[ticker], since), set(books[ticker]))
                for ticker, company in companies.items()]
        with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(jobs))), thread_name_prefix="dattrack-sync") as pool, \
                interruptible():  # Ctrl-C: workers stop within a second
            fetched = list(pool.map(lambda job: contextvars.copy_context().run(fetcher.fetch, *job), jobs))
        rates = _missing_rates(store, companies, fetched, http, env)
    for company, result in zip(companies.values(), fetched):
        ticker = company["ticker"]
        report.notes.extend(f"{ticker}: {note}" for note in result.notes)
        if result.failure is not None:
            report.failed[ticker] = result.failure
            continue
        result.rates = rates.get(company["currency"], {})
        if dry_run:
            report.rows.extend(plan_company(store, company, books[ticker], result, since))
            continue
        try:
            with store.write():  # planned again inside the transaction: against the books as they are now
                planned = plan_company(store, company, _books(store, ticker), result, since)
                report.facts_added += _write_company(store, company, result, planned)
        except BadInput as exc:  # the provider's figures contradict the book: nothing of it is kept
            report.failed[ticker] = f"not recorded: {exc}"
            continue
        report.rows.extend(planned)
    if not dry_run:
        with store.write():
            sync_rows.log_run(store, started=started, finished=now_stamp(), sources=source,
                              companies=len(companies), rows=report.rows, failures=report.failed)
    return report


def _books(store: Store, ticker: str) -> dict[str, list[dict]]:
    books: dict[str, list[dict]] = {}
    for event in event_rows.listing(store, ticker, None, None, None):
        books.setdefault(event["asset"], []).append(event)
    return books


def _oldest_wanted(company: dict, books: dict[str, list[dict]], since: str | None) -> dt.date | None:
    """How far back CoinGecko's history must reach: --since, else the oldest book's latest event;
    None (everything) when the primary asset's book is empty."""
    if since is not None:
        return dt.date.fromisoformat(since)
    if company["asset"] not in books:
        return None
    return min(dt.date.fromisoformat(events[-1]["date"]) for events in books.values())


# ---------------------------------------------------------------- fetching

class _Fetcher:
    """Fetches one company's disclosures; the entity list and EDGAR's company list are read once."""

    def __init__(self, http, env, source: str, coin_ids: dict[str, str], report: SyncReport):
        self.http, self.env, self.source, self.coin_ids = http, env, source, coin_ids
        self._entities = None
        self._entities_error: str | None = None
        self._lock = threading.Lock()
        self._failing: dict[str, int] = {}    # provider -> requests in a row that outlived their retries
        self.sec = None
        if source in ("sec", "all"):
            from dattrack.providers.sec import SecClient

            try:
                self.sec = SecClient(http, env)
            except BadInput as exc:
                if source == "sec":
                    raise
                report.notes.append(f"SEC EDGAR skipped: {exc}")

    def fetch(self, company: dict, oldest: dt.date | None, assets: set[str]) -> Fetched:
        from dattrack.providers.http import ProviderError

        result = Fetched(company["ticker"], coingecko_id=company.get("coingecko_id"), sec_cik=None)
        steps = []
        if self.source in ("coingecko", "all"):
            steps.append(("coingecko", lambda: self._coingecko(company, oldest, {company["asset"], *assets}, result)))
        if self.sec is not None:
            steps.append(("SEC EDGAR", lambda: self._sec(company, result)))
        for provider, step in steps:
            skipped = self._skipped(provider)
            if skipped:
                result.failure = skipped
                break
            try:
                step()
            except ProviderError as exc:
                self._count(provider, exc.transient)
                result.failure = str(exc)
                break
            self._count(provider, False)
        return result

    def _skipped(self, provider: str) -> str | None:
        """A provider that kept failing (rate limit, outage) is not asked again in this run."""
        with self._lock:
            if self._failing.get(provider, 0) >= BREAKER_THRESHOLD:
                return (f"{provider}: not asked: {BREAKER_THRESHOLD} requests in a row failed after their retries "
                        f"(rate limit or outage); run sync again later")
        return None

    def _count(self, provider: str, transient: bool) -> None:
        with self._lock:
            self._failing[provider] = self._failing.get(provider, 0) + 1 if transient else 0

    def _coingecko(self, company: dict, oldest: dt.date | None, assets: set[str], result: Fetched) -> None:
        from dattrack.providers import treasury

        entity_id = company.get("coingecko_id")
        if not entity_id:
            entity = treasury.match_entity(self._entity_list(), company["ticker"], company.get("quote_symbol"))
            if entity is None:
                result.notes.append(f"not on CoinGecko's treasury list (no entity with symbol "
                                    f"{company['ticker']}.*); set it with dattrack company set "
                                    f"{company['ticker']} --coingecko-id ID")
                return
            entity_id = result.coingecko_id = entity.id
        coins = sorted(self.coin_ids[a] for a in assets if a in self.coin_ids)
        if not coins:
            result.notes.append(f"no CoinGecko coin id for {', '.join(sorted(assets))}")
            return
        history = treasury.transaction_history(self.http, self.env, entity_id, coins, older_than=oldest)
        if history.note:
            result.notes.append(history.note)
        result.transactions = history.transactions

    def _entity_list(self):
        from dattrack.providers import treasury
        from dattrack.providers.http import ProviderError

        with self._lock:
            if self._entities is None and self._entities_error is None:
                try:
                    self._entities = treasury.entities(self.http, self.env)
                except ProviderError as exc:
                    self._entities_error = str(exc)
            if self._entities_error is not None:
                raise ProviderError("coingecko", f"entity list: {self._entities_error}")
            return self._entities

    def _sec(self, company: dict, result: Fetched) -> None:
        from dattrack.providers.sec import NotOnEdgar, companyfacts_facts, pad_cik
        from dattrack.providers.sec_disclosures import crypto_balances

        try:
            cik = pad_cik(company["cik"]) if company.get("cik") else self.sec.cik(company["ticker"])
        except NotOnEdgar:
            result.notes.append("not on EDGAR: no SEC disclosures")
            return
        document = self.sec.companyfacts(cik)
        result.sec_cik = cik
        if document is None:
            result.notes.append("EDGAR has no XBRL facts for it")
            return
        result.sec_balances = crypto_balances(document)
        result.sec_facts = companyfacts_facts(document)


# ---------------------------------------------------------------- planning

def plan_company(store: Store, company: dict, books: dict[str, list[dict]], fetched: Fetched,
                 since: str | None) -> list[dict]:
    """Every disclosure of one company as a row (added, known or skipped). Rows to add carry
    `_event` (the row for the store) and are in ledger order."""
    ticker, currency = company["ticker"], company["currency"]
    held = {company["asset"], *books}
    coin_assets = {coin: asset for asset, coin in company_rows.coingecko_ids(store).items() if coin}
    fx = _FxBook(store, currency, fetched.rates)
    candidates: list[Disclosure] = []
    last_of_day: dict[tuple[str, str], Disclosure] = {}
    for tx in fetched.transactions:  # oldest first
        asset = coin_assets.get(tx.coin_id)
        if asset is None:
            continue
        day = tx.date.isoformat()
        amount, why = fx.convert(tx.value_usd, day)
        event = Disclosure(ticker, asset, day, tx.kind, tx.quantity, amount, tx.source_url, "coingecko",
                           note="CoinGecko treasury transaction", reason=why)
        event.pair = Disclosure(ticker, asset, day, "balance", tx.balance, None, tx.source_url, "coingecko",
                                note="CoinGecko running balance")
        event.opening = tx.balance - tx.net_change
        same_day = last_of_day.get((asset, day))
        if same_day is not None:  # only the day's last running total is the position at its end
            same_day.pair = None
        last_of_day[(asset, day)] = event
        candidates.append(event)
    for balance in fetched.sec_balances:
        asset, unassigned, reason = balance.asset, False, None
        if asset is None:
            if len(held) == 1:
                asset = next(iter(held))
            else:
                asset, unassigned = company["asset"], True
                reason = (f"SEC reports a company-wide total (unit {balance.unit!r}) and {ticker} holds "
                          f"{', '.join(sorted(held))}: not assigned to one asset")
        day = balance.date.isoformat()
        amount, why = fx.convert(balance.cost_usd, day)
        if balance.cost_usd is None:
            why = None  # a balance without a disclosed cost is ordinary
        candidates.append(Disclosure(
            ticker, asset, day, "balance", balance.quantity, amount, balance.source, "sec",
            note=f"SEC EDGAR {balance.form} filed {balance.filed}: CryptoAssetNumberOfUnits ({balance.unit})"
                 + (" and CryptoAssetCost" if balance.cost_usd is not None else ""),
            reason=reason or why, unassigned=unassigned, known_on=filed_on(balance.filed, day)))
    return plan(candidates, books, since)


class _FxBook:
    """USD amounts in the company's currency at that day's rate: stored (or up to 3 days older),
    else fetched for this run."""

    def __init__(self, store: Store, currency: str, fetched: dict | None = None):
        self.store, self.currency, self.fetched = store, currency, fetched or {}

    def rate(self, day: str) -> Decimal | None:
        stored = price_rows.on_or_before(self.store, usd_pair(self.currency), day)
        if stored is not None and not is_stale(stored.date, day, CRYPTO_STALE_DAYS):
            return stored.price
        quote = self.fetched.get(day)
        return None if quote is None else quote.price

    def convert(self, usd: Decimal | None, day: str) -> tuple[Decimal | None, str | None]:
        if usd is None:
            return None, "value not disclosed: cost unknown"
        amount = convert(usd, USD, self.currency, lambda currency: self.rate(day))
        if amount is None:
            return None, (f"no USD{self.currency} rate on or up to {CRYPTO_STALE_DAYS} days before {day}, "
                          f"none could be fetched: cost unknown")
        return rounded(amount), None


def _missing_rates(store: Store, companies: dict[str, dict], fetched: list[Fetched], http, env) -> dict:
    """USD->currency rates for the days of non-USD amounts that the store cannot convert, from
    CoinGecko's daily cross rates (two requests per currency): currency -> day -> Quote. A rate that
    cannot be had is simply absent (the cost stays unknown, and the row says why)."""
    from dattrack.providers.coingecko import daily_cross_rates
    from dattrack.providers.http import ProviderError
    from dattrack.providers.model import Quote

    wanted: dict[str, set[dt.date]] = {}
    for company, result in zip(companies.values(), fetched):
        currency = company["currency"]
        if currency == USD or result.failure is not None:
            continue
        book = _FxBook(store, currency)
        days = {t.date for t in result.transactions if t.value_usd is not None}
        days |= {b.date for b in result.sec_balances if b.cost_usd is not None}
        wanted.setdefault(currency, set()).update(day for day in days if book.rate(day.isoformat()) is None)
    rates: dict[str, dict] = {}
    for currency, days in wanted.items():
        if not days:
            continue
        try:
            found = daily_cross_rates(http, env, currency, min(days), max(days))
        except ProviderError:
            continue
        rates[currency] = {day.isoformat(): Quote(usd_pair(currency), day, found[day], currency, "coingecko")
                           for day in days if day in found}
    return rates


# ---------------------------------------------------------------- writing

def _write_company(store: Store, company: dict, fetched: Fetched, rows: list[dict]) -> int:
    """Inside the company's transaction: its events, facts and provider ids. Returns facts added."""
    from dattrack.app.books import rebook

    ticker = company["ticker"]
    stamp = now_stamp()
    for quote in fetched.rates.values():  # the rates its amounts were converted at, kept with their source
        price_rows.upsert(store, quote.symbol, quote.date.isoformat(), quote.price, quote.currency, quote.source,
                          stamp)
    touched = set()
    for row in rows:
        if row["status"] != "added":
            continue
        d: Disclosure = row["_event"]
        event_rows.insert(store, (ticker, d.date, d.asset, d.kind, d.quantity, d.amount, d.source, d.note,
                                  d.known_on or d.date, None), origin=d.origin)
        touched.add(d.asset)
    for asset in sorted(touched):
        rebook(store, ticker, asset, lambda s, asset=asset: (
            f"a sell of {s.wanted} {asset} on {s.date} is more than the position then: {s.held} {asset}"))
    changes = {}
    if fetched.coingecko_id and fetched.coingecko_id != company.get("coingecko_id"):
        changes["coingecko_id"] = fetched.coingecko_id
    if fetched.sec_cik and not company.get("cik"):
        changes["cik"] = int(fetched.sec_cik)
    if changes:
        company_rows.update(store, ticker, changes)
    facts = 0
    recorded = {(f.name, f.date) for f in fact_rows.for_company(store, ticker)}
    for fact in fetched.sec_facts:
        if fact.unit not in ("shares", company["currency"]):
            continue
        value = to_text(fact.value)
        if (fact.name, fact.date.isoformat()) in recorded:  # a recorded figure is never overwritten
            continue
        fact_rows.upsert(store, ticker, fact.name, fact.date.isoformat(), value, fact.source,
                         filed_on(fact.filed, fact.date.isoformat()))
        facts += 1
    return facts


def public_rows(rows: list[dict]) -> list[dict]:
    return [{key: row[key] for key in ROW_KEYS} for row in rows]
