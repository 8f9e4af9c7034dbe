"""`event import` writes rows as it validates them, inside one transaction: a bad row or an
oversell at the very end of a long file still leaves the database exactly as before."""

from __future__ import annotations

import pytest

HEADER = "ticker,date,kind,asset,quantity,price,total,fee,source,note\n"


def long_file(tmp_path, last_row: str, rows: int = 3000):
    """`rows` valid buys for two companies (unsorted: A and B alternate), then `last_row`."""
    lines = [HEADER]
    for n in range(rows):
        ticker = "AAA" if n % 2 else "BBB"
        lines.append(f"{ticker},2025-{1 + n % 12:02d}-{1 + n % 28:02d},buy,,1.5,,{100 + n},,bench,\n")
    lines.append(last_row)
    path = tmp_path / "events.csv"
    path.write_text("".join(lines))
    return path


@pytest.fixture
def two_companies(cli):
    cli.ok("company", "add", "AAA", "--name", "A Corp")
    cli.ok("company", "add", "BBB", "--name", "B Corp")
    cli.ok("event", "add", "AAA", "buy", "1", "--total", "10", "--date", "2024-12-31")


@pytest.mark.parametrize("last_row, why", [
    ("AAA,2025-06-01,buy,,NaN,,100,,,\n", "is not a number"),
    ("AAA,2025-06-01,sell,,99999,,100,,,\n", "is more than the position then"),
    ("ZZZ,2025-06-01,buy,,1,,100,,,\n", "unknown ticker"),
])
def test_a_bad_last_row_of_a_long_import_rolls_back_every_row(two_companies, refused, cli, tmp_path, last_row, why):
    before = cli.json("holdings", "--method", "fifo")
    line = refused("event", "import", str(long_file(tmp_path, last_row)))
    assert line.startswith("Error: row 3002: ") and why in line, line
    assert len(cli.json("event", "list")) == 1
    assert cli.json("holdings", "--method", "fifo") == before


def test_a_long_import_is_written_by_book_and_date_and_kept_in_every_method(two_companies, cli, tmp_path):
    path = long_file(tmp_path, "AAA,2025-12-31,sell,,2,,5000,,,\n", rows=400)
    assert cli.ok("event", "import", str(path)).strip() == "imported 401 events, skipped 0 already recorded"
    events = cli.json("event", "list")
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)   # ids follow book and date order
    assert [(e["ticker"], e["date"]) for e in events] == sorted((e["ticker"], e["date"]) for e in events)
    for method in ("fifo", "lifo", "hifo"):
        today = cli.json("holdings", "--method", method)
        replayed = cli.json("holdings", "--method", method, "--as-of", "2025-12-31")  # a past date replays
        assert [(r["ticker"], r["quantity"], r["cost_basis"]) for r in today] == [
            (r["ticker"], r["quantity"], r["cost_basis"]) for r in replayed], method
