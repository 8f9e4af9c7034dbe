"""A closed pipe is a quiet success in every command: `dattrack event list | head -1` under
`set -o pipefail` must not fail a cron script (exit 0, nothing on stderr, nothing lost)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.cli.conftest import built_once, event_count, start_from

# Every command that prints something on success, in each output format where it differs.
COMMANDS = [
    ("event", "list"), ("event", "list", "--format", "json"), ("event", "list", "--format", "csv"),
    ("company", "list"), ("company", "show", "MSTR"), ("fact", "list"), ("price", "list"),
    ("price", "coverage"), ("holdings",), ("holdings", "--format", "csv"), ("pnl",), ("check",), ("flows",),
    ("mnav",), ("explain", "MSTR"), ("history", "MSTR"), ("instrument", "list"), ("risk",),
    ("yield", "MSTR"), ("alert", "list"), ("status",), ("export",), ("--help",), ("--version",),
    ("snapshot", "--offline"),
]
# Commands that write and then print: the write is kept whatever happens to their output.
WRITERS = [("event", "add", "MSTR", "buy", "1", "--date", "2026-01-05", "--total", "100"),
           ("fact", "set", "MSTR", "cash", "5", "--date", "2026-01-05"),
           ("alert", "add", "MSTR", "mnav", "<", "1")]


def build(cli) -> None:
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    rows = ["ticker,date,kind,quantity,total,source,note"]
    rows += [f"MSTR,2025-{1 + i // 28 % 12:02d}-{1 + i % 28:02d},buy,{i + 1},{1000 * (i + 1)},"
             f"8-K https://www.sec.gov/Archives/edgar/data/1050446/{i:06d}.htm,purchase number {i}"
             for i in range(2000)]
    with tempfile.TemporaryDirectory() as folder:
        csv_file = Path(folder) / "events.csv"
        csv_file.write_text("\n".join(rows) + "\n")
        cli.ok("event", "import", str(csv_file))
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-01-02")
    cli.ok("price", "set", "MSTR", "300", "--date", "2026-01-02")
    cli.ok("fact", "set", "MSTR", "shares_basic", "300000000", "--date", "2025-12-31")
    cli.ok("instrument", "add", "MSTR", "2030 notes", "--kind", "note", "--outstanding", "1000000",
           "--date", "2025-06-30", "--rate", "0.01")


@pytest.fixture(scope="module")
def big_book(tmp_path_factory):
    return built_once(tmp_path_factory, "closed-pipe", build)


def run_into_a_closed_pipe(args, db_path) -> subprocess.CompletedProcess:
    """The reader is gone before the command writes its first byte: every write meets EPIPE."""
    env = {**os.environ, "DATTRACK_DB": str(db_path), "DATTRACK_TODAY": "2026-01-05"}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "dattrack", *args], env=env, stdout=write_end,
                              stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    return done


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_is_a_quiet_success(args, big_book, db_path):
    start_from(big_book, db_path)
    done = run_into_a_closed_pipe(args, db_path)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert done.stderr == b""


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_a_write_whose_output_nobody_reads_is_kept(args, big_book, db_path):
    start_from(big_book, db_path)
    before = event_count(db_path)
    done = run_into_a_closed_pipe(args, db_path)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    shown = subprocess.run([sys.executable, "-m", "dattrack", "export"], capture_output=True, text=True,
                           env={**os.environ, "DATTRACK_DB": str(db_path)}, check=True).stdout
    if args[0] == "event":
        assert event_count(db_path) == before + 1
    elif args[0] == "fact":
        assert '"cash"' in shown
    else:
        assert '"mnav"' in shown


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head")
def test_event_list_into_head_under_pipefail(big_book, db_path):
    """The issue's own line, as a cron script runs it."""
    start_from(big_book, db_path)
    env = {**os.environ, "DATTRACK_DB": str(db_path)}
    command = f"set -o pipefail; {sys.executable} -m dattrack event list --format json | head -1"
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[\n" and done.stderr == ""
