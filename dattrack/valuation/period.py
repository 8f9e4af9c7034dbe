"""Per-share accumulation over a period (SPEC section 2): is the treasury growing faster than dilution?"""

from __future__ import annotations

import decimal
from decimal import Decimal

from dattrack.numbers import ratio, rounded


def btc_yield(h0: Decimal | None, d0: Decimal | None, h1: Decimal | None, d1: Decimal | None) -> Decimal | None:
    """(h1/d1)/(h0/d0) − 1: holdings h over diluted shares d, at the start (0) and end (1).

    Share counts must be on one split basis (see splits.on_basis). None on a missing or zero input."""
    if None in (h0, d0, h1, d1) or 0 in (h0, d0, d1):
        return None
    return ratio(h1 * d0, d1 * h0) - 1


def btc_gain(h0: Decimal | None, d0: Decimal | None, h1: Decimal | None, d1: Decimal | None) -> Decimal | None:
    """h0 × btc_yield: the units gained for the holders of the starting shares."""
    if btc_yield(h0, d0, h1, d1) is None:
        return None
    return rounded(h1 * d0 / d1 - h0)  # = h0 × ((h1·d0)/(d1·h0) − 1), rounded once


DAYS_PER_MONTH = Decimal("30.4375")   # 365.25 / 12
# ln and exp are computed with more digits than kept, then cut to 18 decimals once.
_LOG_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


def monthly_yield(btc_yield_: Decimal | None, days: int) -> Decimal | None:
    """(1 + btc_yield)^(30.4375 / days) − 1, through Decimal's exp and ln (no binary float)."""
    if btc_yield_ is None or days <= 0 or btc_yield_ <= -1:
        return None
    ctx = _LOG_CONTEXT
    exponent = ctx.divide(DAYS_PER_MONTH, Decimal(days))
    return ctx.subtract(ctx.exp(ctx.multiply(exponent, ctx.ln(ctx.add(Decimal(1), btc_yield_)))), Decimal(1))


def months_to_cover(mnav: Decimal | None, btc_yield_: Decimal | None, days: int) -> Decimal | None:
    """ln(mnav) / ln(1 + monthly yield): the months of yield that earn back the premium.
    None when mnav ≤ 1 (no premium to earn back) or the yield is not positive."""
    if mnav is None or btc_yield_ is None or mnav <= 1 or btc_yield_ <= 0 or days <= 0:
        return None
    ctx = _LOG_CONTEXT
    monthly = monthly_yield(btc_yield_, days)
    return rounded(ctx.divide(ctx.ln(mnav), ctx.ln(ctx.add(Decimal(1), monthly))))
