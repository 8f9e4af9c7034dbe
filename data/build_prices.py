#!/usr/bin/env python3
"""Build data/prices.csv, the bundled price snapshot, from the shared daily closes.

Usage:  python3 data/build_prices.py [PRICES_DIR]

PRICES_DIR defaults to ../shared/prices relative to the repository root (the
directory that holds data/).  data/closes/ extends it: data/closes/series.csv names extra
series (stem,symbol,currency,decimals,kind) and data/closes/STEM.csv holds sourced closes
(date,close,source) that are added to the shared file of the same stem, or form a new series.
A date present in both must carry the same close, or the build stops.  Standard library only; the output is
deterministic (same inputs -> byte-identical file).

Selection, per symbol:
  * every date that appears in data/events.csv or data/facts.csv,
  * every month-end from 2025-01 on (up to the series' last close),
  * the dates of note in NOTABLE_DATES (the February 2026 lows the second seed article is about),
  * the latest close of the series, and the latest close of every other series (so that each
    series has a close on the day any other one ends: the latest common date is a real close
    of every symbol, not a mix of dates);
each requested date resolves to the closest close on or before it (a date before
the series starts is skipped), and rows are de-duplicated on the close's own date.

Rounding (the originals are float32 closes such as 44167.33203125):
  crypto (BTC, ETH) and USD share closes -> 2 decimals, JPY share closes (3350.T)
  -> 0 decimals, USDJPY -> 3 decimals; half-up on the decimal text of the close.
"""
import csv
import datetime as dt
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
REPO_DIR = DATA_DIR.parent

# file stem -> (symbol, currency, decimals, kind)
SERIES = {
    "BTC-USD": ("BTC", "USD", 2, "crypto"),
    "ETH-USD": ("ETH", "USD", 2, "crypto"),
    "USDJPY": ("USDJPY", "JPY", 3, "fx"),
    "3350.T": ("3350.T", "JPY", 0, "share"),
    "MSTR": ("MSTR", "USD", 2, "share"),
    "CANG": ("CANG", "USD", 2, "share"),
    "SQNS": ("SQNS", "USD", 2, "share"),
    "ETHZ": ("ETHZ", "USD", 2, "share"),
    "EMPD": ("EMPD", "USD", 2, "share"),
    "BTDR": ("BTDR", "USD", 2, "share"),
    "MARA": ("MARA", "USD", 2, "share"),
    "BMNR": ("BMNR", "USD", 2, "share"),
    "SBET": ("SBET", "USD", 2, "share"),
}
CLOSES_DIR = DATA_DIR / "closes"
NOTABLE_DATES = {"2026-02-05"}  # BTC ~62.7k and ETH ~1,824: the lows of the early-2026 drawdown
FIRST_MONTH = (2025, 1)
HEADER = ["symbol", "date", "price", "currency", "source", "basis_date"]


def read_csv(path):
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def all_series():
    series = dict(SERIES)
    for r in read_csv(CLOSES_DIR / "series.csv"):
        series[r["stem"]] = (r["symbol"], r["currency"], int(r["decimals"]), r["kind"])
    return series


def read_closes(prices_dir, stem):
    by_date = {r["date"]: r for r in read_csv(Path(prices_dir) / f"{stem}.csv")}
    for r in read_csv(CLOSES_DIR / f"{stem}.csv"):
        known = by_date.get(r["date"])
        if known is not None and Decimal(known["close"]) != Decimal(r["close"]):
            raise SystemExit(f"{stem} {r['date']}: data/closes says {r['close']}, shared says {known['close']}")
        by_date.setdefault(r["date"], r)
    if not by_date:
        raise SystemExit(f"no closes for {stem}")
    return [by_date[d] for d in sorted(by_date)]


def dataset_dates():
    dates = set()
    for name in ("events.csv", "facts.csv"):
        path = DATA_DIR / name
        if path.exists():
            with open(path, newline="", encoding="utf-8") as fh:
                dates.update(r["date"] for r in csv.DictReader(fh) if r.get("date"))
    return dates


def month_ends(last_date):
    year, month = FIRST_MONTH
    out = []
    while True:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end.isoformat() > last_date:
            return out
        out.append(end.isoformat())
        year, month = nxt.year, nxt.month


def basis_date(source, last_date):
    # yfinance snapshots are split-adjusted as of the day they were saved
    marker = "snapshot "
    if marker in source:
        candidate = source.split(marker, 1)[1][:10]
        dt.date.fromisoformat(candidate)
        return candidate
    return last_date


def rounded(text, decimals):
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(text).quantize(quantum, rounding=ROUND_HALF_UP))


def build(prices_dir):
    series = {stem: read_closes(prices_dir, stem) for stem in all_series()}
    wanted = dataset_dates() | NOTABLE_DATES | {rows[-1]["date"] for rows in series.values()}
    out = []
    for stem, (symbol, currency, decimals, kind) in sorted(all_series().items()):
        rows = series[stem]
        dates = [r["date"] for r in rows]
        last = dates[-1]
        requested = {d for d in wanted if d <= last} | set(month_ends(last)) | {last}
        picked = {}
        for req in sorted(requested):
            # closest close on or before the requested date
            lo, hi = 0, len(dates)
            while lo < hi:
                mid = (lo + hi) // 2
                if dates[mid] <= req:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == 0:
                continue
            row = rows[lo - 1]
            picked[row["date"]] = row
        for date in sorted(picked):
            row = picked[date]
            out.append([
                symbol,
                date,
                rounded(row["close"], decimals),
                currency,
                "bundled snapshot: " + row["source"],
                basis_date(row["source"], last) if kind == "share" else "",
            ])
    out.sort(key=lambda r: (r[0], r[1]))
    return out


def main(argv):
    prices_dir = Path(argv[1]) if len(argv) > 1 else REPO_DIR.parent / "shared" / "prices"
    rows = build(prices_dir)
    target = DATA_DIR / "prices.csv"
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {target}")


if __name__ == "__main__":
    main(sys.argv)
