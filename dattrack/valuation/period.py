"""Per-share accumulation over a period (SPEC section 2): is the treasury growing faster than dilution?"""

from __future__ import annotations

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
