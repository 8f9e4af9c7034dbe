"""The inbox (what was read from documents but not recorded) and the documents a sync has read.

An inbox row keeps its figure as decimal text and its `fingerprint` (the company's figure and
quote, whatever document said it), unique per company: reading the same words again finds the row
already there, pending, accepted or rejected, and adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from dattrack.numbers import to_text
from dattrack.store import Store, ticker_filter

ITEM_COLUMNS = ("id", "ticker", "kind", "asset", "quantity", "amount", "currency", "date", "period_start", "name",
                "value", "quote", "document", "source", "known_on", "reason", "fingerprint", "status", "event_id",
                "recorded_at", "decided_at")
DECIMALS = ("quantity", "amount", "value")


def add(store: Store, item: dict, stamp: str) -> int | None:
    """A new pending item (keys of ITEM_COLUMNS but id, status, event_id, decided_at); None when the
    company's inbox already holds that fingerprint, in whatever state."""
    values = {key: item.get(key) for key in ITEM_COLUMNS if key not in ("id", "status", "event_id", "decided_at",
                                                                         "recorded_at")}
    for key in DECIMALS:
        if values[key] is not None:
            values[key] = to_text(values[key])
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = store.execute(f"INSERT OR IGNORE INTO inbox ({names}, recorded_at) VALUES ({marks}, ?)",
                           (*values.values(), stamp))
    return cursor.lastrowid if cursor.rowcount else None


def fingerprints(store: Store, ticker: str) -> dict[str, str]:
    """fingerprint -> status of every item the company's inbox ever held."""
    return {r[0]: r[1] for r in store.query("SELECT fingerprint, status FROM inbox WHERE ticker = ?", (ticker,))}


def pending(store: Store, tickers: list[str] | None = None) -> list[dict]:
    where, args = ticker_filter(tickers)
    clause = f" AND {where.strip().removeprefix('WHERE ')}" if where else ""
    return [_item(r) for r in store.query(f"SELECT {', '.join(ITEM_COLUMNS)} FROM inbox WHERE status = 'pending'"
                                          f"{clause} ORDER BY ticker, date, id", args)]


def by_ids(store: Store, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {r[0]: _item(r) for r in store.query(f"SELECT {', '.join(ITEM_COLUMNS)} FROM inbox WHERE id IN ({marks})",
                                                tuple(ids))}


def decide(store: Store, item_id: int, status: str, stamp: str, event_id: int | None = None) -> None:
    store.execute("UPDATE inbox SET status = ?, decided_at = ?, event_id = ? WHERE id = ?",
                  (status, stamp, event_id, item_id))


def mark_document(store: Store, ticker: str, accession: str, name: str, *, form: str | None, filed: str | None,
                  error: str | None, stamp: str) -> None:
    """A document a sync read (error None) or could not read: the next run tries a failed one again."""
    store.execute("INSERT INTO documents_read (ticker, accession, name, form, filed, status, error, read_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticker, accession, name) DO UPDATE SET"
                  " status = excluded.status, error = excluded.error, read_at = excluded.read_at",
                  (ticker, accession, name, form, filed, "failed" if error else "read", error, stamp))


def failed_documents(store: Store) -> list[tuple[str, str]]:
    """(ticker, accession) of every document a sync could not fetch (tried again by the next run)."""
    return [tuple(r) for r in store.query("SELECT DISTINCT ticker, accession FROM documents_read"
                                          " WHERE status = 'failed' ORDER BY ticker, accession")]


def delete_for_company(store: Store, ticker: str) -> None:
    store.execute("DELETE FROM inbox WHERE ticker = ?", (ticker,))
    store.execute("DELETE FROM documents_read WHERE ticker = ?", (ticker,))


def _item(row: tuple) -> dict:
    item = dict(zip(ITEM_COLUMNS, row))
    for key in DECIMALS:
        if item[key] is not None:
            item[key] = Decimal(item[key])
    return item
