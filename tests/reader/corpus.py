"""The reader measured like a classifier on the committed filings: every expected disclosure (typed
from the documents into `tests/fixtures/filings/expected/*.csv`, never from the reader's output)
either found with exactly its numbers, or missed; every disclosure read either expected, a wrong
number (same figure, another value), or unexpected (read where the document states nothing like it).

`python -m tests.reader.corpus` prints the figures per company."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "filings"


@dataclass(frozen=True)
class Fixture:
    file: str
    ticker: str
    cik: str
    form: str
    accession: str
    filed: dt.date
    extent: str

    @property
    def document(self) -> str:
        return Path(self.file).name.removesuffix(".gz")

    def data(self) -> bytes:
        raw = (FIXTURES / self.file).read_bytes()
        return gzip.decompress(raw) if self.file.endswith(".gz") else raw


def fixtures(ticker: str | None = None) -> list[Fixture]:
    with (FIXTURES / "manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Fixture(r["file"], r["ticker"], r["cik"], r["form"], r["accession"], dt.date.fromisoformat(r["filed"]),
                    r["extent"]) for r in rows if ticker is None or r["ticker"] == ticker]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@dataclass(frozen=True)
class Expected:
    document: str
    kind: str
    asset: str | None
    name: str | None
    period_start: dt.date | None
    date: dt.date | None
    quantity: Decimal | None
    amount: Decimal | None
    value: Decimal | None

    @property
    def key(self) -> tuple:
        """What names the figure: a wrong number agrees on it and differs in the numbers."""
        return (self.document, self.kind, self.asset, self.name, self.date)


def expected_rows(ticker: str) -> list[dict]:
    """The expected table as written: one row per disclosure, and `kind` "none" for a document that
    discloses nothing (every fixture of the company is in the table, one way or the other)."""
    with (FIXTURES / "expected" / f"{ticker.lower()}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def expected(ticker: str) -> list[Expected]:
    return [Expected(r["document"], r["kind"], r["asset"] or None, r["name"] or None, _date(r["period_start"]),
                     _date(r["date"]), _number(r["quantity"]), _number(r["amount"]), _number(r["value"]))
            for r in expected_rows(ticker) if r["kind"] != "none"]


def as_expected(document: str, found) -> Expected:
    return Expected(document, found.kind, found.asset, found.name, found.period_start, found.date, found.quantity,
                    found.amount, found.value)


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    correct: int = 0
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)       # (expected, read)
    unexpected: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def score(ticker: str, read) -> Score:
    """Every fixture of `ticker` read with `read(fixture) -> Reading`, scored against its expected table."""
    wanted: dict[str, list[Expected]] = defaultdict(list)
    for row in expected(ticker):
        wanted[row.document].append(row)
    result = Score()
    for fixture in fixtures(ticker):
        want = list(wanted.pop(fixture.document, []))
        got = [as_expected(fixture.document, f) for f in read(fixture).disclosures]
        result.expected += len(want)
        result.found += len(got)
        for item in got:
            if item in want:
                want.remove(item)
                result.correct += 1
                continue
            twin = next((w for w in want if w.key == item.key), None)
            if twin is not None:
                want.remove(twin)
                result.wrong.append((twin, item))
            else:
                result.unexpected.append(item)
        result.missed += want
    assert not wanted, f"expected rows for documents that are no fixture: {sorted(wanted)}"
    listed = {r["document"] for r in expected_rows(ticker)}
    missing = {f.document for f in fixtures(ticker)} - listed
    assert not missing, f"fixtures the expected table says nothing about: {sorted(missing)}"
    return result


def read_fixture(fixture: Fixture):
    from dattrack.reader import read_document

    return read_document(fixture.data(), name=fixture.document, date=fixture.filed, form=fixture.form)


if __name__ == "__main__":
    tickers = sorted({f.ticker for f in fixtures()})
    for ticker in tickers:
        if not (FIXTURES / "expected" / f"{ticker.lower()}.csv").exists():
            continue
        s = score(ticker, read_fixture)
        print(f"{ticker:6} documents {len(fixtures(ticker)):4}  expected {s.expected:4}  found {s.found:4}  "
              f"correct {s.correct:4}  recall {s.recall:.1%}  precision {s.precision:.1%}  "
              f"wrong {len(s.wrong)}  unexpected {len(s.unexpected)}  missed {len(s.missed)}")
        for twin, item in s.wrong:
            print("   WRONG", twin, "\n      read", item)
        for item in s.unexpected:
            print("   UNEXPECTED", item)
        for item in s.missed:
            print("   MISSED", item)
