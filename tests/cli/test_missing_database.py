"""A read never creates a database or a folder: a mistyped `--db` is named (exit 2), not answered
with an empty report from a database it just made."""

from __future__ import annotations

import pytest

READS = [
    ("holdings",), ("pnl",), ("check",), ("flows",), ("mnav",), ("explain", "MSTR"), ("risk",), ("yield", "MSTR"),
    ("company", "list"), ("company", "show", "MSTR"), ("event", "list"), ("fact", "list"), ("price", "list"),
    ("price", "coverage"), ("instrument", "list"), ("alert", "list"), ("history", "MSTR"), ("status",),
    ("export",), ("report", "--out", "report.html"), ("sync", "--dry-run"), ("filings",),
]
# Commands that write create the database they were pointed at, as `init` does.
WRITES = [("init",), ("company", "add", "MSTR", "--name", "Strategy"), ("price", "set", "BTC", "1", "--date", "2026-01-02")]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_a_read_of_a_missing_database_is_bad_input_and_creates_nothing(cli, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "nonexist"
    target = folder / "x.db"
    result = cli("--db", str(target), *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr == f"Error: no database at {target} (`dattrack init` makes one)\n"
    assert result.stdout == ""
    assert not folder.exists() and not (tmp_path / "report.html").exists()


def test_the_default_database_is_not_created_by_a_read_either(cli, isolated_environment):
    default = isolated_environment / "dattrack.db"                # DATTRACK_DB of every test
    result = cli("holdings")
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert not default.exists()


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_a_write_creates_its_database_and_folder(cli, tmp_path, args):
    target = tmp_path / "new" / "x.db"
    cli.ok("--db", str(target), *args)
    assert target.exists()
    cli.ok("--db", str(target), "holdings")                      # and reads find it
