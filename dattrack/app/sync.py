"""`dattrack sync`: new disclosures from every source into the ledger (SPEC section 6).

The core knows no provider: the sources (`app/sources/`) fetch, the core plans and writes. Four
steps. Prepare each source once. Fetch every company's batch from each source, a few companies
at a time, no transaction held; a provider that keeps failing is not asked again in the run.
Convert stated amounts into each company's currency at the day's rate (stored, else fetched for
the run). Then, per company in one transaction: plan its disclosures against its books (each
becomes `added`, `known` or `skipped`, with the reason), write the added events and replay the
books they touch, store the company ids found, and hand every other record to the writer of its
type. A provider failure or a refused replay leaves that company exactly as it was and is reported
by name; the others are stored.

Rules (ledger/disclosures.py): only disclosures dated after a book's latest event are added
unless `since` reaches back; an empty book starts with an opening balance; a disclosure is known
when its book has an event of the same kind, date and quantity (and amount, when both have one),
a synced purchase or sale also when such an event lies within 7 days; sync never changes or
removes an event.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.app.inputs import check_origin
from dattrack.app.sources import Batch, Candidate, Run, Source, Wanted, as_candidate, make_sources, source_names
from dattrack.app.sources import Written, writer_for
from dattrack.currency import USD, convert, usd_pair
from dattrack.dates import now_stamp, today
from dattrack.errors import BadInput
from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.ledger.disclosures import Disclosure, Planned, plan
from dattrack.ledger.plausible import disclosure_doubt
from dattrack.numbers import rounded
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import events as event_rows
from dattrack.store import prices as price_rows
from dattrack.store import sync as sync_rows

ROW_KEYS = ("ticker", "asset", "date", "kind", "quantity", "amount", "source", "origin", "status", "reason")
COMPANY_IDS = ("coingecko_id", "cik")   # the ids a source may find for a company


@dataclass
class Fetched:
    """What the sources gave for one company: its batch, or why it could not be had."""

    batch: Batch = field(default_factory=Batch)
    failure: str | None = None
    unreachable: str | None = None               # the host that could not be reached, when that was the failure
    late: bool = False                           # the command's deadline passed before it was fetched
    rates: dict = field(default_factory=dict)    # currency -> day -> Quote of USD{currency} fetched for this run


@dataclass
class SyncReport:
    rows: list[Planned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)          # "TICKER: ..." lines for stderr
    failed: dict[str, str] = field(default_factory=dict)    # ticker -> cause
    offline: dict[str, tuple[str, ...]] = field(default_factory=dict)   # failed for want of network: ticker -> host
    late: list[str] = field(default_factory=list)           # not fetched: the command's deadline passed first
    recorded: Counter = field(default_factory=Counter)      # label -> records the writers wrote (facts, ...)
    unwritten: Counter = field(default_factory=Counter)     # record type -> records no writer takes


def sources() -> tuple[str, ...]:
    """The --source values: every registered source, and all."""
    return (*source_names(), "all")


# ---------------------------------------------------------------- the use case

def sync(store: Store, tickers: list[str] | None = None, *, source: str = "all", since: str | None = None,
         dry_run: bool = False, client=None, env: Mapping[str, str] | None = None) -> SyncReport:
    from dattrack.app.companies import selected_companies
    from dattrack.providers import http as providers_http
    from dattrack.providers.http import borrowed_or_new, interruptible, run_bound

    if source not in sources():
        raise BadInput(f"unknown --source {source!r}: use one of {', '.join(sources())}")
    env = os.environ if env is None else env
    started = now_stamp()
    companies = selected_companies(store, tickers)
    report = SyncReport()
    books = {ticker: _books(store, ticker) for ticker in companies}
    # A cron job gets its answer: what is late after the run's bound is named as failed.
    with borrowed_or_new(client) as http, run_bound():
        run = Run(store, http, env, source)
        prepared = _prepared(make_sources(source), run)
        report.notes.extend(run.notes)
        fetcher = _Fetcher(prepared)
        jobs = [(company, Wanted(company, since, {asset: events[-1]["date"] for asset, events in books[t].items()}))
                for t, company in companies.items()]
        with ThreadPoolExecutor(max_workers=max(1, min(providers_http.POOL_SIZE, len(jobs))), thread_name_prefix="dattrack-sync") as pool, \
                interruptible():  # Ctrl-C: workers stop within a second
            fetched = list(pool.map(lambda job: contextvars.copy_context().run(fetcher.fetch, *job), jobs))
        rates = _missing_rates(store, companies, fetched, http, env)
    for company, result in zip(companies.values(), fetched):
        ticker = company["ticker"]
        report.notes.extend(f"{ticker}: {note}" for note in result.batch.notes)
        if result.failure is not None:
            report.failed[ticker] = result.failure
            if result.unreachable:
                report.offline[ticker] = (result.unreachable,)
            if result.late:
                report.late.append(ticker)
            continue
        result.rates = rates
        if dry_run:
            report.rows.extend(_plan_company(store, company, books[ticker], result, since))
            _count(report, ticker, *_hand_on(store, company, result.batch, dry_run=True))
            continue
        try:
            with store.write():  # planned again inside the transaction: against the books as they are now
                _store_rates(store, company, result)
                planned = _plan_company(store, company, _books(store, ticker), result, since)
                write_disclosures(store, ticker, [row.disclosure for row in planned if row.status == "added"])
                _store_ids(store, company, result.batch.ids)
                handed = _hand_on(store, company, result.batch, dry_run=False)
        except BadInput as exc:  # the provider's figures contradict the book: nothing of it is kept
            report.failed[ticker] = f"not recorded: {exc}"
            continue
        report.rows.extend(planned)
        _count(report, ticker, *handed)
    if not dry_run:
        with store.write():
            sync_rows.log_run(store, started=started, finished=now_stamp(), sources=source,
                              companies=len(companies), rows=public_rows(report.rows), failures=report.failed)
    return report


def public_rows(rows: Iterable[Planned]) -> list[dict]:
    """The rows of `dattrack sync` (keys ROW_KEYS)."""
    return [{"ticker": d.ticker, "asset": d.asset, "date": d.date, "kind": d.kind, "quantity": d.quantity,
             "amount": d.amount, "source": d.source, "origin": d.origin, "status": row.status, "reason": row.reason}
            for row in rows for d in (row.disclosure,)]


def write_disclosures(store: Store, ticker: str, disclosures: list[Disclosure]) -> None:
    """Record disclosures of one company as events (inside the caller's transaction) and replay the
    books they touch; a book they would make negative raises BadInput. For every writer that records
    events (sync's planned rows, the inbox's accepted items)."""
    from dattrack.app.books import rebook

    touched = set()
    for d in disclosures:
        event_rows.insert(store, (ticker, d.date, d.asset, d.kind, d.quantity, d.amount, d.source, d.note,
                                  d.known_on, d.estimate), origin=check_origin(d.origin))
        touched.add(d.asset)
    for asset in sorted(touched):
        rebook(store, ticker, asset, lambda s, asset=asset: s.text(asset))


def _books(store: Store, ticker: str) -> dict[str, list[dict]]:
    """The company's recorded events by asset, in ledger order, as planning compares them: an
    estimated amount is none (the disclosure it stands for may state the exact one)."""
    books: dict[str, list[dict]] = {}
    for event in event_rows.listing(store, ticker, None, None, None):
        if event["estimate"]:
            event = {**event, "amount": None}
        books.setdefault(event["asset"], []).append(event)
    return books


def _prepared(candidates: list[Source], run: Run) -> list[Source]:
    """The sources ready for this run. A source refused by name refuses the run; under `all` it
    sits out with a note."""
    ready = []
    for source in candidates:
        try:
            if source.prepare(run):
                ready.append(source)
        except BadInput as exc:
            if run.asked == source.name:
                raise
            run.notes.append(f"{source.provider} skipped: {exc}")
    return ready


# ---------------------------------------------------------------- fetching

class _Fetcher:
    """Fetches one company's batch from every source; counts each provider's failures in a row."""

    def __init__(self, sources: list[Source]):
        from dattrack.providers.breaker import Breaker

        self.sources = sources
        self.breaker = Breaker()   # per provider, companies in a row whose requests outlived their retries

    def fetch(self, company: dict, wanted: Wanted) -> Fetched:
        from dattrack.providers.http import OutOfTime, ProviderError

        result = Fetched()
        for source in self.sources:
            skipped = self.breaker.skip(source.provider)
            if skipped:
                result.failure, result.unreachable = str(skipped), getattr(skipped, "host", None)
                break
            try:
                result.batch.extend(source.fetch(company, wanted))
            except ProviderError as exc:
                self.breaker.record(source.provider, exc)
                result.failure, result.unreachable = str(exc), getattr(exc, "host", None)
                result.late = isinstance(exc, OutOfTime)
                break
            self.breaker.record(source.provider, None)
        return result


# ---------------------------------------------------------------- planning

def _plan_company(store: Store, company: dict, books: dict[str, list[dict]], fetched: Fetched,
                  since: str | None) -> list[Planned]:
    """Every disclosure of one company planned against its books, amounts in its currency."""
    fx = _FxBook(store, fetched.rates)
    day = today()
    candidates = [_plausible(_in_currency(as_candidate(record), company["currency"], fx), day)
                  for record in fetched.batch.records if isinstance(record, (Disclosure, Candidate))]
    return plan(candidates, books, since)


def _plausible(candidate: Candidate, day: dt.date) -> Candidate:
    """A candidate that cannot be true (ledger/plausible.py), or whose running balance or opening
    cannot, is skipped with the reason: a lying feed is reported, never stored."""
    if candidate.skip:
        return candidate
    for what, d in (("", candidate.disclosure), ("its running balance: ", candidate.running),
                    ("its opening balance: ", candidate.opening)):
        why = d and disclosure_doubt(d.asset, d.kind, d.date, d.quantity, d.amount, d.known_on, day)
        if why:
            return dataclasses.replace(candidate, skip=f"refused: {what}{why}", running=None, opening=None)
    return candidate


def _in_currency(candidate: Candidate, currency: str, fx: "_FxBook") -> Candidate:
    """A candidate whose amount was stated in another currency, with the amount in the company's at
    that day's rate; none to be had leaves the cost unknown, and the row says why."""
    if candidate.currency is None:
        return candidate
    disclosure = candidate.disclosure
    amount = None if candidate.stated is None else fx.convert(candidate.stated, candidate.currency, currency,
                                                               disclosure.date)
    remark = candidate.remark
    if candidate.stated is not None and amount is None:
        missing = [usd_pair(c) for c in (candidate.currency, currency) if c != USD]
        remark = (f"no {' or '.join(missing)} rate on or up to {CRYPTO_STALE_DAYS} days before {disclosure.date}, "
                  f"none could be fetched: cost unknown")
    return dataclasses.replace(candidate, disclosure=dataclasses.replace(disclosure, amount=amount), remark=remark,
                               stated=None, currency=None)


class _FxBook:
    """Units of a currency per USD on a day: stored (or up to 3 days older), else fetched for this run."""

    def __init__(self, store: Store, fetched: dict | None = None):
        self.store, self.fetched = store, fetched or {}

    def rate(self, currency: str, day: str) -> Decimal | None:
        stored = price_rows.on_or_before(self.store, usd_pair(currency), day)
        if stored is not None and not is_stale(stored.date, day, CRYPTO_STALE_DAYS):
            return stored.price
        quote = self.fetched.get(currency, {}).get(day)
        return None if quote is None else quote.price

    def convert(self, amount: Decimal, currency: str, target: str, day: str) -> Decimal | None:
        converted = convert(amount, currency, target, lambda c: self.rate(c, day))
        return None if converted is None else rounded(converted)


def _missing_rates(store: Store, companies: dict[str, dict], fetched: list[Fetched], http, env) -> dict:
    """USD->currency rates for the days of stated amounts that the store cannot convert, from
    CoinGecko's daily cross rates (two requests per currency): currency -> day -> Quote. A rate that
    cannot be had is simply absent (the cost stays unknown, and the row says why)."""
    from dattrack.providers.coingecko import daily_cross_rates
    from dattrack.providers.http import ProviderError
    from dattrack.providers.model import Quote

    book = _FxBook(store)
    wanted: dict[str, set[str]] = {}
    for company, result in zip(companies.values(), fetched):
        if result.failure is not None:
            continue
        for record in result.batch.records:
            if not isinstance(record, Candidate) or record.currency in (None, company["currency"]) \
                    or record.stated is None:
                continue
            for currency in {record.currency, company["currency"]} - {USD}:
                if book.rate(currency, record.disclosure.date) is None:
                    wanted.setdefault(currency, set()).add(record.disclosure.date)
    rates: dict[str, dict] = {}
    for currency, days in wanted.items():
        first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
        try:
            found = daily_cross_rates(http, env, currency, first, last)
        except ProviderError:
            continue
        rates[currency] = {day: Quote(usd_pair(currency), dt.date.fromisoformat(day), found[dt.date.fromisoformat(day)],
                                      currency, "coingecko")
                           for day in days if dt.date.fromisoformat(day) in found}
    return rates


# ---------------------------------------------------------------- writing

def _store_ids(store: Store, company: dict, ids: Mapping[str, object]) -> None:
    """The provider ids a source found, for a company that lacks them."""
    changes = {key: value for key, value in ids.items() if key in COMPANY_IDS and value and not company.get(key)}
    if changes:
        company_rows.update(store, company["ticker"], changes)


def _store_rates(store: Store, company: dict, fetched: Fetched) -> None:
    """The rates fetched for this run in the currencies of the company's amounts, kept with their source."""
    currencies = {company["currency"]} | {r.currency for r in fetched.batch.records if isinstance(r, Candidate)}
    stamp = now_stamp()
    for currency in sorted(currencies - {None, USD}):
        for quote in fetched.rates.get(currency, {}).values():
            price_rows.upsert(store, quote.symbol, quote.date.isoformat(), quote.price, quote.currency, quote.source,
                              stamp)


def _hand_on(store: Store, company: dict, batch: Batch, *, dry_run: bool) -> tuple[list[Written], Counter]:
    """Every record that is not a disclosure, to the writer registered for its type (in the
    company's transaction); what they wrote, and how many records of each type no writer takes."""
    by_type: dict[type, list] = {}
    for record in batch.records:
        if not isinstance(record, (Disclosure, Candidate)):
            by_type.setdefault(type(record), []).append(record)
    written, unwritten = [], Counter()
    for record_type, records in by_type.items():
        writer = writer_for(record_type)
        if writer is None:
            unwritten[record_type.__name__] += len(records)
        else:
            written.append(writer(store, company, records, dry_run))
    return written, unwritten


def _count(report: SyncReport, ticker: str, written: list[Written], unwritten: Counter) -> None:
    for result in written:
        report.recorded[result.label] += result.count
        report.rows.extend(result.rows)
        report.notes.extend(f"{ticker}: {note}" for note in result.notes)
    report.unwritten.update(unwritten)
