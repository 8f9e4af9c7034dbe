"""The ledger's books as the pure core wants them: the store's plain rows become Events and
Positions here, positions are read from the saved state or replayed, and that state is kept
current on every write: the average-cost position and the fifo, lifo and hifo lot books of each
book. A new event that sorts after all of its book's continues the saved state; any other
change replays the book once, all four methods in one pass. A change that would make the
position negative anywhere is refused (BadInput) before anything is saved.

A book is one company's events in one asset, in ledger order. Every read takes an optional
`known_on` D (SPEC 10): only events public by D count (their `known_on <= D`), and such a
reading is always a replay; without it, today's saved state is the fast path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.ledger import INFLOW_KINDS, Event, replay
from dattrack.ledger.books import AverageBook, LotBook, lots_text, parse_lots
from dattrack.ledger.replay import Position, Shortfall, apply, carry, position_of
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import lots as lot_rows
from dattrack.store.lots import LOT_METHODS

_new = tuple.__new__  # Event(...) without the keyword handling of NamedTuple.__new__: a million rows


def book(store: Store, ticker: str, asset: str, known_on: str | None = None) -> list[Event]:
    """One company's events in one asset, in ledger order (with `known_on`: those public by then)."""
    return [_new(Event, row) for row in event_rows.book(store, ticker, asset, known_on)]


def all_books(store: Store, tickers: list[str] | None = None,
              known_on: str | None = None) -> Iterator[tuple[tuple[str, str], list[Event]]]:
    """Every book of the selected companies, one at a time, each in ledger order (pnl, check,
    flows): only the book being read is held in memory. With `known_on`, only events public by then."""
    current_key, book_events = None, []
    for row in event_rows.book_rows(store, tickers, known_on):
        key = row[:2]
        if key != current_key:
            if book_events:
                yield current_key, book_events
            current_key, book_events = key, []
        book_events.append(_new(Event, row[2:]))
    if book_events:
        yield current_key, book_events


def positions(store: Store, tickers: list[str] | None = None) -> dict[tuple[str, str], Position]:
    """The average-cost position of every book, as kept current on each write."""
    return {key: Position(*row) for key, row in event_rows.positions(store, tickers).items()}


def saved_position(store: Store, ticker: str, asset: str) -> tuple[Position, str] | None:
    """One book's cached position and the date of its last event."""
    saved = event_rows.saved_position(store, ticker, asset)
    return None if saved is None else (Position(*saved[0]), saved[1])


def save_position(store: Store, ticker: str, asset: str, position: Position | None, last_date: str | None) -> None:
    row = None if position is None else (position.quantity, position.cost_basis, position.cost_complete,
                                         position.unknown_quantity)
    event_rows.save_position(store, ticker, asset, row, last_date)


Books = list  # [AverageBook, LotBook fifo, LotBook lifo, LotBook hifo]


class ColdLots:
    """The store's temporary table as the cold part of the lot books a write carries
    (ledger.books.SpillingQueue): a book of a million events in bounded memory."""

    def __init__(self, store: Store):
        self.store, self._queues = store, 0
        lot_rows.cold_open(store)

    def new_queue(self) -> int:
        self._queues += 1
        return self._queues

    def put(self, queue: int, rows: list[tuple]) -> None:
        lot_rows.cold_put(self.store, queue, rows)

    def take(self, queue: int, count: int) -> list[tuple]:
        return lot_rows.cold_take(self.store, queue, count)

    def scan(self, queue: int, descending: bool = False):
        return lot_rows.cold_scan(self.store, queue, descending)

    def count(self, queue: int) -> int:
        return lot_rows.cold_count(self.store, queue)

    def drop(self, queue: int) -> None:
        lot_rows.cold_drop(self.store, queue)


def cold_lots(store: Store) -> ColdLots:
    """One cold store per connection (queue numbers are its own); its table made again if a
    rolled-back write took it away."""
    cold = getattr(store, "_cold_lots", None)
    if cold is None:
        cold = store._cold_lots = ColdLots(store)  # noqa: SLF001 - a per-connection cache
    else:
        lot_rows.cold_open(store)
    return cold


def fresh(store: Store | None = None) -> Books:
    """Empty books; with the store, lot books that spill beyond a few thousand lots (a write's)."""
    cold = None if store is None else cold_lots(store)
    return [AverageBook(), *(LotBook(method, cold) for method in LOT_METHODS)]


def saved(store: Store, ticker: str, asset: str) -> tuple[Books, str] | None:
    """The saved books of one (company, asset) and the date of its last event; None when some
    part was never saved (a book recorded before the lot books were kept)."""
    position = saved_position(store, ticker, asset)
    lots = lot_rows.load(store, ticker, asset)
    if position is None or any(method not in lots for method in LOT_METHODS):
        return None
    average, last_date = position
    books = [AverageBook(average.quantity, average.cost_basis, average.unknown_quantity)]
    for method in LOT_METHODS:
        row = lots[method]
        books.append(LotBook.restored(method, parse_lots(row["lots"]), row["quantity"], row["cost_basis"],
                                      row["unknown_quantity"], cold_lots(store)))
    return books, last_date


def save(store: Store, ticker: str, asset: str, books: Books | None, last_date: str | None) -> None:
    """Save the books as of `last_date`; None: the book has no events left."""
    if books is None:
        save_position(store, ticker, asset, None, None)
        lot_rows.delete(store, ticker, asset)
        return
    save_position(store, ticker, asset, position_of(books[0]), last_date)
    for method, lot_book in zip(LOT_METHODS, books[1:]):
        lot_rows.save(store, ticker, asset, method, lot_book.quantity, lot_book.cost_basis, lot_book.unknown_qty,
                      lots_text(lot_book))


def rebook(store: Store, ticker: str, asset: str, message: Callable[[Shortfall], str]) -> None:
    """Replay a book after a change and save it; a shortfall anywhere raises BadInput(message(it))."""
    rebuild(store, ticker, asset, book(store, ticker, asset), message)


def rebuild(store: Store, ticker: str, asset: str, events: Iterable[Event],
            message: Callable[[Shortfall], str]) -> None:
    """Save the books of all of `events` (the whole book, in ledger order)."""
    books = fresh(store)
    shortfall, last_date = carry(events, books)
    if shortfall is not None:
        raise BadInput(message(shortfall))
    save(store, ticker, asset, books if last_date is not None else None, last_date)


def append(store: Store, ticker: str, asset: str, event: Event, position: Position,
           message: Callable[[Shortfall], str]) -> None:
    """Continue a book's saved state (its average `position` and lot books) with one event that
    sorts after all of its events, and save it. An inflow only adds a lot: each lot book gets its
    new totals and one more line, unread. Anything else continues the restored books."""
    totals = lot_rows.book_totals(store, ticker, asset)
    if any(method not in totals for method in LOT_METHODS):  # lot books never saved: replay once
        rebook(store, ticker, asset, message)
        return
    if event.kind in INFLOW_KINDS:
        average = AverageBook(position.quantity, position.cost_basis, position.unknown_quantity)
        average.acquire(event.quantity, event.amount, event.date, event.id)
        save_position(store, ticker, asset, position_of(average), event.date)
        for method in LOT_METHODS:
            row = totals[method]  # the book's totals, without its lots: the new lot's line goes after them
            shell = LotBook.restored(method, [], row["quantity"], row["cost_basis"], row["unknown_quantity"])
            shell.acquire(event.quantity, event.amount, event.date, event.id)
            lot_rows.push(store, ticker, asset, method, shell.quantity, shell.cost_basis, shell.unknown_qty,
                          lots_text(shell))
        return
    books, _ = saved(store, ticker, asset)
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
            self.books, self.last = fresh(self.store), ("", False)
        else:  # recorded before the lot books were kept: replayed at the end
            self.to_replay.add((ticker, asset))
            self.books = None

    def _leave(self) -> None:
        if self.books is not None and self.key is not None:
            save(self.store, *self.key, self.books, self.last[0])
        self.books = None


def save_missing_lot_books(store: Store) -> int:
    """Replay and save the books that have a position but no lot books (recorded before they
    were kept; `init` upgrades them). Returns how many."""
    kept = lot_rows.kept_books(store)
    missing = [key for key in event_rows.book_keys(store) if key not in kept]
    for ticker, asset in missing:
        rebook(store, ticker, asset, lambda shortfall, ticker=ticker, asset=asset: (
            f"{ticker}: the recorded events do not add up: {shortfall.text(asset)}"))
    return len(missing)


def lot_positions(store: Store, method: str, tickers: list[str] | None) -> tuple[dict[tuple[str, str], Position], list[tuple[str, str]]]:
    """Today's positions under a lot method from the saved lot books, and the books that have a
    position but no saved lot book (to be replayed by the caller)."""
    found = {key: position_of(LotBook.restored(method, [], row["quantity"], row["cost_basis"], row["unknown_quantity"]))
             for key, row in lot_rows.totals(store, method, tickers).items()}   # totals only: the lots are not read
    missing = [key for key in event_rows.book_keys(store, tickers) if key not in found]
    return found, missing


def public_by(known_on: str | None) -> str | None:
    """The `known_on` a reading needs: None (everything recorded) from today on, since nothing
    recorded is public after today."""
    return None if known_on is None or known_on >= today().isoformat() else known_on


def positions_by_date(store: Store, companies: dict[str, dict], dates: list[str],
                      known_on: str | None = None) -> dict[str, dict[tuple[str, str], Position | None]]:
    """Average-cost positions at the end of each date (a snapshot backfill), from the events public
    by `known_on` (default: all): every book is read and walked once for all the dates. None:
    unknown, the date is before the book's opening balance; a book whose first event, a buy, is
    after the date held 0."""
    known_on = public_by(known_on)
    current = today().isoformat()
    # Walked: past dates, and every date when only some events count (the saved state has them all).
    past = sorted(day for day in set(dates) if day < current or known_on is not None)
    found: dict[str, dict[tuple[str, str], Position | None]] = {day: {} for day in past}
    if past:
        for key, events in all_books(store, list(companies), known_on):
            walk = replay(events, ordered=True, ends=past)
            for day in past:
                found[day][key] = walk.at[day]
    if any(day not in found for day in dates):
        saved_now = positions(store, list(companies))
        found.update({day: saved_now for day in dates if day not in found})
    return {day: dict(sorted(held.items())) for day, held in found.items()}


def replay_books(store: Store, keys: list[tuple[str, str]], method: str, until: str | None,
                 known_on: str | None = None) -> dict:
    """The positions of the given books, each replayed (books recorded before lot books were kept)."""
    found = {}
    for ticker, asset in keys:
        result = replay(book(store, ticker, asset, known_on), method, until=until, ordered=True)
        if result.last_date is not None:
            found[(ticker, asset)] = result.position
    return found
