"""What every write keeps current for each (company, asset) book: the average-cost position and
the fifo, lifo and hifo lot books. A new event that sorts after all of its book's continues the
saved state; any other change replays the book once, all four methods in one pass. A change
that would make the position negative anywhere is refused (BadInput) before anything is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dattrack.errors import BadInput
from dattrack.ledger import Event, Position
from dattrack.ledger.books import AverageBook, LotBook, lots_text, parse_lots
from dattrack.ledger.replay import Shortfall, apply, carry, position_of
from dattrack.numbers import tidy
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import lots as lot_rows
from dattrack.store.lots import LOT_METHODS

Books = list  # [AverageBook, LotBook fifo, LotBook lifo, LotBook hifo]


def fresh() -> Books:
    return [AverageBook(), *(LotBook(method) for method in LOT_METHODS)]


def saved(store: Store, ticker: str, asset: str) -> tuple[Books, str] | None:
    """The saved books of one (company, asset) and the date of its last event; None when some
    part was never saved (a book recorded before the lot books were kept)."""
    position = event_rows.saved_position(store, ticker, asset)
    lots = lot_rows.load(store, ticker, asset)
    if position is None or any(method not in lots for method in LOT_METHODS):
        return None
    average, last_date = position
    books = [AverageBook(average.quantity, average.cost_basis, average.unknown_quantity)]
    for method in LOT_METHODS:
        row = lots[method]
        books.append(LotBook.restored(method, parse_lots(row["lots"]), row["quantity"], row["cost_basis"],
                                      row["unknown_quantity"]))
    return books, last_date


def save(store: Store, ticker: str, asset: str, books: Books | None, last_date: str | None) -> None:
    """Save the books as of `last_date`; None: the book has no events left."""
    if books is None:
        event_rows.save_position(store, ticker, asset, None, None)
        lot_rows.delete(store, ticker, asset)
        return
    event_rows.save_position(store, ticker, asset, position_of(books[0]), last_date)
    for method, book in zip(LOT_METHODS, books[1:]):
        lot_rows.save(store, ticker, asset, method, book.quantity, book.cost_basis, book.unknown_qty, lots_text(book))


def rebook(store: Store, ticker: str, asset: str, message: Callable[[Shortfall], str]) -> None:
    """Replay a book after a change and save it; a shortfall anywhere raises BadInput(message(it))."""
    rebuild(store, ticker, asset, event_rows.book(store, ticker, asset), message)


def rebuild(store: Store, ticker: str, asset: str, events: Iterable[Event],
            message: Callable[[Shortfall], str]) -> None:
    """Save the books of all of `events` (the whole book, in ledger order)."""
    books = fresh()
    shortfall, last_date = carry(events, books)
    if shortfall is not None:
        raise BadInput(message(shortfall))
    save(store, ticker, asset, books if last_date is not None else None, last_date)


def append(store: Store, ticker: str, asset: str, event: Event, state: tuple[Books, str],
           message: Callable[[Shortfall], str]) -> None:
    """Continue saved books with one event that sorts after all of theirs, and save them."""
    books, _ = state
    shortfall, _ = carry([event], books)
    if shortfall is not None:
        raise BadInput(message(shortfall))
    save(store, ticker, asset, books, event.date)


class Stream:
    """The books of an import, carried as its rows stream in. While a book's rows come one after
    another and in ledger order (the usual bulk file), each event is applied as it arrives and
    the book is saved when the stream moves on: one book in memory, nothing read back. A book the
    stream comes back to, whose rows go back in time, or that dips below zero on the way is left
    for a full replay once every row is in (`finish()` names them; a shortfall there is real)."""

    def __init__(self, store: Store):
        self.store = store
        self.key: tuple[str, str] | None = None
        self.books: Books | None = None
        self.last = ("", False)        # (date, is a balance) of the last event applied: ledger order
        self.seen: set[tuple[str, str]] = set()
        self.to_replay: set[tuple[str, str]] = set()

    def add(self, ticker: str, asset: str, event: Event) -> None:
        if (ticker, asset) != self.key:
            self._leave()
            self.key = (ticker, asset)
            if self.key in self.seen:
                self.to_replay.add(self.key)
                return
            self.seen.add(self.key)
            self._start(ticker, asset)
        if self.books is None:
            return
        order = (event.date, event.kind == "balance")
        if order < self.last or apply(event, self.books) is not None:
            self.to_replay.add(self.key)
            self.books = None
            return
        self.last = order

    def finish(self) -> set[tuple[str, str]]:
        """Save the book in hand; the books that need a full replay."""
        self._leave()
        return self.to_replay

    def _start(self, ticker: str, asset: str) -> None:
        state = saved(self.store, ticker, asset)
        if state is not None:
            self.books, last_date = state
            self.last = (last_date, event_rows.closes_day(self.store, ticker, asset, last_date))
        elif not event_rows.has_events(self.store, ticker, asset):  # a new book (the stream's first row is not yet in)
            self.books, self.last = fresh(), ("", False)
        else:  # recorded before the lot books were kept: replayed at the end
            self.to_replay.add((ticker, asset))
            self.books = None

    def _leave(self) -> None:
        if self.books is not None and self.key is not None:
            save(self.store, *self.key, self.books, self.last[0])
        self.books = None


def lot_positions(store: Store, method: str, tickers: list[str] | None) -> tuple[dict[tuple[str, str], Position], list[tuple[str, str]]]:
    """Today's positions under a lot method from the saved lot books, and the books that have a
    position but no saved lot book (to be replayed by the caller)."""
    found = {key: Position(tidy(row["quantity"]), tidy(row["cost_basis"]), row["unknown_quantity"] == 0,
                           tidy(row["unknown_quantity"]))
             for key, row in lot_rows.totals(store, method, tickers).items()}
    missing = [key for key in event_rows.book_keys(store, tickers) if key not in found]
    return found, missing

