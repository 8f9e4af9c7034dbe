"""The 10-Q/10-K reader measured like a classifier on the committed periodic reports.

`tests/fixtures/filings/periodic/expected.csv` was typed from the documents themselves (their notes,
tables and cover pages; never from the reader's output): every crypto holding each document states at
one of its balance-sheet dates (`scope` period-end), at other quarter ends its tables list (`quarter`)
and at a later "as of" date (`as-of`), and the cover page's share count summed over classes
(`cover`). A count is expected where the document prints one (a dash in a count row is 0); "we did
not hold any digital assets" is not a count. `instruments.csv` lists Strategy's notes and loans
outstanding at each 10-Q's period end, with what the document states of each.

Every balance and share count the reader returns is either expected with exactly its numbers,
a wrong number (an expected figure, read with another value) or unexpected (a figure the table does
not have). `python -m tests.reader.periodic_corpus` prints the figures per company.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

PERIODIC = Path(__file__).resolve().parents[1] / "fixtures" / "filings" / "periodic"


@dataclass(frozen=True)
class Fixture:
    file: str
    ticker: str
    cik: str
    form: str
    accession: str
    filed: dt.date
    url: str

    def data(self) -> bytes:
        return gzip.decompress((PERIODIC / self.file).read_bytes())


def fixtures(ticker: str | None = None) -> list[Fixture]:
    with (PERIODIC / "manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Fixture(r["file"], r["ticker"], r["cik"], r["form"], r["accession"], dt.date.fromisoformat(r["filed"]),
                    r["url"]) for r in rows if ticker is None or r["ticker"] == ticker]


def fixture(file_prefix: str) -> Fixture:
    return next(f for f in fixtures() if f.file.startswith(file_prefix))


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@dataclass(frozen=True)
class Expected:
    file: str
    kind: str
    asset: str | None
    name: str | None
    date: dt.date
    quantity: Decimal | None
    amount: Decimal | None
    value: Decimal | None
    scope: str

    @property
    def key(self) -> tuple:
        return (self.file, self.kind, self.asset, self.name, self.date)


def expected() -> list[Expected]:
    with (PERIODIC / "expected.csv").open(newline="") as handle:
        return [Expected(r["file"], r["kind"], r["asset"] or None, r["name"] or None, dt.date.fromisoformat(r["date"]),
                         _number(r["quantity"]), _number(r["amount"]), _number(r["value"]), r["scope"])
                for r in csv.DictReader(handle)]


@dataclass(frozen=True)
class ExpectedInstrument:
    file: str
    instrument: str
    kind: str
    year: int | None
    date: dt.date
    outstanding: Decimal
    rate: Decimal | None
    maturity: dt.date | None
    conversion_price: Decimal | None
    seniority: int | None


def expected_instruments() -> list[ExpectedInstrument]:
    with (PERIODIC / "instruments.csv").open(newline="") as handle:
        return [ExpectedInstrument(r["file"], r["instrument"], r["kind"], int(r["year"]) if r["year"] else None,
                                   dt.date.fromisoformat(r["date"]), Decimal(r["outstanding"]), _number(r["rate"]),
                                   dt.date.fromisoformat(r["maturity"]) if r["maturity"] else None,
                                   _number(r["conversion_price"]), int(r["seniority"]) if r["seniority"] else None)
                for r in csv.DictReader(handle)]


@cache
def reading(file: str):
    """What the reader gives for one fixture (read once per test run)."""
    from dattrack.reader import read_document

    item = next(f for f in fixtures() if f.file == file)
    return read_document(item.data(), name=file, date=item.filed)


@dataclass
class Score:
    expected: int = 0
    found: int = 0                      # expected period-end holdings read with exactly their numbers
    wrong: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    doubted: list[str] = field(default_factory=list)   # read, but sent to the inbox

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def score(tickers: list[str] | None = None) -> dict[str, Score]:
    """Per company: period-end holdings recall, and every balance or share count read checked."""
    by_key = {e.key: e for e in expected()}
    scores: dict[str, Score] = defaultdict(Score)
    for item in fixtures():
        if tickers and item.ticker not in tickers:
            continue
        result = scores[item.ticker]
        mine = [e for e in by_key.values() if e.file == item.file]
        result.expected += sum(1 for e in mine if e.kind == "balance" and e.scope == "period-end")
        seen = set()
        for found in reading(item.file).disclosures:
            if found.kind not in ("balance", "fact") or (found.kind == "fact" and found.name != "shares_basic"):
                continue
            key = (item.file, found.kind, found.asset, found.name, found.date)
            want = by_key.get(key)
            figure = found.quantity if found.kind == "balance" else found.value
            label = f"{item.file[:24]} {found.kind} {found.asset or found.name} {found.date} {figure}"
            if want is None:
                if found.doubt is None:
                    result.unexpected.append(label)
                continue
            numbers = (found.quantity, found.amount, found.value)
            if numbers != (want.quantity, want.amount, want.value):
                if found.doubt is None:
                    result.wrong.append(f"{label} (expected {want.quantity or want.value} at {want.amount})")
                else:
                    result.doubted.append(label)
                continue
            if found.doubt is not None:
                result.doubted.append(label)
                continue
            seen.add(key)
            if want.kind == "balance" and want.scope == "period-end":
                result.found += 1
        result.missed += [f"{e.file[:24]} {e.asset or e.name} {e.date}" for e in mine if e.key not in seen]
    return dict(scores)


def main() -> None:
    scores = score()
    total = Score()
    print(f"{'company':8} {'period-end':>10} {'found':>6} {'recall':>7} {'wrong':>6} {'unexpected':>10} {'inbox':>6}")
    for ticker, result in sorted(scores.items()):
        print(f"{ticker:8} {result.expected:>10} {result.found:>6} {result.recall:>7.0%} {len(result.wrong):>6} "
              f"{len(result.unexpected):>10} {len(result.doubted):>6}")
        total.expected += result.expected
        total.found += result.found
        total.wrong += result.wrong
        total.unexpected += result.unexpected
        total.doubted += result.doubted
        total.missed += result.missed
    print(f"{'all':8} {total.expected:>10} {total.found:>6} {total.recall:>7.0%} {len(total.wrong):>6} "
          f"{len(total.unexpected):>10} {len(total.doubted):>6}")
    for title, items in (("wrong", total.wrong), ("unexpected", total.unexpected), ("missed", total.missed),
                         ("inbox", total.doubted)):
        for line in items:
            print(f"  {title}: {line}")


if __name__ == "__main__":
    main()


def match_instrument(want: ExpectedInstrument, found: list) -> object | None:
    """The instrument read for an expected one: same kind and maturity year (or, without a year, the
    same kind and the only one of it without a maturity)."""
    candidates = [i for i in found if i.kind == want.kind and i.date == want.date]
    if want.year is not None:
        candidates = [i for i in candidates if i.maturity is not None and i.maturity.year == want.year]
    else:
        candidates = [i for i in candidates if i.maturity is None]
    return candidates[0] if len(candidates) == 1 else None
