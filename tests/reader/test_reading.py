"""read_document's dispatch: the form decides whether the periodic reader (10-Q, 10-K) gets the
document after the general rules, and what it returns is the reading."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import sys
import types
from decimal import Decimal

import pytest

from dattrack.reader import Reading, read_document

XHTML = (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" '
         b'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>'
         b'<div style="display:none"><ix:header><ix:hidden>'
         b'<ix:nonNumeric name="dei:DocumentType" contextRef="c1">10-Q</ix:nonNumeric>'
         b'<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c1">0001050446</ix:nonNumeric>'
         b'</ix:hidden></ix:header></div>'
         b'<p>As of September 30, 2025, the Company held approximately 640,031 bitcoins.</p></body></html>')


@pytest.fixture
def periodic(monkeypatch):
    """A stand-in for reader/periodic.py that records what it was handed."""
    calls = []
    module = types.ModuleType("dattrack.reader.periodic")
    module.__spec__ = importlib.machinery.ModuleSpec("dattrack.reader.periodic", loader=None)

    def read_periodic(document, reading, *, date, form, prices):
        calls.append((document, reading, date, form, prices))
        return Reading(disclosures=reading.disclosures[:0], cik=reading.cik, form=form, notes=("periodic",))

    module.read_periodic = read_periodic
    monkeypatch.setitem(sys.modules, "dattrack.reader.periodic", module)
    return calls


def test_a_10q_goes_to_the_periodic_reader_with_what_the_rules_read(periodic):
    prices = {("BTC", dt.date(2025, 9, 30)): Decimal("114000")}
    reading = read_document(XHTML, date=dt.date(2025, 11, 3), prices=prices)
    [(document, general, date, form, handed)] = periodic
    assert (form, date, handed) == ("10-Q", dt.date(2025, 11, 3), prices)
    assert document.tree is not None                                  # the lxml tree, for the XBRL facts
    assert [f.quantity for f in general.disclosures] == [Decimal("640031")]
    assert (general.cik, general.form) == ("1050446", "10-Q")
    assert reading.notes == ("periodic",) and reading.disclosures == ()   # its answer is the reading


def test_the_callers_form_wins_and_an_8k_never_goes_to_the_periodic_reader(periodic):
    reading = read_document(XHTML, form="8-K")
    assert periodic == [] and reading.form == "8-K" and len(reading.disclosures) == 1
    read_document(b"As of September 30, 2025, the Company held 1 BTC.", name="x.txt", form="10-K/A")
    assert [call[3] for call in periodic] == ["10-K/A"]
