"""Dates: strict ISO parsing, and 'today' in one place so tests and cron agree."""

from __future__ import annotations

import datetime as dt
import os

from dattrack.errors import BadInput


def today() -> dt.date:
    """Today's date (UTC). DATTRACK_TODAY pins it, for reproducible tests and backfills."""
    pinned = os.environ.get("DATTRACK_TODAY")
    if pinned:
        return parse_date(pinned, "DATTRACK_TODAY", allow_future=True)
    return dt.datetime.now(dt.timezone.utc).date()


def now_stamp() -> str:
    """The UTC time now, to the second, as every stored timestamp is written: 2026-02-17T14:03:09Z."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_date(text: object, what: str = "date", *, allow_future: bool = False,
               current: dt.date | None = None) -> dt.date:
    """A strict YYYY-MM-DD date, not after today unless allowed (`current`: today, if known)."""
    raw = str(text).strip()
    if len(raw) != 10 or raw[4] != "-" or raw[7] != "-" or not raw.replace("-", "").isascii() \
            or not raw.replace("-", "").isdigit():
        raise BadInput(f"{what} {raw!r} is not an ISO date (YYYY-MM-DD)")
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"{what} {raw!r} is not a valid date") from None
    if not allow_future:
        current = current or today()
        if value > current:
            raise BadInput(f"{what} {raw} is in the future (today is {current.isoformat()})")
    return value


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
