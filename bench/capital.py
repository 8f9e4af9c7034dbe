"""The capital stack's commands on a big issuer: one company with N weekly purchases and N weekly ATM
rows per program, I instruments with a dated amount each quarter, and daily BTC closes — the shape of
Strategy grown a few times over. Prints the wall time and peak RSS of each command, run as its own
process.

    .venv/bin/python bench/capital.py                      # 1,000 weeks (19 years) of events, 5 programs, 100 instruments
    .venv/bin/python bench/capital.py --weeks 50 --instruments 5

Built through `dattrack import` of a generated export document (so the database is what the product
writes). `dilution --by week` values the company at both ends of every week: it is the heavy one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, dattrack_command, fresh_db, machine, run  # noqa: E402

PROGRAMS = ("BIG", "PRA", "PRB", "PRC", "PRD")   # the common stock, then four preferred series


def document(weeks: int, instruments: int) -> dict:
    start = dt.date(2026, 11, 16) - dt.timedelta(weeks=weeks)          # a Monday, weeks before "today"
    mondays = [start + dt.timedelta(weeks=w) for w in range(weeks)]
    events, issuance, prices = [], [], []
    held = 0
    for n, monday in enumerate(mondays):
        sunday = monday + dt.timedelta(days=6)
        bought = 100 + n % 37
        held += bought
        events.append({"id": 2 * n + 1, "ticker": "BIG", "date": sunday.isoformat(), "asset": "BTC", "kind": "buy",
                       "quantity": bought, "amount": bought * 60000, "source": f"8-K week {n}", "origin": "import",
                       "known_on": (sunday + dt.timedelta(days=1)).isoformat()})
        events.append({"id": 2 * n + 2, "ticker": "BIG", "date": sunday.isoformat(), "asset": "BTC",
                       "kind": "balance", "quantity": held, "source": f"8-K week {n}", "origin": "import",
                       "known_on": (sunday + dt.timedelta(days=1)).isoformat()})
        for p, program in enumerate(PROGRAMS):
            issuance.append({"id": len(issuance) + 1, "ticker": "BIG", "date": sunday.isoformat(),
                             "period_start": monday.isoformat(), "security": program,
                             "shares": 10000 + (n * 7 + p) % 5000, "notional": None if p == 0 else 1000000,
                             "net_proceeds": 900000 + p, "capacity_left": 10 ** 9, "currency": "USD",
                             "source": f"8-K week {n}", "origin": "import",
                             "known_on": (sunday + dt.timedelta(days=1)).isoformat()})
    day = start
    while day <= dt.date(2026, 11, 21):
        prices.append({"symbol": "BTC", "date": day.isoformat(), "price": 60000 + (day.toordinal() % 900) * 50,
                       "currency": "USD", "source": "bench", "fetched_at": "bench"})
        prices.append({"symbol": "BIG", "date": day.isoformat(), "price": 300, "currency": "USD", "source": "bench",
                       "fetched_at": "bench"})
        day += dt.timedelta(days=1)
    quarters = [start + dt.timedelta(days=91 * q) for q in range(max(1, weeks // 13))]
    rows, amounts = [], []
    for i in range(instruments):
        kind = ("loan", "note", "convertible", "preferred")[i % 4]
        rows.append({"id": i + 1, "ticker": "BIG", "name": f"instrument {i}", "kind": kind, "currency": "USD",
                     "rate": "0.05", "seniority": 1 + i % 6, "origin": "import",
                     "conversion_price": 500 if kind in ("convertible", "preferred") else None})
        for q, quarter in enumerate(quarters):
            amounts.append({"instrument_id": i + 1, "date": quarter.isoformat(), "outstanding": 10 ** 8 + q * 10 ** 6,
                            "known_on": quarter.isoformat(), "rate": "0.06" if q % 4 == 3 else None})
    return {"format": "dattrack-export", "version": 1,
            "companies": [{"ticker": "BIG", "name": "Big Issuer", "quote_symbol": "BIG", "currency": "USD",
                           "kind": "treasury", "asset": "BTC"}],
            "events": events, "prices": prices,
            "facts": [{"ticker": "BIG", "name": "shares_basic", "date": start.isoformat(), "value": 10 ** 8,
                       "known_on": start.isoformat()}],
            "instruments": rows, "instrument_amounts": amounts, "issuance": issuance}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=1000)
    parser.add_argument("--instruments", type=int, default=100)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    db = fresh_db("capital")
    path = OUT / "capital-export.json"
    path.write_text(json.dumps(document(args.weeks, args.instruments)), encoding="utf-8")
    env = {"DATTRACK_TODAY": "2026-11-21", "NO_COLOR": "1"}
    base = dattrack_command() + ["--db", str(db)]
    built = run(base + ["import", str(path)], env)
    print(f"built: {args.weeks} weeks ({2 * args.weeks:,} events, {len(PROGRAMS) * args.weeks:,} issuance rows), "
          f"{args.instruments} instruments, in {built.wall:.1f} s")
    steps = [("risk BIG --claims", ["risk", "BIG", "--claims"]),
             ("risk BIG --claims --price 25000", ["risk", "BIG", "--claims", "--price", "25000"]),
             ("risk --shock -0.5", ["risk", "--shock", "-0.5"]),
             ("issuance BIG", ["issuance", "BIG"]),
             ("yield BIG (a year)", ["yield", "BIG", "--since", "2025-11-16"]),
             ("dilution BIG --by month", ["dilution", "BIG", "--by", "month"]),
             ("dilution BIG --by week (a year)", ["dilution", "BIG", "--by", "week", "--since", "2025-11-17"])]
    print(f"\n{'step':<36}{'wall s':>9}{'peak MiB':>10}  rows")
    for name, command in steps:
        result = run(base + command + ["--format", "json"], env)
        rows = result.out.count('"ticker"')
        print(f"{name:<36}{result.wall:>9.2f}{result.peak:>10.0f}  {rows}", flush=True)


if __name__ == "__main__":
    main()
