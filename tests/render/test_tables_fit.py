"""Tables fit the terminal they are printed on (SPEC 8): run the real command in a pseudo-terminal
of 80 and 100 columns on the bundled data set and measure every line."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest

from dattrack.render.output import readable, short_money
from tests.terminal import run_in_terminal, visible, widest

# Each listing, and words its default view must still show (the question it answers).
LISTINGS = {
    ("holdings",): ["Ticker", "Quantity", "Value", "P&L"],
    ("mnav",): ["Ticker", "mNAV", "EV mNAV", "NAV"],
    ("flows", "--since", "2025-10-01"): ["Ticker", "Held", "Flow", "selling"],
    ("check",): ["disagree", "Disclosed", "Unexplained"],
    ("company", "list"): ["Ticker", "Name", "MSTR"],
    ("event", "list"): ["Kind", "Quantity"],
    ("price", "list", "BTC"): ["Symbol", "Price"],
    ("fact", "list"): ["Fact", "Value", "shares_basic"],
    ("pnl",): ["Realized", "Unrealized"],
    ("explain", "MSTR"): ["mnav", "Sources"],
    ("status",): ["companies"],
    ("risk",): ["Ticker", "Debt/NAV"],
    ("instrument", "list"): ["Ticker", "Kind"],
    ("yield", "MSTR", "--since", "2026-02-19", "--until", "2026-07-17"): ["MSTR"],
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    env = {**os.environ, "DATTRACK_TODAY": "2026-11-30", "NO_COLOR": "1"}
    code, out = run_in_terminal(["--db", str(path), "init", "--seed"], columns=100, env=env)
    assert code == 0, out
    return path, env


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("command", list(LISTINGS), ids=" ".join)
def test_no_line_is_wider_than_the_terminal(seeded, command, columns):
    path, env = seeded
    code, out = run_in_terminal(["--db", str(path), *command], columns=columns, env=env)
    assert code in (0, 1), out  # check exits 1: the bundled data keeps its disagreements visible
    assert widest(out) <= columns, "\n" + visible(out)
    for word in LISTINGS[command]:
        assert word in out, f"{word!r} missing from the default view of {command}:\n{out}"


def test_the_default_view_leaves_columns_to_wide_and_says_so(seeded):
    path, env = seeded
    _, default = run_in_terminal(["--db", str(path), "holdings"], columns=80, env=env)
    _, wide = run_in_terminal(["--db", str(path), "holdings", "--wide"], columns=250, env=env)
    assert "Cost basis" not in default and "Cost basis" in wide and "Avg cost" in wide
    # --wide shows money in full; the default view shortens a million or more
    assert re.search(r"\d\.\d+[MB]\b", visible(default)) and not re.search(r"\d{1,3}(,\d{3}){2,}\.\d{2}", visible(default))
    assert re.search(r"\d{1,3}(,\d{3}){2,}\.\d{2}", visible(wide)) and not re.search(r"\d\.\d+[MB]\b", visible(wide))


def test_columns_picks_by_json_key_and_names_the_choices_when_wrong(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    out = cli.ok("company", "list", "--columns", "ticker,cik")
    assert out.splitlines()[0].split() == ["Ticker", "CIK"]
    rows = cli.json("company", "list", "--columns", "name,ticker")
    assert [list(r) for r in rows] == [["name", "ticker"]]
    result = cli("company", "list", "--columns", "ticker,colour")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown column colour; choose from ticker, name,")


def test_piped_tables_are_not_cut(cli):
    cli.ok("company", "add", "LONG", "--name", "A company whose name is much longer than any terminal is wide " * 2)
    out = cli.ok("company", "list")  # not a terminal: the whole name, on one line
    assert "much longer than any terminal is wide A company" in out


def test_event_list_on_a_terminal_shows_the_newest_and_says_how_many_more(tmp_path):
    path = tmp_path / "many.db"
    rows = [f"MSTR,2025-{1 + i // 28:02d}-{1 + i % 28:02d},buy,BTC,{i + 1},,1000,,8-K {i},"
            for i in range(60)]
    (tmp_path / "buys.csv").write_text("ticker,date,kind,asset,quantity,price,total,fee,source,note\n"
                                       + "\n".join(rows) + "\n")
    env = {**os.environ, "DATTRACK_TODAY": "2026-11-30", "NO_COLOR": "1"}
    for command in (["company", "add", "MSTR", "--name", "Strategy"], ["event", "import", str(tmp_path / "buys.csv")]):
        code, out = run_in_terminal(["--db", str(path), *command], columns=100, env=env)
        assert code == 0, out

    def shown(out: str) -> list[list[str]]:
        return [line.split() for line in visible(out).splitlines() if line.split()[:1] == ["MSTR"]]

    code, out = run_in_terminal(["--db", str(path), "event", "list"], columns=100, env=env)
    assert code == 0
    assert [int(row[1]) for row in shown(out)] == list(range(11, 61))  # the newest 50, oldest of them first
    assert "the newest 50 of 60 events; 10 older not shown" in visible(out).replace("\n", " ")
    code, out = run_in_terminal(["--db", str(path), "event", "list", "--limit", "3"], columns=100, env=env)
    assert [row[2] for row in shown(out)] == ["2025-03-02", "2025-03-03", "2025-03-04"]


def test_event_list_limit_applies_to_every_format(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    for day in ("2026-01-05", "2026-01-12", "2026-01-19"):
        cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000000", "--date", day)
    rows = cli.json("event", "list", "--limit", "2")
    assert [r["date"] for r in rows] == ["2026-01-12", "2026-01-19"]
    assert len(cli.json("event", "list")) == 3  # piped: all of them


@pytest.mark.parametrize("value, text", [
    ("57868633243.89", "57.87B"), ("305012345", "305.0M"), ("999999999.99", "1.000B"), ("-146236015.41", "-146.2M"),
    ("1234567890123", "1.235T"), ("1000000", "1.000M"),
])
def test_money_in_the_default_view_has_four_figures_and_a_suffix(value, text):
    assert short_money(Decimal(value)) == text
    assert readable(Decimal(value), "money", compact=True) == text
    assert readable(Decimal(value), "money") == f"{Decimal(value):,.2f}"  # --wide: in full


def test_small_money_ratios_and_quantities_read_as_people_write_them():
    assert readable(Decimal("999999.994"), "money", compact=True) == "999,999.99"
    assert readable(Decimal("0.6021"), "ratio") == "0.602"
    assert readable(Decimal("641692.123456789012345678"), "qty") == "641,692.123456789012345678"  # as entered
    assert readable(Decimal("0.002528144281004600"), "computed") == "0.00252814"  # a quotient
    assert readable(None, "money") == "—"


def test_a_piped_title_stays_on_one_line_above_a_narrow_table(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    out = cli.ok("mnav", "--columns", "ticker")
    assert out.splitlines()[0] == "mNAV as of 2026-11-21 (money in USD; below 1.0 = under its crypto)"
