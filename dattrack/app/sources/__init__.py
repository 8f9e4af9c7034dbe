"""Disclosure sources: where `dattrack sync` gets disclosures from, behind one interface.

A source is a class with a `name` (the `--source` value) and a `provider` (how failures name it),
made once per run. `prepare(run)` runs once, in the main thread, before any fetch: it may read the
store (`run.store`), make its clients, and return False to sit the run out (with a note in
`run.notes`); a BadInput it raises refuses the run when the source was asked for by name, and is a
note under `--source all`. `fetch(company, wanted)` runs in a worker thread, talks only to the
network, and returns the company's `Batch`; a ProviderError fails that company (nothing of it is
written) and counts towards the provider's breaker.

A Batch holds typed records: `Disclosure` or `Candidate` (ledger/disclosures.py) become events,
planned against the books; `DisclosedFact` becomes a fact; any other type goes to the writer
registered for it (`register_writer`), in the company's transaction, so that a new kind of record
(the inbox's pending items, issuance rows, instruments) needs no change to the sync core.

Adding a source: a module in this package with one class registered by `@register_source`, and
its name in MODULES (the order sources run in, and `--source all`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from dattrack.ledger.disclosures import Candidate, Disclosure, Planned

MODULES = ("coingecko", "sec")   # dattrack.app.sources.<name>, in the order they run


@dataclass(frozen=True)
class DisclosedFact:
    """A balance-sheet figure a source read (SPEC 1 facts), public on `known_on`."""

    name: str                 # shares_basic, debt, cash, ...
    value: Decimal
    date: str                 # ISO: the cover-page or balance-sheet date
    source: str | None
    known_on: str             # ISO: the filing's date
    unit: str | None = None   # "shares", or the currency of a money figure (None: the company's)
    estimate: str | None = None


@dataclass
class Batch:
    """What one source found for one company."""

    records: list[Any] = field(default_factory=list)     # Disclosure, Candidate, DisclosedFact, or a registered type
    ids: dict[str, Any] = field(default_factory=dict)    # company ids found (coingecko_id, cik): stored when missing
    notes: list[str] = field(default_factory=list)       # said on stderr, "TICKER: note"

    def extend(self, other: "Batch") -> None:
        self.records.extend(other.records)
        for key, value in other.ids.items():
            self.ids.setdefault(key, value)
        self.notes.extend(other.notes)


@dataclass(frozen=True)
class Wanted:
    """What a run asks of a source for one company."""

    company: dict
    since: str | None                  # --since: reach back to this day
    latest: Mapping[str, str]          # asset -> the date of its book's latest event (books with events)

    @property
    def ticker(self) -> str:
        return self.company["ticker"]

    @property
    def assets(self) -> set[str]:
        """The assets the company is known to hold: its primary asset and every asset with a book."""
        return {self.company["asset"], *self.latest}

    @property
    def oldest(self) -> dt.date | None:
        """How far back a history must reach: --since, else the oldest book's latest event; None
        (everything) when the primary asset's book is empty."""
        if self.since is not None:
            return dt.date.fromisoformat(self.since)
        if self.company["asset"] not in self.latest:
            return None
        return min(dt.date.fromisoformat(day) for day in self.latest.values())


@dataclass
class Run:
    """One `sync` run, as sources see it while preparing."""

    store: Any                 # the Store: read it in prepare(), never in fetch()
    http: Any                  # the httpx.Client of the run
    env: Mapping[str, str]
    asked: str                 # the --source value: a name, or "all"
    notes: list[str] = field(default_factory=list)


class Source(Protocol):
    name: str
    provider: str

    def prepare(self, run: Run) -> bool: ...

    def fetch(self, company: dict, wanted: Wanted) -> Batch: ...


@dataclass(frozen=True)
class Written:
    """What a writer did with one company's records of its type."""

    count: int = 0                          # records written (in a dry run: that would be)
    label: str = "records"                  # what they are, for "N facts recorded"
    rows: tuple[Planned, ...] = ()          # rows for the sync table (e.g. pending items)
    notes: tuple[str, ...] = ()             # said on stderr as "TICKER: note" (a figure refused, and why)


# A writer: (store, company, records of its type, dry_run) -> Written; inside the company's transaction.
Writer = Callable[[Any, dict, list, bool], Written]

_SOURCES: dict[str, type] = {}
_WRITERS: dict[type, Writer] = {}
WRITER_MODULES = ("dattrack.app.facts",)   # modules that register writers for their record types


def register_source(cls: type) -> type:
    _SOURCES[cls.name] = cls
    return cls


def register_writer(record_type: type, writer: Writer) -> None:
    _WRITERS[record_type] = writer


def source_names() -> tuple[str, ...]:
    """Every registered source, in the order they run."""
    _load()
    return tuple(_SOURCES)


def make_sources(asked: str) -> list[Source]:
    """A fresh instance of the source asked for, or of every source for "all"."""
    _load()
    return [cls() for name, cls in _SOURCES.items() if asked in ("all", name)]


def writer_for(record_type: type) -> Writer | None:
    _load()
    return _WRITERS.get(record_type)


def as_candidate(record: Disclosure | Candidate) -> Candidate:
    return record if isinstance(record, Candidate) else Candidate(record)


_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    for module in WRITER_MODULES:
        importlib.import_module(module)
    _loaded = True
