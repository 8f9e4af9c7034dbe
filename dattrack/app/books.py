"""The ledger's books as the pure core wants them: the store's plain rows become Events and
Positions here, positions are read from the cache or replayed, and the cache is kept current.

A book is one company's events in one asset, in ledger order."""

from __future__ import annotations

import multiprocessing as mp
import os

from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.ledger import Event, replay
from dattrack.ledger.replay import Position
from dattrack.store import Store
from dattrack.store import events as event_rows

PARALLEL_FROM = 200_000     # events; below this a second process costs more than it saves
MAX_WORKERS = 4

_new = tuple.__new__  # Event(...) without the keyword handling of NamedTuple.__new__: a million rows


def book(store: Store, ticker: str, asset: str) -> list[Event]:
    """One company's events in one asset, in ledger order."""
    return [_new(Event, row) for row in event_rows.book(store, ticker, asset)]


def all_books(store: Store, tickers: list[str] | None = None) -> dict[tuple[str, str], list[Event]]:
    """Every book of the selected companies at once, in ledger order (pnl, check, flows)."""
    books: dict[tuple[str, str], list[Event]] = {}
    current_key, append = None, None
    for row in event_rows.book_rows(store, tickers):
        key = row[:2]
        if key != current_key:
            current_key = key
            append = books.setdefault(key, []).append
        append(_new(Event, row[2:]))
    return books


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


def rebook(store: Store, ticker: str, asset: str, message) -> None:
    """Replay a book after a change; a negative position anywhere refuses the change."""
    events = book(store, ticker, asset)
    result = replay(events)
    if result.shortfall is not None:
        raise BadInput(message(result.shortfall))
    save_position(store, ticker, asset, result.position if events else None, result.last_date)


def positions_as_of(store: Store, companies: dict[str, dict], *, as_of: str | None, method: str,
              asset: str | None = None) -> dict[tuple[str, str], Position]:
    """Positions per (ticker, asset). Today's average-cost positions come from the cache kept on
    every write (no event is dated in the future, so any date from today on is today); other dates
    and methods replay the events."""
    tickers = list(companies)
    if method == "average" and (as_of is None or as_of >= today().isoformat()):
        found = positions(store, tickers)
    else:
        found = replayed_positions(store, tickers, method, as_of)
    return {k: v for k, v in sorted(found.items()) if asset is None or k[1] == asset}


def replayed_positions(store: Store, tickers: list[str], method: str, until: str | None) -> dict[tuple[str, str], Position]:
    """Replay every book. Past PARALLEL_FROM events the books are shared among worker processes,
    one per core: replaying is pure Python, so threads would not help."""
    keys = event_rows.book_keys(store, tickers)
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(keys))
    if workers < 2 or event_rows.count(store, tickers) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        return _replay_books(store, keys, method, until)
    from concurrent.futures import ProcessPoolExecutor

    chunks = [keys[i::workers] for i in range(workers)]
    found: dict[tuple[str, str], Position] = {}
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for part in pool.map(_replay_in_worker, [(str(store.path), chunk, method, until) for chunk in chunks]):
            found.update(part)
    return found


def _replay_books(store: Store, keys: list[tuple[str, str]], method: str, until: str | None) -> dict:
    found = {}
    for ticker, asset in keys:
        result = replay(book(store, ticker, asset), method, until=until, ordered=True)
        if result.last_date is not None:
            found[(ticker, asset)] = result.position
    return found


def _replay_in_worker(job: tuple) -> dict:
    from dattrack.store import open_store

    path, keys, method, until = job
    store = open_store(path, migrate=False)
    try:
        return _replay_books(store, keys, method, until)
    finally:
        store.close()
