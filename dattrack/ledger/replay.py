"""Replay one (company, asset) book: events in, position, realized P&L, balance checks out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.ledger.books import ZERO, AverageBook, LotBook, new_book
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

    def text(self, asset: str = "") -> str:
        """What is wrong, for the one message every writer gives: the sell, its date, the position then."""
        unit = f" {asset}" if asset else ""
        if self.held == 0:
            return f"a sell of {self.wanted}{unit} on {self.date} comes before any holding (position then: 0)"
        return f"a sell of {self.wanted}{unit} on {self.date} is more than the position then: {self.held}{unit}"


@dataclass
class Replay:
    position: Position
    realized_pnl: Decimal | None = ZERO      # None when a disposal's cost was unknown
    proceeds: Decimal = ZERO                 # the disclosed part when a sale's proceeds are unknown
    checks: list[BalanceCheck] = field(default_factory=list)
    shortfall: Shortfall | None = None
    last_date: str | None = None
    opening: Event | None = None             # the book's first event (None: none, or continued from `start`)
    latest: Event | None = None              # the last event applied
    balance_date: str | None = None          # the latest balance applied
    since_balance: int = 0                   # events applied after it (all of them when there is none)
    at: dict[str, Position | None] = field(default_factory=dict)   # the position at the end of each day
    # of `ends` (None: unknown, the day is before the book's opening balance)
    # units held at the end of each event date, as the arithmetic left them (tidy() them to show one)
    series: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def unknown_until(self) -> str | None:
        """The date of the book's opening balance when the replay ends before it: what was held then is
        unknown, not zero (SPEC 10). None when the position is known."""
        return self.opening.date if self.latest is None and opens_unknown(self.opening) else None


def opens_unknown(first: Event | None) -> bool:
    """A book whose first event is a balance of more than zero (a ledger started in the middle of a
    company's history) says nothing of what was held before it; one that starts with a buy, mine or
    receive held 0 before it."""
    return first is not None and first.kind == "balance" and first.quantity > 0


def replay(events: Iterable[Event], method: str = "average", *, until: str | None = None,
           since: str | None = None, ordered: bool = False, start: Position | LotBook | None = None,
           ends: Iterable[str] = (), series: bool = False) -> Replay:
    """Apply events in ledger order up to `until` (inclusive). Realized P&L counts the sells
    dated within [since, until]. Stops at the first shortfall and reports it as a value.
    `ordered`: the events already come in ledger order. `start`: continue an average-cost
    position, or a lot book, saved earlier (the events must all come after it; a book given is
    continued in place). `ends`: days (up to `until`) at whose end the position is wanted, in the
    same walk; `series`: the units held at the end of every event date, for a chart."""
    if isinstance(start, Position):
        book = AverageBook(start.quantity, start.cost_basis, start.unknown_quantity)
    elif start is not None:
        book = start
    else:
        book = new_book(method)
    realized: Decimal | None = ZERO
    proceeds = ZERO
    checks: list[BalanceCheck] = []
    moved_since_balance = False
    last_date = None
    opening = latest = None
    balance_date, since_balance = None, 0
    pending = sorted(set(ends), reverse=True)   # the next day wanted is last
    at: dict[str, Position | None] = {}
    points: list[tuple[str, Decimal]] = []
    for event in (events if ordered else sorted(events, key=_order)):
        date = event.date
        if opening is None and start is None:
            opening = event
        if until is not None and date > until:
            break
        if date != last_date:
            if last_date is not None and series:
                points.append((last_date, book.quantity))
            while pending and pending[-1] < date:   # a day wanted ends before this event's day
                day = pending.pop()
                at[day] = None if latest is None and opens_unknown(opening) else _position(book)
            last_date = date
        latest = event
        kind = event.kind
        if kind == "balance":
            complete = book.cost_complete
            checks.append(BalanceCheck(
                event.id, date, moved_since_balance, event.quantity,
                tidy(book.quantity) if moved_since_balance else None,
                event.amount,
                (tidy(book.cost_basis) if complete else None) if moved_since_balance else None))
            book.reset(event.quantity, event.amount, date, event.id)
            moved_since_balance = False
            balance_date, since_balance = date, 0
            continue
        moved_since_balance = True
        since_balance += 1
        if kind == "sell":
            held = book.quantity
            if event.quantity > held:
                return Replay(_position(book), realized, proceeds, checks,
                              Shortfall(event.id, date, tidy(held), event.quantity), last_date, opening, latest,
                              balance_date, since_balance, at, points)
            cost = book.remove(event.quantity)
            if since is None or date >= since:
                if event.amount is None:  # proceeds not disclosed (a synced sale): realized P&L unknown
                    realized = None
                else:
                    proceeds += event.amount
                    realized = None if (realized is None or cost is None) else realized + event.amount - cost
        else:
            book.acquire(event.quantity, event.amount, date, event.id)
    if series and last_date is not None:
        points.append((last_date, book.quantity))
    position = _position(book)
    unknown = latest is None and opens_unknown(opening)
    for day in pending:   # the days wanted from the last event on
        at[day] = None if unknown else position
    return Replay(position, realized, proceeds, checks, None, last_date, opening, latest, balance_date,
                  since_balance, at, points)


def carry(events: Iterable[Event], books: Sequence[AverageBook | LotBook]) -> tuple[Shortfall | None, str | None]:
    """Apply events, in ledger order, to several books of one (company, asset) at once: the
    average and lot books a write keeps current. Stops at the first shortfall (the books are
    then half-applied: discard them). Returns the shortfall (or None) and the date of the last
    event applied."""
    last_date = None
    for event in events:
        shortfall = apply(event, books)
        if shortfall is not None:
            return shortfall, last_date
        last_date = event.date
    return None, last_date


def apply(event: Event, books: Sequence[AverageBook | LotBook]) -> Shortfall | None:
    """One event applied to several books of the same units: the first decides a shortfall,
    and then none is changed."""
    kind = event.kind
    if kind == "balance":
        for book in books:
            book.reset(event.quantity, event.amount, event.date, event.id)
    elif kind == "sell":
        held = books[0].quantity
        if event.quantity > held:
            return Shortfall(event.id, event.date, tidy(held), event.quantity)
        for book in books:
            book.remove(event.quantity)
    else:
        for book in books:
            book.acquire(event.quantity, event.amount, event.date, event.id)
    return None


def position_of(book: AverageBook | LotBook) -> Position:
    return _position(book)


def _order(event: Event) -> tuple[str, bool, int]:
    return (event.date, event.kind == "balance", event.id)


def _position(book) -> Position:
    return Position(tidy(book.quantity), tidy(book.cost_basis), book.cost_complete, tidy(book.unknown_qty))
