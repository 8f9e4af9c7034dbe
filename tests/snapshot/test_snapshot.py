"""The cron job: atomic, idempotent, safe under overlap and SIGKILL, honest exit codes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from tests.fakes.scripted_server import wait_for

DAYS = ["2026-03-01", "2026-03-02", "2026-03-03"]


def small_ledger(cli, companies: int = 2, days: list[str] = DAYS) -> None:
    """USD companies holding BTC, with a BTC close and a share close every day."""
    for n in range(companies):
        ticker = f"T{n}"
        cli.ok("company", "add", ticker, "--name", f"Treasury {n}")
        cli.ok("event", "add", ticker, "buy", str(n + 1), "--date", "2026-02-01", "--total", "60000")
        cli.ok("fact", "set", ticker, "shares_basic", "1000000", "--date", "2026-02-01")
        for day in days:
            cli.ok("price", "set", ticker, "10", "--date", day)
    for day in days:
        cli.ok("price", "set", "BTC", "80000", "--date", day)


def snapshot_rows(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT date, count(*) FROM snapshots GROUP BY date").fetchall())


def test_a_date_is_stored_once_however_often_it_runs(cli, db_path):
    small_ledger(cli)
    for _ in range(3):
        cli.ok("snapshot", "--offline", "--date", "2026-03-02")
    assert snapshot_rows(db_path) == {"2026-03-02": 2}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM snapshot_runs").fetchone()[0] == 3


def test_values_in_a_row(cli, db_path):
    small_ledger(cli)
    cli.ok("snapshot", "--offline", "--date", "2026-03-02")
    rows = cli.json("history", "T1")
    (row,) = rows
    assert row["quantity"] == 2 and row["price"] == 80000
    assert row["value_usd"] == 160000                       # 2 BTC x 80,000
    assert row["unrealized_pnl"] == 100000                  # 160,000 - 60,000
    assert row["market_cap"] == 10000000                    # 10 x 1,000,000 shares
    assert row["mnav"] == Decimal("62.5")                   # 10,000,000 / 160,000


def test_quiet_prints_nothing_when_every_company_is_valued(cli):
    small_ledger(cli)
    result = cli("snapshot", "--offline", "--quiet", "--date", "2026-03-03")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_backfill_stores_each_date(cli, db_path):
    small_ledger(cli)
    cli.ok("snapshot", "--offline", "--since", "2026-03-01", "--date", "2026-03-03")
    assert snapshot_rows(db_path) == {day: 2 for day in DAYS}


def test_a_company_without_prices_is_named_and_the_rest_stored(cli, db_path):
    small_ledger(cli)
    cli.ok("company", "add", "NOPX", "--name", "No prices")
    cli.ok("event", "add", "NOPX", "buy", "1", "--date", "2026-02-01", "--total", "1")
    result = cli("snapshot", "--offline", "--date", "2026-03-02")
    assert result.exit_code == 1
    assert "NOPX" in result.stderr and "share price" in result.stderr
    assert "T0" not in result.stderr
    assert snapshot_rows(db_path) == {"2026-03-02": 3}      # NOPX's row is stored too, with nulls


def test_quiet_still_reports_failures(cli):
    small_ledger(cli)
    cli.ok("company", "add", "NOPX", "--name", "No prices")
    result = cli("snapshot", "--offline", "--quiet", "--date", "2026-03-02")
    assert result.exit_code == 1 and result.stdout == ""
    assert "NOPX" in result.stderr


def test_future_and_reversed_dates_are_bad_input(cli, db_path):
    small_ledger(cli)
    assert cli("snapshot", "--offline", "--date", "2030-01-01").exit_code == 2
    assert cli("snapshot", "--offline", "--since", "2026-03-03", "--date", "2026-03-01").exit_code == 2
    assert snapshot_rows(db_path) == {}


# ---------------------------------------------------------------- processes

def dattrack(db_path, *args, env=None, **kwargs) -> subprocess.Popen:
    env = env or {**os.environ, "DATTRACK_DB": str(db_path)}
    return subprocess.Popen([sys.executable, "-m", "dattrack", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def backfill_ledger(cli):
    """12 companies priced over 40 days: a backfill long enough to be interrupted."""
    days = [f"2026-01-{d:02d}" for d in range(1, 32)] + [f"2026-02-{d:02d}" for d in range(1, 10)]
    small_ledger(cli, companies=12, days=days)
    return days


def run_count(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM snapshot_runs").fetchone()[0]


def lines_of(stream, into: list[str]) -> threading.Thread:
    """Collect a child's stderr lines as they come (to see it wait), on a thread."""
    reader = threading.Thread(target=lambda: into.extend(iter(stream.readline, "")), daemon=True)
    reader.start()
    return reader


def test_two_runs_at_once_wait_for_the_lock_and_neither_duplicates(backfill_ledger, db_path):
    from dattrack.app.snapshot import run_lock

    with run_lock(db_path, wait_s=0):  # a run in progress: both new runs must queue behind it
        procs = [dattrack(db_path, "snapshot", "--offline", "--since", "2026-01-01", "--date", "2026-02-09")
                 for _ in range(2)]
        errors: list[list[str]] = [[], []]
        readers = [lines_of(proc.stderr, lines) for proc, lines in zip(procs, errors)]
        waiting = "another snapshot is running on this database; waiting for it\n"
        assert wait_for(lambda: all(waiting in lines for lines in errors), timeout=60), errors  # contended
        assert snapshot_rows(db_path) == {}  # nothing written while the lock was held
    for proc, reader, lines in zip(procs, readers, errors):
        proc.wait(timeout=120)
        reader.join(timeout=10)
        assert proc.returncode == 0, lines
        assert not any("Traceback" in line or "locked" in line for line in lines)
    assert snapshot_rows(db_path) == {day: 12 for day in backfill_ledger}


def test_a_lock_held_past_the_timeout_is_an_operation_that_failed(backfill_ledger, db_path, tmp_path):
    """Through a symlink too: the lock sits beside the real file, so both paths share it."""
    from dattrack.app.snapshot import run_lock

    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    with run_lock(db_path, wait_s=0):
        proc = dattrack(link, "snapshot", "--offline", "--date", "2026-02-09",
                        env={**os.environ, "DATTRACK_DB": str(link), "DATTRACK_LOCK_TIMEOUT": "0.5"})
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.splitlines()[-1].startswith("Error: another snapshot has held") and f"{db_path}.snapshot.lock" in err
    assert not Path(f"{link}.snapshot.lock").exists()
    assert snapshot_rows(db_path) == {}


def test_sigkill_mid_backfill_leaves_every_date_complete_or_absent(backfill_ledger, db_path):
    dates = len(backfill_ledger)
    for _ in range(4):
        before = run_count(db_path)
        proc = dattrack(db_path, "snapshot", "--offline", "--since", "2026-01-01", "--date", "2026-02-09")
        # Work in progress: at least one date committed by this run...
        assert wait_for(lambda: run_count(db_path) > before or proc.poll() is not None, timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # ...and not all of them: the kill interrupted the backfill (a run that finished proves nothing).
        assert proc.returncode == -signal.SIGKILL and run_count(db_path) - before < dates
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts = dict(conn.execute("SELECT date, count(*) FROM snapshots GROUP BY date").fetchall())
        assert counts and all(count == 12 for count in counts.values()), counts
    final = dattrack(db_path, "snapshot", "--offline", "--since", "2026-01-01", "--date", "2026-02-09")
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert snapshot_rows(db_path) == {day: 12 for day in backfill_ledger}
