"""One reading of a typed ticker (app.inputs.ticker_key): stripped, ASCII upper case, and nothing
else ever names a company, whichever command reads it."""

from __future__ import annotations


def test_a_ticker_is_read_the_same_way_by_every_command(cli, tmp_path):
    cli.ok("company", "add", " mstr ", "--name", "Strategy")
    cli.ok("event", "add", "Mstr", "buy", "1", "--total", "10", "--date", "2026-01-02")
    cli.ok("fact", "set", "mstr", "cash", "5", "--date", "2026-01-02")
    assert [c["ticker"] for c in cli.json("company", "list")] == ["MSTR"]
    assert [r["ticker"] for r in cli.json("fact", "list", "mstr")] == ["MSTR"]
    assert [r["ticker"] for r in cli.json("holdings", " mstr")] == ["MSTR"]
    path = tmp_path / "events.csv"
    path.write_text("ticker,date,kind,quantity,total\nmstr,2026-01-03,buy,1,10\n")
    assert "imported 1 events" in cli.ok("event", "import", str(path))


def test_a_non_ascii_ticker_never_finds_the_company_its_upper_case_spells(cli, tmp_path, refused):
    cli.ok("company", "add", "SS", "--name", "Double S")
    path = tmp_path / "events.csv"   # the second row must not reuse the first row's look-up of SS
    path.write_text("ticker,date,kind,quantity,total\nSS,2026-01-02,buy,1,10\nß,2026-01-03,buy,1,10\n")
    assert refused("event", "import", str(path)) == "Error: row 3: unknown ticker 'ß'"
    assert refused("fact", "list", "ß") == "Error: unknown ticker 'ß'"
