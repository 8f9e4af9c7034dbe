"""A disclosed change to one company's holding of one asset."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

KINDS = ("buy", "sell", "mine", "receive", "balance")
# Where an event came from (SPEC 6): checked in Python (app/inputs.py), not by the table, so a new
# source of disclosures adds its origin here and needs no table rebuild.
ORIGINS = ("manual", "import", "seed", "coingecko", "sec", "treasury-list", "filing")
INFLOW_KINDS = frozenset({"buy", "mine", "receive"})


class Event(NamedTuple):
    """One event of one (company, asset) book. `amount` is money in the company's currency:
    cost for inflows, net proceeds for a sell, the disclosed aggregate cost (or None) for a balance."""

    id: int
    date: str
    kind: str
    quantity: Decimal
    amount: Decimal | None
