"""A ledger written the way an analyst would jot it down, one event a line:

    2025-01-01  buy      1    10000
    2025-04-01  sell     1.5  45000
    2025-05-01  balance  1.5  -          (no disclosed cost)

Ids follow the order of the lines (the order the events were recorded). Numbers may carry
thousands separators (1,761.987) for readability; they are parsed as exact Decimals.
"""

from __future__ import annotations

from decimal import Decimal

from dattrack.ledger import Event


def number(text: str) -> Decimal | None:
    return None if text == "-" else Decimal(text.replace(",", ""))


def ledger(text: str) -> list[Event]:
    events = []
    for line in text.strip().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        date, kind, quantity, *amount = line.split()
        events.append(Event(len(events) + 1, date, kind, number(quantity),
                            number(amount[0]) if amount else None))
    return events


def D(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
