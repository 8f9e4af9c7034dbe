"""Ledger benchmark: 100 companies x 10,000 events through the real CLI.

    python bench/ledger.py [--companies 100] [--events 10000]

Generates a valid event CSV (never selling more than is held), then times `event import`,
`holdings` for all companies, `holdings --method fifo` and one `event add`.
Targets on a 2-core machine: import <= 60 s, holdings <= 1 s, fifo <= 5 s, event add <= 0.3 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, dattrack_command, fresh_db, machine, run_timed  # noqa: E402

HEADER = ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note"]
START = dt.date(2000, 1, 1)


def generate(path: Path, companies: int, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for c in range(companies):
            ticker = f"C{c:03d}"
            held = Decimal(0)
            day = START
            for i in range(events):
                if i % 3 == 0:
                    day += dt.timedelta(days=1)
                roll = rng.random()
                quantity = Decimal(rng.randint(1, 5_000_000)) / Decimal(1000)
                price = Decimal(rng.randint(1_000_000, 12_000_000)) / Decimal(100)
                if roll < 0.2 and held > 1:
                    quantity = min(quantity, (held / 2).quantize(Decimal("0.001")))
                    kind, held = "sell", held - quantity
                    row = [ticker, day, kind, "BTC", quantity, price, "", "", "bench", ""]
                elif roll < 0.25:
                    kind, held = "mine", held + quantity
                    row = [ticker, day, kind, "BTC", quantity, "", quantity * price, "", "bench", ""]
                elif roll < 0.3 and i % 3 == 2:  # a disclosure closes its day: only as the day's last event
                    row = [ticker, day, "balance", "BTC", held, "", "", "", "bench", "disclosed total"]
                else:
                    held += quantity
                    row = [ticker, day, "buy", "BTC", quantity, price, "", "1.5", "bench", ""]
                writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    db = fresh_db("ledger")
    csv_path = OUT / "ledger_events.csv"
    total = args.companies * args.events
    print(f"machine: {machine()}")
    print(f"generating {args.companies} companies x {args.events} events = {total:,} events ...")
    generate(csv_path, args.companies, args.events)
    base = dattrack_command() + ["--db", str(db)]
    env = {"DATTRACK_TODAY": "2030-01-01", "NO_COLOR": "1"}
    run_timed(base + ["init"], env)
    _add_companies(db, args.companies)
    results = []
    wall, peak, out = run_timed(base + ["event", "import", str(csv_path)], env)
    results.append(("event import", wall, peak, 60.0, out.strip()))
    wall, peak, out = run_timed(base + ["holdings", "--format", "json"], env)
    results.append(("holdings (all)", wall, peak, 1.0, f"{_rows(out)} rows"))
    wall, peak, out = run_timed(base + ["holdings", "--method", "fifo", "--format", "json"], env)
    results.append(("holdings --method fifo", wall, peak, 5.0, f"{_rows(out)} rows"))
    wall, peak, out = run_timed(base + ["event", "add", "C000", "buy", "1", "--total", "100000", "--date", "2029-12-31"], env)
    results.append(("event add", wall, peak, 0.3, f"id {out.strip()}"))
    print(f"\n{'step':<24}{'wall s':>9}{'peak MiB':>10}{'target s':>10}  result")
    for name, wall, peak, target, note in results:
        flag = "ok" if wall <= target else "OVER"
        print(f"{name:<24}{wall:>9.2f}{peak:>10.0f}{target:>10.1f}  {flag}  {note}")
    print(f"\ndatabase: {db} ({db.stat().st_size / 2**20:.0f} MiB); peak MiB is the largest child process so far")


def _rows(json_text: str) -> int:
    return json_text.count('"ticker"')


def _add_companies(db: Path, count: int) -> None:
    """Company rows through the package API in one transaction (100 CLI start-ups would only add noise)."""
    from dattrack.app.companies import add_company
    from dattrack.store import open_store

    store = open_store(db)
    with store.write():
        for c in range(count):
            add_company(store, f"C{c:03d}", f"Company {c}")
    store.close()


if __name__ == "__main__":
    main()
