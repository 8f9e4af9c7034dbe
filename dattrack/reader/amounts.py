"""Numbers as documents print them, exact: "16,796", "$1.145 billion", "677 million", "$ 264.1"
under a column "(in millions)", "(1,234)". Never a float; "approximately" is the caller's word."""

from __future__ import annotations

import re
from decimal import Decimal

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALE_WORDS = {"thousand": 3, "thousands": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9,
               "trillion": 12, "mm": 6, "mn": 6, "m": 6, "bn": 9, "b": 9, "k": 3}
SCALE = r"(?:thousand|million|billion|trillion|mm|mn|bn)\b|[MBK]\b"
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
                  "¥": "JPY", "JPY": "JPY", "C$": "CAD", "CA$": "CAD", "HK$": "HKD", "A$": "AUD"}
CURRENCY = r"(?:US\$|C\$|CA\$|HK\$|A\$|\$|€|£|¥)"
# "(in millions)", "(in billions)", "(in thousands)", "(in '000s)", "$ in thousands", "(000s)"
COLUMN_SCALE = re.compile(r"\bin\s+(thousands|millions|billions)\b|\(\s*(?:in\s+)?[‘'’]?000s?[’']?\s*\)|"
                          r"\bin\s+[‘'’]000s\b", re.I)
SHARES_SUFFIX = re.compile(r"\s+(?:of\s+)?[A-Z]{3,5}\s+Shares$")   # "3,645,528 MSTR Shares", "$2.37 billion of MSTR Shares"
DASHES = frozenset({"-", "—", "–", "‒", "―", "--", "nil", "n/a", "N/A"})


def number(text: str) -> Decimal:
    """An exact Decimal of a printed number: "16,796" -> 16796, "1.145" -> 1.145."""
    return Decimal(text.replace(",", ""))


def scaled(value: Decimal, scale: str | None) -> Decimal:
    if not scale:
        return value
    power = SCALE_WORDS.get(scale.lower())
    return value.scaleb(power) if power else value


def exact(value: Decimal) -> Decimal:
    """A scaled figure in plain digits: 1.145E+9 -> 1145000000 (scaleb leaves an exponent)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize() if value.as_tuple().exponent < 0 else value


def column_scale(header: str) -> int:
    """The power of ten a column header's "(in millions)" or "(in '000s)" gives its numbers (0: none)."""
    match = COLUMN_SCALE.search(header)
    if not match:
        return 0
    word = (match.group(1) or "thousands").lower()
    return {"thousands": 3, "millions": 6, "billions": 9}[word]


def currency_of(sign: str | None) -> str | None:
    return CURRENCY_SIGNS.get(sign) if sign else None


CELL = re.compile(rf"^\s*(?P<neg>\()?\s*(?P<sign>{CURRENCY})?\s*(?P<num>{NUMBER})\s*(?P<scale>thousand|million|billion|"
                  rf"trillion)?\s*\)?\s*(?:\([a-z0-9]\))?\s*$", re.I)


def cell_value(text: str) -> tuple[Decimal | None, str | None, str | None] | None:
    """A table cell's number: (value, currency sign, scale word); (None, None, None) for a dash
    ("-", "—": nothing); None when the cell is no number."""
    stripped = SHARES_SUFFIX.sub("", text.strip()).rstrip("%").strip()
    if stripped in DASHES or stripped.strip("$ ").strip() in DASHES and "$" in stripped:
        return None, None, None
    match = CELL.match(stripped)
    if not match:
        return None
    value = number(match.group("num"))
    if match.group("neg"):
        value = -value
    return value, match.group("sign"), match.group("scale")

