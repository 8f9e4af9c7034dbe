"""Dates as documents write them: "February 2, 2021", "Feb. 2, 2021", "July 17th", "12/31/2023",
"2025-09-30"; periods "between X and Y", "X to Y", "from X through Y". A date written without its
year takes the year of the document's own date (the month before or in it)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
          "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
WORD_DATE = (rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b|(?![\d,]))")
NUMERIC_DATE = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)?\d\d)\b"
ISO_DATE = r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
DATE = re.compile(rf"{WORD_DATE}|{NUMERIC_DATE}|{ISO_DATE}")
MONTH_YEAR = re.compile(rf"\b(?P<month>{MONTH})(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?\b")


def parse_dates(text: str, *, year_of: dt.date | None = None) -> list[tuple[int, int, dt.date | None, bool]]:
    """Every date in `text`: (start, end, date, year_guessed); date None when it is no valid date or
    its year cannot be known."""
    found = []
    for match in DATE.finditer(text):
        found.append((match.start(), match.end(), *_date_of(match, year_of)))
    return found


def first_date(text: str, *, year_of: dt.date | None = None) -> dt.date | None:
    for _, _, day, _ in parse_dates(text, year_of=year_of):
        if day is not None:
            return day
    return None


def _date_of(match: re.Match, year_of: dt.date | None) -> tuple[dt.date | None, bool]:
    try:
        if match.group("month"):
            month = MONTHS[match.group("month").rstrip(".").lower()]
            day = int(match.group("day"))
            if match.group("year"):
                return dt.date(int(match.group("year")), month, day), False
            if year_of is None:
                return None, True
            year = year_of.year if (month, day) <= (year_of.month, year_of.day) else year_of.year - 1
            return dt.date(year, month, day), True
        if match.group("m"):
            year = int(match.group("y"))
            year += 2000 if year < 100 else 0
            return dt.date(year, int(match.group("m")), int(match.group("d"))), False
        return dt.date(int(match.group("iy")), int(match.group("im")), int(match.group("id"))), False
    except ValueError:
        return None, False


def month_period(month_name: str, year: int | None, *, year_of: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a month named in the text ("in October", "October 2025"): the year
    given, else the latest such month not after the document's date."""
    month = MONTHS.get(month_name.rstrip(".").lower())
    if month is None:
        return None
    if year is None:
        if year_of is None:
            return None
        year = year_of.year if month <= year_of.month else year_of.year - 1
    start = dt.date(year, month, 1)
    end = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end
