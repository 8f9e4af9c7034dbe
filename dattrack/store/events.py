"""Events and the cached average-cost positions derived from them, as plain rows.

An event row is (id, date, kind, quantity, amount) with Decimals; a position row is
(quantity, cost_basis, cost_complete, unknown_quantity). The application turns them into the
ledger's types: the store knows SQL, not the ledger.

Every read of a book takes an optional `known_on`: only events public on or before that day
(`known_on <= D`) count. Without it every recorded event counts, and today's saved positions
serve. The amount a book hands to the ledger is the one it counts as known: an estimated amount
(SPEC 1) is not a known cost, so it comes back as None; listings show the amount as recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from dattrack.dates import now_stamp
from dattrack.numbers import to_text
from dattrack.store import Store, ticker_filter

EVENT_COLUMNS = ("id", "ticker", "date", "asset", "kind", "quantity", "amount", "source", "note", "origin",
                 "recorded_at", "estimate", "known_on")
# The amount the ledger counts: an estimated one is not a known cost (SPEC 1).
COUNTED_AMOUNT = "CASE WHEN estimate IS NULL THEN amount END"

COLUMNS_WRITTEN = ("ticker, date, asset, kind, quantity, amount, source, note, closes_day, origin, recorded_at,"
                   " known_on, estimate")
INSERT = f"INSERT INTO events ({COLUMNS_WRITTEN}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def insert(store: Store, row: tuple, origin: str = "manual") -> int:
    """row: (ticker, date, asset, kind, quantity, amount, source, note, known_on, estimate) with
    Decimals. Returns its id (ids are never reused: the table is AUTOINCREMENT)."""
    return store.execute(INSERT, _values(row, origin, now_stamp())).lastrowid


def insert_many(store: Store, rows: Iterable[tuple], origin: str = "import", *,
                book_order: Callable[[], bool] = lambda: False) -> tuple[int, list[int] | None]:
    """Bulk insert for imports, same row shape as insert(), consumed as a stream. The rows are
    staged in a temporary table first and written in one statement (AUTOINCREMENT costs a
    statement per row otherwise); ids are given in row order, or, when `book_order()` says so
    once every row is in, by company, asset and date (row order within a day). Returns the last
    id given, and in book order the row positions (1 = first row) in id order."""
    stamp = now_stamp()
    store.execute("DROP TABLE IF EXISTS temp.staged_events")
    store.execute(f"CREATE TEMP TABLE staged_events AS SELECT {COLUMNS_WRITTEN} FROM events WHERE 0")
    store.executemany(INSERT.replace("INTO events", "INTO temp.staged_events"),
                      (_values(row, origin, stamp) for row in rows))
    by_book = book_order()
    order = "ticker, asset, date, rowid" if by_book else "rowid"
    store.execute(f"INSERT INTO events ({COLUMNS_WRITTEN}) SELECT {COLUMNS_WRITTEN} FROM temp.staged_events"
                  f" ORDER BY {order}")
    last = store.query("SELECT last_insert_rowid()")[0][0]
    positions = ([r[0] for r in store.conn.execute(f"SELECT rowid FROM temp.staged_events ORDER BY {order}")]
                 if by_book else None)
    store.execute("DROP TABLE temp.staged_events")
    return last, positions


def next_id(store: Store) -> int:
    """The id the next inserted event gets: after every id ever used, removed ones included."""
    used = store.query("SELECT coalesce(max(id), 0) FROM events")[0][0]
    seq = store.query("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
    return max(used, seq[0][0] if seq else 0) + 1


def _values(row: tuple, origin: str, stamp: str) -> tuple:
    ticker, date, asset, kind, quantity, amount, source, note, known_on, estimate = row
    return (ticker, date, asset, kind, to_text(quantity), None if amount is None else to_text(amount),
            source, note, int(kind == "balance"), origin, stamp, known_on, estimate or None)


def _known(known_on: str | None, prefix: str = " AND") -> tuple[str, tuple]:
    """The clause that keeps only events public by `known_on` (nothing when it is None)."""
    return ("", ()) if known_on is None else (f"{prefix} known_on <= ?", (known_on,))


def known_id(store: Store, ticker: str, asset: str, kind: str, date: str, quantity: Decimal,
             amount: Decimal | None) -> int | None:
    """The id of a recorded event that is this one: same book, kind, date and quantity, and the same
    amount when both have one (quantities compare as numbers: 1.50 is 1.5; an estimated amount is
    none: the disclosure it stands for may state the exact one)."""
    rows = store.query(f"SELECT id, quantity, {COUNTED_AMOUNT} FROM events WHERE ticker = ? AND asset = ?"
                       " AND date = ? AND kind = ? ORDER BY id", (ticker, asset, date, kind))
    for event_id, q, a in rows:
        if Decimal(q) == quantity and (a is None or amount is None or Decimal(a) == amount):
            return event_id
    return None


class Cited(NamedTuple):
    """The latest event of a book on or before a date, and its distance from the last balance."""

    event_id: int
    date: str
    source: str | None
    balance_date: str | None    # the latest balance on or before the date
    since_balance: int          # events after that balance (all events when there is none)


def latest_disclosure(store: Store, ticker: str, asset: str, date: str, known_on: str | None = None) -> Cited | None:
    known, params = _known(known_on)
    rows = store.query("SELECT id, date, source FROM events WHERE ticker = ? AND asset = ? AND date <= ?" + known
                       + " ORDER BY date DESC, closes_day DESC, id DESC LIMIT 1", (ticker, asset, date, *params))
    if not rows:
        return None
    balance = store.query("SELECT max(date) FROM events WHERE ticker = ? AND asset = ? AND kind = 'balance'"
                          " AND date <= ?" + known, (ticker, asset, date, *params))[0][0]
    since = store.query("SELECT count(*) FROM events WHERE ticker = ? AND asset = ? AND kind != 'balance'"
                        " AND date <= ? AND date > ?" + known, (ticker, asset, date, balance or "", *params))[0][0]
    return Cited(rows[0][0], rows[0][1], rows[0][2], balance, since)


def get(store: Store, event_id: int) -> dict | None:
    rows = store.query(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE id = ?", (event_id,))
    return _row(rows[0]) if rows else None


def delete(store: Store, event_id: int) -> None:
    store.execute("DELETE FROM events WHERE id = ?", (event_id,))


def book(store: Store, ticker: str, asset: str, known_on: str | None = None) -> list[tuple]:
    """One company's events in one asset, in ledger order: (id, date, kind, quantity, amount),
    the amount as the ledger counts it (an estimate is None); with `known_on`, only the events
    public by then."""
    known, params = _known(known_on)
    rows = store.query(
        f"SELECT id, date, kind, quantity, {COUNTED_AMOUNT} FROM events WHERE ticker = ? AND asset = ?{known}"
        " ORDER BY date, closes_day, id", (ticker, asset, *params))
    return [(i, d, k, Decimal(q), None if a is None else Decimal(a)) for i, d, k, q, a in rows]


def book_rows(store: Store, tickers: list[str] | None = None, known_on: str | None = None) -> Iterator[tuple]:
    """Every event of the selected companies, by book then ledger order, read lazily:
    (ticker, asset, id, date, kind, quantity, amount), amounts as book() gives them."""
    where, params = ticker_filter(tickers)
    known, known_params = _known(known_on, " AND" if where else " WHERE")
    sql = f"SELECT ticker, asset, id, date, kind, quantity, {COUNTED_AMOUNT} FROM events{where}{known}"
    for ticker, asset, i, d, k, q, a in store.conn.execute(sql + " ORDER BY ticker, asset, date, closes_day, id",
                                                           (*params, *known_params)):
        yield ticker, asset, i, d, k, Decimal(q), None if a is None else Decimal(a)


def count(store: Store, tickers: list[str] | None = None, known_on: str | None = None) -> int:
    where, params = ticker_filter(tickers)
    known, known_params = _known(known_on, " AND" if where else " WHERE")
    return store.query(f"SELECT count(*) FROM events{where}{known}", (*params, *known_params))[0][0]


def book_keys(store: Store, tickers: list[str] | None = None, known_on: str | None = None) -> list[tuple[str, str]]:
    """Every (ticker, asset) with events (the positions table keeps one row per such book); with
    `known_on`, every one with an event public by then."""
    where, params = ticker_filter(tickers)
    if known_on is None:
        return [tuple(r) for r in store.query(f"SELECT ticker, asset FROM positions{where} ORDER BY ticker, asset",
                                              params)]
    known, known_params = _known(known_on, " AND" if where else " WHERE")
    return [tuple(r) for r in store.query(f"SELECT DISTINCT ticker, asset FROM events{where}{known}"
                                          " ORDER BY ticker, asset", (*params, *known_params))]


def listing(store: Store, ticker: str | None, kind: str | None, since: str | None, until: str | None,
            newest: int | None = None, known_on: str | None = None) -> Iterator[dict]:
    """Events by book and date, read as they are consumed; with `newest`, only the newest N
    events, by date; with `known_on`, only those public by then."""
    where, params = _listing_filter(ticker, kind, since, until, known_on)
    if newest is not None:
        rows = store.conn.execute(f"SELECT * FROM (SELECT {', '.join(EVENT_COLUMNS)}, closes_day FROM events{where}"
                                  " ORDER BY date DESC, closes_day DESC, id DESC LIMIT ?) ORDER BY date, closes_day, id",
                                  [*params, newest])
        return (_row(r[:len(EVENT_COLUMNS)]) for r in rows)
    return map(_row, store.conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events{where}"
                                        " ORDER BY ticker, asset, date, closes_day, id", params))


def listing_count(store: Store, ticker: str | None, kind: str | None, since: str | None, until: str | None,
                  known_on: str | None = None) -> int:
    where, params = _listing_filter(ticker, kind, since, until, known_on)
    return store.query(f"SELECT count(*) FROM events{where}", params)[0][0]


def _listing_filter(ticker, kind, since, until, known_on=None) -> tuple[str, list]:
    clauses, params = [], []
    for clause, value in (("ticker = ?", ticker), ("kind = ?", kind), ("date >= ?", since), ("date <= ?", until),
                          ("known_on <= ?", known_on)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _row(row: tuple) -> dict:
    record = dict(zip(EVENT_COLUMNS, row))
    record["quantity"] = Decimal(record["quantity"])
    record["amount"] = None if record["amount"] is None else Decimal(record["amount"])
    return record


def save_position(store: Store, ticker: str, asset: str, position: tuple | None, last_date: str | None) -> None:
    """position: (quantity, cost_basis, cost_complete, unknown_quantity), or None to drop the book's row."""
    if position is None:
        store.execute("DELETE FROM positions WHERE ticker = ? AND asset = ?", (ticker, asset))
        return
    quantity, cost_basis, cost_complete, unknown_quantity = position
    store.execute(
        "INSERT OR REPLACE INTO positions (ticker, asset, quantity, cost_basis, cost_complete, unknown_quantity,"
        " last_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ticker, asset, to_text(quantity), to_text(cost_basis), int(cost_complete), to_text(unknown_quantity),
         last_date))


def positions(store: Store, tickers: list[str] | None = None) -> dict[tuple[str, str], tuple]:
    """(ticker, asset) -> (quantity, cost_basis, cost_complete, unknown_quantity)."""
    where, params = ticker_filter(tickers)
    rows = store.query(f"SELECT ticker, asset, quantity, cost_basis, cost_complete, unknown_quantity FROM positions{where}",
                       params)
    return {(t, a): (Decimal(q), Decimal(c), bool(k), Decimal(u)) for t, a, q, c, k, u in rows}


def saved_position(store: Store, ticker: str, asset: str) -> tuple[tuple, str] | None:
    """The cached position row of one book and the date of its last event."""
    rows = store.query("SELECT quantity, cost_basis, cost_complete, unknown_quantity, last_date FROM positions"
                       " WHERE ticker = ? AND asset = ?", (ticker, asset))
    if not rows or rows[0][4] is None:
        return None
    q, c, k, u, last = rows[0]
    return (Decimal(q), Decimal(c), bool(k), Decimal(u)), last


def has_events(store: Store, ticker: str, asset: str) -> bool:
    return bool(store.query("SELECT 1 FROM events WHERE ticker = ? AND asset = ? LIMIT 1", (ticker, asset)))


def closes_day(store: Store, ticker: str, asset: str, date: str) -> bool:
    """Whether a balance already closes this book's day (later events of that day go before it)."""
    return bool(store.query("SELECT 1 FROM events WHERE ticker = ? AND asset = ? AND date = ? AND closes_day = 1"
                            " LIMIT 1", (ticker, asset, date)))


def sources(store: Store, event_ids: list[int]) -> dict[int, str | None]:
    """The source of each given event."""
    found: dict[int, str | None] = {}
    for start in range(0, len(event_ids), 500):   # bound the statement's parameters
        chunk = event_ids[start:start + 500]
        found.update(store.query(f"SELECT id, source FROM events WHERE id IN ({', '.join('?' * len(chunk))})",
                                 tuple(chunk)))
    return found


def first_date(store: Store, ticker: str, asset: str, known_on: str | None = None) -> str | None:
    """The date of a book's first event (its opening), of those public by `known_on` when given."""
    known, params = _known(known_on)
    rows = store.query(f"SELECT min(date) FROM events WHERE ticker = ? AND asset = ?{known}", (ticker, asset, *params))
    return rows[0][0] if rows else None
