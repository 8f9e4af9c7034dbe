"""From a document's Reading to one company's books (SPEC 9), shared by `read`, `inbox` and
`sync --source filings`: the reader's figures as findings of that company, their verdicts against
its books (ledger/findings.py), and what recording them writes — events with origin `filing`
(source `FORM ACCESSION URL`, the quote as note, known on the filing date), facts, and the
pending ones in the inbox.

The company is the CIK: a document whose CIK (its address in EDGAR's archives, or its own
dei:EntityCentralIndexKey) is not the company's is refused for it, whatever the names say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dattrack.dates import now_stamp
from dattrack.errors import BadInput
from dattrack.ledger.disclosures import Disclosure
from dattrack.ledger.findings import EVENT_KINDS, NO_LIMIT, Finding, Verdict, classify
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.store import inbox as inbox_rows

ORIGIN = "filing"
PERIODIC_FORMS = ("10-Q", "10-K")


@dataclass(frozen=True)
class DocumentOf:
    """Where a document came from, as recording cites it."""

    document: str                  # URL or file
    name: str                      # file name
    form: str | None = None        # 8-K, 10-Q, ... (the feed's, else the document's own)
    accession: str | None = None
    cik: str | None = None         # ten digits: the EDGAR folder it sits in
    filed: dt.date | None = None   # the filing or release date (None: not known)

    @property
    def source(self) -> str:
        parts = [self.form, self.accession, self.document]
        return " ".join(p for p in parts if p)


def refuse_foreign(company: dict, origin: DocumentOf, reading_cik: str | None) -> None:
    """BadInput unless the document is the company's own (or says nothing of whose it is)."""
    named = {str(int(c)) for c in (origin.cik, reading_cik) if c}
    if not named:
        return
    ticker = company["ticker"]
    if company.get("cik") is None:
        raise BadInput(f"{origin.name} is a document of CIK {', '.join(sorted(named))}, and {ticker} has no CIK; "
                       f"if it is {ticker}'s: dattrack company set {ticker} --cik {min(named)}")
    if named != {str(int(company["cik"]))}:
        raise BadInput(f"{origin.name} is a document of CIK {', '.join(sorted(named))}, not of {ticker} "
                       f"(CIK {int(company['cik'])}): refused for {ticker}")


def findings_of(reading, company: dict, origin: DocumentOf, *, known_on: str) -> list[Finding]:
    """The reading's disclosures as the company's findings. A figure the text does not date takes
    the document's date (None when that is not known either: the finding stays pending)."""
    filed = origin.filed.isoformat() if origin.filed else None
    form = (origin.form or reading.form or "").upper().removesuffix("/A")
    periodic = form in PERIODIC_FORMS
    found = []
    for f in reading.disclosures:
        found.append(Finding(
            ticker=company["ticker"], kind=f.kind, asset=f.asset, quantity=f.quantity, amount=f.amount,
            currency=f.currency, date=f.date.isoformat() if f.date else filed,
            period_start=f.period_start.isoformat() if f.period_start else None, name=f.name, value=f.value,
            quote=f.quote, document=origin.document, source=origin.source, known_on=known_on, doubt=f.doubt,
            accession=origin.accession, dated_by_text=f.date is not None, periodic=periodic))
    return found


def verdicts(store: Store, company: dict, findings: Iterable[Finding], *, since: str | None = NO_LIMIT,
             latest: dict[str, str] | None = None, retried: frozenset[str] = frozenset()) -> list[Verdict]:
    """The findings against the company's books as they are now (`since`, `latest`: see classify)."""
    ticker = company["ticker"]
    books: dict[str, list[dict]] = {}
    for event in event_rows.listing(store, ticker, None, None, None):
        books.setdefault(event["asset"], []).append(event)
    facts = {(f.name, f.date): _decimal(f.value) for f in fact_rows.for_company(store, ticker)}
    findings = list(findings)
    refused = [(f, why) for f, why in ((f, implausible(f, company["currency"])) for f in findings) if why]
    judged = classify([f for f in findings if not any(f is r for r, _ in refused)], books,
                      primary_asset=company["asset"], currency=company["currency"], facts=facts,
                      decided=inbox_rows.fingerprints(store, ticker), since=since, latest=latest, retried=retried)
    return judged + [Verdict(f, "skipped", f"refused: {why}") for f, why in refused]


def implausible(f: Finding, currency: str) -> str | None:
    """Why a figure read cannot be true (ledger/plausible.py, the rule every sync source is held to),
    or None: such a figure is refused with its reason, never recorded nor put in the inbox. What
    the text leaves out (no asset, quantity or date) is not judged here: it goes to the inbox."""
    from dattrack.dates import today
    from dattrack.ledger.plausible import disclosure_doubt, fact_doubt

    if f.date is None or _day(f.date) is None:
        return None
    if f.kind == "fact":
        if f.name is None or f.value is None:
            return None
        return fact_doubt(f.name, f.value, _day(f.date), today())
    if f.kind not in EVENT_KINDS or f.asset is None or f.quantity is None:
        return None
    return disclosure_doubt(f.asset, f.kind, f.date, f.quantity,
                            f.amount if f.currency in (None, currency) else None, f.known_on, today())


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class Recorded:
    events: list[int]
    facts: int
    pending: list[int]        # inbox ids added (a pending item already there is not added again)


def record(store: Store, company: dict, judged: Iterable[Verdict], *, dry_run: bool = False) -> Recorded:
    """Inside the caller's transaction: the new events (through the sync core's writer, which
    replays the books they touch) and facts (its fact writer), the pending items to the inbox."""
    from dattrack.app.facts import record_disclosed
    from dattrack.app.sources import DisclosedFact
    from dattrack.app.sync import write_disclosures

    judged = list(judged)
    events = [disclosure(v.finding) for v in judged if v.status == "new" and v.finding.kind != "fact"]
    facts = [DisclosedFact(v.finding.name, v.finding.value, v.finding.date, v.finding.source, v.finding.known_on)
             for v in judged if v.status == "new" and v.finding.kind == "fact"]
    done = Recorded([], record_disclosed(store, company, facts, dry_run).count, [])
    if dry_run:
        done.events = [0] * len(events)
        done.pending = [0] * sum(1 for v in judged if v.status == "pending")
        return done
    done.events = write_disclosures(store, company["ticker"], events)
    stamp = now_stamp()
    for verdict in judged:
        if verdict.status == "pending":
            added = inbox_rows.add(store, inbox_item(verdict), stamp)
            if added is not None:
                done.pending.append(added)
    return done


def disclosure(f: Finding) -> Disclosure:
    """A finding as the one disclosure record (origin filing, the quote as its note)."""
    return Disclosure(f.ticker, f.asset, f.date, f.kind, f.quantity, f.amount, f.source, ORIGIN, f.known_on,
                      note=f.quote, period_start=f.period_start)


def inbox_item(verdict: Verdict) -> dict:
    f = verdict.finding
    return {"ticker": f.ticker, "kind": f.kind, "asset": f.asset, "quantity": f.quantity, "amount": f.amount,
            "currency": f.currency, "date": f.date, "period_start": f.period_start, "name": f.name, "value": f.value,
            "quote": f.quote, "document": f.document, "source": f.source, "known_on": f.known_on,
            "reason": verdict.reason or "pending", "fingerprint": f.fingerprint}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None  # a split ratio such as 1:10


