"""The saved lot books (fifo, lifo, hifo: continued on each `event add` that comes last, rebuilt on
removals, out-of-order inserts and imports) always equal a full replay of the events."""

from __future__ import annotations

import pytest

from dattrack.app import books
from dattrack.app.companies import add_company
from dattrack.app.events import EventInput, add_event, record_events
from dattrack.errors import BadInput
from dattrack.ledger import replay
from dattrack.ledger.books import LotBook, lots_text, parse_lots
from dattrack.ledger.replay import carry
from dattrack.store import lots as lot_rows
from dattrack.store import open_store
from dattrack.store.lots import LOT_METHODS
from tests.store.test_positions_cache import random_walk


def assert_saved_equals_replay(store, context) -> None:
    events = books.book(store, "T", "BTC")
    saved = lot_rows.load(store, "T", "BTC")
    if not events:
        assert saved == {}, context
        return
    full = books.fresh()
    assert carry(events, full) == (None, events[-1].date)
    for method, book in zip(LOT_METHODS, full[1:]):
        row = saved[method]
        assert (row["quantity"], row["cost_basis"], row["unknown_quantity"]) == (
            book.quantity, book.cost_basis, book.unknown_qty), (method, context)
        restored = LotBook.restored(method, parse_lots(row["lots"]), row["quantity"], row["cost_basis"],
                                    row["unknown_quantity"])
        assert lots_text(restored) == lots_text(book), (method, context)   # the same lots, in the same order
        # and what holdings --method reads equals the plain replay of the book
        found, missing = books.lot_positions(store, method, ["T"])
        assert missing == [] and found[("T", "BTC")] == replay(events, method).position, (method, context)


@pytest.mark.parametrize("seed", range(8))
def test_saved_lot_books_equal_a_full_replay(db_path, seed):
    for store, step in random_walk(db_path, seed, imports=True):
        assert_saved_equals_replay(store, (seed, step))


def test_lot_books_of_a_book_recorded_before_they_were_kept_are_replayed_then_saved(db_path):
    """A database from before m005 has positions but no lot books: reads replay, the next write saves."""
    store = open_store(db_path)
    with store.write():
        add_company(store, "T", "Test")
        for day, kind, quantity, total in [("2025-01-01", "buy", "2", "100"), ("2025-01-02", "buy", "1", "80"),
                                           ("2025-01-03", "sell", "1.5", "90")]:
            add_event(store, EventInput(ticker="T", date=day, kind=kind, quantity=quantity, total=total))
        lot_rows.delete(store, "T")
    found, missing = books.lot_positions(store, "fifo", ["T"])
    assert found == {} and missing == [("T", "BTC")]
    from dattrack.app.day import Day

    held = Day(store, ["T"], method="fifo").positions
    assert held[("T", "BTC")].cost_basis == 105          # 0.5 of the first lot (25) + the second (80)
    with store.write():
        add_event(store, EventInput(ticker="T", date="2025-01-04", kind="buy", quantity="1", total="10"))
    assert_saved_equals_replay(store, "after the next write")
    store.close()


def entries(*rows):
    return [(n, EventInput(ticker="T", date=d, kind=k, quantity=q, total=t)) for n, (d, k, q, t) in enumerate(rows, 2)]


def test_an_import_into_a_book_whose_last_day_a_balance_closes(db_path):
    """A row on the day a saved balance closes goes before that balance: the book is replayed."""
    store = open_store(db_path)
    with store.write():
        add_company(store, "T", "Test")
        record_events(store, entries(("2025-03-01", "buy", "5", "500"), ("2025-03-01", "balance", "5", None)))
    with store.write():
        record_events(store, entries(("2025-03-01", "buy", "1", "300"), ("2025-03-02", "sell", "2", "10"),
                                     ("2025-03-03", "buy", "4", "40")))
    assert_saved_equals_replay(store, "same day as a closing balance")
    with store.write():  # in order after the saved state: carried, not replayed
        record_events(store, entries(("2025-03-03", "buy", "1", "7"), ("2025-03-04", "balance", "9", "420")))
    assert_saved_equals_replay(store, "carried on")
    store.close()


def test_a_sell_that_only_a_later_row_of_the_file_covers_is_accepted(db_path):
    """Rows are applied in ledger order, not file order: a sell listed before the buy dated
    earlier than it is fine."""
    store = open_store(db_path)
    with store.write():
        add_company(store, "T", "Test")
        assert record_events(store, entries(("2025-03-02", "sell", "2", "10"), ("2025-03-01", "buy", "5", "500"))).added == 2
    assert_saved_equals_replay(store, "sell first in the file")
    with pytest.raises(BadInput, match="row 2: a sell of 9"):
        with store.write():
            record_events(store, entries(("2025-03-05", "sell", "9", "10"), ("2025-03-06", "buy", "50", "5")))
    store.close()
