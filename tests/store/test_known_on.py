"""SPEC 10, what was known and when: m008 fills `known_on` on a database of m001-m007, and the
store reads the books, facts and instruments as they were public on a day."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlite_utils import Database

from dattrack.store import open_store
from dattrack.store import facts as fact_rows
from dattrack.store.schema import migrations

# ------------------------------------------------------------------ m008 on a database of m001-m007

BUNDLED = {
    "events.csv": [
        {"ticker": "MSTR", "date": "2025-11-16", "kind": "buy", "quantity": "8178", "source": "8-K 2025-11-17",
         "known_on": "2025-11-17"},
        {"ticker": "MSTR", "date": "2025-11-30", "kind": "balance", "quantity": "650000", "source": "8-K 2025-12-01",
         "known_on": ""},     # a row without one: public on its date
        {"ticker": "MSTR", "date": "2025-12-05", "kind": "buy", "quantity": "10", "source": "old seed row",
         "known_on": "2025-12-01"},   # an event before its own date cannot be: its date stands
    ],
    "facts.csv": [
        {"ticker": "MSTR", "name": "shares_basic", "date": "2025-09-30", "source": "10-Q Q3",
         "known_on": "2025-11-03"},
        {"ticker": "MSTR", "name": "cash", "date": "2025-09-30", "source": "10-Q Q3",
         "known_on": "2025-09-29"},   # announced ahead: a fact may be public before its date
    ],
    "instruments.csv": [
        {"ticker": "MSTR", "name": "2030 notes", "date": "2025-09-30", "known_on": "2025-11-03"},
        {"ticker": "MSTR", "name": "2030 notes", "date": "2025-12-31", "known_on": ""},
    ],
}


def old_database(path):
    """A database as dattrack m001-m007 left it, with an event of every origin."""
    db = Database(path)
    migrations.apply(db, stop_before="m008_known_on")
    db.execute("INSERT INTO companies (ticker, name, quote_symbol) VALUES ('MSTR', 'Strategy', 'MSTR')")
    rows = [  # id, date, kind, quantity, amount, source, note, origin, recorded_at
        (1, "2025-11-16", "buy", "8178", "835600000", "8-K 2025-11-17", None, "seed", "2026-01-05T10:00:00Z"),
        (2, "2025-11-30", "balance", "650000", None, "8-K 2025-12-01", None, "seed", "2026-01-05T10:00:00Z"),
        (3, "2025-12-05", "buy", "10", "900000", "old seed row", None, "seed", "2026-01-05T10:00:00Z"),
        (4, "2025-12-08", "buy", "10624", None, "https://coingecko/x", "CoinGecko treasury transaction",
         "coingecko", "2026-01-06T00:00:00Z"),
        (5, "2025-12-31", "balance", "672497", None, "10-K 0001050446-26-000020",
         "SEC EDGAR 10-K filed 2026-02-19: CryptoAssetNumberOfUnits (BTC)", "sec", "2026-03-01T08:00:00Z"),
        (6, "2026-01-05", "buy", "1", "90000", None, None, "manual", "2026-01-07T23:59:59Z"),
        (7, "2026-01-06", "buy", "2", "180000", "file.csv", None, "import", "2026-01-06T01:00:00Z"),
        (8, "2026-01-07", "balance", "672600", None, "CoinGecko public treasury 2026-01-07", None, "treasury-list",
         "2026-01-07T12:00:00Z"),
        (9, "2026-01-08", "buy", "3", "270000", None, None, "manual", None),   # recorded before provenance
    ]
    for row in rows:
        db.execute("INSERT INTO events (id, ticker, date, asset, kind, quantity, amount, source, note, closes_day,"
                   " origin, recorded_at) VALUES (?, 'MSTR', ?, 'BTC', ?, ?, ?, ?, ?, 0, ?, ?)", row)
    db.execute("UPDATE events SET closes_day = 1 WHERE kind = 'balance'")
    facts = [("shares_basic", "2025-09-30", "267000000", "10-Q Q3"),
             ("cash", "2025-09-30", "54000000", "10-Q Q3"),
             ("shares_basic", "2025-12-31", "280000000", "SEC EDGAR 10-K accession 0001050446-26-000020"),
             ("debt", "2026-01-01", "8000000000", "by hand")]
    for name, date, value, source in facts:
        db.execute("INSERT INTO facts (ticker, name, date, value, source) VALUES ('MSTR', ?, ?, ?, ?)",
                   (name, date, value, source))
    for instrument_id, name in ((1, "2030 notes"), (2, "a loan typed by hand")):
        db.execute("INSERT INTO instruments (id, ticker, name, kind, currency, seniority) VALUES"
                   " (?, 'MSTR', ?, 'note', 'USD', 2)", (instrument_id, name))
    for instrument_id, date in ((1, "2025-09-30"), (1, "2025-12-31"), (2, "2025-10-01")):
        db.execute("INSERT INTO instrument_amounts (instrument_id, date, outstanding) VALUES (?, ?, '100')",
                   (instrument_id, date))
    db.execute("INSERT INTO snapshots (date, ticker, asset, quantity, cost_basis, cost_complete, currency, taken_at,"
               " stale, inputs_date) VALUES ('2026-01-08', 'MSTR', 'BTC', '672603', '1', 1, 'USD',"
               " '2026-01-08T06:30:00Z', 1, '2026-01-05')")
    db.execute("CREATE INDEX snapshots_by_stale ON snapshots (stale)")   # what a user or later migration added
    db.conn.commit()
    db.close()


@pytest.fixture
def migrated(tmp_path, monkeypatch):
    import dattrack.store.schema as schema

    monkeypatch.setattr(schema, "_bundled", lambda name: BUNDLED.get(name, []))
    path = tmp_path / "old.db"
    old_database(path)
    store = open_store(path)
    yield store
    store.close()


def test_m008_fills_known_on_of_every_origin(migrated):
    known = dict(migrated.query("SELECT id, known_on FROM events"))
    assert known == {
        1: "2025-11-17",    # seed, matched in data/: its known_on column
        2: "2025-11-30",    # seed, the data row has none: its date
        3: "2025-12-05",    # data/ says a day before its date: its date, not the day it was loaded
        4: "2025-12-08",    # coingecko: the transaction's date
        5: "2026-02-19",    # sec: the filing date its note names
        6: "2026-01-07",    # manual: the UTC date it was recorded
        7: "2026-01-06",    # import: likewise
        8: "2026-01-07",    # treasury-list: likewise
        9: "2026-01-08",    # recorded before provenance (no recorded_at): its date
    }
    assert migrated.query("SELECT count(*) FROM events WHERE estimate IS NOT NULL")[0][0] == 0


def test_m008_fills_facts_and_instruments(migrated):
    facts = {(n, d): k for n, d, k in migrated.query("SELECT name, date, known_on FROM facts")}
    assert facts == {("shares_basic", "2025-09-30"): "2025-11-03",   # data/'s column
                     ("cash", "2025-09-30"): "2025-09-29",           # data/'s column, a day before its date
                     ("shares_basic", "2025-12-31"): "2026-02-19",   # SEC: the filing its accession names
                     ("debt", "2026-01-01"): "2026-01-01"}           # by hand, no record of when: its date
    assert dict(migrated.query("SELECT id, origin FROM instruments")) == {1: "seed", 2: "manual"}
    assert migrated.query("SELECT instrument_id, date, known_on FROM instrument_amounts ORDER BY 1, 2") == [
        (1, "2025-09-30", "2025-11-03"), (1, "2025-12-31", "2025-12-31"), (2, "2025-10-01", "2025-10-01")]


def test_m008_keeps_ids_and_drops_the_checks_on_kind_and_origin(migrated):
    """Kinds and origins are checked in Python now: a new origin needs no table rebuild."""
    with migrated.write():
        migrated.execute("DELETE FROM events WHERE id = 9")
        new = migrated.execute("INSERT INTO events (ticker, date, asset, kind, quantity, origin, known_on) VALUES"
                               " ('MSTR', '2026-01-09', 'BTC', 'buy', '1', 'filing', '2026-01-10')").lastrowid
    assert new == 10   # AUTOINCREMENT survived the rebuild: 9 is not handed out again
    names = {r[0] for r in migrated.query("SELECT name FROM sqlite_master WHERE type IN ('index', 'view')")}
    assert {"events_book", "current_holdings", "latest_snapshot", "latest_mnav"} <= names


def test_m008_lets_a_snapshot_say_unknown_and_keeps_its_rows(migrated):
    """Before a book's first disclosure its quantity is unknown: a snapshot row may hold null there."""
    assert migrated.query("SELECT date, quantity, cost_complete, stale, inputs_date FROM latest_snapshot") == [
        ("2026-01-08", "672603", 1, 1, "2026-01-05")]
    with migrated.write():
        migrated.execute("INSERT INTO snapshots (date, ticker, asset, quantity, cost_complete, currency, taken_at)"
                         " VALUES ('2026-01-09', 'MSTR', 'BTC', NULL, NULL, 'USD', '2026-01-09T06:30:00Z')")
    assert migrated.query("SELECT quantity, cost_complete FROM latest_mnav JOIN latest_snapshot USING (ticker)") == [
        (None, None)]
    names = {r[0] for r in migrated.query("SELECT name FROM sqlite_master WHERE tbl_name = 'snapshots'")}
    assert {"snapshots_company", "snapshots_by_stale"} <= names


def test_m008_makes_a_later_known_on_a_revision_not_a_replacement(migrated):
    with migrated.write():
        fact_rows.upsert(migrated, "MSTR", "shares_basic", "2025-12-31", "281000000", "10-K/A", "2026-03-02")
        fact_rows.upsert(migrated, "MSTR", "shares_basic", "2025-12-31", "280500000", "10-K/A", "2026-03-02")
    assert migrated.query("SELECT value, known_on FROM facts WHERE date = '2025-12-31' ORDER BY known_on") == [
        ("280000000", "2026-02-19"), ("280500000", "2026-03-02")]   # the same known_on replaces, a later one adds


# ------------------------------------------------------------------ reading as known on a day

@pytest.fixture
def store(cli, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    handle = open_store(db_path)
    yield handle
    handle.close()


def positions(store, **kwargs):
    from dattrack.app.books import positions_as_of

    return {k: (p.quantity, p.cost_basis) for k, p in
            positions_as_of(store, {"MSTR": {}}, method=kwargs.pop("method", "average"), as_of=kwargs.pop("as_of", None),
                            **kwargs).items()}


def test_a_purchase_counts_from_the_day_it_became_public(cli, store):
    cli.ok("event", "add", "MSTR", "buy", "100", "--total", "9000000", "--date", "2026-02-01",
           "--known-on", "2026-02-02")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000000", "--date", "2026-02-15",
           "--known-on", "2026-02-17")
    before = positions(store, as_of="2026-02-16", known_on="2026-02-16")
    after = positions(store, as_of="2026-02-16", known_on="2026-02-17")
    assert before == {("MSTR", "BTC"): (Decimal(100), Decimal(9000000))}
    assert after == {("MSTR", "BTC"): (Decimal(110), Decimal(10000000))}
    for method in ("fifo", "lifo", "hifo"):
        assert positions(store, as_of="2026-02-16", known_on="2026-02-16", method=method) == before
    # without --known-on every recorded event counts; from today on, known_on changes nothing
    assert positions(store, as_of="2026-02-16") == after
    assert positions(store, known_on="2026-11-21") == positions(store) == after
    assert positions(store, known_on="2026-01-31") == {}   # nothing was public yet: no book


def test_the_fact_in_force_is_the_one_public_then(cli, store):
    cli.ok("fact", "set", "MSTR", "shares_basic", "300", "--date", "2026-01-31", "--known-on", "2026-02-05")
    cli.ok("fact", "set", "MSTR", "shares_basic", "310", "--date", "2026-01-31", "--known-on", "2026-03-01")  # restated
    cli.ok("fact", "set", "MSTR", "shares_basic", "400", "--date", "2026-02-28", "--known-on", "2026-03-10")

    def shares(date, known_on=None):
        fact = fact_rows.in_force(store, "MSTR", date, known_on).get("shares_basic")
        return None if fact is None else (fact.value, fact.date, fact.known_on)

    assert shares("2026-02-10", "2026-02-04") is None             # not public yet
    assert shares("2026-02-10", "2026-02-05") == ("300", "2026-01-31", "2026-02-05")
    assert shares("2026-02-10", "2026-03-01") == ("310", "2026-01-31", "2026-03-01")   # the revision
    assert shares("2026-03-05", "2026-03-05") == ("310", "2026-01-31", "2026-03-01")   # Feb's not out yet
    assert shares("2026-03-05") == ("400", "2026-02-28", "2026-03-10")   # everything recorded
    assert fact_rows.names(store, "MSTR", "2026-02-01") == set()
    assert [f.value for f in fact_rows.for_company(store, "MSTR", "2026-02-20")] == ["300"]
    assert [f.value for f in fact_rows.for_company(store, "MSTR")] == ["310", "400"]


def test_instrument_amounts_as_known_on_a_day(cli, store):
    from dattrack.app.instruments import instruments_in_force

    cli.ok("instrument", "add", "MSTR", "2030 notes", "--kind", "convertible", "--outstanding", "800",
           "--date", "2025-09-30", "--known-on", "2025-11-03")
    cli.ok("instrument", "set", "1", "--outstanding", "850", "--date", "2025-09-30", "--known-on", "2026-02-19")

    def outstanding(known_on):
        return [i.outstanding.value for i in instruments_in_force(store, "MSTR", "2025-12-31", lambda c: None, known_on)]

    assert outstanding("2025-11-02") == []
    assert outstanding("2025-11-03") == [Decimal(800)]
    assert outstanding("2026-02-19") == outstanding(None) == [Decimal(850)]


def test_listing_and_latest_disclosure_as_known_on(cli, store):
    from dattrack.store import events as event_rows

    cli.ok("event", "add", "MSTR", "balance", "100", "--date", "2026-02-01", "--known-on", "2026-02-03")
    cli.ok("event", "add", "MSTR", "buy", "5", "--total", "500", "--date", "2026-02-02", "--known-on", "2026-02-09")
    assert [e["id"] for e in event_rows.listing(store, "MSTR", None, None, None, known_on="2026-02-08")] == [1]
    assert event_rows.listing_count(store, "MSTR", None, None, None, known_on="2026-02-09") == 2
    assert event_rows.latest_disclosure(store, "MSTR", "BTC", "2026-02-05", "2026-02-08").event_id == 1
    assert event_rows.latest_disclosure(store, "MSTR", "BTC", "2026-02-05").event_id == 2
    assert event_rows.latest_disclosure(store, "MSTR", "BTC", "2026-02-05", "2026-02-02") is None
