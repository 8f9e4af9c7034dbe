"""Filings benchmark: `sync --source filings` of one company's 200 8-Ks of Strategy's size through a
local EDGAR adding 100 ms to every request, then the same 200 read again from the cache.

    python bench/filings.py [--filings 200] [--delay 0.1]

Each generated 8-K is inline-XBRL XHTML the way Strategy files its weekly "BTC Update": a hidden
ix:header of contexts (most of the bytes), the cover page, and the table of BTC acquired, aggregate
purchase price (in millions), average price and aggregate holdings; sizes average about 85 KB, one
in fifty is about 1 MB. Every fourth filing also has an EX-99.1 press release.

Runs, each a fresh database with `company add MSTR --cik 1050446` (the book empty):
  first sync   — everything fetched (submissions, index.json, documents), at most 8 requests a second:
                 prints wall time, requests, the most requests that arrived in any one second
  offline sync — `sync --offline`: the 200 8-Ks read from the cache, nothing fetched (target < 10 s)
  second sync  — on the first run's database: the feed only, nothing added
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import OUT, dattrack_command, fresh_db, machine, run  # noqa: E402
from tests.fakes.edgar_archive import EdgarArchive  # noqa: E402

CIK = 1050446
TARGET_SECONDS = 10.0

HEAD = """<?xml version='1.0' encoding='ASCII'?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xbrli="http://www.xbrl.org/2003/instance" \
xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" xmlns:dei="http://xbrl.sec.gov/dei/2025" \
xmlns:xbrldi="http://xbrl.org/2006/xbrldi">
<head><title>8-K</title></head>
<body>
<div style="display:none;"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c-1">0001050446</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentType" contextRef="c-1">8-K</ix:nonNumeric>
</ix:hidden><ix:resources>
"""
CONTEXT = ('<xbrli:context id="c-{n}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">0001050446'
           '</xbrli:identifier><xbrli:segment><xbrldi:explicitMember dimension="dei:EntityListingsExchangeAxis">'
           'exch:XNAS</xbrldi:explicitMember></xbrli:segment></xbrli:entity><xbrli:period><xbrli:startDate>{day}'
           '</xbrli:startDate><xbrli:endDate>{day}</xbrli:endDate></xbrli:period></xbrli:context>\n')
COVER = """</ix:resources></ix:header></div>
<p style="text-align:center;font-weight:bold">UNITED STATES SECURITIES AND EXCHANGE COMMISSION</p>
<p style="text-align:center">Washington, D.C. 20549</p>
<p style="text-align:center;font-weight:bold">FORM 8-K</p>
<p>Date of Report (Date of earliest event reported): {filed_long}</p>
<p style="text-align:center;font-weight:bold">STRATEGY INC</p>
<p>Item 8.01 Other Events.</p>
<p style="font-style:italic">BTC Update</p>
<p>On {filed_long}, Strategy announced updates with respect to its bitcoin holdings:</p>
<table style="width:100%;border-collapse:separate">
<tr><td colspan="8" style="text-align:center;font-weight:bold">During Period {start_long} to {end_long}</td><td>&#160;</td>
<td colspan="8" style="text-align:center;font-weight:bold">As of {end_long}</td></tr>
<tr><td colspan="2">BTC Acquired</td><td>&#160;</td><td colspan="2">Aggregate Purchase Price (in millions)</td>
<td>&#160;</td><td colspan="2">Average Purchase Price</td><td>&#160;</td>
<td colspan="2">Aggregate BTC Holdings</td><td>&#160;</td><td colspan="2">Aggregate Purchase Price (in billions)</td>
<td>&#160;</td><td colspan="2">Average Purchase Price</td></tr>
<tr><td colspan="2" style="text-align:right">{bought}</td><td>&#160;</td><td>$</td><td style="text-align:right">{cost}</td>
<td>&#160;</td><td>$</td><td style="text-align:right">{average}</td><td>&#160;</td>
<td colspan="2" style="text-align:right">{held}</td><td>&#160;</td><td>$</td><td style="text-align:right">{total_cost}</td>
<td>&#160;</td><td>$</td><td style="text-align:right">{total_average}</td></tr>
</table>
<p>The bitcoin purchases were made using proceeds from the sale of shares under the Company's at-the-market
offering programs. The aggregate purchase price and average purchase price include fees and expenses.</p>
<p>Item 9.01. Financial Statements and Exhibits.</p>
<p>SIGNATURE Pursuant to the requirements of the Securities Exchange Act of 1934, the Registrant has duly caused
this report to be signed on its behalf by the undersigned hereunto duly authorized.</p>
</body></html>
"""
RELEASE = """<html><body><p>TYSONS CORNER, Va., {filed_long} -- Strategy Inc (Nasdaq: MSTR) today announced its
quarterly dividend schedule for its perpetual preferred stock. The dividends are payable on the dates set out
below to holders of record at the close of business on the record dates.</p>{padding}</body></html>
"""


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def generate(count: int, seed: int = 18) -> list[tuple[str, str, dict[str, bytes], Decimal, Decimal]]:
    """(accession, filing date, files, BTC bought, aggregate holdings) of `count` weekly BTC Updates."""
    rng = random.Random(seed)
    held, total_cost = Decimal(200000), Decimal("12500000000")
    day = dt.date(2022, 1, 3)   # a Monday: the filing date; the period ends the day before
    filings = []
    for n in range(count):
        bought = Decimal(rng.randint(100, 20000))
        price = Decimal(rng.randint(20000, 110000))
        cost = bought * price
        held += bought
        total_cost += cost
        end, start = day - dt.timedelta(days=1), day - dt.timedelta(days=7)
        size = 1_000_000 if n % 50 == 49 else int(rng.lognormvariate(11.1, 0.35))  # ~85 KB, a few up to 1 MB
        each = len(CONTEXT.format(n=1000, day=day.isoformat()))
        head = HEAD + "".join(CONTEXT.format(n=k, day=day.isoformat()) for k in range(max(1, size // each)))
        body = COVER.format(
            filed_long=long_date(day), start_long=long_date(start), end_long=long_date(end),
            bought=f"{bought:,}", cost=f"{(cost / 1_000_000).quantize(Decimal('0.1')):,}",
            average=f"{price:,}", held=f"{held:,}", total_cost=f"{(total_cost / 1_000_000_000).quantize(Decimal('0.01')):,}",
            total_average=f"{(total_cost / held).quantize(Decimal(1)):,}")
        accession = f"0000950170-{day:%y}-{100000 + n:06d}"
        files = {f"mstr-{day:%Y%m%d}.htm": (head + body).encode("ascii")}
        if n % 4 == 0:
            files[f"mstr-ex99_1-{day:%Y%m%d}.htm"] = RELEASE.format(
                filed_long=long_date(day), padding="<p>Dividend schedule.</p>" * 200).encode()
        filings.append((accession, day.isoformat(), files, bought, held))
        day += dt.timedelta(days=7)
    return filings


def events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    filings = generate(args.filings)
    sizes = [len(body) for _, _, files, _, _ in filings for name, body in files.items() if "ex99" not in name]
    print(f"{len(filings)} 8-Ks: {sum(sizes) / len(sizes) / 1024:.0f} KB average, {max(sizes) / 1024:.0f} KB largest")
    OUT.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="filings-cache-", dir=OUT))
    today = (dt.date.fromisoformat(filings[-1][1]) + dt.timedelta(days=1)).isoformat()
    with EdgarArchive(delay=args.delay) as edgar:
        for accession, filed, files, _, _ in filings:
            edgar.add_filing(CIK, accession, "8-K", filed, files)
        env = {**edgar.env(), "DATTRACK_CACHE": str(cache), "DATTRACK_TODAY": today}
        command = dattrack_command()
        sync = ["sync", "MSTR", "--source", "filings", "--since", "2020-01-01", "--format", "json"]
        for label, offline in (("first sync", False), ("offline sync (from the cache)", True)):
            db = fresh_db("filings-offline" if offline else "filings")
            run(command + ["--db", str(db), "company", "add", "MSTR", "--name", "Strategy", "--cik", str(CIK)], env)
            edgar.log.clear()
            result = run(command + ["--db", str(db), *sync] + (["--offline"] if offline else []), env)
            extra = "" if offline else f", at most {edgar.most_in_one_second()} requests in any one second"
            target = f" (target < {TARGET_SECONDS:.0f} s)" if offline else ""
            print(f"{label}: {result.wall:.2f} s wall{target}, {edgar.requests} requests{extra}, "
                  f"{events(db)} events added, peak {result.peak:.0f} MiB")
        db = OUT / "filings.db"
        edgar.log.clear()
        result = run(command + ["--db", str(db), *sync], env)
        print(f"second sync: {result.wall:.2f} s wall, {edgar.requests} requests, {events(db)} events in the book")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
