"""The dates a sentence gives a figure: the period a flow covers ("during the period between X and
Y", "in October", "during the quarter ended X") and the as-of date of a balance ("As of X, ...")."""

from __future__ import annotations

import datetime as dt
import re

from dattrack.reader.dates import DATE, MONTH, month_period, parse_dates

PLAIN_DATE = re.sub(r"\(\?P<\w+>", "(?:", DATE.pattern)
TWO_DATES = re.compile(rf"\b(?:between|from|since|period(?:\s+of|\s+from)?)\s+(?P<a>{PLAIN_DATE})\s*(?:,\s*)?(?:and|to|through|until|-|–)\s+"
                       rf"(?:and\s+)?(?P<b>{PLAIN_DATE})|(?:^|\bPeriod\s+)(?P<c>{PLAIN_DATE})\s+(?:to|through|-|–)\s+(?P<d>{PLAIN_DATE})",
                       re.I)
WEEK_ENDED = re.compile(r"\bweek\s+(?:ended|ending)\s+", re.I)
MONTHS_ENDED = re.compile(r"\b(?:(?P<n>three|six|nine|twelve)\s+months|(?P<quarter>quarter)|(?P<year>year|fiscal\s+year))"
                          r"\s+(?:ended|ending)\s+", re.I)
MONTH_COUNTS = {"three": 3, "six": 6, "nine": 9, "twelve": 12}
IN_MONTH = re.compile(rf"\b(?:in|during|for)\s+(?:the\s+month\s+of\s+)?(?P<month>{MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?\b"
                      rf"(?!\s+\d{{1,2}}\b)", re.I)
AS_OF = re.compile(r"\b(?:as\s+of|as\s+at|at\s+the\s+end\s+of|on)\s+$", re.I)
QUARTER_NAMED = re.compile(r"\b(?:(?P<ord>first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?"
                           r"(?P<year>(?:19|20)\d\d)|Q(?P<q>[1-4])\s*(?P<year2>(?:19|20)\d\d))\b", re.I)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def period_in(text: str, *, year_of: dt.date | None) -> tuple[dt.date | None, dt.date | None, bool]:
    """(start, end, guessed) of the period a flow in `text` covers; (None, None, False) when none is
    stated. `guessed` is True when a year had to be taken from the document's date."""
    for match in TWO_DATES.finditer(text):
        a = parse_dates(match.group("a") or match.group("c"), year_of=year_of)
        b = parse_dates(match.group("b") or match.group("d"), year_of=year_of)
        if a and b and a[0][2] and b[0][2] and a[0][0] == 0 and b[0][0] == 0:
            start, end = a[0][2], b[0][2]
            if start > end and a[0][3]:  # "December 29 to January 4": the start is in the year before
                start = start.replace(year=start.year - 1)
            if start <= end:
                return start, end, a[0][3] or b[0][3]
    for match in WEEK_ENDED.finditer(text):
        dates = parse_dates(text[match.end():match.end() + 25], year_of=year_of)
        if dates and dates[0][0] == 0 and dates[0][2]:
            return dates[0][2] - dt.timedelta(days=6), dates[0][2], dates[0][3]
    for match in MONTHS_ENDED.finditer(text):
        dates = parse_dates(text[match.end():match.end() + 25], year_of=year_of)
        if dates and dates[0][0] == 0 and dates[0][2]:
            end = dates[0][2]
            months = MONTH_COUNTS[match.group("n").lower()] if match.group("n") else (3 if match.group("quarter") else 12)
            return _months_before(end, months), end, dates[0][3]
    match = QUARTER_NAMED.search(text)
    if match:
        quarter = ORDINALS[match.group("ord").lower()] if match.group("ord") else int(match.group("q"))
        year = int(match.group("year") or match.group("year2"))
        start = dt.date(year, 3 * quarter - 2, 1)
        return start, _months_before(start, -3) - dt.timedelta(days=1), False
    match = IN_MONTH.search(text)
    if match:
        year = int(match.group("year")) if match.group("year") else None
        period = month_period(match.group("month"), year, year_of=year_of)
        if period:
            return period[0], period[1], year is None
    return None, None, False


def as_of_in(text: str, *, year_of: dt.date | None) -> tuple[dt.date | None, bool]:
    """The date a balance is stated at: the first date written after "as of", "as at" or "on"."""
    for start, _, day, guessed in parse_dates(text, year_of=year_of):
        if day is not None and AS_OF.search(text[max(0, start - 25):start]):
            return day, guessed
    return None, False


def lead_date(text: str, *, year_of: dt.date | None) -> tuple[dt.date | None, bool]:
    """The date a sentence opens with ("On December 24, 2022, MacroStrategy acquired ...")."""
    match = re.match(r"[\s•·\-–]*(?:On|As\s+of|As\s+at)\s+", text)
    if not match:
        return None, False
    dates = parse_dates(text[match.end():match.end() + 30], year_of=year_of)
    if dates and dates[0][0] == 0 and dates[0][2]:
        return dates[0][2], dates[0][3]
    return None, False


YEAR_SURE_DAYS = 92   # a date without its year, within a quarter before the document's own date, is that year's


def year_doubt(day: dt.date | None, guessed: bool, year_of: dt.date | None) -> str | None:
    """The doubt of a date whose year was taken from the document's date: none when the date lies
    within a quarter before the document (an 8-K of November 10 saying "As of November 9th")."""
    if not guessed or day is None:
        return None
    if year_of is not None and 0 <= (year_of - day).days <= YEAR_SURE_DAYS:
        return None
    return "the year is taken from the document's date"


def all_dates(text: str, *, year_of: dt.date | None) -> list[dt.date]:
    return [d for _, _, d, _ in parse_dates(text, year_of=year_of) if d is not None]


def _months_before(end: dt.date, months: int) -> dt.date:
    """The first day of the period of `months` months that ends on `end` (a quarter ended March 31
    began January 1); negative months count forward from `end`."""
    if months < 0:
        total = end.year * 12 + end.month - 1 - months
        return dt.date(total // 12, total % 12 + 1, 1)
    total = end.year * 12 + end.month - months  # the month after the period's first month, zero-based
    return dt.date(total // 12, total % 12 + 1, 1)

