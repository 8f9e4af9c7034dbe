"""Cost-basis books. Average cost is what companies disclose; lot methods differ only in which
lot a disposal takes first, a priority looked up in one table."""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from dattrack.numbers import divide

ZERO = Decimal(0)


@dataclass(slots=True)
class Lot:
    """Units acquired together. `cost` is their total cost, or None when nobody disclosed it;
    `seq` the id of the event that brought them (it orders lots of equal unit cost)."""

    quantity: Decimal
    cost: Decimal | None
    seq: int


class OldestFirst:
    """FIFO: lots leave in the order they came."""

    __slots__ = ("lots",)

    def __init__(self) -> None:
        self.lots: deque[Lot] = deque()

    def push(self, lot: Lot) -> None:
        self.lots.append(lot)

    def next(self) -> Lot:
        return self.lots[0]

    def pop(self) -> None:
        self.lots.popleft()

    def in_order(self) -> list[Lot]:
        return list(self.lots)

    def saved(self) -> list[tuple[Decimal | None, Lot]]:
        """The lots as held inside (oldest first), each with no rank: what restore() takes back."""
        return [(None, lot) for lot in self.lots]

    def restore(self, saved: list[tuple[Decimal | None, Lot]]) -> None:
        self.lots = deque(lot for _, lot in saved)


class NewestFirst(OldestFirst):
    """LIFO: the latest lot leaves first."""

    __slots__ = ()

    def next(self) -> Lot:
        return self.lots[-1]

    def pop(self) -> None:
        self.lots.pop()

    def in_order(self) -> list[Lot]:
        return list(reversed(self.lots))


class HighestCostFirst:
    """HIFO: the highest unit cost leaves first; lots of unknown cost last, oldest first among equals."""

    __slots__ = ("heap",)

    def __init__(self) -> None:
        self.heap: list[tuple[tuple, Lot]] = []

    def push(self, lot: Lot) -> None:
        key = (1, ZERO, lot.seq) if lot.cost is None else (0, -(lot.cost / lot.quantity), lot.seq)
        heapq.heappush(self.heap, (key, lot))

    def next(self) -> Lot:
        return self.heap[0][1]

    def pop(self) -> None:
        heapq.heappop(self.heap)

    def in_order(self) -> list[Lot]:
        return [lot for _, lot in sorted(self.heap, key=lambda item: item[0])]

    def saved(self) -> list[tuple[Decimal | None, Lot]]:
        """The lots in priority order, each with the rank it was pushed with (minus its unit cost
        then) where that is no longer its unit cost (a lot partly taken keeps its place); None
        when restore() can recompute it, or the cost is unknown."""
        saved = []
        for key, lot in sorted(self.heap, key=lambda item: item[0]):
            rank = key[1]
            saved.append((None if key[0] or rank == -(lot.cost / lot.quantity) else rank, lot))
        return saved

    def restore(self, saved: list[tuple[Decimal | None, Lot]]) -> None:
        # Saved in priority order, perhaps with new lots after (lot_line): heapify puts them in place.
        self.heap = [((1, ZERO, lot.seq) if lot.cost is None else
                      (0, -(lot.cost / lot.quantity) if rank is None else rank, lot.seq), lot) for rank, lot in saved]
        heapq.heapify(self.heap)


# The lot methods differ only in which lot a disposal takes first.
LOT_ORDER = {"fifo": OldestFirst, "lifo": NewestFirst, "hifo": HighestCostFirst}
METHODS = ("average", *LOT_ORDER)


class AverageBook:
    """Two pools: units of known total cost, and units nobody disclosed a cost for."""

    __slots__ = ("known_qty", "known_cost", "unknown_qty")

    def __init__(self, quantity: Decimal = ZERO, cost_basis: Decimal = ZERO, unknown_quantity: Decimal = ZERO) -> None:
        """An empty book, or one restored from a saved position."""
        self.known_qty = quantity - unknown_quantity
        self.known_cost = cost_basis
        self.unknown_qty = unknown_quantity

    @property
    def quantity(self) -> Decimal:
        return self.known_qty + self.unknown_qty

    @property
    def cost_complete(self) -> bool:
        return self.unknown_qty == 0

    @property
    def cost_basis(self) -> Decimal:
        return self.known_cost

    def acquire(self, quantity: Decimal, cost: Decimal | None, date: str, seq: int) -> None:
        if cost is None:
            self.unknown_qty += quantity
        else:
            self.known_qty += quantity
            self.known_cost += cost

    def remove(self, quantity: Decimal) -> Decimal | None:
        """Take units out at average cost; returns the cost removed (None if partly unknown)."""
        held = self.quantity
        if quantity == held:
            removed = self.known_cost if self.cost_complete else None
            self.known_qty = self.known_cost = self.unknown_qty = ZERO
            return removed
        if self.unknown_qty == 0:
            removed = divide(self.known_cost * quantity, self.known_qty)
            self.known_cost -= removed
            self.known_qty -= quantity
            return removed
        # With units of unknown cost in the book, both pools shrink alike; quantities stay exact
        # because the known part is the complement of the (rounded) unknown part.
        unknown_out = min(divide(self.unknown_qty * quantity, held), self.unknown_qty)
        known_out = quantity - unknown_out
        if known_out > self.known_qty:
            known_out, unknown_out = self.known_qty, quantity - self.known_qty
        if self.known_qty:
            self.known_cost -= divide(self.known_cost * known_out, self.known_qty)
        self.known_qty -= known_out
        self.unknown_qty -= unknown_out
        return None

    def reset(self, quantity: Decimal, cost: Decimal | None, date: str, seq: int) -> None:
        if cost is not None:
            self.known_qty, self.known_cost, self.unknown_qty = quantity, cost, ZERO
            return
        change = quantity - self.quantity
        if change > 0:
            self.unknown_qty += change
        elif change < 0:
            self.remove(-change)


class LotBook:
    """Lots held in the method's order: the next lot a disposal takes comes first."""

    __slots__ = ("order", "queue", "quantity", "cost_basis", "unknown_qty", "_push")

    def __init__(self, method: str) -> None:
        self.order = LOT_ORDER[method]
        self._empty()

    def _empty(self) -> None:
        self.queue = self.order()
        self._push = self.queue.push  # bound once: a million acquisitions
        self.quantity = ZERO
        self.cost_basis = ZERO      # known cost of the lots held, kept as a running total
        self.unknown_qty = ZERO     # units in lots of unknown cost

    @property
    def cost_complete(self) -> bool:
        return self.unknown_qty == 0

    def lots(self) -> list[Lot]:
        return self.queue.in_order()

    def saved(self) -> list[tuple[Decimal | None, Lot]]:
        """Everything restored() needs to continue this book exactly as a full replay would."""
        return self.queue.saved()

    @classmethod
    def restored(cls, method: str, saved: list[tuple[Decimal | None, Lot]], quantity: Decimal,
                 cost_basis: Decimal, unknown_qty: Decimal) -> "LotBook":
        """A book continued from saved lots and its running totals (as saved, not re-summed)."""
        book = cls(method)
        book.queue.restore(saved)
        book._push = book.queue.push
        book.quantity, book.cost_basis, book.unknown_qty = quantity, cost_basis, unknown_qty
        return book

    def acquire(self, quantity: Decimal, cost: Decimal | None, date: str, seq: int) -> None:
        self._push(Lot(quantity, cost, seq))
        self.quantity += quantity
        if cost is None:
            self.unknown_qty += quantity
        else:
            self.cost_basis += cost

    def remove(self, quantity: Decimal) -> Decimal | None:
        """Take units out in priority order; returns their cost (None if any was unknown)."""
        removed: Decimal | None = ZERO
        self.quantity -= quantity
        queue = self.queue
        while quantity > 0:
            lot = queue.next()
            take = lot.quantity if lot.quantity <= quantity else quantity
            if lot.cost is None:
                part = None
            else:
                part = lot.cost if take == lot.quantity else divide(lot.cost * take, lot.quantity)
            if take == lot.quantity:
                queue.pop()
            else:
                lot.quantity -= take
                if part is not None:
                    lot.cost -= part
            if part is None:
                self.unknown_qty -= take
            else:
                self.cost_basis -= part
            quantity -= take
            removed = None if (removed is None or part is None) else removed + part
        return removed

    def reset(self, quantity: Decimal, cost: Decimal | None, date: str, seq: int) -> None:
        change = quantity - self.quantity
        if change < 0:
            self.remove(-change)
        elif change > 0:
            known = self.cost_basis if self.cost_complete else None
            added_cost = None if cost is None or known is None or cost < known else cost - known
            self.acquire(change, added_cost, date, seq)
        if cost is not None and (not self.cost_complete or self.cost_basis != cost):
            self._restate(quantity, cost, date, seq)

    def _restate(self, quantity: Decimal, cost: Decimal, date: str, seq: int) -> None:
        """A disclosed aggregate cost wins: scale known lots to it, or fold all into one lot."""
        total, complete, lots = self.cost_basis, self.cost_complete, self.lots()
        self._empty()
        if not complete or total == 0:
            if quantity > 0:
                self.acquire(quantity, cost, date, seq)
            return
        for lot in lots:
            self.acquire(lot.quantity, divide(lot.cost * cost, total), date, lot.seq)


def new_book(method: str) -> AverageBook | LotBook:
    if method == "average":
        return AverageBook()
    if method in LOT_ORDER:
        return LotBook(method)
    raise ValueError(f"unknown cost basis method {method!r}")


def lots_text(book: LotBook) -> str:
    """A lot book's saved lots as text, one lot a line: seq, quantity, cost ('' unknown) and rank
    ('' for none), tab-separated, in the order restored() takes them back. Decimals are written by
    str(), which Decimal() reads back to the same digits and exponent."""
    return "\n".join(lot_line(lot, rank) for rank, lot in book.saved())


def lot_line(lot: Lot, rank: Decimal | None = None) -> str:
    """One line of lots_text. A new lot's line may be put after a book's saved lots: in every
    order it goes last (fifo and lifo keep the order of arrival; hifo heapifies on restore)."""
    return f"{lot.seq}\t{lot.quantity}\t{'' if lot.cost is None else lot.cost}\t{'' if rank is None else rank}"


def parse_lots(text: str) -> list[tuple[Decimal | None, Lot]]:
    saved = []
    for line in text.split("\n") if text else ():
        seq, quantity, cost, rank = line.split("\t")
        saved.append((Decimal(rank) if rank else None, Lot(Decimal(quantity), Decimal(cost) if cost else None, int(seq))))
    return saved
