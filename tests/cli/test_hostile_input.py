"""Hostile input: every case gets its exit code (2 bad input, 1 an operation failed), one
`Error:` line naming the real cause, no "unexpected", no hang, nothing written."""

from __future__ import annotations

import decimal
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.conftest import db_state

ESC_NAME = "Evil\x1b[2J\x1b]8;;http://evil.example\x07link\x9b31m\u202eright"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


def one_error(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "unexpected" not in lines[0] and "Traceback" not in result.stderr
    return lines[0]


def no_raw_controls(text: str) -> None:
    for control in RAW_CONTROLS:
        assert control not in text, repr(text)


# -- text from the database, files and providers never reaches the terminal raw ----------------

def test_escape_sequences_in_names_are_shown_not_obeyed(cli):
    added = cli("company", "add", "EVIL", "--name", ESC_NAME)
    assert added.exit_code == 0
    no_raw_controls(added.stdout)
    assert "\\x1b[2J" in added.stdout                           # visible, so the user sees what is there
    cli.ok("event", "add", "EVIL", "buy", "1", "--date", "2025-01-02", "--total", "5", "--note", ESC_NAME,
           "--source", ESC_NAME)
    for args in (("company", "list"), ("company", "show", "EVIL"), ("event", "list"), ("holdings",),
                 ("event", "list", "--format", "csv"), ("company", "list", "--format", "json")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        no_raw_controls(result.stdout + result.stderr)
    (row,) = cli.json("company", "list")
    assert row["name"] == ESC_NAME                              # JSON escapes, and keeps the exact text
    failed = cli("company", "show", "\x1b[2Jx")
    no_raw_controls(one_error(failed, 2))


def test_a_key_echoed_back_by_a_provider_is_scrubbed_everywhere(cli, monkeypatch):
    from tests.fakes.scripted_server import Answer, ScriptedServer

    key = "CG-echoed-KEY-98765"
    monkeypatch.setenv("COINGECKO_API_KEY", key)
    echo = json.dumps({"companies": [{"name": f"Echo {key}", "symbol": "ECHO.US", "total_holdings": 1}]})
    with ScriptedServer({"/api/v3/companies/public_treasury/bitcoin": Answer(200, echo),
                         "/api/v3/companies/public_treasury/ethereum": Answer(401, json.dumps(
                             {"status": {"error_code": 10002, "error_message": f"bad key {key}"}}))}) as server:
        monkeypatch.setenv("DATTRACK_COINGECKO_URL", server.url + "/api/v3")
        imported = cli("import", "--from", "coingecko-treasury", "--coin", "BTC")
        refused = cli("import", "--from", "coingecko-treasury", "--coin", "ETH")
    assert imported.exit_code == 0, imported.stderr
    assert refused.exit_code == 1 and "bad key ***" in refused.stderr
    shown = cli("company", "list")
    for output in (imported.stdout + imported.stderr, refused.stdout + refused.stderr, shown.stdout,
                   cli("company", "list", "--format", "json").stdout, cli("event", "list", "--format", "csv").stdout):
        assert key not in output


def test_a_key_echoed_back_never_reaches_a_traceback_a_log_line_or_the_database(cli, monkeypatch, db_path,
                                                                              caplog):
    """`--debug` shows tracebacks, and a provider's error message is in them; a name that carries the
    key is stored; httpx logs each request: the key is *** in all of them."""
    import logging

    from tests.fakes.scripted_server import Answer, ScriptedServer

    key = "CG-echoed-KEY-98765"
    monkeypatch.setenv("COINGECKO_API_KEY", key)
    echo = json.dumps({"companies": [{"name": f"Echo {key}", "symbol": "ECHO.US", "total_holdings": 1}]})
    with ScriptedServer({"/api/v3/companies/public_treasury/bitcoin": Answer(200, echo),
                         "/api/v3/companies/public_treasury/ethereum": Answer(401, json.dumps(
                             {"status": {"error_code": 10002, "error_message": f"bad key {key}"}}))}) as server:
        monkeypatch.setenv("DATTRACK_COINGECKO_URL", server.url + "/api/v3")
        with caplog.at_level(logging.DEBUG):
            imported = cli("--debug", "import", "--from", "coingecko-treasury", "--coin", "BTC")
            refused = cli("--debug", "import", "--from", "coingecko-treasury", "--coin", "ETH")
    assert imported.exit_code == 0, imported.stderr
    assert refused.exit_code == 1 and "Traceback" in refused.stderr and "bad key ***" in refused.stderr
    assert "HTTP Request" in caplog.text
    conn = sqlite3.connect(db_path)
    try:
        stored = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert "Echo ***" in stored
    for text in (imported.stdout + imported.stderr, refused.stdout + refused.stderr, caplog.text, stored):
        assert key not in text


# -- numbers, ids, tickers --------------------------------------------------------------------

@pytest.mark.parametrize("quantity", ["1e1000000", "1e-1000000", "9" * 5000])
def test_numbers_beyond_every_limit_are_bad_input(cli, refused, quantity):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    refused("event", "add", "MSTR", "buy", quantity, "--date", "2025-01-02", "--total", "1")
    refused("price", "set", "BTC", quantity, "--date", "2025-01-02")


@pytest.mark.parametrize("event_id", ["99999999999999999999999", str(2 ** 63), "-1", "0"])
def test_ids_beyond_64_bits_are_bad_input(cli, refused, event_id):
    cli.ok("init")
    line = refused("event", "rm", "--", event_id)
    assert "no event with id" in line


def test_non_ascii_tickers_are_refused_not_case_mapped(cli, refused):
    cli.ok("company", "add", "SS", "--name", "Double S")
    assert "ß" in refused("company", "add", "ß", "--name", "Sharp S")
    refused("company", "show", "ß")                             # 'ß'.upper() is 'SS': it must not find SS
    refused("event", "add", "ß", "buy", "1", "--date", "2025-01-02", "--total", "1")
    refused("company", "add", "ＭＳＴＲ", "--name", "Fullwidth")


@pytest.mark.parametrize("amount", [("--price", "0"), ("--total", "0"), ("--price", "0.0")])
def test_a_buy_for_nothing_is_refused(cli, refused, amount):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    assert "greater than 0" in refused("event", "add", "MSTR", "buy", "1", "--date", "2025-01-02", *amount)


# -- garbage in the environment ---------------------------------------------------------------

@pytest.mark.parametrize("variable, value, args", [
    ("DATTRACK_TODAY", "garbage", ("holdings",)),
    ("DATTRACK_TODAY", "2026-02-30", ("holdings",)),
    ("DATTRACK_LOCK_TIMEOUT", "abc", ("snapshot", "--offline")),
    ("DATTRACK_LOCK_TIMEOUT", "nan", ("holdings",)),
    ("COLUMNS", "wide", ("company", "list")),
    ("COLUMNS", "-5", ("company", "list")),
])
def test_garbage_in_the_environment_is_one_line(cli, monkeypatch, variable, value, args):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    monkeypatch.setenv(variable, value)
    assert variable in one_error(cli(*args), 2)


@pytest.mark.parametrize("as_of", ["0001-01-01", "0001-01-07"])
def test_flows_at_the_start_of_the_calendar(cli, as_of):
    cli.ok("company", "add", "OLD", "--name", "Old")
    cli.ok("event", "add", "OLD", "buy", "2", "--date", "0001-01-01", "--total", "5")
    (row,) = cli.json("flows", "--as-of", as_of, "--since", "0001-01-01")
    assert row["quantity"] == 2 and row["change_since"] == 2 and row["change_ytd"] == 2


@pytest.mark.parametrize("args", [("price", "fetch", "--date", "0001-01-02"), ("snapshot", "--date", "0001-01-05")])
def test_fetching_before_providers_count_time_is_bad_input(cli, refused, args):
    cli.ok("company", "add", "OLD", "--name", "Old")
    assert "earliest date to fetch is 1970-01-02" in refused(*args)


def test_flows_at_the_end_of_the_calendar(cli, monkeypatch):
    monkeypatch.setenv("DATTRACK_TODAY", "9999-12-31")
    cli.ok("company", "add", "LATE", "--name", "Late")
    cli.ok("event", "add", "LATE", "buy", "3", "--date", "9999-12-31", "--total", "5")
    (row,) = cli.json("flows")
    assert row["quantity"] == 3 and row["change_1d"] == 3


def test_a_closed_pipe_ends_quietly(db_path):
    env = {**os.environ, "DATTRACK_DB": str(db_path)}
    subprocess.run([sys.executable, "-m", "dattrack", "init", "--seed"], env=env, check=True, capture_output=True)
    listing = subprocess.Popen([sys.executable, "-m", "dattrack", "event", "list"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    listing.stdout.readline()                                   # `| head -1`: read a line...
    listing.stdout.close()                                      # ...and go away
    err = listing.stderr.read()
    listing.wait(timeout=60)
    assert listing.returncode == 0 and err == b""


# -- event import: hostile CSV files ------------------------------------------------------------

HEADER = "ticker,date,kind,quantity,total\n"


@pytest.mark.parametrize("content, named", [
    ((HEADER.replace("total", "kind") + "MSTR,2025-01-02,buy,1,buy\n").encode(), "row 1: the header names kind"),
    ((HEADER + "MSTR,2025-01-02,buy,1,5\nMSTR,2025-01-03,buy,1,\"" + "x" * 200_000 + "\"\n").encode(), "row 3"),
    (HEADER.encode() + b"MSTR,2025-01-02,buy,1,5\nMSTR,2025-01-0\xff,buy,1,5\n", "row 3: not UTF-8"),
    ((HEADER + "MSTR,2025-01-02,buy,1,5\n").encode("utf-16"), "row 1: the file is UTF-16"),
])
def test_hostile_csv_files_are_refused_naming_the_row(cli, refused, tmp_path, content, named):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    assert named in refused("event", "import", path)


def test_an_export_with_an_id_beyond_64_bits_is_refused(cli, refused, tmp_path):
    cli.ok("init")
    path = tmp_path / "export.json"
    path.write_text('{"format": "dattrack-export", "version": 1, "events": [{"id": 18446744073709551616}]}')
    assert "64-bit" in refused("import", path)
    path.write_text('{"format": "dattrack-export", "version": 1, "events": [{"id": 1' + "0" * 5000 + "}]}")
    refused("import", path)


# -- the database file --------------------------------------------------------------------------

def test_a_fifo_as_the_database_is_refused_without_hanging(cli, tmp_path):
    fifo = tmp_path / "db.fifo"
    os.mkfifo(fifo)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(r=cli("--db", str(fifo), "holdings")), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "dattrack hung opening a FIFO"
    assert "not a regular file" in one_error(result["r"], 2)


def test_tilde_means_the_home_directory(cli, monkeypatch, isolated_environment):
    home = isolated_environment / "home"
    cli.ok("--db", "~/by-option.db", "init")
    monkeypatch.setenv("DATTRACK_DB", "~/by-variable.db")
    cli.ok("init")
    assert (home / "by-option.db").is_file() and (home / "by-variable.db").is_file()
    assert not Path("~").exists()


def test_a_corrupt_database_is_named_corrupt(cli, db_path):
    cli.ok("init", "--seed")
    data = bytearray(db_path.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xa5" * (4096 * 4)              # pages after the header: garbage
    db_path.write_bytes(bytes(data))
    line = one_error(cli("event", "list"), 2)
    assert "corrupt" in line and str(db_path) in line


def test_a_database_locked_past_the_timeout_is_an_operation_that_failed(cli, db_path, monkeypatch):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    before = db_state(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")                           # another program holds the write lock
    monkeypatch.setenv("DATTRACK_LOCK_TIMEOUT", "0.2")
    try:
        line = one_error(cli("event", "add", "MSTR", "buy", "1", "--date", "2025-01-02", "--total", "5"), 1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in line or "locked" in line
    assert db_state(db_path)["dump"] == before["dump"]


def test_a_full_disk_is_an_operation_that_failed_and_writes_nothing(db_path):
    """SQLite's own 'database or disk is full', raised mid-transaction (max_page_count caps the file)."""
    from dattrack.app.companies import add_company
    from dattrack.app.events import EventInput, record_events
    from dattrack.errors import OperationFailed
    from dattrack.store import open_store

    store = open_store(db_path)
    try:
        with store.write():
            add_company(store, "MSTR", "Strategy")
        pages = store.query("PRAGMA page_count")[0][0]
        store.execute(f"PRAGMA max_page_count = {pages + 1}")
        entries = [(n, EventInput("MSTR", "2025-01-02", "buy", None, "1", None, str(n), None, "x" * 500, None))
                   for n in range(1, 400)]
        with pytest.raises(OperationFailed) as failure:
            with store.write():
                record_events(store, entries)
        assert "full" in str(failure.value) and failure.value.exit_code == 1
        assert store.query("SELECT count(*) FROM events")[0][0] == 0
    finally:
        store.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_database_reads_and_refuses_writes_as_an_operation_that_failed(cli, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    db_path.chmod(0o444)
    try:
        assert "MSTR" in cli.ok("company", "list")
        line = one_error(cli("company", "add", "ABC", "--name", "Abc"), 1)
        assert "read-only" in line
    finally:
        db_path.chmod(0o644)


def test_numbers_are_exact_in_every_thread():
    import dattrack.numbers  # noqa: F401 - sets the context

    seen = {}
    worker = threading.Thread(target=lambda: seen.update(prec=decimal.getcontext().prec,
                                                         third=decimal.Decimal(1) / 3))
    worker.start()
    worker.join()
    assert seen["prec"] == 80 and len(str(seen["third"])) == 82


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_output_to_a_full_disk_is_an_operation_that_failed(db_path):
    env = {**os.environ, "DATTRACK_DB": str(db_path)}
    subprocess.run([sys.executable, "-m", "dattrack", "init", "--seed"], env=env, check=True, capture_output=True)
    for args in (["export"], ["event", "list"], ["event", "list", "--format", "json"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run([sys.executable, "-m", "dattrack", *args], env=env, stdout=full,
                                    stderr=subprocess.PIPE, text=True, timeout=60)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr == "Error: the disk is full: could not write the output\n", result.stderr
    report = subprocess.run([sys.executable, "-m", "dattrack", "report", "--out", "/dev/full"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert report.returncode == 1 and "No space left" in report.stderr
    assert Path("/dev/full").is_char_device()  # written to, never replaced by a file (even as root)


def test_a_report_through_a_symlink_replaces_the_file_not_the_link(cli, tmp_path):
    cli.ok("init", "--seed")
    real = tmp_path / "reports" / "latest.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "report.html"
    link.symlink_to(real)
    cli.ok("report", "--out", str(link))
    assert link.is_symlink() and "<html" in real.read_text().lower()


def test_a_database_that_refuses_writes_is_named_read_only(db_path):
    """SQLite's own 'attempt to write a readonly database' (query_only makes it so even for root)."""
    from dattrack.app.companies import add_company
    from dattrack.errors import OperationFailed
    from dattrack.store import open_store

    store = open_store(db_path)
    try:
        store.execute("PRAGMA query_only = ON")
        with pytest.raises(OperationFailed) as failure:
            with store.write():
                add_company(store, "MSTR", "Strategy")
        assert "read-only" in str(failure.value) and failure.value.exit_code == 1
        assert "rollback" not in str(failure.value)
    finally:
        store.close()
