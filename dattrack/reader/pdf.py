"""PDF into the document model through pypdf: pure Python (no poppler or other system library to
install), well kept, and imported only when a PDF is read. Its text is read like plain text;
tables in a PDF lose their columns and are not read as tables."""

from __future__ import annotations

from dattrack.reader.document import Document
from dattrack.reader.model import UnreadableDocument
from dattrack.reader.text import text_document

MAX_PAGES = 200
MAX_TEXT = 5 * 1024 * 1024


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def parse_pdf(data: bytes, *, name: str = "") -> Document:
    if not is_pdf(data):
        raise UnreadableDocument("not a PDF (no %PDF- header)")
    import io
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about sloppy PDFs are not the user's
    pages: list[str] = []
    size = 0
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument("an encrypted PDF: the reader cannot read it")
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES:
                break
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_TEXT:
                break
            pages.append(text)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many kinds on a broken file; each means "not readable"
        raise UnreadableDocument(f"not a readable PDF ({type(exc).__name__})") from None
    return text_document("\n\n".join(_paragraphs(page) for page in pages), name=name, media_type="application/pdf")


def _paragraphs(page: str) -> str:
    """A page's lines with its paragraphs told apart: a short line (a title, the last line of a
    paragraph) ends its paragraph; a full line runs on into the next."""
    lines = [line.strip() for line in page.splitlines()]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line and len(line) < 0.7 * width:
            out.append("")
    return "\n".join(out)
