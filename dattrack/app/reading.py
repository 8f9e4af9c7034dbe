"""`dattrack read FILE|URL`: what one document discloses (SPEC 9), and for a company what recording
it would do (`new`, `known`, `pending`), or does (`--record`: the new ones recorded with origin
`filing`, the pending ones in the inbox).

A document in EDGAR's archives (www.sec.gov) goes through the cache (and the company's filing list
gives its form and filing date); another address is fetched once; a file is read from disk. The
figure's date is the one its text states, else the document's: the filing date, or `--date`,
which is also the day it became public (`known_on`; today when neither is known).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dattrack.app.findings import DocumentOf, findings_of, record, refuse_foreign, verdicts
from dattrack.errors import BadInput
from dattrack.store import Store

ROW_KEYS = ("kind", "asset", "quantity", "amount", "currency", "date", "period_start", "name", "value", "quote",
            "document", "status")


@dataclass
class ReadReport:
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recorded: int = 0
    facts: int = 0
    pending: int = 0


def read(store: Store | None, target: str, *, ticker: str | None = None, date: str | None = None,
         record_new: bool = False, offline: bool = False, client=None,
         env: Mapping[str, str] | None = None) -> ReadReport:
    """Read one document; with a ticker, judge it against that company's books (and record it)."""
    from dattrack.dates import today
    from dattrack.reader import read_document
    from dattrack.reader.model import UnreadableDocument

    if record_new and ticker is None:
        raise BadInput("--record needs --ticker: the company whose books the document goes into")
    env = os.environ if env is None else env
    company = _company(store, ticker) if ticker else None
    origin, data = _load(target, offline=offline, client=client, env=env)
    if date is not None:
        origin = DocumentOf(origin.document, origin.name, origin.form, origin.accession, origin.cik,
                            dt.date.fromisoformat(date))
    try:
        reading = read_document(data, name=origin.name, date=origin.filed, form=origin.form)
    except UnreadableDocument as exc:
        raise BadInput(f"{origin.name}: {exc}") from None
    if origin.form is None and reading.form:
        origin = DocumentOf(origin.document, origin.name, reading.form, origin.accession, origin.cik, origin.filed)
    report = ReadReport(notes=[f"{origin.name}: {note}" for note in reading.notes])
    known_on = (origin.filed or today()).isoformat()
    if company is None:
        pseudo = {"ticker": "", "asset": "", "currency": ""}
        report.rows = [_row(f, None) for f in findings_of(reading, pseudo, origin, known_on=known_on)]
        if reading.issuance or reading.instruments:
            report.notes.append(f"{origin.name}: {len(reading.issuance)} share issuance rows (shares, not coins) and "
                                f"{len(reading.instruments)} instruments read (--ticker T --record records them)")
        return report
    refuse_foreign(company, origin, reading.cik)
    judged = verdicts(store, company, findings_of(reading, company, origin, known_on=known_on))
    report.rows = [_row(v.finding, v.status) for v in judged]   # new, known, pending; rejected: rejected before
    report.notes += [f"{origin.name}: {_figure(v.finding)} {v.reason}" for v in judged
                     if v.status == "skipped"]                   # refused: it cannot be true
    if record_new:
        done = record(store, company, judged)
        report.recorded, report.facts, report.pending = len(done.events), done.facts, len(done.pending)
    report.notes += _hand_on(store, company, reading, origin, known_on, record_new=record_new)
    return report


def _hand_on(store: Store, company: dict, reading, origin: DocumentOf, known_on: str, *, record_new: bool) -> list[str]:
    """Share issuance rows and instruments, to the writers registered for them (the capital stack's,
    app/capital_writers.py), as `sync` hands them on: recorded with --record, counted without; what no
    writer takes is said."""
    from dattrack.app.sources import writer_for
    from dattrack.app.sources.filings import FiledInstrument, FiledIssuance

    notes = []
    for record_type, rows, what in ((FiledIssuance, reading.issuance, "share issuance rows (shares, not coins)"),
                                    (FiledInstrument, reading.instruments, "debt or preferred instruments")):
        if not rows:
            continue
        records = [record_type(company["ticker"], row, origin.source, known_on) for row in rows]
        writer = writer_for(record_type)
        if writer is None:
            notes.append(f"{origin.name}: {len(rows)} {what} read: nothing records them yet")
            continue
        written = writer(store, company, records, not record_new)
        notes += [f"{company['ticker']}: {note}" for note in written.notes]
        notes.append(f"{origin.name}: {written.count} {written.label} "
                     f"{'recorded' if record_new else 'new: --record records them'}")
    return notes


def _figure(f) -> str:
    """A finding in a few words: "balance of 30000000 BTC on 2025-11-16", "fact cash of 2025-09-30"."""
    if f.kind == "fact":
        return f"fact {f.name} of {f.date}"
    return f"{f.kind} of {f.quantity} {f.asset} on {f.date}"


def _row(f, status: str | None) -> dict:
    return {"kind": f.kind, "asset": f.asset, "quantity": f.quantity, "amount": f.amount, "currency": f.currency,
            "date": f.date, "period_start": f.period_start, "name": f.name, "value": f.value, "quote": f.quote,
            "document": f.document, "status": status}


def _company(store: Store, ticker: str) -> dict:
    from dattrack.app.companies import require_company

    return require_company(store, ticker)


def _load(target: str, *, offline: bool, client, env: Mapping[str, str]) -> tuple[DocumentOf, bytes]:
    if "://" in target:
        return _fetched(target, offline=offline, client=client, env=env)
    from dattrack.reader.limits import MAX_BYTES  # a file is the reader's: no network module is imported

    path = Path(target).expanduser()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadInput(f"{target} is not a file")
        if size > MAX_BYTES:
            raise BadInput(f"{target} is larger than the reader's limit of {MAX_BYTES // (1024 * 1024)} MB; refused")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no such file: {target}") from None
    except OSError as exc:
        raise BadInput(f"cannot read {target}: {exc.strerror or exc}") from None
    return DocumentOf(str(path), path.name), data


def _fetched(url: str, *, offline: bool, client, env: Mapping[str, str]) -> tuple[DocumentOf, bytes]:
    from dattrack.providers.documents import EdgarArchive, archive_address, canonical_url, fetch_url
    from dattrack.providers.http import borrowed_or_new, run_bound

    address = archive_address(url, env)
    with borrowed_or_new(None if offline else client) as http, run_bound():
        if address is None:
            document = fetch_url(http, url, env, offline=offline)
            return DocumentOf(url, document.name), document.data
        archive = EdgarArchive(http, env, offline=offline)
        document = archive.document(address.cik, address.accession, address.name)
        filing = _filing(archive, address)
    form, filed = (filing.form, dt.date.fromisoformat(filing.filed)) if filing else (None, None)
    return (DocumentOf(canonical_url(address), address.name, form, address.accession, address.cik, filed),
            document.data)


def _filing(archive, address):
    """The document's filing in the company's feed, for its form and date; a document read offline
    whose feed was never fetched is still read (its date then comes from --date)."""
    from dattrack.providers.http import ProviderError

    try:
        return archive.filing(address.cik, address.accession)
    except ProviderError:
        if archive.offline:
            return None
        raise
