"""The document model: paragraphs and tables in order, merged cells expanded, hidden parts and
footnote marks left out, the tree kept for inline XBRL."""

from __future__ import annotations

from dattrack.reader.document import Paragraph, Table
from dattrack.reader.reading import document_identity, load_document

XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
      xmlns:dei="http://xbrl.sec.gov/dei/2024"><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c-1">0001050446</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentType" contextRef="c-1">8-K</ix:nonNumeric>
</ix:hidden></ix:header></div>
<p>BTC&#160;Update</p>
<table>
<tr><td colspan="3">During Period January 20, 2026 to January 25, 2026</td><td/><td colspan="2">As of January 25, 2026</td></tr>
<tr><td>BTC Acquired <span style="position:relative;top:-4pt;font-size:6pt">(1)</span></td><td colspan="2">Aggregate Purchase Price (in millions)</td>
<td/><td colspan="2">Aggregate BTC Holdings</td></tr>
<tr><td>2,932</td><td>$</td><td>264.1</td><td/><td/><td>712,647</td></tr>
</table>
<p>(1) The bitcoin purchases were made using proceeds from the ATM.</p>
</body></html>"""


def test_paragraphs_and_tables_in_document_order():
    document = load_document(XHTML)
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    assert document.paragraphs[0] == "BTC Update"      # &#160; is a space; the hidden ix:header is no text
    assert document.tree is not None and document.tree.tag.endswith("html")


def test_merged_cells_fill_every_slot_they_cover_and_footnote_marks_are_left_out():
    table = load_document(XHTML).tables[0]
    assert table.rows[0][:3] == ("During Period January 20, 2026 to January 25, 2026",) * 3
    assert table.rows[1] == ("BTC Acquired", "Aggregate Purchase Price (in millions)",
                             "Aggregate Purchase Price (in millions)", "", "Aggregate BTC Holdings",
                             "Aggregate BTC Holdings")
    assert table.rows[2] == ("2,932", "$", "264.1", "", "", "712,647")
    assert table.cells[1][1] == table.cells[1][2] != table.cells[1][0]
    assert table.row_text(1) == "BTC Acquired Aggregate Purchase Price (in millions) Aggregate BTC Holdings"


def test_rowspan_fills_the_rows_below():
    document = load_document(b"<html><body><table><tr><td rowspan='2'>Security</td><td>a</td></tr>"
                             b"<tr><td>b</td></tr><tr><td>c</td><td>d</td></tr></table></body></html>")
    assert document.tables[0].rows == (("Security", "a"), ("Security", "b"), ("c", "d"))


def test_the_document_names_its_cik_and_form():
    assert document_identity(load_document(XHTML)) == ("1050446", "8-K")
    assert document_identity(load_document(b"plain words")) == (None, None)


def test_plain_text_paragraphs_are_separated_by_blank_lines():
    document = load_document(b"First line\nwrapped here.\n\n\nSecond\tparagraph.\r\n", name="x.txt")
    assert document.blocks == (Paragraph("First line wrapped here."), Paragraph("Second paragraph."))
    assert not any(isinstance(b, Table) for b in document.blocks)


def test_the_reader_imports_lxml_and_pypdf_only_when_it_reads():
    import subprocess
    import sys

    code = ("import sys, dattrack.reader; from dattrack.reader import read_document; "
            "print('lxml' in sys.modules, 'pypdf' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() \
        == ["False", "False"]


def test_ascii_with_entities_utf8_and_windows_1252_read_alike():
    words = "As of May 4, 2025, the Company’s holdings were 1,000 bitcoins — €5 each."
    ascii_html = (b"<html><body><p>As of May 4, 2025, the Company&#8217;s holdings were 1,000&#160;bitcoins "
                  b"&#8212; &#8364;5 each.</p></body></html>")
    utf8 = b"\xef\xbb\xbf<html><body><p>" + words.encode("utf-8") + b"</p></body></html>"
    cp1252 = b"<html><body><p>" + words.encode("cp1252") + b"</p></body></html>"
    assert {load_document(data).paragraphs[0] for data in (ascii_html, utf8, cp1252)} == {words}
