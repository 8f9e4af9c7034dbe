"""Snapshot honesty: a stored day says what it rests on (input dates, a stale flag, problems by
name), a day whose prices could not be fetched fails the run, and `status` says when the newest
run failed."""

from __future__ import annotations

import sqlite3

import pytest

from dattrack.errors import OperationFailed
from tests.snapshot.test_snapshot import small_ledger


def stored(db_path, view: str = "latest_snapshot", order: str = "ticker") -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(f"SELECT * FROM {view} ORDER BY {order}")]
    finally:
        conn.close()


def test_offline_with_stale_prices_stores_values_flagged_not_unvalued(cli, db_path):
    small_ledger(cli, days=["2026-03-01"])
    result = cli("snapshot", "--offline", "--date", "2026-03-09")   # 8 days after the last close
    assert result.exit_code == 0, result.stderr
    assert "not valued" not in result.stderr
    assert "stored T0 on 2026-03-09 (stale inputs): BTC price is stale (2026-03-01)" in result.stderr
    rows = stored(db_path)
    assert [(r["ticker"], r["value_usd"], r["stale"], r["inputs_date"]) for r in rows] == [
        ("T0", "80000", 1, "2026-03-01"), ("T1", "160000", 1, "2026-03-01")]
    assert "stale" in rows[0]["problems"]
    mnav = stored(db_path, "latest_mnav")
    assert [(r["ticker"], r["stale"], r["share_price_date"]) for r in mnav] == [("T0", 1, "2026-03-01"),
                                                                                 ("T1", 1, "2026-03-01")]


def test_fresh_inputs_are_not_flagged(cli, db_path):
    small_ledger(cli)
    cli.ok("snapshot", "--offline", "--date", "2026-03-03")
    assert [(r["stale"], r["inputs_date"]) for r in stored(db_path)] == [(0, "2026-03-03"), (0, "2026-03-03")]


def test_prices_that_could_not_be_fetched_fail_the_run_and_status_says_so(cli, db_path, monkeypatch):
    from dattrack.providers import http

    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)
    small_ledger(cli, days=["2026-11-20"])  # yesterday's closes are stored; every provider is unreachable
    result = cli("snapshot")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["no network: could not reach 127.0.0.1:9",
                                          "stored on 2026-11-21 with older prices (no network): 2 companies (T0, T1)"]
    rows = stored(db_path)
    assert all(r["value_usd"] is not None and r["stale"] == 1 and "ConnectError" in r["problems"] for r in rows)
    status = cli("status")
    assert status.exit_code == 1
    assert "the newest snapshot run (2026-11-21" in status.stderr
    assert "no network: could not reach 127.0.0.1:9" in status.stderr
    (report,) = __import__("json").loads(cli("status", "--format", "json").stdout)
    assert report["latest_run_failed"] is True and report["runs"][0]["status"] == "failed"


def test_a_run_that_fails_outright_is_logged_and_status_exits_1(cli, db_path, monkeypatch):
    from dattrack.app import prices

    def unreachable(*args, **kwargs):
        raise OperationFailed("network down")

    small_ledger(cli)
    cli.ok("snapshot", "--offline", "--date", "2026-03-03")
    assert cli("status").exit_code == 0  # the newest run succeeded
    monkeypatch.setattr(prices, "fetch_and_store", unreachable)
    assert cli("snapshot").exit_code == 1
    status = cli("status")
    assert status.exit_code == 1 and "failed: network down" in status.stderr
    (run,) = [r for r in stored(db_path, "snapshot_runs", "id") if r["status"] == "failed"]
    assert (run["date"], run["rows"], run["error"]) == ("2026-11-21", 0, "network down")


def test_an_older_database_gains_the_columns_with_its_runs_judged(tmp_path):
    """m004 on a database whose runs predate it: a run with failures becomes 'partial'."""
    from dattrack.store import open_store

    path = tmp_path / "old.db"
    store = open_store(path)
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_snapshot_honesty'")
        conn.execute("DROP VIEW latest_mnav")
        conn.execute("CREATE VIEW latest_mnav AS SELECT DISTINCT ticker FROM latest_snapshot")
        for column in ("stale", "inputs_date"):
            conn.execute(f"ALTER TABLE snapshots DROP COLUMN {column}")
        for column in ("status", "error"):
            conn.execute(f"ALTER TABLE snapshot_runs DROP COLUMN {column}")
        conn.execute("INSERT INTO snapshot_runs (date, started_at, finished_at, companies, rows, failures, offline)"
                     " VALUES ('2026-11-20', 'a', 'b', 2, 2, 1, 0)")
    conn.close()
    open_store(path).close()
    (run,) = stored(path, "snapshot_runs", "id")
    assert run["status"] == "partial" and run["error"] is None
    assert "stale" in stored(path, "pragma_table_info('latest_mnav')", "cid")[-1]["name"]


pytestmark = pytest.mark.usefixtures("isolated_environment")


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_snapshot_stopped_mid_fetch_is_logged_as_failed(cli, db_path, signal_name):
    """A real `dattrack snapshot` blocked on a provider that drips: the signal stops it, nothing of
    that date is stored, and status says the newest run failed, interrupted."""
    import os
    import signal
    import subprocess
    import sys

    from tests.fakes.scripted_server import Answer, ScriptedServer, wait_for

    small_ledger(cli, days=["2026-11-20"])
    with ScriptedServer(default=Answer(200, "x" * 400, drip_every=1.0)) as server:
        env = {**os.environ, "DATTRACK_DB": str(db_path)}
        for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ"):
            env[f"DATTRACK_{name}_URL"] = f"{server.url}/{name.lower()}"
        proc = subprocess.Popen([sys.executable, "-m", "dattrack", "snapshot"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: server.requests, timeout=30)  # fetching, in progress
        proc.send_signal(getattr(signal, signal_name))
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("snapshot did not stop")
    assert proc.returncode == 130 and err.strip().endswith("Error: interrupted"), err
    assert stored(db_path) == []
    status = cli("status")
    assert status.exit_code == 1 and "failed: interrupted" in status.stderr
