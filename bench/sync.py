"""Sync benchmark: `dattrack sync` of 200 companies against the local fake providers adding 100 ms
to every request.

    python bench/sync.py [--companies 200] [--delay 0.1] [--sec 16]

Each company has a CoinGecko entity with 20 purchases, and a book whose latest event is older
than all of them. The first run is `--source coingecko` (one transaction-history request per
company); the second is `--source all` where `--sec` of the companies also have a CIK and an
EDGAR companyfacts document: EDGAR allows 10 requests a second and dattrack sends at most 8, so
SEC EDGAR costs at least 1/8 s per company whatever the latency. A third run repeats the first
(everything known). Prints wall time, requests and events added for each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import dattrack_command, fresh_db, machine, run_timed  # noqa: E402
from tests.fakes.disclosures import companyfacts, transaction, units_row  # noqa: E402
from tests.fakes.provider_server import FakeProviders  # noqa: E402

PURCHASES = 20


def build(db: Path, fake: FakeProviders, companies: int, sec: int) -> None:
    from dattrack.app.companies import add_company
    from dattrack.app.events import EventInput, record_events
    from dattrack.store import open_store

    store = open_store(db)
    with store.write():
        entries = []
        for n in range(companies):
            ticker, entity = f"Q{n:03d}", f"bench-{n}"
            cik = 900000 + n if n < sec else None
            add_company(store, ticker, f"Bench company {n}", cik=cik, coingecko_id=entity)
            entries.append((n, EventInput(ticker=ticker, date="2025-01-02", kind="balance", quantity="1000")))
            balance, day, rows = Decimal(1000), dt.date(2025, 3, 3), []
            for k in range(PURCHASES):
                quantity = Decimal(10 + k)
                balance += quantity
                rows.append(transaction(day.isoformat(), "buy", quantity, quantity * 90000, balance,
                                        source_url=f"https://example.com/{ticker}/{k}.pdf"))
                day += dt.timedelta(days=7)
            fake.treasury[entity] = rows
            if cik is not None:
                fake.companyfacts[f"{cik:010d}"] = companyfacts(cik, units={"BTC": [
                    units_row("2025-06-30", balance, f"{cik:010d}-25-000001", "2025-08-01")]})
        record_events(store, entries)
    store.close()


def events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--sec", type=int, default=16, help="companies that also have an EDGAR document")
    args = parser.parse_args()
    db = fresh_db("sync")
    print(f"machine: {machine()}")
    with FakeProviders({"BTC": "90000"}, delay=args.delay) as fake:
        build(db, fake, args.companies, args.sec)
        env = fake.env(DATTRACK_SEC_USER_AGENT="Bench bench@example.com")
        for label, source in (("coingecko", "coingecko"), ("all", "all"), ("again (all known)", "coingecko")):
            before, requests = events(db), fake.requests
            wall, peak, _ = run_timed(dattrack_command() + ["--db", str(db), "sync", "--source", source,
                                                            "--format", "json"], env)
            print(f"sync --source {source} of {args.companies} companies [{label}] "
                  f"(+{args.delay * 1000:.0f} ms per request): {wall:.2f} s wall, "
                  f"{fake.requests - requests} requests, {events(db) - before} events added, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
