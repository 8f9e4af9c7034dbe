"""The one place errors become messages: help for bare commands, one Error line for bad paths."""

from __future__ import annotations


def test_bare_command_and_bare_group_show_help(cli):
    for args in ([], ["event"], ["price"]):
        result = cli(*args)
        assert result.exit_code == 0
        assert result.stdout.startswith("Usage: ")
        assert "Error" not in result.stdout + result.stderr


def test_a_database_path_that_cannot_be_created_is_bad_input(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = cli("--db", str(blocker / "sub" / "x.db"), "init")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot open or create the database")
    assert blocker.read_text() == "not a directory"


def test_unexpected_errors_are_one_line_without_debug_and_a_traceback_with_it(cli, monkeypatch):
    import dattrack.app.holdings

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    cli.ok("init")
    monkeypatch.setattr(dattrack.app.holdings, "holdings", broken)
    quiet = cli("holdings")
    assert quiet.exit_code == 1 and quiet.stderr.strip() == "Error: unexpected RuntimeError: boom (run with --debug for the traceback)"
    loud = cli("--debug", "holdings")
    assert loud.exit_code == 1 and "Traceback" in loud.stderr


def test_debug_is_the_option_not_any_word_of_the_command_line(cli, monkeypatch):
    import dattrack.app.holdings

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    cli.ok("init")   # a read of a missing database exits 2 before any command runs
    monkeypatch.setattr(dattrack.app.holdings, "holdings", broken)
    quoted = cli("holdings", "--asset", "--debug")       # the word as a value: no traceback
    assert quoted.exit_code == 1 and "Traceback" not in quoted.stderr
    assert "Traceback" in cli("--debug", "holdings", "--asset", "BTC").stderr
