"""SEC EDGAR filings as a disclosure source (SPEC 9): each company's own documents, read.

For each company with a CIK: the 8-K, 6-K, 10-Q and 10-K (and amendments) filed since the book's
latest event (`--since` reaches back; everything the recent feed lists for an empty book), their
primary documents and press-release exhibits (EX-99.x), from the document cache or fetched once
and kept (providers/documents.py). Each document is read by the pure reader; a document whose own
CIK is not the company's is refused for it.

What was read travels as one `FilingsRead` record per company; its writer (registered here, run in
the company's transaction) judges every figure against the books as they are then
(ledger/findings.py): the new ones are recorded (origin `filing`, source `FORM ACCESSION URL`, the
quote as note, known on the filing date), the pending ones go to the inbox, the rest are `known` or
`skipped`, each a row of the sync table. A document that could not be had is named on its own line
(the run exits 1) and tried again by the next run; the others are kept.

Share issuance rows (8-K "ATM Update" tables) and the instruments of 10-Q/10-K documents travel as
`FiledIssuance` and `FiledInstrument` records: nothing stores them here — the capital stack's writer
registers for them (`register_writer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dattrack.app.documents import ReadDocument, failure_line, read_company
from dattrack.app.findings import disclosure, findings_of, record, refuse_foreign, verdicts
from dattrack.app.sources import Batch, Run, Wanted, Written, register_source, register_writer
from dattrack.errors import BadInput
from dattrack.ledger.disclosures import Planned
from dattrack.ledger.findings import Finding, Verdict
from dattrack.store import Store
from dattrack.store import inbox as inbox_rows

ORIGIN = "filing"


@dataclass(frozen=True)
class FilingsRead:
    """One company's filing documents read in a sync, for its writer to judge."""

    findings: tuple[Finding, ...]
    documents: tuple[ReadDocument, ...]
    since: str | None                     # --since
    latest: dict[str, str]                # asset -> its book's latest event before the run
    retried: frozenset[str] = frozenset()  # accessions a previous run could not fetch


@dataclass(frozen=True)
class FiledIssuance:
    """A share issuance row read from a filing (reader.IssuanceFound), for the capital stack."""

    ticker: str
    found: object             # reader.IssuanceFound
    source: str               # FORM ACCESSION URL
    known_on: str


@dataclass(frozen=True)
class FiledInstrument:
    """A debt or preferred instrument read from a 10-Q/10-K (reader.InstrumentFound), for the capital stack."""

    ticker: str
    found: object             # reader.InstrumentFound
    source: str
    known_on: str


@register_source
class Filings:
    name = "filings"
    provider = "SEC EDGAR filings"
    reads_offline = True

    def prepare(self, run: Run) -> bool:
        from dattrack.providers.documents import EdgarArchive

        self.archive = EdgarArchive(run.http, run.env, offline=run.offline)  # BadInput without a User-Agent
        self.retry = _failed_accessions(run.store)
        self.prices = _crypto_prices(run.store)
        return True

    def fetch(self, company: dict, wanted: Wanted) -> Batch:
        from dattrack.providers.sec import pad_cik

        batch = Batch()
        ticker = company["ticker"]
        if not company.get("cik"):
            batch.notes.append(f"no CIK: its filings are not read (dattrack company set {ticker} --cik N)")
            return batch
        oldest = wanted.oldest
        read = read_company(self.archive, pad_cik(company["cik"]), since=oldest.isoformat() if oldest else None,
                            retry=self.retry.get(ticker, set()), prices=self.prices)
        findings: list[Finding] = []
        documents = []
        for document in read.documents:
            if document.error is None:
                try:
                    refuse_foreign(company, document.origin, document.reading.cik)
                except BadInput as exc:
                    document = ReadDocument(document.filing, document.origin, None, f"refused: {exc}")
            documents.append(document)
            if document.error is not None:
                batch.notes.append(f"{'failed' if document.retry else 'not read'}: {failure_line(document)}")
                continue
            known_on = document.filing.filed
            findings += findings_of(document.reading, company, document.origin, known_on=known_on)
            batch.records += [FiledIssuance(ticker, row, document.origin.source, known_on)
                              for row in document.reading.issuance]
            batch.records += [FiledInstrument(ticker, row, document.origin.source, known_on)
                              for row in document.reading.instruments]
        fetched = sum(1 for d in documents if not d.cached)
        batch.notes.append(f"{_count(read.filings, 'filing')} read ({_count(fetched, 'document')} fetched, "
                           f"{len(documents) - fetched} from the cache)")
        batch.records.append(FilingsRead(tuple(findings), tuple(documents), wanted.since, dict(wanted.latest),
                                         frozenset(self.retry.get(ticker, ()))))
        return batch


def write_filings(store: Store, company: dict, records: list[FilingsRead], dry_run: bool) -> Written:
    """In the company's transaction: every figure judged against its books, the new ones recorded,
    the pending ones in the inbox, each document marked read (or failed: tried again next run)."""
    from dattrack.dates import now_stamp

    rows: list[Planned] = []
    facts = 0
    failed: list[str] = []
    for read in records:
        judged = verdicts(store, company, read.findings, since=read.since, latest=read.latest, retried=read.retried)
        done = record(store, company, judged, dry_run=dry_run)
        facts += done.facts
        rows += [_row(verdict) for verdict in judged if verdict.finding.kind != "fact"]
        failed += [failure_line(d) for d in read.documents if d.retry]
        if not dry_run:
            stamp = now_stamp()
            for d in read.documents:
                inbox_rows.mark_document(store, company["ticker"], d.filing.accession, d.origin.name,
                                         form=d.filing.form, filed=d.filing.filed,
                                         error=d.error if d.retry else None, stamp=stamp)
    why = None
    if failed:
        why = (f"{len(failed)} filing {'document' if len(failed) == 1 else 'documents'} could not be had "
               "(named above; tried again next run); the rest is recorded")
    return Written(facts, "facts read from filings", tuple(rows), why)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


STATUS = {"new": "added", "known": "known", "skipped": "skipped", "pending": "pending", "rejected": "skipped"}


def _row(verdict: Verdict) -> Planned:
    f = verdict.finding
    reason = verdict.reason
    if verdict.status == "pending":
        reason = f"to the inbox: {reason}"
    return Planned(disclosure(f), STATUS[verdict.status], reason)


def _failed_accessions(store: Store) -> dict[str, set[str]]:
    failed: dict[str, set[str]] = {}
    for ticker, accession in inbox_rows.failed_documents(store):
        failed.setdefault(ticker, set()).add(accession)
    return failed


def _crypto_prices(store: Store) -> dict[tuple[str, dt.date], Decimal]:
    """(asset, day) -> USD close of every crypto asset the store prices: the periodic reader checks
    a generic XBRL unit against fair value / price (read in prepare: fetch never reads the store)."""
    from dattrack.store import prices as price_rows

    return {(symbol, dt.date.fromisoformat(day)): price
            for symbol, day, price in price_rows.crypto_closes_usd(store)}


register_writer(FilingsRead, write_filings)
