"""The upgrade to m008_known_on: a database as m001-m007 left it, with N events, opened by today's
dattrack (the first open rebuilds events, facts, instrument amounts and snapshots and fills
known_on). Prints the wall time and peak RSS of that first command, and of a second one (no
migration left: the cheap check only).

    .venv/bin/python bench/upgrade.py                 # 100 companies x 10,000 events = 1M events
    .venv/bin/python bench/upgrade.py --companies 10 --events 100
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import dattrack_command, fresh_db, machine, run  # noqa: E402

ORIGINS = ("manual", "import", "seed", "coingecko", "sec", "treasury-list")


def build(db: Path, companies: int, events: int, seed: int = 7) -> None:
    """A database at m007 with `events` events per company of every origin, facts and snapshots."""
    from sqlite_utils import Database

    from dattrack.store.schema import migrations

    database = Database(db)
    migrations.apply(database, stop_before="m008_known_on")
    database.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany("INSERT INTO companies (ticker, name, quote_symbol) VALUES (?, ?, ?)",
                         [(f"C{c:03d}", f"Company {c}", f"C{c:03d}") for c in range(companies)])

        def rows():
            for c in range(companies):
                for n in range(events):
                    day = f"20{15 + n * 10 // events:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
                    origin = ORIGINS[n % len(ORIGINS)]
                    note = f"SEC EDGAR 10-Q filed {day[:8]}28: CryptoAssetNumberOfUnits (BTC)" if origin == "sec" else None
                    yield (f"C{c:03d}", day, "BTC", "buy", str(rng.randint(1, 9)), str(rng.randint(1000, 99999)), None,
                           note, 0, origin, f"{day}T10:00:00Z" if origin != "manual" else None)

        conn.executemany("INSERT INTO events (ticker, date, asset, kind, quantity, amount, source, note, closes_day,"
                         " origin, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        conn.executemany("INSERT INTO facts (ticker, name, date, value, source) VALUES (?, 'shares_basic', ?, '1000', ?)",
                         [(f"C{c:03d}", f"2025-{m:02d}-28", f"SEC EDGAR 10-Q accession 000-{m}") for c in range(companies)
                          for m in range(1, 13)])
        conn.executemany("INSERT INTO snapshots (date, ticker, asset, quantity, cost_complete, currency, taken_at)"
                         " VALUES (?, ?, 'BTC', '1', 1, 'USD', ?)",
                         [(f"2026-01-{d:02d}", f"C{c:03d}", f"2026-01-{d:02d}T06:30:00Z") for c in range(companies)
                          for d in range(1, 29)])
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    db = fresh_db("upgrade")
    total = args.companies * args.events
    print(f"building a database at m007 with {args.companies} companies x {args.events} events = {total:,} events ...")
    build(db, args.companies, args.events)
    size = db.stat().st_size / 2**20
    env = {"DATTRACK_TODAY": "2026-11-21", "NO_COLOR": "1"}
    base = dattrack_command() + ["--db", str(db)]
    print(f"\n{'step':<44}{'wall s':>9}{'peak MiB':>10}  result")
    for name in ("first open: m008 upgrade (company list)", "second open: nothing to do (company list)"):
        result = run(base + ["company", "list", "--format", "json"], env)
        listed = result.out.count('"ticker"')
        print(f"{name:<44}{result.wall:>9.2f}{result.peak:>10.0f}  exit {result.returncode}, {listed} companies",
              flush=True)
    conn = sqlite3.connect(db)
    filled = conn.execute("SELECT count(*) FROM events WHERE known_on >= date").fetchone()[0]
    conn.close()
    print(f"\ndatabase: {db} ({size:.0f} MiB before the upgrade), {filled:,} of {total:,} events with known_on filled")


if __name__ == "__main__":
    main()
