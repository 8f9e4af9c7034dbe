"""Issuance and dilution (SPEC 11): the shares a company sold since its last share count, and per period
whether its raising and buying added crypto per share.

Pure: issuance rows and counts in, figures out. A share count is a fact (a cover page or another
statement) plus the common shares sold in the periods that follow it, one after another; a row that
cannot be placed after the count is left out, and said."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from dattrack.numbers import ratio

PERIODS = ("week", "month", "quarter")


@dataclass(frozen=True)
class Sold:
    """One issuance row as the arithmetic needs it."""

    date: dt.date                  # the period's end
    period_start: dt.date | None
    security: str
    shares: Decimal | None
    notional: Decimal | None = None
    net_proceeds: Decimal | None = None


@dataclass(frozen=True)
class ShareCount:
    value: Decimal | None
    date: dt.date | None           # what the count stands at: the last period counted, else the fact's date
    source: str                    # "issuance", "cover page" or "fact"
    detail: str                    # how it was made, for people


def counted_after(rows: Iterable[Sold], security: str, after: dt.date, until: dt.date) -> tuple[list[Sold], list[str]]:
    """The rows of the common `security` that follow a count of `after` week by week up to `until`, and
    why the rest are not counted. A period that began on or before `after` may be in the count already;
    a row with no period of its own ("had sold an aggregate of") cannot be placed; a gap (a week with
    no row) ends the run: what was sold in it is not known, so the count stands where the run ends."""
    wanted = sorted((r for r in rows if r.security == security and r.shares is not None and after < r.date <= until),
                    key=lambda r: (r.date, r.period_start or dt.date.min))
    periods: dict[tuple, list[Sold]] = {}
    for row in wanted:
        periods.setdefault((row.period_start, row.date), []).append(row)
    counted, why = [], []
    follows = after + dt.timedelta(days=1)
    for (start, end), group in periods.items():
        if start is None:
            why.append(f"{end}: no period stated, cannot be placed after the count: not added, and no later row")
            break
        if start < follows:
            why.append(f"{start}..{end}: began on or before the count of {after}: not added")
            continue
        if start > follows:
            why.append(f"no issuance recorded for {follows}..{start - dt.timedelta(days=1)}: the count stands at "
                       f"{follows - dt.timedelta(days=1)}")
            break
        counted.extend(group)
        follows = end + dt.timedelta(days=1)
    return counted, why


def with_issuance(base: Decimal | None, base_date: dt.date | None, base_kind: str, rows: Iterable[Sold],
                  security: str, day: dt.date, move: Callable[[Decimal, dt.date], Decimal] = lambda s, d: s,
                  base_text: str | None = None) -> ShareCount:
    """A share count on `day`: the counted `base` (of `base_date`, a "cover page" or "fact"; described by
    `base_text`) plus the common shares sold in the periods that follow it, each moved to the count's
    share basis by `move(shares, its date)`."""
    if base is None or base_date is None:
        return ShareCount(base, base_date, base_kind, "no share count recorded")
    counted, why = counted_after(rows, security, base_date, day)
    notes = "".join(f"; {reason}" for reason in why)
    text = base_text or f"{base_kind} of {base_date}: {shown(base)}"
    if not counted:
        return ShareCount(base, base_date, base_kind, text + notes)
    sold = sum((move(r.shares, r.date) for r in counted), Decimal(0))
    last = max(r.date for r in counted)
    detail = (f"{text} + {shown(sold)} {security} shares sold {min(r.period_start for r in counted)}..{last} "
              f"(issuance, {len(counted)} row(s)) = {shown(base + sold)}")
    return ShareCount(base + sold, last, "issuance", detail + notes)


def shown(shares: Decimal) -> str:
    """A share count for people: whole shares (an assumed conversion gives fractions)."""
    return f"{shares.quantize(Decimal(1)):,}" if shares != shares.to_integral_value() else f"{shares:,}"


def periods(since: dt.date, until: dt.date, by: str) -> list[tuple[dt.date, dt.date]]:
    """Calendar periods (weeks Monday to Sunday, months, quarters) covering [since, until], clipped to it."""
    assert by in PERIODS
    found = []
    start = since
    while start <= until:
        end = min(_period_end(start, by), until)
        found.append((start, end))
        start = end + dt.timedelta(days=1)
    return found


def _period_end(day: dt.date, by: str) -> dt.date:
    if by == "week":
        return day + dt.timedelta(days=6 - day.weekday())
    months = 1 if by == "month" else 3 - (day.month - 1) % 3
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1) - dt.timedelta(days=1)


def accretion(per_share_start: Decimal | None, per_share_end: Decimal | None) -> Decimal | None:
    """per_share_end / per_share_start − 1: did the period add crypto per share."""
    if per_share_start in (None, 0) or per_share_end is None:
        return None
    return ratio(per_share_end, per_share_start) - 1


def summed(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the values stated; None when none is."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None
