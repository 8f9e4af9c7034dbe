"""The inline-XBRL facts of a document: what scale, sign, decimals and format mean (Arelle's reading),
contexts and their dimensions, units, nesting, continuations and hidden facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.reader.xbrl import NotInlineXbrl, number, read_facts, text_value, words_number
from tests.reader.ixbrl import context, document
from tests.reader.periodic_corpus import fixture


@pytest.mark.parametrize(("text", "fmt", "scale", "negative", "value"), [
    ("1,234.5", "ixt:num-dot-decimal", 6, False, Decimal("1234500000")),
    ("1,234.5", "ixt:numdotdecimal", 0, False, Decimal("1234.5")),
    ("1.234,5", "ixt:num-comma-decimal", 3, False, Decimal("1234500")),
    ("1 234,5", "ixt:numcommadecimal", 0, False, Decimal("1234.5")),
    ("0.750", "ixt:num-dot-decimal", -2, False, Decimal("0.00750")),
    ("130", None, -2, False, Decimal("1.30")),
    ("—", "ixt:fixed-zero", 3, False, Decimal(0)),
    ("-", "ixt:zerodash", 0, False, Decimal(0)),
    ("—", "ixt:num-dot-decimal", 3, False, Decimal(0)),
    ("no", "ixt-sec:numwordsen", 6, False, Decimal(0)),
    ("five", "ixt-sec:numwordsen", 0, False, Decimal(5)),
    ("twenty-one", "ixt-sec:numwordsen", 0, False, Decimal(21)),
    ("one hundred thirty", "ixt-sec:numwordsen", 0, False, Decimal(130)),
    ("1,382,288", "ixt:num-dot-decimal", 0, True, Decimal("-1382288")),
    ("0", "ixt:num-dot-decimal", 3, True, Decimal(0)),
])
def test_a_displayed_number_is_its_text_through_format_times_ten_to_scale_negated_by_sign(text, fmt, scale, negative,
                                                                                           value):
    read = number(text, fmt, scale, negative)
    assert read == value and str(read) != "-0"


@pytest.mark.parametrize(("text", "fmt"), [("1,503,", "ixt:num-dot-decimal"), ("12x", None), ("1,5", None),
                                           ("eleventy", "ixt-sec:numwordsen"), ("7", "ixt:num-unit-decimal-xx")])
def test_a_number_its_format_cannot_read_is_refused(text, fmt):
    with pytest.raises(ValueError):
        number(text, fmt)


def test_number_words_as_sec_filers_write_them():
    assert words_number("None") == 0 and words_number("two thousand") == 2000 and words_number("one million") == 10**6


@pytest.mark.parametrize(("text", "fmt", "value"), [
    ("December 15, 2025", "ixt:date-monthname-day-year-en", "2025-12-15"),
    ("Dec. 15, 2025", "ixt:datemonthdayyearen", "2025-12-15"),
    ("12/15/25", "ixt:datemonthdayyear", "2025-12-15"),
    ("15 December 2025", "ixt:date-day-monthname-year-en", "2025-12-15"),
    ("2025-12-15", "ixt:date-year-month-day", "2025-12-15"),
    ("March 15", "ixt:date-monthname-day-en", "--03-15"),
    ("June 2032", "ixt:date-monthname-year-en", "2032-06"),
    ("☒", "ixt:fixed-true", "true"),
    ("as printed", None, "as printed"),
])
def test_text_facts_read_through_their_format(text, fmt, value):
    assert text_value(text, fmt) == value


def test_contexts_units_and_dimensions_of_a_document():
    extra = (context("M", instant="2025-09-30", members=(("srt:CryptoAssetAxis", "co:BitcoinMember"),)),
             context("T", instant="2025-09-30", typed=(("co:TrancheAxis", "A-1"),)))
    body = ('<p>We held <ix:nonFraction name="us-gaap:CryptoAssetNumberOfUnits" contextRef="M" unitRef="Bitcoin" '
            'decimals="INF" format="ixt:num-dot-decimal">1,575</ix:nonFraction> bitcoin.</p>'
            '<p><ix:nonFraction name="co:TrancheAmount" contextRef="T" unitRef="USD" decimals="-3" scale="3" '
            'format="ixt:num-dot-decimal">2,500</ix:nonFraction></p>'
            '<p><ix:nonFraction name="us-gaap:EarningsPerShareBasic" contextRef="D" unitRef="USDPerShare" '
            'decimals="2" sign="-">0.41</ix:nonFraction></p>')
    facts = read_facts(document(body, contexts=extra))
    count = facts.named("CryptoAssetNumberOfUnits")[0]
    assert count.value == 1575 and count.unit.name == "Bitcoin" and count.context.instant
    assert count.context.end == dt.date(2025, 9, 30) and count.context.member("CryptoAssetAxis") == "co:BitcoinMember"
    assert count.decimals == "INF" and not count.hidden
    tranche = facts.named("co:TrancheAmount")[0]
    assert tranche.value == 2500000 and tranche.context.member("co:TrancheAxis") == "A-1"
    eps = facts.named("us-gaap:EarningsPerShareBasic")[0]
    assert eps.value == Decimal("-0.41") and eps.unit.name == "USD/shares"
    assert eps.context.start == dt.date(2025, 7, 1) and not eps.context.instant
    assert facts.dei("DocumentType") == "10-Q" and facts.dei("EntityCentralIndexKey") == "0009999999"


def test_nested_hidden_nil_continued_and_excluded_facts():
    hidden = ('<ix:nonFraction name="co:HiddenCount" contextRef="I" unitRef="Integer" decimals="0">12</ix:nonFraction>'
              '<ix:nonFraction name="co:Nothing" contextRef="I" unitRef="USD" '
              'xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')
    body = ('<p><ix:nonFraction name="us-gaap:Liabilities" contextRef="I" unitRef="USD" decimals="-3" scale="3" '
            'format="ixt:num-dot-decimal"><ix:nonFraction name="us-gaap:LiabilitiesCurrent" contextRef="I" '
            'unitRef="USD" decimals="-3" scale="3" format="ixt:num-dot-decimal">'
            '4,100</ix:nonFraction></ix:nonFraction></p>'
            '<p><ix:nonNumeric name="us-gaap:DebtDisclosureTextBlock" contextRef="D" continuedAt="k1">The notes '
            '<ix:exclude>(page 9)</ix:exclude>mature</ix:nonNumeric> in 2030.</p>'
            '<p><ix:continuation id="k1">on March 15, 2030.</ix:continuation></p>'
            '<p><ix:nonNumeric name="us-gaap:DebtInstrumentMaturityDate" contextRef="D" '
            'format="ixt:date-monthname-day-year-en">March 15, 2030</ix:nonNumeric></p>')
    facts = read_facts(document(body, hidden=hidden))
    assert facts.named("Liabilities")[0].value == facts.named("LiabilitiesCurrent")[0].value == 4100000
    hidden_count = facts.named("co:HiddenCount")[0]
    assert hidden_count.hidden and hidden_count.value == 12
    assert facts.named("co:Nothing")[0].value is None
    text = facts.named("DebtDisclosureTextBlock")[0].value
    assert text == "The notes mature on March 15, 2030." and "(page 9)" not in text
    assert facts.named("DebtInstrumentMaturityDate")[0].date == dt.date(2030, 3, 15)


def test_a_prefix_of_another_taxonomy_year_reads_as_the_usual_one():
    data = document('<p><ix:nonFraction name="gaap:Cash" contextRef="I" unitRef="USD" decimals="0" '
                    'xmlns:gaap="http://fasb.org/us-gaap/2021">7</ix:nonFraction></p>')
    fact = read_facts(data).named("Cash")[0]
    assert fact.concept == "us-gaap:Cash"


def test_a_fact_that_cannot_be_read_is_named_and_the_others_kept():
    body = ('<p><ix:nonFraction name="co:Broken" contextRef="I" unitRef="USD" format="ixt:num-dot-decimal">1,503,'
            '</ix:nonFraction> and <ix:nonFraction name="co:Lost" contextRef="nowhere" unitRef="USD">1'
            '</ix:nonFraction> and <ix:nonFraction name="co:Fine" contextRef="I" unitRef="USD">2</ix:nonFraction></p>')
    facts = read_facts(document(body))
    assert facts.named("co:Fine")[0].value == 2 and not facts.named("co:Broken") and not facts.named("co:Lost")
    assert any("co:Broken" in p and "1,503," in p for p in facts.problems)
    assert any("nowhere" in p for p in facts.problems)


def test_plain_html_is_not_inline_xbrl():
    with pytest.raises(NotInlineXbrl):
        read_facts(b"<html><body><p>We held 5 bitcoin.</p></body></html>")


def test_a_real_10q_face_amount_tagged_with_the_wrong_scale_reads_as_tagged():
    """Strategy's Q1 2024 10-Q tags "$800.0 million" of 2030 notes as 800.0 with scale 0: the fact is read
    as tagged here (800.0); periodic's placement is where the text corrects it (test_periodic)."""
    facts = read_facts(fixture("mstr-10q-2024-03-31").data())
    face = [f for f in facts.named("DebtInstrumentFaceAmount")
            if f.context.member("LongtermDebtTypeAxis") == "mstr:ConvertibleSeniorNotesDueTwentyThirtyMember"]
    assert [(f.value, f.scale, f.text) for f in face] == [(Decimal("800.0"), 0, "800.0")]
    assert len(facts.facts) > 1000 and not facts.problems


def test_a_malformed_header_loses_only_what_is_malformed():
    bad = context("X", instant="2025-13-45")
    body = ('<p><ix:nonFraction name="co:A" contextRef="X" unitRef="USD">1</ix:nonFraction>'
            '<ix:nonFraction name="co:B" contextRef="I" unitRef="USD" scale="six">2</ix:nonFraction>'
            '<ix:nonFraction name="co:C" contextRef="I" unitRef="nothing">3</ix:nonFraction></p>')
    facts = read_facts(document(body, contexts=(bad,)))
    assert not facts.named("co:A") and not facts.named("co:B") and facts.named("co:C")[0].unit is None
    assert any("'X'" in p for p in facts.problems) and any("co:B" in p for p in facts.problems)
