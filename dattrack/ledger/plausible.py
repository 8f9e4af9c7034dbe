"""What a disclosure or a fact must be to be true: the domain's own limits, one place for every
source (sync from CoinGecko and SEC EDGAR, `fact sync`, the filings reader). A figure that breaks
one is refused with the reason, never stored: more units than the asset will ever have, a date
before the asset existed or after today, a public date before the figure's own date, an amount
beyond the ledger's limits (SPEC 1), a fact in a unit that is not its concept's.

Pure: values in, a reason (or None) out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.numbers import MAX_ABS

# The first day each asset existed (its genesis block or mainnet launch) and a ceiling on its
# supply: no company can hold more. BTC is capped by protocol; ETH and SOL have no cap, so the
# ceiling is well above their supply in 2025 (ETH ~120.7 million, SOL ~610 million, growing ~5% a year).
ASSET_LIMITS: dict[str, tuple[dt.date, Decimal]] = {
    "BTC": (dt.date(2009, 1, 3), Decimal(21_000_000)),
    "ETH": (dt.date(2015, 7, 30), Decimal(200_000_000)),
    "SOL": (dt.date(2020, 3, 16), Decimal(2_000_000_000)),
}
# More shares than any listed company has ever had (the largest have tens of billions).
MAX_SHARES = Decimal(10) ** 13
SHARE_FACTS = ("shares_basic", "shares_diluted")
MONEY_FACTS = ("debt", "preferred", "cash", "mining_cost")
EVENT_KINDS = ("buy", "sell", "mine", "receive", "balance")


def disclosure_doubt(asset: str, kind: str, date: str, quantity: Decimal, amount: Decimal | None,
                     known_on: str | None, today: dt.date) -> str | None:
    """Why a disclosed event cannot be true, or None."""
    if kind not in EVENT_KINDS:
        return f"kind {kind!r} is not one of {', '.join(EVENT_KINDS)}"
    day = _day(date)
    if day is None:
        return f"date {date!r} is not a calendar date"
    why = date_doubt(day, today) or asset_date_doubt(asset, day)
    if why:
        return why
    if known_on is not None:
        public = _day(known_on)
        if public is None or public > today:
            return f"made public on {known_on}, after today"
    why = number_doubt(quantity, "quantity")
    if why:
        return why
    if quantity < 0 or (quantity == 0 and kind != "balance"):
        return f"a {kind} of {quantity} {asset}: the quantity must be more than 0"
    limits = ASSET_LIMITS.get(asset)
    if limits is not None and quantity > limits[1]:
        return f"{_figure(quantity)} {asset} is more than {asset} will ever have ({_figure(limits[1])})"
    if amount is not None:
        why = number_doubt(amount, "amount")
        if why:
            return why
        if amount < 0:
            return f"a negative amount ({amount})"
    return None


def fact_doubt(name: str, value: Decimal, date: dt.date, today: dt.date, *, unit: str | None = None,
               currency: str | None = None) -> str | None:
    """Why a balance-sheet figure a provider reported cannot be true, or None. `unit`, when the
    provider names one, must be the concept's: shares for a share count, the company's currency
    for money (debt tagged in shares is not money)."""
    if unit is not None:
        wanted = "shares" if name in SHARE_FACTS else currency if name in MONEY_FACTS else None
        if wanted is not None and unit != wanted:
            return f"{name} is reported in {unit!r}, not in {wanted}"
    if not value.is_finite() or value < 0:
        return f"{name} {value} is negative or not a number"
    if value > MAX_ABS:
        return f"{name} {value:.3e} is larger than 10^15"
    if name in SHARE_FACTS and (value == 0 or value > MAX_SHARES):
        return f"{name} {value} is not a plausible share count"
    return date_doubt(date, today)


def date_doubt(day: dt.date, today: dt.date) -> str | None:
    if day > today:
        return f"dated {day.isoformat()}, in the future"
    return None


def asset_date_doubt(asset: str, day: dt.date) -> str | None:
    limits = ASSET_LIMITS.get(asset)
    if limits is not None and day < limits[0]:
        return f"dated {day.isoformat()}, before {asset} existed ({limits[0].isoformat()})"
    return None


def number_doubt(value: Decimal, what: str) -> str | None:
    """A number outside SPEC 1's limits: not finite, beyond 10^15 (more than 18 decimals are rounded
    by whoever reads the answer, not refused)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"{what} {value!r} is not a finite number"
    if abs(value) > MAX_ABS:
        return f"{what} {_figure(value)} is beyond the limit of 10^15"
    return None


def _figure(value: Decimal) -> str:
    """A number for a message: in full when short, else in scientific notation (1.000E+30)."""
    return f"{value:,f}" if len(f"{value:f}") <= 24 else f"{value:.3E}"


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except (TypeError, ValueError):
        return None
