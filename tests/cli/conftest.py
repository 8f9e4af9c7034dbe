"""Helpers for CLI tests: the exact state of a database file, and the shape of a refusal."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest


def db_state(path: Path) -> dict:
    """Everything a command could have changed: the bytes of the main file and of any -wal
    file (read first, before anything else opens the file), then a full SQL dump."""
    state = {}
    for suffix in ("", "-wal", "-journal"):
        file = Path(f"{path}{suffix}")
        state[suffix or "main"] = file.read_bytes() if file.exists() else None
    if state["main"] and state["main"].startswith(b"SQLite format 3\x00"):
        conn = sqlite3.connect(path)
        try:
            state["dump"] = "\n".join(conn.iterdump())
        finally:
            conn.close()
    return state


class Refusal:
    def __init__(self, cli, db_path: Path):
        self.cli, self.db_path = cli, db_path

    def __call__(self, *args: str, db: Path | None = None) -> str:
        """Run a command that must be refused as bad input; return its one error line."""
        path = db or self.db_path
        before = db_state(path)
        result = self.cli(*args)
        assert result.exit_code == 2, (args, result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("Error: "), lines
        after = db_state(path)
        assert after == before, f"{args} changed the database"
        return lines[0]


@pytest.fixture
def refused(cli, db_path):
    return Refusal(cli, db_path)


def built_once(tmp_path_factory, name: str, build) -> Path:
    """Build a database through the CLI once per session (in an isolated environment like every
    test's); tests start from a copy of it. Keeps the suite fast without sharing state."""
    from tests.conftest import Cli

    path = tmp_path_factory.mktemp(name) / "template.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(path.parent))
        mp.setenv("XDG_DATA_HOME", str(path.parent / "share"))
        mp.setenv("DATTRACK_DB", str(path))
        mp.setenv("DATTRACK_TODAY", "2026-11-21")
        build(Cli())
    assert not Path(f"{path}-wal").exists()      # every command closed its connection: all in the file
    return path


def start_from(template: Path, db_path: Path) -> None:
    shutil.copyfile(template, db_path)


def build_strategy(cli) -> None:
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-01-01", "--total", "1000000")
    cli.ok("event", "add", "MSTR", "sell", "3", "--date", "2025-03-01", "--total", "360000")
    cli.ok("event", "add", "MSTR", "buy", "10", "--date", "2025-06-01", "--total", "1100000")


@pytest.fixture(scope="session")
def strategy_template(tmp_path_factory):
    return built_once(tmp_path_factory, "strategy", build_strategy)


@pytest.fixture
def strategy(cli, db_path, strategy_template):
    """A company with a simple history: 10 BTC bought (event 1), 3 sold on 2025-03-01 (event 2),
    10 more bought on 2025-06-01 (event 3)."""
    start_from(strategy_template, db_path)
    return cli


def event_count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()
