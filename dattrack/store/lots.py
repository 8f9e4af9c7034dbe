"""The lot books (fifo, lifo, hifo) of every (company, asset) book as of its last event, kept
current on each write like the average-cost positions: `holdings --method fifo` reads one row
per book instead of replaying every event. Plain rows in and out: numbers as Decimals, the lots
as the ledger's text (one lot a line)."""

from __future__ import annotations

import json
from decimal import Decimal

from dattrack.numbers import to_text
from dattrack.store import Store, ticker_filter

LOT_METHODS = ("fifo", "lifo", "hifo")


def save(store: Store, ticker: str, asset: str, method: str, quantity: Decimal, cost_basis: Decimal,
         unknown_quantity: Decimal, lots: str) -> None:
    store.execute(
        "INSERT OR REPLACE INTO lot_books (ticker, asset, method, quantity, cost_basis, unknown_quantity, lots)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ticker, asset, method, to_text(quantity), to_text(cost_basis), to_text(unknown_quantity), lots))


def push(store: Store, ticker: str, asset: str, method: str, quantity: Decimal, cost_basis: Decimal,
         unknown_quantity: Decimal, line: str) -> None:
    """New totals and one more lot line after the saved lots, without reading them."""
    store.execute(
        "UPDATE lot_books SET quantity = ?, cost_basis = ?, unknown_quantity = ?,"
        " lots = CASE lots WHEN '' THEN ? ELSE lots || char(10) || ? END"
        " WHERE ticker = ? AND asset = ? AND method = ?",
        (to_text(quantity), to_text(cost_basis), to_text(unknown_quantity), line, line, ticker, asset, method))


def book_totals(store: Store, ticker: str, asset: str) -> dict[str, dict]:
    """method -> {quantity, cost_basis, unknown_quantity} of one book; the lots are not read."""
    rows = store.query("SELECT method, quantity, cost_basis, unknown_quantity FROM lot_books"
                       " WHERE ticker = ? AND asset = ?", (ticker, asset))
    return {m: {"quantity": Decimal(q), "cost_basis": Decimal(c), "unknown_quantity": Decimal(u)}
            for m, q, c, u in rows}


def delete(store: Store, ticker: str, asset: str | None = None) -> None:
    """One book's lot books, or (no asset) every book of the company."""
    if asset is None:
        store.execute("DELETE FROM lot_books WHERE ticker = ?", (ticker,))
    else:
        store.execute("DELETE FROM lot_books WHERE ticker = ? AND asset = ?", (ticker, asset))


def load(store: Store, ticker: str, asset: str) -> dict[str, dict]:
    """method -> {quantity, cost_basis, unknown_quantity, lots} of one book."""
    rows = store.query("SELECT method, quantity, cost_basis, unknown_quantity, lots FROM lot_books"
                       " WHERE ticker = ? AND asset = ?", (ticker, asset))
    return {m: {"quantity": Decimal(q), "cost_basis": Decimal(c), "unknown_quantity": Decimal(u), "lots": lots}
            for m, q, c, u, lots in rows}


def kept_books(store: Store) -> set[tuple[str, str]]:
    """The (ticker, asset) books whose every lot method is saved."""
    rows = store.query("SELECT ticker, asset FROM lot_books GROUP BY ticker, asset HAVING count(*) = ?",
                       (len(LOT_METHODS),))
    return {(t, a) for t, a in rows}


def totals(store: Store, method: str, tickers: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """(ticker, asset) -> {quantity, cost_basis, unknown_quantity} for one method; the lots
    themselves are not read."""
    where, params = ticker_filter(tickers)
    where = f"{where} AND method = ?" if where else " WHERE method = ?"
    rows = store.query(f"SELECT ticker, asset, quantity, cost_basis, unknown_quantity FROM lot_books{where}",
                       (*params, method))
    return {(t, a): {"quantity": Decimal(q), "cost_basis": Decimal(c), "unknown_quantity": Decimal(u)}
            for t, a, q, c, u in rows}


# -- the cold part of a spilling lot queue (ledger.books.SpillingQueue): a temporary table -------
# Rows (queue, flag, approx, arrival, seq, rank, quantity, cost): the connection's own temporary
# storage (sqlite's temp file), gone when it closes, rolled back with the command's transaction.

def cold_open(store: Store) -> None:
    store.execute("CREATE TEMP TABLE IF NOT EXISTS cold_lots (queue INTEGER NOT NULL, flag INTEGER NOT NULL,"
                  " approx REAL NOT NULL, arrival INTEGER NOT NULL, seq INTEGER NOT NULL, rank TEXT NOT NULL,"
                  " quantity TEXT NOT NULL, cost TEXT)")
    store.execute("CREATE INDEX IF NOT EXISTS temp.cold_lots_order ON cold_lots (queue, flag, approx, arrival)")


def cold_put(store: Store, queue: int, rows: list[tuple]) -> None:
    store.executemany("INSERT INTO temp.cold_lots (queue, flag, approx, arrival, seq, rank, quantity, cost)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(queue, *row) for row in rows])


def cold_take(store: Store, queue: int, count: int) -> list[tuple]:
    """Remove and return the first `count` rows in (flag, approx, arrival) order, with every row tied
    on (flag, approx) with the last of them (the caller orders ties exactly)."""
    columns = "flag, approx, arrival, seq, rank, quantity, cost"
    rows = store.query(f"SELECT rowid, {columns} FROM temp.cold_lots WHERE queue = ?"
                       " ORDER BY flag, approx, arrival LIMIT ?", (queue, count))
    if not rows:
        return []
    taken = {row[0] for row in rows}
    last = rows[-1]
    ties = store.query(f"SELECT rowid, {columns} FROM temp.cold_lots WHERE queue = ? AND flag = ? AND approx = ?",
                       (queue, last[1], last[2]))
    rows += [row for row in ties if row[0] not in taken]
    store.execute("DELETE FROM temp.cold_lots WHERE rowid IN (SELECT value FROM json_each(?))",
                  (json.dumps([row[0] for row in rows]),))
    return [row[1:] for row in rows]


def cold_scan(store: Store, queue: int, descending: bool = False):
    """Every row of the queue in (flag, approx, arrival) order, read as consumed."""
    way = "DESC" if descending else "ASC"
    return store.conn.execute("SELECT flag, approx, arrival, seq, rank, quantity, cost FROM temp.cold_lots"
                              f" WHERE queue = ? ORDER BY flag {way}, approx {way}, arrival {way}", (queue,))


def cold_count(store: Store, queue: int) -> int:
    return store.query("SELECT count(*) FROM temp.cold_lots WHERE queue = ?", (queue,))[0][0]


def cold_drop(store: Store, queue: int) -> None:
    store.execute("DELETE FROM temp.cold_lots WHERE queue = ?", (queue,))
