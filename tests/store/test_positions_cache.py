"""The saved positions (continued on each `event add`, rebuilt on removals and imports) always equal
a full replay of the events: the fast path may never drift from the ledger."""

from __future__ import annotations

import random

import pytest

from dattrack.errors import BadInput
from dattrack.ledger import replay
from dattrack.app import books as event_rows
from dattrack.app.companies import add_company
from dattrack.app.events import EventInput, add_event, remove_event
from dattrack.store import open_store


def random_event(rng: random.Random, step: int) -> EventInput:
    # Most events come in date order (the fast path: continue the saved position), some go back.
    month = min(12, 1 + step // 10) if rng.random() < 0.6 else rng.randint(1, 12)
    day = f"2025-{month:02d}-{rng.randint(1, 28):02d}"
    kind = rng.choice(["buy", "buy", "buy", "sell", "mine", "balance", "balance"])
    quantity = f"{rng.randint(1, 5000)}.{rng.randint(0, 999):03d}"
    total = None if kind == "balance" and rng.random() < 0.5 else str(rng.randint(1, 10_000_000))
    if kind == "balance":
        quantity = f"{rng.randint(0, 20000)}.{rng.randint(0, 9)}"
    return EventInput(ticker="T", date=day, kind=kind, quantity=quantity, total=total)


def random_walk(db_path, seed: int, *, imports: bool = False):
    """A seeded random ledger of one book: adds (mostly in date order), removals and, with `imports`,
    imports of a few rows in any order. Yields the store and the step after each accepted write;
    a refused one (e.g. an oversell) is rolled back and skipped."""
    from dattrack.app.events import record_events
    from dattrack.store import events as event_rows

    rng = random.Random(seed)
    store = open_store(db_path)
    with store.write():
        add_company(store, "T", "Test")
    ids = []
    for step in range(120):
        roll = rng.random()
        try:
            with store.write():
                if ids and roll < 0.15:
                    remove_event(store, ids.pop(rng.randrange(len(ids))))
                elif imports and roll < 0.3:
                    entries = [(n, random_event(rng, step)) for n in range(2, 2 + rng.randint(1, 5))]
                    before = event_rows.next_id(store)
                    record_events(store, entries)
                    ids.extend(range(before, event_rows.next_id(store)))
                else:
                    ids.append(add_event(store, random_event(rng, step)))
        except BadInput:
            continue
        yield store, step
    store.close()


@pytest.mark.parametrize("seed", range(8))
def test_saved_position_equals_a_full_replay(db_path, seed):
    for store, step in random_walk(db_path, seed):
        book = event_rows.book(store, "T", "BTC")
        saved = event_rows.positions(store, ["T"]).get(("T", "BTC"))
        if not book:
            assert saved is None
            continue
        expected = replay(book).position
        assert saved == expected, (seed, step, book[-3:])
