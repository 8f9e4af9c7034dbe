"""Cost-basis books. Average cost is what companies disclose; lot methods differ only in which
lot a disposal takes first, a priority looked up in one table."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Protocol

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


class ColdLots(Protocol):
    """Where a spilling queue keeps the lots it has no room for (the caller's storage: a temporary
    table). A row is (flag, approx, arrival, seq, rank, quantity, cost): the first three order it
    (`approx` the rank as a float, exact for whole numbers), the texts keep it exact."""

    def new_queue(self) -> int: ...

    def put(self, queue: int, rows: list[tuple]) -> None: ...

    def take(self, queue: int, count: int) -> list[tuple]:
        """Remove and return the first `count` rows in (flag, approx, arrival) order, and every
        other row whose (flag, approx) ties with the last of them."""
        ...

    def scan(self, queue: int, descending: bool = False) -> Iterable[tuple]: ...

    def count(self, queue: int) -> int: ...

    def drop(self, queue: int) -> None: ...


HOT_LOTS = 5_000   # lots of one spilling queue in memory: at most twice this, whatever the book's size


class SpillingQueue:
    """Any method's lot queue, the same lots in the same order, with all but the next few
    thousand lots in `cold`: memory holds at most 2 x HOT_LOTS lots whatever the size of the
    book (a million-event book holds some 600,000 open lots per method).

    Every lot has its method's key (fifo: arrival; lifo: minus arrival; hifo: highest unit cost
    first, unknown cost last, then seq) and the next lot is the smallest key. The hot heap holds
    the smallest keys: every cold lot's key is at least `bound`, every hot one at most."""

    def __init__(self, method: str, cold: ColdLots) -> None:
        self.method, self.cold = method, cold
        self.queue_id = cold.new_queue()
        self.hot: list[tuple[tuple, int, Lot]] = []
        self.pending: list[tuple] = []        # cold rows not yet written (written in batches)
        self.bound: tuple | None = None       # None: nothing is cold
        self.arrivals = 0

    def _key(self, lot: Lot, arrival: int, rank: Decimal | None = None) -> tuple:
        if self.method == "fifo":
            return (0, arrival)
        if self.method == "lifo":
            return (0, -arrival)
        if lot.cost is None:
            return (1, ZERO, lot.seq)
        return (0, -(lot.cost / lot.quantity) if rank is None else rank, lot.seq)

    def push(self, lot: Lot, rank: Decimal | None = None) -> None:
        arrival = self.arrivals
        self.arrivals += 1
        key = self._key(lot, arrival, rank)
        if self.bound is not None and key >= self.bound:
            self.pending.append(self._row(key, arrival, lot))
            if len(self.pending) >= HOT_LOTS:
                self._flush()
            return
        heapq.heappush(self.hot, (key, arrival, lot))
        if len(self.hot) > 2 * HOT_LOTS:
            self._spill()

    def next(self) -> Lot:
        if not self.hot:
            self._refill()
        return self.hot[0][2]

    def pop(self) -> None:
        if not self.hot:
            self._refill()
        heapq.heappop(self.hot)

    def in_order(self) -> Iterator[Lot]:
        return (lot for _, _, lot in self._ordered())

    def saved(self) -> Iterator[tuple[Decimal | None, Lot]]:
        """As the in-memory queues save: fifo and lifo in order of arrival, hifo in priority order
        with the rank where it is no longer the unit cost."""
        if self.method == "hifo":
            for key, _, lot in self._ordered():
                rank = key[1]
                yield (None if key[0] or rank == -(lot.cost / lot.quantity) else rank), lot
        else:
            for _, _, lot in self._ordered(descending=self.method == "lifo"):
                yield None, lot

    def restore(self, saved: Iterable[tuple[Decimal | None, Lot]]) -> None:
        for rank, lot in saved:
            self.push(lot, rank if self.method == "hifo" else None)

    def drain(self) -> Iterator[Lot]:
        """Every lot taken out, in order (as in_order() gives them): what a restatement re-acquires,
        with no cursor left open on the cold store while it is written to."""
        self._flush()
        hot, self.hot, self.bound = sorted(self.hot), [], None
        yield from (lot for _, _, lot in hot)
        while rows := self.cold.take(self.queue_id, HOT_LOTS):
            yield from (lot for _, _, lot in sorted(self._entry(row) for row in rows))

    def discard(self) -> None:
        """Forget every lot (the cold ones included): the queue is not used again."""
        self.cold.drop(self.queue_id)
        self.hot, self.pending, self.bound = [], [], None

    # -- moving lots between memory and the cold store ------------------------------------

    def _row(self, key: tuple, arrival: int, lot: Lot) -> tuple:
        flag, rank = key[0], key[1]
        return (flag, float(rank), arrival, lot.seq, str(rank), str(lot.quantity),
                None if lot.cost is None else str(lot.cost))

    def _entry(self, row: tuple) -> tuple[tuple, int, Lot]:
        flag, _, arrival, seq, rank, quantity, cost = row
        lot = Lot(Decimal(quantity), None if cost is None else Decimal(cost), seq)
        if self.method == "hifo":
            return (flag, Decimal(rank), seq), arrival, lot
        return (flag, int(rank)), arrival, lot

    def _flush(self) -> None:
        if self.pending:
            self.cold.put(self.queue_id, self.pending)
            self.pending = []

    def _spill(self) -> None:
        """Keep the HOT_LOTS smallest keys in memory, the rest goes cold."""
        self.hot.sort()
        out = self.hot[HOT_LOTS:]
        self.hot = self.hot[:HOT_LOTS]                   # a sorted list is a heap
        self.pending.extend(self._row(*entry) for entry in out)
        self._flush()
        self.bound = out[0][0] if self.bound is None else min(self.bound, out[0][0])

    def _refill(self) -> None:
        self._flush()
        taken = sorted(self._entry(row) for row in self.cold.take(self.queue_id, HOT_LOTS))
        self.hot = taken
        # What is left cold is at least the largest key taken (ties were taken along).
        self.bound = taken[-1][0] if taken and self.cold.count(self.queue_id) else None

    def _ordered(self, descending: bool = False) -> Iterator[tuple[tuple, int, Lot]]:
        """Every lot with its key, smallest key first (or last), hot ones and cold ones, exactly."""
        self._flush()
        hot = sorted(self.hot, reverse=descending)
        if not descending:
            yield from hot
        group: list[tuple[tuple, int, Lot]] = []
        group_of = None
        for row in self.cold.scan(self.queue_id, descending):
            if row[:2] != group_of:                      # rows of one float rank: sorted exactly
                yield from sorted(group, reverse=descending)
                group, group_of = [], row[:2]
            group.append(self._entry(row))
        yield from sorted(group, reverse=descending)
        if descending:
            yield from hot


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
    """Lots held in the method's order: the next lot a disposal takes comes first. With `cold`,
    the lots beyond a few thousand are kept there (SpillingQueue): a book of any size in bounded
    memory, the same lots in the same order."""

    __slots__ = ("method", "order", "cold", "queue", "quantity", "cost_basis", "unknown_qty", "_push")

    def __init__(self, method: str, cold: ColdLots | None = None) -> None:
        self.method, self.order, self.cold = method, LOT_ORDER[method], cold
        self.queue = None
        self._empty()

    def _empty(self) -> None:
        if isinstance(self.queue, SpillingQueue):
            self.queue.discard()
        self.queue = self.order() if self.cold is None else SpillingQueue(self.method, self.cold)
        self._push = self.queue.push  # bound once: a million acquisitions
        self.quantity = ZERO
        self.cost_basis = ZERO      # known cost of the lots held, kept as a running total
        self.unknown_qty = ZERO     # units in lots of unknown cost

    @property
    def cost_complete(self) -> bool:
        return self.unknown_qty == 0

    def lots(self) -> Iterable[Lot]:
        return self.queue.in_order()

    def saved(self) -> Iterable[tuple[Decimal | None, Lot]]:
        """Everything restored() needs to continue this book exactly as a full replay would."""
        return self.queue.saved()

    @classmethod
    def restored(cls, method: str, saved: Iterable[tuple[Decimal | None, Lot]], quantity: Decimal,
                 cost_basis: Decimal, unknown_qty: Decimal, cold: ColdLots | None = None) -> "LotBook":
        """A book continued from saved lots and its running totals (as saved, not re-summed)."""
        book = cls(method, cold)
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
        total, complete, old = self.cost_basis, self.cost_complete, self.queue
        self.queue = None            # the old queue is read below, then forgotten
        self._empty()
        if not complete or total == 0:
            if quantity > 0:
                self.acquire(quantity, cost, date, seq)
        else:
            for lot in old.drain() if isinstance(old, SpillingQueue) else old.in_order():
                self.acquire(lot.quantity, divide(lot.cost * cost, total), date, lot.seq)
        if isinstance(old, SpillingQueue):
            old.discard()


def new_book(method: str) -> AverageBook | LotBook:
    if method == "average":
        return AverageBook()
    if method in LOT_ORDER:
        return LotBook(method)
    raise ValueError(f"unknown cost basis method {method!r}")


def lots_text(book: LotBook) -> str:
    """A lot book's saved lots as text, one lot a line: seq, quantity, cost ('' unknown) and rank
    ('' for none), tab-separated, in the order restored() takes them back. Decimals are written by
    str(), which Decimal() reads back to the same digits and exponent. Joined a chunk at a time:
    the lines of a big book are never all held at once, only the text."""
    lines = (lot_line(lot, rank) for rank, lot in book.saved())
    return "\n".join(chunk for chunk in iter(lambda: "\n".join(islice(lines, 10_000)), "") if chunk)


def lot_line(lot: Lot, rank: Decimal | None = None) -> str:
    """One line of lots_text. A new lot's line may be put after a book's saved lots: in every
    order it goes last (fifo and lifo keep the order of arrival; hifo heapifies on restore)."""
    return f"{lot.seq}\t{lot.quantity}\t{'' if lot.cost is None else lot.cost}\t{'' if rank is None else rank}"


def parse_lots(text: str) -> Iterator[tuple[Decimal | None, Lot]]:
    """The lots of lots_text, one at a time (a spilling queue never holds them all)."""
    start = 0
    while text and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        seq, quantity, cost, rank = text[start:end].split("\t")
        yield Decimal(rank) if rank else None, Lot(Decimal(quantity), Decimal(cost) if cost else None, int(seq))
        start = end + 1
