"""A database written by the first schema opens with today's code: migrated, nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from dattrack.errors import BadInput
from dattrack.interchange.document import parse_document
from dattrack.interchange.importing import plan_import
from dattrack.store import open_store
from dattrack.store.schema import migrations

MIGRATION_NAMES = migrations.names()

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.db"
DATA_TABLES = ("companies", "assets", "events", "facts", "prices", "positions")


def table_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DATA_TABLES}
    finally:
        conn.close()


def objects(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    finally:
        conn.close()


@pytest.fixture
def v1_copy(db_path):
    shutil.copyfile(FIXTURE, db_path)
    return db_path


def test_the_fixture_is_the_first_schema_with_data(v1_copy):
    assert FIXTURE.stat().st_size < 64_000
    conn = sqlite3.connect(v1_copy)
    assert conn.execute("SELECT name FROM _sqlite_migrations").fetchall() == [(MIGRATION_NAMES[0],)]
    conn.close()
    rows = table_rows(v1_copy)
    assert (len(rows["companies"]), len(rows["events"]), len(rows["facts"]), len(rows["prices"])) == (2, 6, 3, 5)


def test_opening_migrates_and_loses_nothing(cli, v1_copy):
    before = table_rows(v1_copy)
    holdings = cli.json("holdings", "--as-of", "2026-01-31")
    after = table_rows(v1_copy)
    # Every value, every row; later migrations append columns (events.origin, companies.coingecko_id...),
    # and m009 the built-in assets the table lacked.
    kept = {t: [row[:len(before[t][0])] if before[t] else row for row in rows] for t, rows in after.items()}
    assert set(before["assets"]) <= set(kept.pop("assets")) and kept == {t: r for t, r in before.items() if t != "assets"}
    assert {row[10:12] for row in after["events"]} == {("manual", None)}  # m006: not the bundled set, time unknown
    assert [(h["ticker"], h["quantity"], h["cost_basis"]) for h in holdings] == [
        (ticker, Decimal(quantity), Decimal(cost)) for ticker, _, quantity, cost, *_ in before["positions"]]

    found = objects(v1_copy)
    assert {"snapshots": "table", "current_holdings": "view", "latest_snapshot": "view",
            "latest_mnav": "view"}.items() <= found.items()
    conn = sqlite3.connect(v1_copy)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == list(MIGRATION_NAMES)
    assert conn.execute("SELECT ticker, quantity FROM current_holdings").fetchall() == [
        (ticker, quantity) for ticker, _, quantity, *_ in before["positions"]]
    conn.close()
    assert cli.ok("check", "ABC").count("ABC") == 1
    assert len(cli.json("event", "list")) == 6


def test_migration_names_match_the_schema():
    assert tuple(m.name for m in migrations.pending(Database(memory=True))) == MIGRATION_NAMES


def test_a_file_with_snapshots_needs_a_database_that_has_the_table(v1_copy):
    store = open_store(v1_copy, migrate=False)
    try:
        tables = parse_document('{"format": "dattrack-export", "version": 1, "snapshots": '
                                '[{"date": "2026-01-02", "ticker": "ABC", "asset": "BTC"}]}', "file")
        with pytest.raises(BadInput, match="has no snapshots table"):
            plan_import(store, tables)
    finally:
        store.close()


def test_init_saves_the_lot_books_of_an_upgraded_database(cli, v1_copy):
    """The first schema kept no lot books: `init` replays and saves them once, equal to a replay."""
    before = {m: cli.json("holdings", "--method", m) for m in ("fifo", "lifo", "hifo")}  # replayed when read
    cli.ok("init")
    conn = sqlite3.connect(v1_copy)
    kept = conn.execute("SELECT ticker, count(*) FROM lot_books GROUP BY ticker ORDER BY ticker").fetchall()
    positions = conn.execute("SELECT ticker FROM positions ORDER BY ticker").fetchall()
    conn.close()
    assert kept == [(ticker, 3) for (ticker,) in positions] and kept
    assert {m: cli.json("holdings", "--method", m) for m in ("fifo", "lifo", "hifo")} == before
