"""The snapshots table travels in the export by its columns, numbers exact."""

from __future__ import annotations

import sqlite3

SNAPSHOT = {"ticker": "ABC", "asset": "BTC", "cost_complete": 1, "currency": "USD", "taken_at": "2026-01-03T00:00:00Z"}


def add_snapshots(path, *rows: dict) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for row in rows:
            row = {**SNAPSHOT, **row}
            conn.execute(f"INSERT INTO snapshots ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))
    conn.close()


def test_snapshots_are_exported_in_key_order_and_round_trip(cli, tmp_path, monkeypatch):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    add_snapshots(tmp_path / "dattrack.db",
                  {"date": "2026-01-03", "quantity": "2.50", "unrealized_pnl": "-0.75", "mnav": "1.25"},
                  {"date": "2026-01-02", "quantity": "2", "problems": "no BTC price"})
    text = cli.ok("export")
    snapshots = text[text.index('"snapshots"'):].splitlines()
    assert snapshots[1].startswith('    {"date": "2026-01-02", "ticker": "ABC", "asset": "BTC", "quantity": 2, ')
    assert '"problems": "no BTC price"' in snapshots[1]
    assert '"quantity": 2.50, ' in snapshots[2] and '"unrealized_pnl": -0.75, ' in snapshots[2]
    (tmp_path / "export.json").write_text(text, encoding="utf-8")

    monkeypatch.setenv("DATTRACK_DB", str(tmp_path / "other.db"))
    assert "2 snapshots" in cli.ok("import", tmp_path / "export.json")
    assert cli.ok("export") == text


def test_latest_views_read_each_company_s_last_snapshot(cli, db_path):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    add_snapshots(db_path,
                  {"date": "2026-01-02", "quantity": "2", "mnav": "0.9"},
                  {"date": "2026-01-03", "quantity": "3", "mnav": "1.10"},
                  {"date": "2026-01-03", "asset": "ETH", "quantity": "7", "mnav": "1.10"})
    conn = sqlite3.connect(db_path)
    try:
        latest = conn.execute("SELECT date, asset, quantity FROM latest_snapshot").fetchall()
        mnav = conn.execute("SELECT ticker, date, mnav FROM latest_mnav").fetchall()
    finally:
        conn.close()
    assert latest == [("2026-01-03", "BTC", "3"), ("2026-01-03", "ETH", "7")]
    assert mnav == [("ABC", "2026-01-03", "1.10")]
