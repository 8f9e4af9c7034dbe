"""Report benchmark: `dattrack report` on 200 companies x 2,000 events, against the four reports it
gathers run one after another (`mnav`, `flows`, `check`, `risk`, each its own process, as JSON).

    python bench/report.py [--companies 200] [--events 2000] [--runs 3] [--reuse]

Generates its own data (no network): each company's book opens with a disclosed balance and goes on
with buys, sells, mined units and balances, three events a day; a share count, cash and debt facts;
every fourth company a BTC-backed loan; 30 days of BTC and share closes; and 30 daily snapshots, so
the report draws its charts. Then times each command `--runs` times (its own process each: wall
seconds, peak RSS) and prints the medians, the sum of the four, and the ratio. Target (2 cores):
report <= 0.75 x (mnav + flows + check + risk).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import OUT, dattrack_command, fresh_db, machine, run  # noqa: E402

HEADER = ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note"]
START = dt.date(2024, 1, 1)
CLOSES = 30          # days of closes (and of snapshots) up to the valuation date
TARGET = 0.75


def generate_events(path: Path, companies: int, events: int, seed: int = 11) -> dt.date:
    """The event CSV; returns the date of the last event."""
    rng = random.Random(seed)
    last = START
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for c in range(companies):
            ticker = f"R{c:03d}"
            day = START
            held = Decimal(rng.randint(1_000, 500_000))   # the opening balance closes the day before the first
            writer.writerow([ticker, day - dt.timedelta(days=1), "balance", "BTC", held, "", held * 40_000, "",
                             "opening 8-K", ""])
            for i in range(1, events):
                if i % 3 == 0:
                    day += dt.timedelta(days=1)
                roll = rng.random()
                quantity = Decimal(rng.randint(1, 5_000_000)) / Decimal(1000)
                price = Decimal(rng.randint(2_000_000, 12_000_000)) / Decimal(100)
                if roll < 0.15 and held > 1:
                    quantity = min(quantity, (held / 2).quantize(Decimal("0.001")))
                    held -= quantity
                    writer.writerow([ticker, day, "sell", "BTC", quantity, price, "", "", "8-K", ""])
                elif roll < 0.2:
                    held += quantity
                    writer.writerow([ticker, day, "mine", "BTC", quantity, "", quantity * price, "", "monthly update", ""])
                elif roll < 0.3 and i % 3 == 2:  # a disclosed total closes its day: only as the day's last event
                    writer.writerow([ticker, day, "balance", "BTC", held, "", "", "", "8-K", "disclosed total"])
                else:
                    held += quantity
                    writer.writerow([ticker, day, "buy", "BTC", quantity, price, "", "1.5", "8-K", ""])
            last = max(last, day)
    return last


def add_the_rest(db: Path, companies: int, as_of: dt.date, seed: int = 12) -> None:
    """Companies (before the import), then facts, instruments and closes through the package API, in one
    transaction each (hundreds of CLI start-ups would only add noise)."""
    from dattrack.app.facts import set_fact
    from dattrack.app.instruments import add_instrument
    from dattrack.app.prices import set_price
    from dattrack.store import open_store

    rng = random.Random(seed)
    store = open_store(db)
    with store.write():
        for c in range(companies):
            ticker = f"R{c:03d}"
            set_fact(store, ticker, "shares_basic", str(rng.randint(10_000_000, 900_000_000)), "2025-06-30", "10-Q")
            set_fact(store, ticker, "cash", str(rng.randint(1_000_000, 900_000_000)), "2025-06-30", "10-Q")
            set_fact(store, ticker, "debt", str(rng.randint(0, 900_000_000)), "2025-03-31", "10-K")
            if c % 4 == 0:
                add_instrument(store, ticker, "BTC-backed loan", kind="loan", outstanding=str(rng.randint(10, 99) * 10**6),
                               date="2025-01-15", rate="0.08", collateral="2000", margin_ltv="0.5",
                               liquidation_ltv="0.8", source="credit agreement")
        for n in range(CLOSES):
            day = (as_of - dt.timedelta(days=CLOSES - 1 - n)).isoformat()
            set_price(store, "BTC", str(rng.randint(60_000, 120_000)), day, "USD", "bench")
            for c in range(companies):
                set_price(store, f"R{c:03d}", f"{rng.randint(100, 90_000) / 100:.2f}", day, "USD", "bench")
    store.close()


def add_companies(db: Path, companies: int) -> None:
    from dattrack.app.companies import add_company
    from dattrack.store import open_store

    store = open_store(db)
    with store.write():
        for c in range(companies):
            add_company(store, f"R{c:03d}", f"Report company {c}", cik=str(1_000_000 + c))
    store.close()


def build(db: Path, companies: int, events: int, env: dict) -> str:
    csv_path = OUT / "report_events.csv"
    last = generate_events(csv_path, companies, events)
    as_of = last + dt.timedelta(days=3)
    base = dattrack_command() + ["--db", str(db)]
    run(base + ["init"], env)
    add_companies(db, companies)
    run(base + ["event", "import", str(csv_path)], env)
    add_the_rest(db, companies, as_of)
    since = (as_of - dt.timedelta(days=CLOSES - 1)).isoformat()
    run(base + ["snapshot", "--offline", "--quiet", "--since", since, "--date", as_of.isoformat()], env, check=False)
    return as_of.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the previous run")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.reuse:
        db = OUT / "report.db"
        as_of = (OUT / "report.as_of").read_text().strip()
    else:
        db = fresh_db("report")
        print(f"generating {args.companies} companies x {args.events} events ...", flush=True)
        env = {"DATTRACK_TODAY": "2099-01-01", "NO_COLOR": "1"}
        as_of = build(db, args.companies, args.events, env)
        (OUT / "report.as_of").write_text(as_of)
    env = {"DATTRACK_TODAY": as_of, "NO_COLOR": "1", "COLUMNS": "200"}
    base = dattrack_command() + ["--db", str(db)]
    commands = {
        "report": ["report", "--out", str(OUT / "report.html")],
        # JSON: the four at their cheapest (a table of check's ~40,000 balances alone takes longer than the report)
        "mnav": ["mnav", "--format", "json"], "flows": ["flows", "--format", "json"],
        "check": ["check", "--format", "json"], "risk": ["risk", "--format", "json"],
    }
    print(f"\n{'command':<10}{'median s':>10}{'min s':>8}{'max s':>8}{'peak MiB':>10}")
    medians = {}
    for name, arguments in commands.items():
        runs = [run(base + arguments, env, check=False) for _ in range(args.runs)]
        failed = [r for r in runs if r.returncode not in (0, 1)]   # check exits 1 on a disagreement
        if failed:
            raise SystemExit(f"{name} failed: {failed[0].err.strip()[-300:]}")
        walls = [r.wall for r in runs]
        medians[name] = statistics.median(walls)
        print(f"{name:<10}{medians[name]:>10.2f}{min(walls):>8.2f}{max(walls):>8.2f}"
              f"{max(r.peak for r in runs):>10.0f}", flush=True)
    four = sum(medians[name] for name in ("mnav", "flows", "check", "risk"))
    ratio = medians["report"] / four
    print(f"\nreport {medians['report']:.2f} s against mnav + flows + check + risk {four:.2f} s: "
          f"{ratio:.2f}x (target <= {TARGET}x) {'ok' if ratio <= TARGET else 'OVER'}")
    print(f"database: {db} ({db.stat().st_size / 2**20:.0f} MiB), {args.companies * args.events:,} events")


if __name__ == "__main__":
    main()
