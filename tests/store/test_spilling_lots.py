"""Lot books that spill to the store's temporary table (a book of a million events in bounded
memory) hold the same lots, in the same order, as the in-memory ones: the saved books equal a full
in-memory replay through every random ledger walk, with only two lots a queue kept in memory."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dattrack.ledger import books as ledger_books
from dattrack.ledger.books import LotBook, SpillingQueue, lots_text
from tests.store.test_lot_books import assert_saved_equals_replay
from tests.store.test_positions_cache import random_walk


@pytest.fixture
def tiny_memory(monkeypatch):
    monkeypatch.setattr(ledger_books, "HOT_LOTS", 2)


@pytest.mark.parametrize("seed", range(8))
def test_spilled_lot_books_equal_a_full_replay(db_path, tiny_memory, seed):
    for store, step in random_walk(db_path, seed, imports=True):
        assert_saved_equals_replay(store, (seed, step))


class ListCold:
    """A cold store in a list, to watch what the queue keeps in memory."""

    def __init__(self):
        self.rows: dict[int, list[tuple]] = {}

    def new_queue(self):
        self.rows[len(self.rows) + 1] = []
        return len(self.rows)

    def put(self, queue, rows):
        self.rows[queue].extend(rows)

    def take(self, queue, count):
        ordered = sorted(self.rows[queue], key=lambda r: r[:3])
        taken = ordered[:count]
        taken += [r for r in ordered[count:] if taken and r[:2] == taken[-1][:2]]
        self.rows[queue] = [r for r in ordered if r not in taken]
        return taken

    def scan(self, queue, descending=False):
        return sorted(self.rows[queue], key=lambda r: r[:3], reverse=descending)

    def count(self, queue):
        return len(self.rows[queue])

    def drop(self, queue):
        self.rows[queue] = []


@pytest.mark.parametrize("method", ["fifo", "lifo", "hifo"])
def test_memory_holds_a_bounded_number_of_lots(tiny_memory, method):
    cold = ListCold()
    spilling, plain = LotBook(method, cold), LotBook(method)
    for n in range(1, 400):
        for book in (spilling, plain):
            book.acquire(Decimal(n % 17 + 1), Decimal(n * 37 % 101 + 1), "2025-01-01", n)
            if n % 5 == 0:
                book.remove(Decimal("7.5"))
        assert len(spilling.queue.hot) <= 2 * ledger_books.HOT_LOTS
    assert isinstance(spilling.queue, SpillingQueue) and cold.count(spilling.queue.queue_id) > 200
    assert lots_text(spilling) == lots_text(plain)
    assert (spilling.quantity, spilling.cost_basis) == (plain.quantity, plain.cost_basis)


def test_hifo_ties_within_a_float_are_ordered_exactly(tiny_memory):
    """Unit costs that one float cannot tell apart still leave in exact order."""
    cold = ListCold()
    spilling, plain = LotBook("hifo", cold), LotBook("hifo")
    base = Decimal("100000.000000000000000001")
    for n in range(12):
        for book in (spilling, plain):
            book.acquire(Decimal(1), base + Decimal(n % 4) * Decimal("1e-18"), "2025-01-01", n + 1)
    for book in (spilling, plain):
        book.remove(Decimal("5.5"))
    assert lots_text(spilling) == lots_text(plain)
    assert [lot.seq for lot in spilling.lots()] == [lot.seq for lot in plain.lots()]
