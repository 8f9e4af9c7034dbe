"""One text, three formats: the PDF printed from a filing's HTML and the plain text of its paragraphs
give the same disclosures as the HTML itself (the same figures, dates and quotes)."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from dattrack.reader import read_document

FILINGS = Path(__file__).resolve().parents[1] / "fixtures" / "filings"


def _figures(reading):
    return sorted((f.kind, f.asset, f.name, f.quantity, f.amount, f.value, f.date, f.period_start, f.quote)
                  for f in reading.disclosures)


@pytest.mark.parametrize("html, stem, day, count", [
    ("bmnr/8k-2026-02-01.htm.gz", "bmnr-8k-2026-02-01-ex99", dt.date(2026, 2, 1), 3),
    ("mstr/8k-2021-02-02-0001193125-21-025369.htm.gz", "mstr-8k-2021-02-02", dt.date(2021, 2, 2), 2),
])
def test_pdf_text_and_html_of_the_same_text_read_alike(html, stem, day, count):
    from_html = read_document(gzip.decompress((FILINGS / html).read_bytes()), name="x.htm", date=day)
    from_pdf = read_document((FILINGS / "pdf" / f"{stem}.pdf").read_bytes(), name=f"{stem}.pdf", date=day)
    from_text = read_document((FILINGS / "pdf" / f"{stem}.txt").read_bytes(), name=f"{stem}.txt", date=day)
    assert len(from_html.disclosures) == count
    assert _figures(from_pdf) == _figures(from_html) == _figures(from_text)


def test_the_bytes_decide_the_format_not_the_name():
    pdf = (FILINGS / "pdf" / "mstr-8k-2021-02-02.pdf").read_bytes()
    assert read_document(pdf, name="press-release.htm").disclosures  # a PDF named .htm is still a PDF
