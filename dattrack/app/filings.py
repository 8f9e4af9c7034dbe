"""`dattrack filings`: each company's SEC filings, newest first, and whether the ledger cites them.

An analyst's inbox: a filing whose accession no event or fact names (with or without dashes) is
a disclosure not yet recorded. By default only the forms that carry disclosures are listed
(8-K, 6-K, 10-Q, 10-K, 20-F, 40-F and their amendments); `form` picks one form (its amendments
included). A company not on EDGAR is skipped with a note; a failing request fails that company.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from dattrack.store import Store
from dattrack.store import sync as sync_rows

ROW_KEYS = ("ticker", "form", "filed", "report_date", "accession", "items", "url", "in_ledger")
ACCESSION = re.compile(r"\d{10}-?\d{2}-?\d{6}")


@dataclass
class FilingsReport:
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def cited_accessions(sources: list[str]) -> set[str]:
    """Accession numbers named in sources, without dashes."""
    return {match.replace("-", "") for source in sources for match in ACCESSION.findall(source)}


def filings(store: Store, tickers: list[str] | None = None, *, since: str | None = None, form: str | None = None,
            client=None, env: Mapping[str, str] | None = None) -> FilingsReport:
    from dattrack.app.companies import selected_companies
    from dattrack.providers.http import ProviderError, borrowed_or_new, run_bound
    from dattrack.providers.sec import NotOnEdgar, SecClient, pad_cik
    from dattrack.providers.sec_disclosures import filings as parse_filings
    from dattrack.providers.sec_disclosures import is_disclosure_form

    env = os.environ if env is None else env
    wanted = form.strip().upper().removesuffix("/A") if form else None
    companies = selected_companies(store, tickers)
    report = FilingsReport()
    with borrowed_or_new(client) as http, run_bound():
        sec = SecClient(http, env)  # refuses before any request without DATTRACK_SEC_USER_AGENT
        for ticker, company in companies.items():
            try:
                cik = pad_cik(company["cik"]) if company.get("cik") else sec.cik(ticker)
                document = sec.submissions(cik)
                if document is None:
                    report.notes.append(f"{ticker}: EDGAR has no filings for CIK {int(cik)}")
                    continue
                found = parse_filings(document, cik, sec.files_url)
            except NotOnEdgar:
                report.notes.append(f"{ticker}: not on EDGAR (companies listed only abroad file elsewhere)")
                continue
            except ProviderError as exc:
                report.failed[ticker] = str(exc)
                continue
            cited = cited_accessions(sync_rows.cited_sources(store, ticker))
            for filing in found:
                base = filing.form.upper().removesuffix("/A")
                if (wanted is not None and base != wanted) or (wanted is None and not is_disclosure_form(filing.form)):
                    continue
                if since is not None and filing.filed < since:
                    continue
                report.rows.append({
                    "ticker": ticker, "form": filing.form, "filed": filing.filed, "report_date": filing.report_date,
                    "accession": filing.accession, "items": filing.items, "url": filing.url,
                    "in_ledger": filing.accession.replace("-", "") in cited})
    report.rows.sort(key=lambda r: (r["filed"], r["ticker"], r["accession"]), reverse=True)
    return report
