"""Balance-sheet facts: one set by hand (`fact set`), or share counts, debt and cash synced from
SEC EDGAR (`fact sync`), each stored with its filing as source.

A sync fetches everything first, then writes in one transaction: a failure for one company is
reported by name and the others are still stored."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.app.companies import require_company, selected_companies
from dattrack.app.inputs import check_estimate, check_known_on
from dattrack.app.sources import DisclosedFact, Written, register_writer
from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.ledger.plausible import fact_doubt
from dattrack.numbers import parse_decimal, to_text
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import facts as fact_rows

FACT_NAMES = ("shares_basic", "shares_diluted", "debt", "preferred", "cash", "mining_cost", "split")


def set_fact(store: Store, ticker: str, name: str, value: str, date: str | None, source: str | None, *,
             known_on: str | None = None, estimate: str | None = None) -> tuple[str, str]:
    """Record a fact dated `date` (default today) as public on `known_on` (default today). The same
    name and date with a later known_on is a revision: both are kept; the same known_on replaces it."""
    company = require_company(store, ticker)
    name = (name or "").strip().lower()
    if name not in FACT_NAMES:
        raise BadInput(f"unknown fact {name!r}: use one of {', '.join(FACT_NAMES)}")
    if name == "split":
        from dattrack.valuation import parse_split

        new, old = parse_split(value)
        text = f"{to_text(new)}:{to_text(old)}"
    else:
        text = to_text(parse_decimal(value, name, positive=name.startswith("shares") or name == "mining_cost"))
    day = parse_date(date).isoformat() if date else today().isoformat()
    public = check_known_on(known_on, day, today().isoformat(), announced=True)
    fact_rows.upsert(store, company["ticker"], name, day, text, source or None, public, check_estimate(estimate))
    return day, text


@dataclass
class SyncReport:
    stored: list[dict] = field(default_factory=list)     # ticker, name, value, date, source
    skipped: dict[str, str] = field(default_factory=dict)   # ticker -> why (not on EDGAR, other unit)
    failed: dict[str, str] = field(default_factory=dict)    # ticker -> cause


def filed_on(filed: str | None, date: str) -> str:
    """When a synced figure became public: its filing date, when that is a real day from its own date
    to today; else today (the day it was recorded)."""
    current = today().isoformat()
    try:
        day = dt.date.fromisoformat(filed or "").isoformat()
    except ValueError:
        return current
    return day if date <= day <= current else current


def sync_facts(store: Store, tickers: list[str] | None, *, client=None, env=None) -> SyncReport:
    from dattrack.providers.http import ProviderError, borrowed_or_new, run_bound
    from dattrack.providers.sec import NotOnEdgar, SecClient

    env = os.environ if env is None else env
    companies = selected_companies(store, tickers)
    report = SyncReport()
    fetched = {}
    with borrowed_or_new(client) as http, run_bound():  # a cron job gets its answer: what is late is named
        sec = SecClient(http, env)  # refuses before any request without DATTRACK_SEC_USER_AGENT
        for ticker, company in companies.items():
            try:
                fetched[ticker] = sec.facts(ticker, company["cik"])
            except NotOnEdgar:
                report.skipped[ticker] = "not on EDGAR: keep its facts by hand (dattrack fact set)"
            except ProviderError as exc:
                report.failed[ticker] = str(exc)
            except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
                report.failed[ticker] = f"sec: malformed answer ({type(exc).__name__})"
    with store.write():
        for ticker, result in fetched.items():
            currency = companies[ticker]["currency"]
            if companies[ticker]["cik"] is None:
                company_rows.set_cik(store, ticker, int(result.cik))
            for fact in result.facts:
                absurd = fact_doubt(fact.name, fact.value, fact.date, today(), unit=fact.unit, currency=currency)
                if absurd:
                    report.skipped[f"{ticker} {fact.name}"] = f"refused: {absurd}"
                    continue
                fact_rows.upsert(store, ticker, fact.name, fact.date.isoformat(), to_text(fact.value), fact.source,
                                 filed_on(fact.filed, fact.date.isoformat()))
                report.stored.append({"ticker": ticker, "name": fact.name, "value": fact.value,
                                      "date": fact.date.isoformat(), "source": fact.source})
            if not result.facts:
                report.skipped[ticker] = "EDGAR reports none of shares, debt or cash for it"
    return report


def fact_list(store: Store, tickers: list[str] | None, name: str | None) -> list[dict]:
    """Every recorded fact (a revision is a row of its own, with its known_on) with its age today; a
    fact is stale once a newer one is overdue."""
    from dattrack.freshness import FACT_STALE_DAYS, age_days, is_stale

    tickers = [require_company(store, ticker)["ticker"] for ticker in tickers or []] or None
    if name is not None and name.lower() not in FACT_NAMES:
        raise BadInput(f"unknown fact {name!r}: use one of {', '.join(FACT_NAMES)}")
    day = today().isoformat()
    rows = fact_rows.listing(store, tickers, name.lower() if name else None)
    latest = {(r[0], r[1]): r[2] for r in rows}  # rows come by date: the last one wins
    return [{"ticker": ticker, "name": fact, "date": date, "value": value if fact == "split" else Decimal(value),
             "source": source, "known_on": known_on, "estimate": estimate, "age_days": age_days(date, day),
             "stale": fact != "split" and latest[(ticker, fact)] == date and is_stale(date, day, FACT_STALE_DAYS)}
            for ticker, fact, date, value, source, known_on, estimate in rows]


def record_disclosed(store: Store, company: dict, facts: list[DisclosedFact], dry_run: bool) -> Written:
    """The facts a sync source read (DisclosedFact), in the company's transaction: a figure in another
    currency than the company's, one that cannot be true, or one for a name and date already recorded
    (by hand or by a source) is not written. Registered as the sync writer of DisclosedFact."""
    ticker = company["ticker"]
    recorded = {(f.name, f.date) for f in fact_rows.for_company(store, ticker)}
    count, refused = 0, []
    for fact in facts:
        if (fact.name, fact.date) in recorded:
            continue
        absurd = fact_doubt(fact.name, fact.value, dt.date.fromisoformat(fact.date), today(), unit=fact.unit,
                            currency=company["currency"])
        if absurd:  # said, not stored: the source lied about it
            refused.append(f"{fact.name} of {fact.date} refused: {absurd}")
            continue
        recorded.add((fact.name, fact.date))
        if not dry_run:
            fact_rows.upsert(store, ticker, fact.name, fact.date, to_text(fact.value), fact.source, fact.known_on,
                             fact.estimate)
        count += 1
    return Written(count, "facts", notes=tuple(refused))


register_writer(DisclosedFact, record_disclosed)
