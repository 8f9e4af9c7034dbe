"""`read_document`: bytes in, a Reading out. Sniffs the kind of document (HTML / inline-XBRL XHTML,
plain text, PDF), builds the document model within the limits, runs every rule over it, and hands
10-Q and 10-K documents on to `reader.periodic` (the inline-XBRL reader of periodic reports)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
from collections.abc import Mapping
from decimal import Decimal

from dattrack.reader.document import Document
from dattrack.reader.limits import unpack
from dattrack.reader.model import Reading, UnreadableDocument

HTML_HINT = re.compile(rb"<(?:\?xml|!doctype html|html|body|div|p|table|span|font)\b", re.I)
PERIODIC_FORMS = frozenset({"10-Q", "10-K", "10-KT", "10-Q/A", "10-K/A", "10-KT/A"})
PERIODIC_MODULE = "dattrack.reader.periodic"


def read_document(data: bytes, *, name: str = "", media_type: str | None = None,
                  date: dt.date | None = None, form: str | None = None,
                  prices: Mapping[tuple[str, dt.date], Decimal] | None = None) -> Reading:
    """What one document discloses. `date` is the document's own date (filing or release date: used
    only to complete a date the text gives without its year); `form` the SEC form when the caller
    knows it (else the document's dei:DocumentType); `prices` (asset, date) -> USD, for the periodic
    reader's check of generic XBRL units. Raises UnreadableDocument (a BadInput) for what is no
    document within the limits."""
    import dattrack.reader.rules as rules

    document = load_document(data, name=name, media_type=media_type)
    cik, document_form = document_identity(document)
    form = normalise_form(form) or document_form or submission_type(data)
    if is_prospectus(document, form):
        return Reading(cik=cik, form=form, notes=document.notes + (
            f"a prospectus ({form or 'by its cover'}): its figures restate others and are no disclosures",))
    disclosures, issuance = rules.read(document, date=date)
    reading = Reading(disclosures=tuple(disclosures), issuance=tuple(issuance), cik=cik, form=form,
                      notes=document.notes)
    if form in PERIODIC_FORMS and importlib.util.find_spec(PERIODIC_MODULE) is not None:
        periodic = importlib.import_module(PERIODIC_MODULE)
        reading = periodic.read_periodic(document, reading, date=date, form=form, prices=prices)
    return reading


def load_document(data: bytes, *, name: str = "", media_type: str | None = None) -> Document:
    """The document model of the bytes: PDF, HTML or plain text, decided by the bytes themselves
    (the name and media type only say what the caller expects: a ".pdf" that is no PDF is refused)."""
    from dattrack.reader.pdf import is_pdf, parse_pdf

    data = unpack(data)
    says_pdf = (media_type or "").lower().endswith("/pdf") or name.lower().endswith(".pdf")
    if says_pdf or is_pdf(data):
        return parse_pdf(data, name=name)
    if _binary(data[:65536]):
        raise UnreadableDocument("binary data, not a document (HTML, text or PDF)")
    says_text = (media_type or "").lower().startswith("text/plain") or name.lower().endswith(".txt")
    if not says_text and HTML_HINT.search(data[:8192]):
        from dattrack.reader.html import parse_html

        return parse_html(data, name=name)
    from dattrack.reader.text import parse_text

    return parse_text(data, name=name)


CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def _binary(head: bytes) -> bool:
    """More than one byte in a thousand a NUL, or one in twenty another control byte: no text."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    return head.count(0) * 1000 > len(head) or controls * 20 > len(head)


PROSPECTUS_FORM = re.compile(r"^(?:424B\d|S-\d+(?:ASR)?|F-\d+(?:ASR)?|POS\s?AM|S-3D|N-2)(?:/A)?$")
PROSPECTUS_COVER = re.compile(r"^(?:As\s+)?Filed\s+Pursuant\s+to\s+Rule\s+424\(b\)|^PROSPECTUS(?:\s+SUPPLEMENT)?$|"
                              r"^REGISTRATION\s+STATEMENT\s+UNDER\s+THE\s+SECURITIES\s+ACT\s+OF\s+1933", re.I)
SUBMISSION_TYPE = re.compile(rb"<TYPE>\s*([A-Za-z0-9/ -]{2,12}?)\s*[\r\n<]")


def submission_type(data: bytes) -> str | None:
    """The <TYPE> of an EDGAR submission-text document ("<DOCUMENT> <TYPE>6-K ...")."""
    match = SUBMISSION_TYPE.search(data[:600])
    return normalise_form(match.group(1).decode("ascii")) if match else None


def is_prospectus(document: Document, form: str | None) -> bool:
    """A prospectus or registration statement: by its form, or by its cover when no form is known."""
    if form:
        return bool(PROSPECTUS_FORM.match(form))
    return any(PROSPECTUS_COVER.match(p) for p in document.paragraphs[:15])


def document_identity(document: Document) -> tuple[str | None, str | None]:
    """The document's own dei:EntityCentralIndexKey (digits, no leading zeros) and dei:DocumentType."""
    if document.tree is None:
        return None, None
    cik = form = None
    for el in document.tree.iter():
        tag = el.tag
        if not isinstance(tag, str) or not tag.lower().endswith("nonnumeric"):
            continue
        concept = (el.get("name") or "").rpartition(":")[2]
        if concept == "EntityCentralIndexKey" and cik is None:
            digits = "".join(el.itertext()).strip()
            cik = str(int(digits)) if digits.isdigit() and len(digits) <= 10 else None
        elif concept == "DocumentType" and form is None:
            form = normalise_form("".join(el.itertext()))
        if cik and form:
            break
    return cik, form


def normalise_form(form: str | None) -> str | None:
    if not form:
        return None
    text = re.sub(r"\s+", "", form).upper()
    return text[:12] or None
