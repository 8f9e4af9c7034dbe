"""The database file: created by migration, WAL, foreign keys, and which file is used."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from dattrack.store import open_store


def test_the_cheap_check_reads_the_one_list_of_migrations_in_schema():
    """One list: the names the store checks on opening are the decorated functions of schema.py,
    in source order, and reading them imports no sqlite_utils."""
    import subprocess
    import sys

    import dattrack.store.schema as schema

    tree = ast.parse(Path(schema.__file__).read_text())
    decorated = [f.name for f in tree.body if isinstance(f, ast.FunctionDef)
                 and any("migrations" in ast.unparse(d) for d in f.decorator_list)]
    assert schema.migrations.names() == tuple(decorated)
    assert decorated[:8] == ["m001_ledger", "m002_snapshots", "m003_views", "m004_snapshot_honesty", "m005_lots",
                             "m006_provenance", "m007_capital_stack", "m008_known_on"]
    code = ("import sys; from dattrack.store.schema import migrations; migrations.names(); "
            "print('sqlite_utils' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.stdout.strip() == "False", result.stderr


def test_a_new_database_records_every_migration(tmp_path):
    from dattrack.store.schema import migrations

    store = open_store(tmp_path / "new.db")
    try:
        applied = [r[0] for r in store.query(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'dattrack' ORDER BY id")]
    finally:
        store.close()
    assert applied == list(migrations.names())


def test_an_existing_empty_file_becomes_a_dattrack_database(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    cli.ok("--db", str(empty), "company", "add", "MSTR", "--name", "Strategy")
    assert empty.stat().st_size > 0
    conn = sqlite3.connect(empty)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"companies", "events", "facts", "prices", "positions"} <= tables
        assert conn.execute("SELECT ticker FROM companies").fetchall() == [("MSTR",)]
    finally:
        conn.close()


def test_opening_twice_migrates_once(tmp_path):
    from dattrack.store.schema import migrations

    open_store(tmp_path / "d.db").close()
    store = open_store(tmp_path / "d.db")
    try:
        assert store.query("SELECT count(*) FROM _sqlite_migrations")[0][0] == len(migrations.names())
    finally:
        store.close()


def test_wal_mode_and_foreign_keys_are_on(tmp_path):
    store = open_store(tmp_path / "d.db")
    try:
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"
        assert store.query("PRAGMA foreign_keys")[0][0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with store.write():
                store.execute("INSERT INTO events (ticker, date, asset, kind, quantity) "
                              "VALUES ('GHOST', '2025-01-01', 'BTC', 'buy', '1')")
        assert store.query("SELECT count(*) FROM events")[0][0] == 0
    finally:
        store.close()
    conn = sqlite3.connect(tmp_path / "d.db")
    try:  # WAL is a property of the file: it persists for every later connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_a_failed_write_rolls_back_everything(tmp_path):
    store = open_store(tmp_path / "d.db")
    try:
        with pytest.raises(RuntimeError):
            with store.write():
                store.execute("INSERT INTO companies (ticker, name, quote_symbol) VALUES ('A', 'A', 'A')")
                raise RuntimeError("halfway")
        assert store.query("SELECT count(*) FROM companies")[0][0] == 0
    finally:
        store.close()


def test_dattrack_db_environment_variable_chooses_the_file(cli, tmp_path, monkeypatch):
    chosen = tmp_path / "elsewhere" / "env.db"
    monkeypatch.setenv("DATTRACK_DB", str(chosen))
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    assert chosen.exists()
    assert not (tmp_path / "dattrack.db").exists()


def test_db_option_wins_over_the_environment_variable(cli, tmp_path, monkeypatch):
    env_db = tmp_path / "env.db"
    option_db = tmp_path / "option.db"
    monkeypatch.setenv("DATTRACK_DB", str(env_db))
    cli.ok("--db", str(option_db), "company", "add", "MSTR", "--name", "Strategy")
    assert option_db.exists()
    assert not env_db.exists()
    assert [r["ticker"] for r in cli.json("--db", str(option_db), "company", "list")] == ["MSTR"]


def test_default_database_lives_in_the_user_data_directory(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("DATTRACK_DB")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    data_home = tmp_path / "home" / ".local" / "share"       # XDG_DATA_HOME of the test
    found = list(data_home.rglob("*.db"))
    assert found, list((tmp_path / "home").rglob("*"))
    assert found[0].parent.name == "dattrack"
    assert not (tmp_path / "dattrack.db").exists()
    assert [r["ticker"] for r in cli.json("--db", str(found[0]), "company", "list")] == ["MSTR"]


def test_offline_commands_do_not_import_httpx(tmp_path):
    import os
    import subprocess
    import sys

    db = tmp_path / "d.db"
    open_store(db).close()  # a read never creates the database: it exists
    code = (
        "import sys\n"
        "from dattrack.cli.app import main\n"
        f"sys.argv = ['dattrack', '--db', {str(db)!r}, 'holdings', '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"  # main() always exits with the command's code: it must be 0
        "    print('exit', exc.code)\n"
        "print('httpx' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["exit 0", "False"], (result.stdout, result.stderr)


@pytest.mark.parametrize("args", [["event", "list", "--format", "json"], ["check", "--format", "json"],
                                  ["company", "list"], ["pnl", "--format", "csv"]])
def test_other_offline_commands_do_not_import_httpx(tmp_path, args):
    import os
    import subprocess
    import sys

    db = tmp_path / "d.db"
    open_store(db).close()  # a read never creates the database: it exists
    code = (
        "import sys\n"
        "from dattrack.cli.app import main\n"
        f"sys.argv = ['dattrack', '--db', {str(db)!r}, *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"  # main() always exits with the command's code: it must be 0
        "    print('exit', exc.code)\n"
        "print('httpx' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.stdout.strip().splitlines()[-2:] == ["exit 0", "False"], (result.stdout, result.stderr)


def test_m006_keeps_ids_views_indexes_and_columns_other_migrations_added(tmp_path):
    """Events written before provenance: origin filled, ids continue after the highest ever used,
    and what another migration built on events survives the table's rebuild."""
    import sqlite3

    from sqlite_utils import Database

    from dattrack.store import open_store
    from dattrack.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m006_provenance")
    db.execute("INSERT INTO companies (ticker, name, quote_symbol) VALUES ('MSTR', 'Strategy', 'MSTR')")
    db.execute("ALTER TABLE events ADD COLUMN flagged INTEGER DEFAULT 0")
    db.execute("CREATE INDEX events_source ON events (source)")
    db.execute("CREATE VIEW all_events AS SELECT * FROM events")
    for n in (1, 2, 3):
        db.execute("INSERT INTO events (id, ticker, date, asset, kind, quantity, amount, flagged) VALUES"
                   " (?, 'MSTR', '2025-01-0' || ?, 'BTC', 'buy', '1', '10', 1)", (n, n))
    db.execute("DELETE FROM events WHERE id = 3")  # before m006, id 3 would be handed out again
    db.conn.commit()
    db.close()
    store = open_store(path)
    try:
        rows = store.query("SELECT id, origin, recorded_at, flagged FROM events ORDER BY id")
        assert rows == [(1, "manual", None, 1), (2, "manual", None, 1)]
        names = {r[0] for r in store.query("SELECT name FROM sqlite_master")}
        assert {"events_source", "events_book", "all_events", "sync_runs"} <= names
        assert store.query("SELECT count(*) FROM all_events")[0][0] == 2
        with store.write():
            store.execute("DELETE FROM events WHERE id = 2")
            new = store.execute("INSERT INTO events (ticker, date, asset, kind, quantity, known_on) VALUES"
                                " ('MSTR', '2025-02-01', 'BTC', 'balance', '1', '2025-02-01')").lastrowid
        assert new == 3  # after the highest id present at the migration; 2 is not reused
    finally:
        store.close()
