"""The commands a person reaches for first: --version, completion, fact list, check's summary."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal as D


def test_version(cli):
    from dattrack import __version__

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"dattrack {__version__}\n"


def _dattrack(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command, as a shell runs it (completion goes through the program's own name)."""
    return subprocess.run([sys.executable, "-m", "dattrack", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_show_completion_prints_a_bash_script():
    result = _dattrack("--show-completion", "bash")
    assert result.returncode == 0, result.stderr
    assert "_dattrack_completion()" in result.stdout and "complete -o default -F _dattrack_completion dattrack" in result.stdout


def test_completion_offers_commands_and_subcommands():
    def offered(words: str, index: int) -> list[str]:
        result = _dattrack(env={"_DATTRACK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)})
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert offered("dattrack hol", 1) == ["holdings"]
    assert offered("dattrack event l", 2) == ["list"]


def test_fact_list_filters_and_flags_the_stale_newest(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("fact", "set", "MSTR", "shares_basic", "100", "--date", "2025-01-01", "--source", "old 10-K")
    cli.ok("fact", "set", "MSTR", "shares_basic", "120", "--date", "2025-06-30", "--source", "10-Q")
    cli.ok("fact", "set", "MSTR", "cash", "5", "--date", "2026-11-01", "--source", "8-K")
    cli.ok("fact", "set", "CANG", "split", "1:10", "--date", "2026-06-22", "--source", "6-K")
    rows = cli.json("fact", "list", "MSTR", "--name", "shares_basic")
    assert [(r["date"], r["value"], r["source"]) for r in rows] == [
        ("2025-01-01", D(100), "old 10-K"), ("2025-06-30", D(120), "10-Q")]
    # only the figure in force can be stale: the older one is superseded, not stale
    assert [r["stale"] for r in rows] == [False, True]
    assert [r["age_days"] for r in rows] == [D(689), D(509)]
    everything = cli.json("fact", "list")
    assert [(r["ticker"], r["name"]) for r in everything] == [
        ("CANG", "split"), ("MSTR", "cash"), ("MSTR", "shares_basic"), ("MSTR", "shares_basic")]
    assert everything[0]["value"] == "1:10"
    assert cli("fact", "list", "--name", "colour").exit_code == 2
    assert cli("fact", "list", "NOPE").exit_code == 2


def _disagreeing_ledger(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("event", "add", "CANG", "balance", "100", "--date", "2026-01-31")
    cli.ok("event", "add", "CANG", "mine", "10", "--total", "900000", "--date", "2026-02-15")
    cli.ok("event", "add", "CANG", "balance", "110", "--date", "2026-02-28")
    cli.ok("event", "add", "CANG", "mine", "10", "--total", "900000", "--date", "2026-03-15")
    cli.ok("event", "add", "CANG", "balance", "105", "--date", "2026-03-31")  # 5 unexplained


def test_check_leads_with_a_summary_and_the_disagreements(cli):
    _disagreeing_ledger(cli)
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "3 disclosures, 2 asserted, 1 disagree" in lines[0]
    body = [line for line in lines if line.startswith("CANG")]
    assert body[0].split()[2] == "2026-03-31"   # the disagreement first
    assert [line.split()[2] for line in body[1:]] == ["2026-01-31", "2026-02-28"]
    failing = cli("check", "--failing")
    assert failing.exit_code == 1
    assert [line.split()[2] for line in failing.stdout.splitlines() if line.startswith("CANG")] == ["2026-03-31"]
    rows = cli("check", "--failing", "--format", "json")
    assert rows.exit_code == 1 and rows.stdout.count('"event_id"') == 1


def test_check_failing_with_nothing_wrong_exits_0(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000", "--date", "2026-01-05")
    cli.ok("event", "add", "MSTR", "balance", "10", "--date", "2026-01-06")
    out = cli.ok("check", "--failing")
    assert "1 disclosures, 1 asserted, 0 disagree" in out or "no disclosure disagrees" in out


def test_explain_names_each_source_once(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000000", "--date", "2026-01-05")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-20")
    cli.ok("price", "set", "MSTR", "300", "--date", "2026-11-20")
    cli.ok("fact", "set", "MSTR", "shares_basic", "10000", "--date", "2026-10-01", "--source", "10-Q cover page")
    out = cli.ok("explain", "MSTR")
    assert out.count("10-Q cover page") == 1
    # the figure lines come first, the sources last
    assert out.index("mnav") < out.index("Sources") and out.index("market_cap") < out.index("Inputs")
