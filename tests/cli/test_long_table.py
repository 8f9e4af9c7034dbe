"""A long piped table (over LONG_TABLE_FROM rows) is drawn line by line, exactly as rich draws it."""

from __future__ import annotations

import io
import random
from contextlib import redirect_stdout
from decimal import Decimal

import pytest

from dattrack.render import output
from dattrack.render.output import Column

COLUMNS = [Column("ticker", "Ticker"), Column("id", "Id", "int"), Column("date", "Date", "date"),
           Column("quantity", "Quantity", "qty"), Column("amount", "Amount", "money", flag="stale"),
           Column("pct", "Pct", "pct"), Column("known", "Known", "bool"), Column("share", "Share", "computed"),
           Column("note", "Note")]


def rows(count: int) -> list[dict]:
    rng = random.Random(3)
    return [{"ticker": rng.choice(["A", "MSTR", "[x]"]), "id": n * rng.randint(1, 999),
             "date": f"2025-01-0{rng.randint(1, 9)}", "quantity": Decimal(rng.randint(-10**6, 10**6)) / 1000,
             "amount": rng.choice([None, Decimal(rng.randint(-10**10, 10**10)) / 100]), "stale": rng.random() < 0.2,
             "pct": Decimal(rng.randint(-999, 999)) / 7, "known": rng.choice([True, False, None]),
             "share": Decimal(rng.randint(1, 99)) / 7,
             "note": rng.choice([None, "note", "a longer note with [brackets] inside", "a bell\a and\ttab"])}
            for n in range(count)]


def drawn(draw) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        draw()
    return buffer.getvalue()


@pytest.mark.parametrize("colour", ["none", "forced", "forced but NO_COLOR"])
@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("title, footer", [(None, None), ("Events", "the newest 300 of 9,000 events"),
                                           ("A title much wider than the table it stands above, " * 5, None),
                                           (None, "a footer much wider than the table it stands under, " * 5)])
def test_the_long_table_is_the_table_rich_draws(monkeypatch, colour, compact, title, footer):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if colour != "none":
        monkeypatch.setenv("FORCE_COLOR", "1")
    if colour == "forced but NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    data = rows(300)
    by_rich = drawn(lambda: output.print_table(data, COLUMNS, title=title, compact=compact, footer=footer))
    line_by_line = drawn(lambda: output.print_long_table(iter(data), COLUMNS, title=title, compact=compact,
                                                         footer=footer))
    assert line_by_line == by_rich
    assert len(by_rich.splitlines()) >= 300 + 2


def test_event_list_draws_a_long_table_line_by_line(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "LONG_TABLE_FROM", 50)
    cli.ok("company", "add", "AAA", "--name", "A Corp")
    path = tmp_path / "events.csv"
    path.write_text("ticker,date,kind,asset,quantity,price,total,fee,source,note\n"
                    + "".join(f"AAA,2025-01-{1 + n % 28:02d},buy,,1,,{n + 1},,,\n" for n in range(120)))
    cli.ok("event", "import", str(path))
    long = cli.ok("event", "list")
    monkeypatch.setattr(output, "LONG_TABLE_FROM", 10**9)
    assert long == cli.ok("event", "list")
    assert len(long.splitlines()) == 120 + 2
