"""A disclosed change to one company's holding of one asset."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

KINDS = ("buy", "sell", "mine", "receive", "balance")
INFLOW_KINDS = frozenset({"buy", "mine", "receive"})


class Event(NamedTuple):
    """One event of one (company, asset) book. `amount` is money in the company's currency:
    cost for inflows, net proceeds for a sell, the disclosed aggregate cost (or None) for a balance."""

    id: int
    date: str
    kind: str
    quantity: Decimal
    amount: Decimal | None
