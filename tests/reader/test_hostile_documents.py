"""Hostile bytes: each is a clear error (UnreadableDocument, a BadInput: one line) or nothing read,
and never a traceback, an endless parse or memory without bound (the caps are in reader/limits.py
and reader/html.py; no timing is asserted here)."""

from __future__ import annotations

import gzip
import io
import zipfile
from decimal import Decimal

import pytest

from dattrack.errors import BadInput
from dattrack.reader import UnreadableDocument, read_document
from dattrack.reader.limits import MAX_BYTES

SENTENCE = b"<p>As of May 4, 2025, the Company held 1,000 bitcoins.</p>"


def _one_line(exc: Exception) -> str:
    text = str(exc)
    assert "\n" not in text and text
    return text


def test_a_50_mb_document_is_refused_before_it_is_parsed():
    with pytest.raises(UnreadableDocument) as caught:
        read_document(b"<html><body>" + b"<p>bitcoin</p>" * (50 * 1024 * 1024 // 14))
    assert "larger than the reader's limit of 25 MB" in _one_line(caught.value)
    assert isinstance(caught.value, BadInput)


def test_a_gzip_bomb_stops_at_the_cap():
    bomb = gzip.compress(b"\0" * (MAX_BYTES + 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    with pytest.raises(UnreadableDocument, match="inflating past the reader's limit"):
        read_document(bomb)


def test_gzip_within_the_cap_is_read_and_gzip_in_gzip_is_not():
    reading = read_document(gzip.compress(b"<html><body>" + SENTENCE + b"</body></html>"))
    assert [f.quantity for f in reading.disclosures] == [Decimal("1000")]
    with pytest.raises(UnreadableDocument, match="gzip inside gzip"):
        read_document(gzip.compress(gzip.compress(SENTENCE)))
    with pytest.raises(UnreadableDocument, match="truncated gzip"):
        read_document(gzip.compress(SENTENCE * 100)[:40])


def test_archives_and_other_compressions_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.htm", SENTENCE)
    with pytest.raises(UnreadableDocument, match="a zip archive"):
        read_document(buffer.getvalue())
    with pytest.raises(UnreadableDocument, match="bzip2"):
        read_document(b"BZh91AY&SY" + b"\0" * 100)


def test_deeply_nested_html_is_refused_whole():
    nested = b"<html><body>" + b"<div>" * 100_000 + SENTENCE + b"</div>" * 100_000 + b"</body></html>"
    with pytest.raises(UnreadableDocument, match="nested deeper than"):
        read_document(nested)


def test_deeply_nested_xhtml_is_refused_whole_too():
    nested = (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' + b"<div>" * 5000 + SENTENCE
              + b"</div>" * 5000 + b"</body></html>")
    with pytest.raises(UnreadableDocument, match="nested deeper than"):
        read_document(nested)


def test_entities_are_never_expanded():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "bitcoins bitcoins bitcoins bitcoins">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
              b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
              b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>held 1,000 &e;</p></body></html>')
    assert read_document(laughs).disclosures == ()


@pytest.mark.parametrize("table", [
    b"<table><tr><td colspan='99999999'>BTC Acquired</td></tr><tr><td>1,000</td></tr></table>",
    b"<table><tr><td rowspan='9999999'>x</td><td>1,000 bitcoins</td></tr></table>",
    b"<table><td>BTC Acquired<td>1,000<tr><td colspan=-3>$<td colspan=abc>5</table>",
    b"<table><tr></tr><tr><td></td></tr></table><tr><td>Aggregate BTC Holdings</td></tr><td>7</td>",
    b"<table><tr><td>Aggregate BTC Holdings</td><td>Aggregate Purchase Price (in billions)</td></tr>"
    b"<tr><td>1,000</td></tr><tr><td>2,000</td><td>$</td><td>1.5</td><td>9</td></tr></table>",
])
def test_malformed_tables_do_not_break_the_reader(table):
    reading = read_document(b"<html><body><p>BTC Update</p>" + table + b"</body></html>")
    for found in reading.disclosures:
        assert found.quantity in (Decimal("1000"), Decimal("2000"), None)


def test_a_table_too_wide_to_expand_is_cut_short_with_a_note():
    rows = b"".join(b"<tr>" + b"<td colspan='1000'>1</td>" * 5 + b"</tr>" for _ in range(200))
    reading = read_document(b"<html><body><table>" + rows + b"</table></body></html>")
    assert any("cut short" in note for note in reading.notes)


@pytest.mark.parametrize("data, name, message", [
    (b"<html><body>not a pdf</body></html>", "release.pdf", "not a PDF"),
    (b"%PDF-1.7\n" + b"\x00garbage" * 100, "release.pdf", "not a readable PDF"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "x.pdf", "PDF"),
])
def test_a_pdf_that_is_not_one_is_a_clear_error(data, name, message):
    try:
        reading = read_document(data, name=name)
    except UnreadableDocument as exc:
        assert message in _one_line(exc)
    else:
        assert reading.disclosures == ()   # a PDF with no pages: nothing read


def test_binary_bytes_are_no_document():
    with pytest.raises(UnreadableDocument, match="binary data"):
        read_document(bytes(range(256)) * 400)


def test_escape_sequences_and_javascript_links_never_reach_a_quote():
    html = (b"<html><body><p>As of May 4, 2025, the Company held \x1b[31m1,000\x1b[0m bitcoins "
            b"<a href=\"javascript:alert(1)\">\x07details\x1b]8;;http://x\x07</a>.</p>"
            b"<script>document.write('held 9,999 bitcoins')</script></body></html>")
    [found] = read_document(html).disclosures
    assert found.quantity == Decimal("1000")
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in found.quote)
    assert "javascript" not in found.quote
    text = b"As of May 4, 2025, the Company held 2,000 bitcoins.\x1b[2J\x1b]0;title\x07\r\n"
    [found] = read_document(text, name="note.txt").disclosures
    assert found.quantity == Decimal("2000") and "\x1b" not in found.quote


def test_an_empty_document_and_a_document_of_whitespace_read_as_nothing():
    assert read_document(b"").disclosures == ()
    assert read_document(b"   \n\n ").disclosures == ()
    assert read_document(b"<html></html>").disclosures == ()


def test_a_document_of_endless_figures_is_refused_rather_than_read_for_minutes():
    sentence = b"<p>As of May 4, 2025, the Company held 1,000 bitcoins.</p>\n"
    with pytest.raises(UnreadableDocument, match="not a document the reader reads"):
        read_document(b"<html><body>" + sentence * 3_000 + b"</body></html>")


def _pdf_with_stream(stream: bytes) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_pdf_whose_page_inflates_to_300_mb_is_nothing_read_or_refused():
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"0 0 m\n" * (1024 * 1024 // 6)
    stream = b"".join(packer.compress(chunk) for _ in range(300)) + packer.flush()
    try:
        reading = read_document(_pdf_with_stream(stream), name="bomb.pdf")
    except UnreadableDocument as exc:
        _one_line(exc)
    else:
        assert reading.disclosures == ()
