"""Snapshot benchmark: `dattrack snapshot` for 200 companies against local fake providers that
add 100 ms to every request.

    python bench/snapshot.py [--companies 200] [--delay 0.1]

Prints wall time, the number of HTTP requests, rows stored and the peak memory of the command.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import dattrack_command, fresh_db, machine, run_timed  # noqa: E402
from tests.fakes.provider_server import FakeProviders  # noqa: E402


def build(db: Path, companies: int) -> dict[str, str]:
    """Companies holding BTC or ETH, each with a share count; returns the prices the fake serves."""
    from dattrack.app.companies import add_company
    from dattrack.app.events import EventInput, record_events
    from dattrack.app.facts import set_fact
    from dattrack.store import open_store

    store = open_store(db)
    prices = {"BTC": "80000", "ETH": "2500"}
    with store.write():
        entries = []
        for n in range(companies):
            ticker, asset = f"Q{n:03d}", ("BTC" if n % 4 else "ETH")
            add_company(store, ticker, f"Bench company {n}", asset=asset)
            set_fact(store, ticker, "shares_basic", str(1_000_000 + n), "2026-01-01", "bench")
            entries.append((n, EventInput(ticker=ticker, date="2026-01-02", kind="buy", asset=asset,
                                          quantity=str(100 + n), total=str(5_000_000 + n))))
            prices[ticker] = f"{10 + n % 50}.25"
        record_events(store, entries)
    store.close()
    return prices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    db = fresh_db("snapshot")
    prices = build(db, args.companies)
    with FakeProviders(prices, delay=args.delay) as fake:
        wall, peak, _ = run_timed(dattrack_command() + ["--db", str(db), "snapshot", "--quiet"], fake.env())
        requests = fake.requests
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    print(f"machine: {machine()}")
    print(f"snapshot of {args.companies} companies (+{args.delay * 1000:.0f} ms per request): "
          f"{wall:.2f} s wall, {requests} requests, {rows} rows, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
