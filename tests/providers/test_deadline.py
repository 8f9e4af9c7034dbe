"""DATTRACK_DEADLINE bounds a whole network command: a server that drips a byte a second cannot hold
`price fetch`, `sync` or `snapshot` past it. What finished is kept, what did not is named, exit 1.

Each command runs as its own process against a local server whose unscripted paths drip for
minutes; the subprocess timeout is only the net under the test (a hold would reach it and fail)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dattrack import deadline
from dattrack.errors import BadInput
from tests.fakes.disclosures import transaction
from tests.fakes.provider_server import _dumps as dumps
from tests.fakes.scripted_server import Answer, ScriptedServer, wait_for

DRIP = Answer(200, json.dumps({"padding": "x" * 600}), drip_every=1.0)   # ten minutes to finish
BTC_NOW = json.dumps({"bitcoin": {"usd": 90000, "last_updated_at": 1763683200}})   # 2025-11-21 00:00 UTC
NET = 120   # seconds: far beyond the deadline below, far below what the drip would take


def run(args, env, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dattrack", *args], env={**env, "DATTRACK_DB": str(db)},
                          capture_output=True, text=True, timeout=NET)


def environment(server: ScriptedServer, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATTRACK_DEADLINE": "3", "DATTRACK_TODAY": "2025-11-21"}
    env.pop("DATTRACK_SEC_USER_AGENT", None)
    for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ", "SEC", "SEC_FILES"):
        env[f"DATTRACK_{name}_URL"] = f"{server.url}/{name.lower()}"
    return {**env, **extra}


def stored(db, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_drip_cannot_hold_price_fetch_past_the_deadline(tmp_path):
    db = tmp_path / "prices.db"
    with ScriptedServer({"/coingecko/simple/price": Answer(200, BTC_NOW)}, default=DRIP) as server:
        env = environment(server)
        run(["company", "add", "MSTR", "--name", "Strategy"], env, db).check_returncode()
        fetched = run(["price", "fetch"], env, db)
    assert fetched.returncode == 1, fetched.stderr
    assert stored(db, "SELECT symbol, price FROM prices") == [("BTC", "90000")]       # what finished is kept
    assert fetched.stderr.splitlines() == [
        "not fetched: the command's deadline passed (DATTRACK_DEADLINE=3 s): 1 price (MSTR)"]
    assert "Traceback" not in fetched.stderr


def test_a_drip_cannot_hold_sync_past_the_deadline(tmp_path):
    db = tmp_path / "sync.db"
    history = dumps({"transactions": [transaction("2025-10-01", "buy", 5, 500000, 105)]})
    with ScriptedServer({"/coingecko/public_treasury/fast/transaction_history": Answer(200, history)},
                        default=DRIP) as server:
        env = environment(server)
        for ticker, entity in (("FAST", "fast"), ("SLOW", "slow")):
            run(["company", "add", ticker, "--name", ticker, "--coingecko-id", entity], env, db).check_returncode()
        synced = run(["sync", "--source", "coingecko"], env, db)
    assert synced.returncode == 1, synced.stderr
    assert stored(db, "SELECT DISTINCT ticker FROM events") == [("FAST",)]            # the company that answered
    assert synced.stderr.splitlines() == [
        "not fetched: the command's deadline passed (DATTRACK_DEADLINE=3 s): 1 company (SLOW)"]


def test_a_drip_cannot_hold_snapshot_past_the_deadline(tmp_path):
    db = tmp_path / "snapshot.db"
    with ScriptedServer({"/coingecko/simple/price": Answer(200, BTC_NOW)}, default=DRIP) as server:
        env = environment(server)
        run(["company", "add", "MSTR", "--name", "Strategy"], env, db).check_returncode()
        run(["event", "add", "MSTR", "buy", "1", "--date", "2025-01-02", "--total", "50000"], env, db).check_returncode()
        snap = run(["snapshot", "--quiet"], env, db)
    assert snap.returncode == 1, snap.stderr
    assert stored(db, "SELECT ticker, quantity FROM snapshots") == [("MSTR", "1")]
    assert "deadline passed" in snap.stderr


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", "1e30"])
def test_a_malformed_deadline_is_one_line_of_bad_input(value, monkeypatch):
    monkeypatch.setenv("DATTRACK_DEADLINE", value)
    with pytest.raises(BadInput, match="DATTRACK_DEADLINE"):
        deadline.seconds()


def test_the_deadline_counts_from_the_start_of_the_command(monkeypatch):
    monkeypatch.setenv("DATTRACK_DEADLINE", "60")
    deadline.start(now=1000.0)
    try:
        assert deadline.end() == 1060.0
    finally:
        deadline.stop()
    monkeypatch.delenv("DATTRACK_DEADLINE")
    assert deadline.seconds() == deadline.DEFAULT_S


def test_a_backfill_stops_starting_dates_at_the_deadline_and_keeps_those_taken(tmp_path):
    db = tmp_path / "backfill.db"
    with ScriptedServer(default=DRIP) as server:
        env = environment(server)
        run(["company", "add", "MSTR", "--name", "Strategy"], env, db).check_returncode()
        run(["event", "add", "MSTR", "buy", "1", "--date", "2025-01-02", "--total", "50000"], env, db).check_returncode()
        run(["price", "set", "BTC", "80000", "--date", "2025-10-31"], env, db).check_returncode()
        snap = run(["snapshot", "--quiet", "--since", "2025-11-01", "--date", "2025-11-21"], env, db)
    assert snap.returncode == 1, snap.stderr
    taken = [day for (day,) in stored(db, "SELECT DISTINCT date FROM snapshots ORDER BY date")]
    assert taken and taken[0] == "2025-11-01" and len(taken) < 21       # the first dates, with older prices
    (line,) = [line for line in snap.stderr.splitlines() if line.startswith("not taken")]
    assert line == (f"not taken: {dt.date(2025, 11, 1) + dt.timedelta(days=len(taken))} to 2025-11-21 "
                    f"({21 - len(taken)} dates): the command's deadline passed (DATTRACK_DEADLINE=3 s)")


# -- Ctrl-C within seconds, everywhere -----------------------------------------------------------

NETWORK_COMMANDS = [("price", "fetch"), ("sync",), ("snapshot", "--sync"), ("fact", "sync"), ("filings",),
                    ("import", "--from", "coingecko-treasury", "--coin", "BTC")]


@pytest.mark.parametrize("args", NETWORK_COMMANDS, ids=" ".join)
def test_ctrl_c_stops_every_network_command_within_seconds(tmp_path, args):
    db = tmp_path / "interrupted.db"
    with ScriptedServer(default=DRIP) as server:
        env = environment(server, DATTRACK_DEADLINE="600", DATTRACK_SEC_USER_AGENT="Jane Doe jane@example.com")
        run(["company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446", "--coingecko-id", "strategy"],
            env, db).check_returncode()
        proc = subprocess.Popen([sys.executable, "-m", "dattrack", *args], env={**env, "DATTRACK_DB": str(db)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: server.requests, timeout=60)                # a request is in flight...
        proc.send_signal(signal.SIGINT)                                     # ...when the user presses Ctrl-C
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"{' '.join(args)} did not stop on Ctrl-C")
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "Error: interrupted"


def test_ctrl_c_stops_a_write_waiting_for_another_writer(tmp_path):
    """sqlite waits for a lock in one C call that Ctrl-C cannot break: dattrack waits in slices."""
    db = tmp_path / "locked.db"
    env = {**os.environ, "DATTRACK_LOCK_TIMEOUT": "300"}
    run(["company", "add", "MSTR", "--name", "Strategy"], env, db).check_returncode()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")                                       # another program writes, for long
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dattrack", "event", "add", "MSTR", "buy", "1", "--date",
                                 "2025-01-02", "--total", "5"], env={**env, "DATTRACK_DB": str(db)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: Path(f"{db}-wal").exists() or proc.poll() is not None)
        time.sleep(1.5)                                                     # let it reach the wait (not asserted)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("event add waited for the lock through Ctrl-C")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 130 and err.strip() == "Error: interrupted", err


def test_any_request_of_a_command_is_bounded_by_its_deadline_with_no_run_bound(monkeypatch):
    """What `read URL` (or any new network command) relies on: once the CLI has started the
    command's clock, a plain `http.get` on a dripping server gives up at the deadline."""
    from dattrack.providers import http

    monkeypatch.setenv("DATTRACK_DEADLINE", "2")
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)
    with ScriptedServer(default=DRIP) as server, http.make_client() as client:
        deadline.start()
        try:
            with pytest.raises(http.OutOfTime, match=r"deadline passed \(DATTRACK_DEADLINE=2 s\)"):
                http.get(client, server.url + "/document.htm", provider="www.sec.gov")
        finally:
            deadline.stop()
    assert 1 <= len(server.requests) <= http.MAX_TRIES
