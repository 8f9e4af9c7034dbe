"""When a dated input is too old to trust (SPEC section 1): one rule for every report."""

from __future__ import annotations

import datetime as dt

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


def threshold_for(symbol_kind: str) -> int:
    """symbol_kind: 'crypto', 'fx' or 'stock'."""
    return STOCK_STALE_DAYS if symbol_kind == "stock" else CRYPTO_STALE_DAYS


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
