"""The log of `dattrack sync` runs, and what the ledger cites (for `filings`)."""

from __future__ import annotations

import json

from dattrack.store import Store


def log_run(store: Store, *, started: str, finished: str, sources: str, companies: int, rows: list[dict],
            failures: dict[str, str]) -> None:
    counts = {status: sum(1 for r in rows if r["status"] == status) for status in ("added", "known", "skipped")}
    store.execute(
        "INSERT INTO sync_runs (started_at, finished_at, sources, companies, added, known, skipped, failures,"
        " dry_run, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        (started, finished, sources, companies, counts["added"], counts["known"], counts["skipped"], len(failures),
         json.dumps(failures, sort_keys=True) if failures else None))


def cited_sources(store: Store, ticker: str) -> list[str]:
    """Every source an event or fact of the company names."""
    rows = store.query("SELECT source FROM events WHERE ticker = ? AND source IS NOT NULL"
                       " UNION SELECT source FROM facts WHERE ticker = ? AND source IS NOT NULL", (ticker, ticker))
    return [r[0] for r in rows]
