"""Small inline-XBRL documents written for the tests: an `ix:header` with the contexts and units the
test names, and a body of the test's own XHTML (facts tagged as SEC filers tag them)."""

from __future__ import annotations

CIK = "0009999999"


def context(id_: str, *, instant: str | None = None, start: str | None = None, end: str | None = None,
            members: tuple[tuple[str, str], ...] = (), typed: tuple[tuple[str, str], ...] = ()) -> str:
    period = (f"<xbrli:instant>{instant}</xbrli:instant>" if instant
              else f"<xbrli:startDate>{start}</xbrli:startDate><xbrli:endDate>{end}</xbrli:endDate>")
    dims = "".join(f'<xbrldi:explicitMember dimension="{axis}">{member}</xbrldi:explicitMember>'
                   for axis, member in members)
    dims += "".join(f'<xbrldi:typedMember dimension="{axis}"><dt:value>{value}</dt:value></xbrldi:typedMember>'
                    for axis, value in typed)
    segment = f"<xbrli:segment>{dims}</xbrli:segment>" if dims else ""
    return (f'<xbrli:context id="{id_}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">{CIK}'
            f"</xbrli:identifier>{segment}</xbrli:entity><xbrli:period>{period}</xbrli:period></xbrli:context>")


UNITS = ('<xbrli:unit id="USD"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>'
         '<xbrli:unit id="shares"><xbrli:measure>xbrli:shares</xbrli:measure></xbrli:unit>'
         '<xbrli:unit id="pure"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>'
         '<xbrli:unit id="Integer"><xbrli:measure>co:Integer</xbrli:measure></xbrli:unit>'
         '<xbrli:unit id="Bitcoin"><xbrli:measure>co:Bitcoin</xbrli:measure></xbrli:unit>'
         '<xbrli:unit id="USDPerShare"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>iso4217:USD'
         '</xbrli:measure></xbrli:unitNumerator><xbrli:unitDenominator><xbrli:measure>xbrli:shares</xbrli:measure>'
         '</xbrli:unitDenominator></xbrli:divide></xbrli:unit>')

BASE_CONTEXTS = (context("D", start="2025-07-01", end="2025-09-30"), context("I", instant="2025-09-30"),
                 context("P", instant="2024-12-31"), context("C", instant="2025-11-10"))


def document(body: str, *, contexts: tuple[str, ...] = (), hidden: str = "", form: str = "10-Q",
             period_end: str = "2025-09-30") -> bytes:
    """A 10-Q with a balance sheet at 2025-09-30 and 2024-12-31 (so those are its period ends)."""
    head = (
        f'<ix:nonNumeric name="dei:DocumentType" contextRef="D">{form}</ix:nonNumeric>'
        f'<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="D">{CIK}</ix:nonNumeric>'
        f'<ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="D" format="ixt:date-monthname-day-year-en">'
        f"September 30, 2025</ix:nonNumeric>"
        '<ix:nonFraction name="us-gaap:Assets" contextRef="I" unitRef="USD" decimals="0">1000</ix:nonFraction>'
        '<ix:nonFraction name="us-gaap:Assets" contextRef="P" unitRef="USD" decimals="0">900</ix:nonFraction>'
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
        'xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12" '
        'xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31" '
        'xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi" '
        'xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:us-gaap="http://fasb.org/us-gaap/2024" '
        'xmlns:dei="http://xbrl.sec.gov/dei/2024" xmlns:srt="http://fasb.org/srt/2024" '
        'xmlns:co="http://example.com/20250930" xmlns:dt="http://example.com/typed">'
        "<head><title>10-Q</title></head><body>"
        f'<div style="display:none"><ix:header><ix:hidden>{head}{hidden}</ix:hidden><ix:resources>'
        f"{''.join(BASE_CONTEXTS + contexts)}{UNITS}</ix:resources></ix:header></div>"
        f"{body}</body></html>"
    ).encode("utf-8")
