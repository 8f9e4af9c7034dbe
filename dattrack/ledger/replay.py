"""Replay one (company, asset) book: events in, position, realized P&L, balance checks out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.ledger.books import ZERO, AverageBook, new_book
from dattrack.ledger.events import Event
from dattrack.numbers import ratio, tidy


@dataclass(frozen=True)
class Position:
    quantity: Decimal
    cost_basis: Decimal          # the known part when cost_complete is False
    cost_complete: bool
    unknown_quantity: Decimal = ZERO   # units held with no disclosed cost

    @property
    def avg_cost(self) -> Decimal | None:
        if not self.cost_complete or self.quantity == 0:
            return None
        return ratio(self.cost_basis, self.quantity)


@dataclass(frozen=True)
class BalanceCheck:
    """A disclosed position compared with what the events before it add up to."""

    event_id: int
    date: str
    asserted: bool               # False: nothing happened since the last disclosure (an implied flow)
    disclosed_quantity: Decimal
    computed_quantity: Decimal | None
    disclosed_cost: Decimal | None
    computed_cost: Decimal | None

    @property
    def quantity_delta(self) -> Decimal | None:
        if self.computed_quantity is None:
            return None
        return self.disclosed_quantity - self.computed_quantity

    @property
    def cost_delta(self) -> Decimal | None:
        if self.disclosed_cost is None or self.computed_cost is None:
            return None
        return self.disclosed_cost - self.computed_cost


@dataclass(frozen=True)
class Shortfall:
    """A disposal of more than was held: the reason such an event cannot be recorded."""

    event_id: int
    date: str
    held: Decimal
    wanted: Decimal


@dataclass
class Replay:
    position: Position
    realized_pnl: Decimal | None = ZERO      # None when a disposal's cost was unknown
    proceeds: Decimal = ZERO                 # the disclosed part when a sale's proceeds are unknown
    checks: list[BalanceCheck] = field(default_factory=list)
    shortfall: Shortfall | None = None
    last_date: str | None = None


def replay(events: Iterable[Event], method: str = "average", *, until: str | None = None,
           since: str | None = None, ordered: bool = False, start: Position | None = None) -> Replay:
    """Apply events in ledger order up to `until` (inclusive). Realized P&L counts the sells
    dated within [since, until]. Stops at the first shortfall and reports it as a value.
    `ordered`: the events already come in ledger order. `start`: continue an average-cost
    position saved earlier (the events must all come after it)."""
    if start is not None:
        book = AverageBook(start.quantity, start.cost_basis, start.unknown_quantity)
    else:
        book = new_book(method)
    realized: Decimal | None = ZERO
    proceeds = ZERO
    checks: list[BalanceCheck] = []
    moved_since_balance = False
    last_date = None
    for event in (events if ordered else sorted(events, key=_order)):
        if until is not None and event.date > until:
            break
        last_date = event.date
        kind = event.kind
        if kind == "balance":
            complete = book.cost_complete
            checks.append(BalanceCheck(
                event.id, event.date, moved_since_balance, event.quantity,
                tidy(book.quantity) if moved_since_balance else None,
                event.amount,
                (tidy(book.cost_basis) if complete else None) if moved_since_balance else None))
            book.reset(event.quantity, event.amount, event.date, event.id)
            moved_since_balance = False
            continue
        moved_since_balance = True
        if kind == "sell":
            held = book.quantity
            if event.quantity > held:
                return Replay(_position(book), realized, proceeds, checks,
                              Shortfall(event.id, event.date, tidy(held), event.quantity), last_date)
            cost = book.remove(event.quantity)
            if since is None or event.date >= since:
                if event.amount is None:  # proceeds not disclosed (a synced sale): realized P&L unknown
                    realized = None
                else:
                    proceeds += event.amount
                    realized = None if (realized is None or cost is None) else realized + event.amount - cost
        else:
            book.acquire(event.quantity, event.amount, event.date, event.id)
    return Replay(_position(book), realized, proceeds, checks, None, last_date)


def _order(event: Event) -> tuple[str, bool, int]:
    return (event.date, event.kind == "balance", event.id)


def _position(book) -> Position:
    return Position(tidy(book.quantity), tidy(book.cost_basis), book.cost_complete, tidy(book.unknown_qty))
