"""Alert rules and the state that keeps a rule from being reported twice in a row."""

from __future__ import annotations

from dattrack.store import Store, ticker_filter

ALERT_COLUMNS = ("id", "ticker", "metric", "op", "threshold", "created", "holding", "checked_date", "last_value",
                 "last_fired", "seen_event_id")


def insert(store: Store, ticker: str, metric: str, op: str | None, threshold: str | None, created: str) -> int:
    """A new rule has seen every event recorded so far: a `sell` rule watches the ones after it."""
    return store.execute(
        "INSERT INTO alerts (ticker, metric, op, threshold, created, seen_event_id)"
        " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM events))",
        (ticker, metric, op, threshold, created)).lastrowid


def listing(store: Store, tickers: list[str] | None = None) -> list[dict]:
    where, params = ticker_filter(tickers)
    rows = store.query(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts{where} ORDER BY ticker, id", params)
    return [dict(zip(ALERT_COLUMNS, row)) for row in rows]


def get(store: Store, alert_id: int) -> dict | None:
    rows = store.query(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts WHERE id = ?", (alert_id,))
    return dict(zip(ALERT_COLUMNS, rows[0])) if rows else None


def delete(store: Store, alert_id: int) -> None:
    store.execute("DELETE FROM alerts WHERE id = ?", (alert_id,))


def record_check(store: Store, alert_id: int, *, holding: bool, checked_date: str, value: str | None,
                 fired: str | None, seen_event_id: int) -> None:
    """The outcome of one check; `fired` (the date) only when the rule was reported this time."""
    store.execute("UPDATE alerts SET holding = ?, checked_date = ?, last_value = ?,"
                  " last_fired = coalesce(?, last_fired), seen_event_id = ? WHERE id = ?",
                  (int(holding), checked_date, value, fired, seen_event_id, alert_id))


def sells_after(store: Store, ticker: str, event_id: int, until: str) -> list[tuple[int, str, str]]:
    """(id, date, quantity) of the company's sells recorded after an event id, dated on or before `until`."""
    return store.query("SELECT id, date, quantity FROM events WHERE ticker = ? AND kind = 'sell' AND id > ?"
                       " AND date <= ? ORDER BY id", (ticker, event_id, until))


def last_event_id(store: Store) -> int:
    return store.query("SELECT coalesce(max(id), 0) FROM events")[0][0]


def newest_snapshot_date(store: Store) -> str | None:
    return store.query("SELECT max(date) FROM snapshots")[0][0]


def delete_for_company(store: Store, ticker: str) -> None:
    store.execute("DELETE FROM alerts WHERE ticker = ?", (ticker,))
