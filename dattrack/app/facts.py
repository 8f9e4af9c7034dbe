"""`fact sync`: share counts, debt and cash from SEC EDGAR, each stored with its filing as source.

Fetch everything first, then write in one transaction: a failure for one company is reported by
name and the others are still stored."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.dates import today
from dattrack.numbers import MAX_ABS, to_text
from dattrack.app.holdings import selected_companies
from dattrack.store import Store
from dattrack.store import facts as fact_rows


@dataclass
class SyncReport:
    stored: list[dict] = field(default_factory=list)     # ticker, name, value, date, source
    skipped: dict[str, str] = field(default_factory=dict)   # ticker -> why (not on EDGAR, other unit)
    failed: dict[str, str] = field(default_factory=dict)    # ticker -> cause


# More shares than any listed company has ever had (the largest have tens of billions).
MAX_SHARES = Decimal(10) ** 13


def implausible(name: str, value: Decimal, date) -> str | None:
    """Why a figure a provider reported cannot be true, or None: it is refused, not stored."""
    if not value.is_finite() or value < 0:
        return f"{name} {value} is negative or not a number"
    if value > MAX_ABS:
        return f"{name} {value:.3e} is larger than 10^15"
    if name.startswith("shares") and (value == 0 or value > MAX_SHARES):
        return f"{name} {value} is not a plausible share count"
    if date > today():
        return f"dated {date.isoformat()}, in the future"
    return None


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
                store.execute("UPDATE companies SET cik = ? WHERE ticker = ?", (int(result.cik), ticker))
            for fact in result.facts:
                if fact.unit not in ("shares", currency):
                    report.skipped[f"{ticker} {fact.name}"] = f"reported in {fact.unit}, not {currency}"
                    continue
                absurd = implausible(fact.name, fact.value, fact.date)
                if absurd:
                    report.skipped[f"{ticker} {fact.name}"] = f"refused: {absurd}"
                    continue
                fact_rows.upsert(store, ticker, fact.name, fact.date.isoformat(), to_text(fact.value), fact.source)
                report.stored.append({"ticker": ticker, "name": fact.name, "value": fact.value,
                                      "date": fact.date.isoformat(), "source": fact.source})
            if not result.facts:
                report.skipped[ticker] = "EDGAR reports none of shares, debt or cash for it"
    return report
