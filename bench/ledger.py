"""Ledger benchmark: 100 companies x 10,000 events (1M) through the real CLI, every figure of the
ledger's targets in one run.

    python bench/ledger.py [--companies 100] [--events 10000] [--reuse] [--only STEP ...]
    python bench/ledger.py --companies 1 --events 1000000 --only "event import"   # one company's 1M book

Generates a valid event CSV (never selling more than is held), imports it, then times the reads
and writes below. Each step is one `dattrack` process: wall seconds and its own peak RSS
(getrusage of that child, via wait4). Targets on a 2-core machine (1M events):

    event import                  <= 30 s, <= 200 MiB
    holdings (average)            <= 1 s
    holdings --method fifo|lifo|hifo  <= 2 s each
    pnl, check, flows, export, event list --format json   <= 200 MiB each
    event list (table) over ~200k events                  <= 10 s
    snapshot --offline --since (10 dates)                 <= 15 s
    event add                     <= 0.3 s

`--reuse` keeps the database of the previous run (skips generating and importing). A step still
running after 300 s is killed and shows KILLED.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, dattrack_command, fresh_db, machine, run  # noqa: E402

HEADER = ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note"]
START = dt.date(2000, 1, 1)
TODAY = "2030-01-01"
LIST_TABLE_EVENTS = 200_000
SNAPSHOT_DATES = 10
STEP_TIMEOUT_S = 300
MAX_DAYS = 10_000   # START + 10,000 days stays before TODAY (future dates are refused)


def per_day(events: int) -> int:
    """Events a day per company: three, or more for a book so long it would reach past TODAY."""
    return max(3, math.ceil(events / MAX_DAYS))


def generate(path: Path, companies: int, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    daily = per_day(events)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for c in range(companies):
            ticker = f"C{c:03d}"
            held = Decimal(0)
            day = START
            for i in range(events):
                if i % daily == 0:
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
                elif roll < 0.3 and i % daily == daily - 1:  # a disclosure closes its day: only as its last event
                    row = [ticker, day, "balance", "BTC", held, "", "", "", "bench", "disclosed total"]
                else:
                    held += quantity
                    row = [ticker, day, "buy", "BTC", quantity, price, "", "1.5", "bench", ""]
                writer.writerow(row)


def steps(csv_path: Path, companies: int, events: int) -> list[tuple[str, list[str], float | None, float | None]]:
    """(name, arguments, target seconds, target MiB)."""
    days = math.ceil(LIST_TABLE_EVENTS / companies / per_day(events))
    window_until = (START + dt.timedelta(days=days)).isoformat()
    snapshot_end = dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)
    snapshot_since = (snapshot_end - dt.timedelta(days=SNAPSHOT_DATES - 1)).isoformat()
    return [
        ("event import", ["event", "import", str(csv_path)], 30.0, 200),
        ("holdings", ["holdings", "--format", "json"], 1.0, None),
        ("holdings --method fifo", ["holdings", "--method", "fifo", "--format", "json"], 2.0, None),
        ("holdings --method lifo", ["holdings", "--method", "lifo", "--format", "json"], 2.0, None),
        ("holdings --method hifo", ["holdings", "--method", "hifo", "--format", "json"], 2.0, None),
        ("pnl", ["pnl", "--format", "json"], None, 200),
        ("pnl --method fifo", ["pnl", "--method", "fifo", "--format", "json"], None, 200),
        ("check", ["check", "--format", "json"], None, 200),
        ("flows", ["flows", "--format", "json"], None, 200),
        ("export", ["export"], None, 200),
        ("event list --format json", ["event", "list", "--format", "json"], None, 200),
        (f"event list (table, {min(events, per_day(events) * days) * companies:,} events)",
         ["event", "list", "--until", window_until], 10.0, None),
        (f"snapshot --since ({SNAPSHOT_DATES} dates)",
         ["snapshot", "--offline", "--quiet", "--date", snapshot_end.isoformat(), "--since", snapshot_since], 15.0, None),
        ("event add", ["event", "add", "C000", "buy", "1", "--total", "100000", "--date", "2029-12-31"], 0.3, None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the previous run")
    parser.add_argument("--only", nargs="*", help="run only the steps whose name starts with one of these")
    args = parser.parse_args()
    csv_path = OUT / "ledger_events.csv"
    total = args.companies * args.events
    base_env = {"DATTRACK_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": "200"}
    print(f"machine: {machine()}")
    if args.reuse:
        db = OUT / "ledger.db"
    else:
        db = fresh_db("ledger")
        print(f"generating {args.companies} companies x {args.events} events = {total:,} events ...")
        generate(csv_path, args.companies, args.events)
        base = dattrack_command() + ["--db", str(db)]
        run(base + ["init"], base_env)
        _add_companies(db, args.companies)
        run(base + ["price", "set", "BTC", "90000", "--date", "2029-12-01", "--currency", "USD"], base_env)
    base = dattrack_command() + ["--db", str(db)]
    print(f"\n{'step':<40}{'wall s':>9}{'target':>8}{'peak MiB':>10}{'target':>8}  result")
    for name, arguments, seconds, mib in steps(csv_path, args.companies, args.events):
        if args.reuse and name == "event import":
            continue
        if args.only and not any(name.startswith(prefix.strip()) for prefix in args.only):
            continue
        result = run(base + arguments, base_env, check=False, timeout=STEP_TIMEOUT_S)
        over = (seconds is not None and result.wall > seconds) or (mib is not None and result.peak > mib)
        failed = result.returncode not in (0, 1)   # check and snapshot exit 1 by design here
        note = result.err.strip().splitlines()[-1][:60] if failed and result.err.strip() else _summary(result)
        flag = "KILLED" if result.timed_out else "FAILED" if failed else "OVER" if over else "ok"
        print(f"{name:<40}{result.wall:>9.2f}{_target(seconds, '.1f'):>8}{result.peak:>10.0f}{_target(mib, '.0f'):>8}"
              f"  {flag:<6} {note}", flush=True)
    print(f"\ndatabase: {db} ({db.stat().st_size / 2**20:.0f} MiB), {total:,} events imported")


def _target(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _summary(result) -> str:
    if result.out_bytes > 2**20:
        return f"exit {result.returncode}, {result.out_bytes / 2**20:.0f} MiB of output"
    text = result.out.strip()
    rows = text.count('"ticker"')
    if rows:
        return f"exit {result.returncode}, {rows} rows"
    return f"exit {result.returncode}, " + (text.splitlines()[-1][:50] if text else "no output")


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
