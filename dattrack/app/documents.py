"""The documents of one company's filings, read (SPEC 9): which filings a sync reads, their primary
documents and press-release exhibits from the cache or fetched once, each read by the pure reader.

Which filings: the 8-K, 6-K, 10-Q and 10-K (and amendments) filed on or after `since` (a sync's
--since, else the day of the book's latest event; everything the recent feed lists for an empty
book), plus any filing a previous run could not fetch. A few filings are read at a time; EDGAR's
budget (8 requests a second) is shared by all of them.

What fails is named, one line per document, and the rest is kept: a document that could not be
fetched is tried again by the next run; one that is no document (a hostile or broken file) is not.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from dattrack.app.findings import DocumentOf

READERS = 4   # filings read at a time: enough to keep EDGAR's 8 requests a second busy at 100 ms each


@dataclass(frozen=True)
class ReadDocument:
    """One document of a filing, and what the reader found in it (or why it could not be had)."""

    filing: object                 # providers.documents.FilingRef
    origin: DocumentOf
    reading: object | None = None  # reader.Reading
    error: str | None = None
    retry: bool = False            # the error may pass (network, EDGAR): try it again next run
    cached: bool = False


@dataclass
class CompanyDocuments:
    documents: list[ReadDocument] = field(default_factory=list)
    filings: int = 0

    @property
    def failures(self) -> list[ReadDocument]:
        return [d for d in self.documents if d.error is not None]


def wanted(filings: list, *, since: str | None, retry: set[str]) -> list:
    """The filings a sync reads, oldest first."""
    from dattrack.providers.documents import is_read_form

    chosen = [f for f in filings if is_read_form(f.form) and (since is None or f.filed >= since or
                                                               f.accession in retry)]
    return sorted(chosen, key=lambda f: (f.filed, f.accession))


def read_company(archive, cik: str, *, since: str | None, retry: set[str], prices=None) -> CompanyDocuments:
    """Every wanted filing of the company, each document read. Raises ProviderError only when the
    company's filing list itself cannot be had."""
    import contextvars

    filings = wanted(archive.filings(cik, since=since), since=since, retry=retry)
    result = CompanyDocuments(filings=len(filings))
    if not filings:
        return result
    with ThreadPoolExecutor(max_workers=min(READERS, len(filings)), thread_name_prefix="dattrack-filings") as pool:
        for documents in pool.map(lambda f: contextvars.copy_context().run(read_filing, archive, f, prices), filings):
            result.documents.extend(documents)
    return result


def read_filing(archive, filing, prices=None) -> list[ReadDocument]:
    """A filing's primary document and exhibits, each read; a failure is one document's, the
    others of the filing are still read."""
    from dattrack.providers.http import ProviderError

    filed = dt.date.fromisoformat(filing.filed)
    try:
        names = archive.attachments(filing)
    except ProviderError as exc:
        origin = DocumentOf(archive.url(filing.cik, filing.accession, "index.json"), "index.json", filing.form,
                            filing.accession, filing.cik, filed)
        return [ReadDocument(filing, origin, error=str(exc), retry=True)]
    if not names:
        origin = DocumentOf(archive.url(filing.cik, filing.accession, "index.json"), "index.json", filing.form,
                            filing.accession, filing.cik, filed)
        return [ReadDocument(filing, origin, error="the filing lists no primary document")]
    return [read_one(archive, filing, name, filed, prices) for name in names]


def read_one(archive, filing, name: str, filed: dt.date, prices=None) -> ReadDocument:
    from dattrack.errors import BadInput
    from dattrack.providers.http import ProviderError
    from dattrack.reader import read_document

    origin = DocumentOf(archive.url(filing.cik, filing.accession, name), name, filing.form, filing.accession,
                        filing.cik, filed)
    try:
        document = archive.document(filing.cik, filing.accession, name)
    except ProviderError as exc:
        return ReadDocument(filing, origin, error=str(exc), retry=True)
    try:
        reading = read_document(document.data, name=name, date=filed, form=filing.form, prices=prices)
    except BadInput as exc:   # UnreadableDocument: no document within the limits; reading it again cannot help
        return ReadDocument(filing, origin, error=f"not read: {exc}", cached=document.cached)
    return ReadDocument(filing, origin, reading, cached=document.cached)


def failure_line(document: ReadDocument) -> str:
    """One line naming the filing and document that failed, and why."""
    f = document.filing
    return f"{f.form} {f.accession} filed {f.filed}, {document.origin.name}: {document.error}"
