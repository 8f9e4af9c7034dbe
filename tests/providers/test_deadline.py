"""DATTRACK_DEADLINE bounds a whole network command: a server that drips a byte a second cannot hold
`price fetch`, `sync` or `snapshot` past it. What finished is kept, what did not is named, exit 1.

Each command runs as its own process against a local server whose unscripted paths drip for
minutes; the subprocess timeout is only the net under the test (a hold would reach it and fail)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from dattrack import deadline
from dattrack.errors import BadInput
from tests.fakes.disclosures import transaction
from tests.fakes.provider_server import _dumps as dumps
from tests.fakes.scripted_server import Answer, ScriptedServer

DRIP = Answer(200, json.dumps({"padding": "x" * 600}), drip_every=1.0)   # ten minutes to finish
BTC_NOW = json.dumps({"bitcoin": {"usd": 90000, "last_updated_at": 1763683200}})   # 2025-11-21 00:00 UTC
NET = 120   # seconds: far beyond the deadline below, far below what the drip would take


def run(args, env, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dattrack", *args], env={**env, "DATTRACK_DB": str(db)},
                          capture_output=True, text=True, timeout=NET)


def environment(server: ScriptedServer, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATTRACK_DEADLINE": "3", "DATTRACK_TODAY": "2025-11-21", **extra}
    for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ", "SEC", "SEC_FILES"):
        env[f"DATTRACK_{name}_URL"] = f"{server.url}/{name.lower()}"
    env.pop("DATTRACK_SEC_USER_AGENT", None)
    return env


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
    assert "MSTR" in fetched.stderr and "deadline passed (DATTRACK_DEADLINE=3 s)" in fetched.stderr
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
    (failed,) = [line for line in synced.stderr.splitlines() if line.startswith("failed ")]
    assert failed.startswith("failed SLOW: coingecko: not fetched: the command's deadline passed")


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
