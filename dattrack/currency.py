"""The one currency-conversion rule. Pure.

Rates are stored as USD pairs, units of a currency per 1 USD (USDJPY = 150): an amount goes to
USD by dividing by its currency's rate, and from USD by multiplying by the target's rate; between
two other currencies it goes through USD. A missing rate gives None, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from dattrack.numbers import divide

USD = "USD"


def usd_pair(currency: str) -> str:
    """The price symbol of a currency's rate: USDJPY."""
    return f"{USD}{currency}"


def convert(amount: Decimal | None, currency: str, target: str,
            usd_rate: Callable[[str], Decimal | None]) -> Decimal | None:
    """`amount` in `currency` expressed in `target`. usd_rate(c): units of c per 1 USD, or None."""
    if amount is None or currency == target:
        return amount
    if currency == USD:
        usd = amount
    else:
        rate = usd_rate(currency)
        if rate is None:
            return None
        usd = divide(amount, rate)
    if target == USD:
        return usd
    rate = usd_rate(target)
    return None if rate is None else usd * rate
