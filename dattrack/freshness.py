"""When a dated input is too old to trust (SPEC section 1): one rule for every report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CRYPTO_STALE_DAYS = 3      # crypto closes and FX rates
STOCK_STALE_DAYS = 5       # share closes (weekends and holidays)
FACT_STALE_DAYS = 120      # a balance-sheet figure older than about one quarterly filing
SNAPSHOT_STALE_DAYS = 2    # a daily job that missed more than a weekend's worth of runs


def age_days(input_date: str | dt.date | None, as_of: str | dt.date) -> int | None:
    if input_date is None:
        return None
    return (_day(as_of) - _day(input_date)).days


def is_stale(input_date: str | dt.date | None, as_of: str | dt.date, threshold_days: int) -> bool:
    age = age_days(input_date, as_of)
    return age is not None and age > threshold_days


THRESHOLDS = {"crypto": CRYPTO_STALE_DAYS, "fx": CRYPTO_STALE_DAYS, "stock": STOCK_STALE_DAYS, "fact": FACT_STALE_DAYS}


def threshold_for(kind: str) -> int:
    """kind: 'crypto', 'fx', 'stock' or 'fact'."""
    return THRESHOLDS[kind]


@dataclass(frozen=True)
class DatedInputs:
    """Inputs of one kind that share a date, against the date a report values (SPEC 10: honest dates)."""

    kind: str                  # crypto, stock, fx or fact
    date: str
    names: tuple[str, ...]     # the symbols; for a fact, "TICKER name"
    age_days: int
    stale: bool


@dataclass(frozen=True)
class InputDates:
    """The dates a report's figures rest on: its valuation date, what it knew (`known_on`, None: all that
    is recorded), and its inputs grouped by kind and date (oldest first within a kind)."""

    as_of: str
    known_on: str | None
    groups: tuple[DatedInputs, ...]

    @property
    def stale(self) -> bool:
        return any(group.stale for group in self.groups)

    def of(self, *kinds: str) -> tuple[DatedInputs, ...]:
        return tuple(group for group in self.groups if group.kind in kinds)


KIND_ORDER = ("crypto", "stock", "fx", "fact")


def input_dates(as_of: str, used: Iterable[tuple[str, str, str]], known_on: str | None = None) -> InputDates:
    """Group (kind, name, date) inputs by kind and date, each group aged against `as_of`."""
    named: dict[tuple[str, str], list[str]] = {}
    for kind, name, date in used:
        names = named.setdefault((kind, date), [])
        if name not in names:
            names.append(name)
    groups = [DatedInputs(kind, date, tuple(sorted(names)), age_days(date, as_of),
                          is_stale(date, as_of, THRESHOLDS[kind]))
              for (kind, date), names in named.items()]
    groups.sort(key=lambda g: (KIND_ORDER.index(g.kind), g.date))
    return InputDates(as_of, known_on, tuple(groups))


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
