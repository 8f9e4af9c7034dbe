"""The disclosure-source interface: a new source and a new record type plug into `sync` without a
change to its core (app/sync.py), and every record is written in the company's one transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal

import pytest

from dattrack.app import sources
from dattrack.app.sources import Batch, Written
from dattrack.errors import BadInput
from dattrack.ledger.disclosures import Disclosure

D = Decimal


@dataclass(frozen=True)
class Issuance:
    """A record type the core has never heard of."""

    date: str
    shares: int


@dataclass(frozen=True)
class Orphan:
    """A record type nothing records."""

    note: str


class FilingsLike:
    name = "fake"
    provider = "Fake filings"
    batches: dict = {}

    def prepare(self, run) -> bool:
        self.asked = run.asked
        return True

    def fetch(self, company, wanted) -> Batch:
        return self.batches.get(company["ticker"], Batch())


def purchase(day="2026-02-15", known_on="2026-02-17", quantity="10", amount="1000000"):
    return Disclosure("MSTR", "BTC", day, "buy", D(quantity), D(amount), "8-K 0001050446-26-000017 https://sec.gov/x",
                      "filing", known_on=known_on, note="acquired 10 BTC for $1.0 million", period_start="2026-02-09")


@pytest.fixture
def plugged(cli, monkeypatch):
    written = []

    def record_issuance(store, company, records, dry_run):
        written.append((company["ticker"], [r.shares for r in records], dry_run))
        if any(r.shares < 0 for r in records):
            raise BadInput("a negative share count")
        return Written(len(records), "issuance rows")

    sources.source_names()   # the registered sources first, then ours
    monkeypatch.setitem(sources._SOURCES, "fake", FilingsLike)
    monkeypatch.setitem(sources._WRITERS, Issuance, record_issuance)
    monkeypatch.setattr(FilingsLike, "batches", {})
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    return written


def rows_of(result):
    import json

    return json.loads(result.stdout, parse_float=D)


def events(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT date, kind, quantity, amount, origin, known_on, note FROM events").fetchall()


def test_a_new_source_records_its_disclosures_and_hands_other_records_to_their_writer(cli, plugged, db_path):
    FilingsLike.batches["MSTR"] = Batch(records=[purchase(), Issuance("2026-02-15", 1200), Orphan("x")],
                                        ids={"cik": 1050446}, notes=["read 1 document"])
    result = cli("sync", "MSTR", "--source", "fake", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert events(db_path) == [("2026-02-15", "buy", "10", "1000000", "filing", "2026-02-17",
                                "acquired 10 BTC for $1.0 million")]
    assert plugged == [("MSTR", [1200], False)]
    assert "MSTR: read 1 document" in result.stderr
    assert "1 issuance rows recorded" in result.stderr
    assert "1 Orphan read and not recorded" in result.stderr
    assert cli.json("company", "show", "MSTR")[0]["cik"] == 1050446
    again = cli.json("sync", "MSTR", "--source", "fake")
    assert [r["status"] for r in again] == ["known"]   # one disclosure, one event


def test_a_writer_that_refuses_leaves_the_company_as_it_was(cli, plugged, db_path):
    FilingsLike.batches["MSTR"] = Batch(records=[purchase(), Issuance("2026-02-15", -5)], ids={"cik": 1050446})
    result = cli("sync", "MSTR", "--source", "fake")
    assert result.exit_code == 1
    assert "failed MSTR: not recorded: a negative share count" in result.stderr
    assert events(db_path) == []
    assert cli.json("company", "show", "MSTR")[0]["cik"] is None


def test_a_dry_run_asks_the_writers_what_they_would_do_and_writes_nothing(cli, plugged, db_path):
    FilingsLike.batches["MSTR"] = Batch(records=[purchase(), Issuance("2026-02-15", 7)])
    result = cli("sync", "MSTR", "--source", "fake", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "1 issuance rows would be recorded" in result.stderr
    assert plugged == [("MSTR", [7], True)] and events(db_path) == []


def test_all_runs_every_registered_source_and_an_unknown_one_is_refused(cli, fake, plugged, refused):
    FilingsLike.batches["MSTR"] = Batch(records=[purchase()])
    result = cli("sync", "MSTR", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "MSTR: not on CoinGecko's treasury list" in result.stderr and "MSTR: not on EDGAR" in result.stderr
    assert [(r["origin"], r["status"]) for r in rows_of(result)] == [("filing", "added")]
    assert "unknown --source 'nope': use one of coingecko, sec, filings, fake, all" in refused("sync", "--source", "nope")


def test_an_origin_the_ledger_does_not_know_is_refused(cli, plugged, db_path):
    import dataclasses

    FilingsLike.batches["MSTR"] = Batch(records=[dataclasses.replace(purchase(), origin="rumour")])
    result = cli("sync", "MSTR", "--source", "fake")
    assert result.exit_code == 1 and "unknown event origin 'rumour'" in result.stderr
    assert events(db_path) == []
