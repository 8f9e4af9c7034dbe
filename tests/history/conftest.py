"""Snapshot rows written straight into a fresh database, the way `dattrack snapshot` stores them
(decimals as TEXT, null where a figure was unknown)."""

from __future__ import annotations

import sqlite3

import pytest

SNAPSHOT_DEFAULTS = {"cost_complete": 1, "currency": "USD", "taken_at": "2026-11-21T00:05:00+00:00"}


class SnapshotTable:
    def __init__(self, db_path):
        self.db_path = db_path

    def insert(self, rows: list[dict]) -> None:
        conn = sqlite3.connect(self.db_path)
        try:
            with conn:
                for row in rows:
                    row = {**SNAPSHOT_DEFAULTS, **row}
                    conn.execute(f"INSERT INTO snapshots ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                 tuple(row.values()))
        finally:
            conn.close()

    def run(self, **run: object) -> None:
        values = {"date": "2026-11-21", "started_at": "2026-11-21T00:05:00+00:00",
                  "finished_at": "2026-11-21T00:05:09+00:00", "companies": 2, "rows": 3, "failures": 0,
                  "offline": 0, "detail": None, **run}
        conn = sqlite3.connect(self.db_path)
        try:
            with conn:
                conn.execute(f"INSERT INTO snapshot_runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                             tuple(values.values()))
        finally:
            conn.close()


@pytest.fixture
def snapshots(cli, db_path):
    """A database with two companies (MSTR holds BTC, BMNR holds BTC and ETH) and no snapshots yet."""
    cli.ok("init")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "BMNR", "--name", "Bitmine", "--asset", "ETH")
    return SnapshotTable(db_path)
