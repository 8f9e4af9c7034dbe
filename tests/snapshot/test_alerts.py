"""Alert rules: checked by every snapshot on the newest date it stores, reported once on stdout (cron)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.cli.conftest import Refusal


def cron(db_path, *args: str) -> subprocess.CompletedProcess:
    """dattrack as cron runs it: its own process, no terminal on stdin, stdout or stderr."""
    env = {**os.environ, "DATTRACK_DB": str(db_path)}
    return subprocess.run([sys.executable, "-m", "dattrack", *args], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def treasury(cli):
    """T holds 10 BTC; 1,000 shares at 2 USD; BTC at 100 on 2026-11-19, share price 2: mNAV 2.0."""
    cli.ok("company", "add", "T", "--name", "Treasury")
    cli.ok("event", "add", "T", "buy", "10", "--date", "2026-01-05", "--total", "1000")
    cli.ok("fact", "set", "T", "shares_basic", "1000", "--date", "2026-01-05")
    for day in ("2026-11-19", "2026-11-20", "2026-11-21"):
        cli.ok("price", "set", "BTC", "100", "--date", day)
        cli.ok("price", "set", "T", "2", "--date", day)
    return cli


def alert_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("ALERT ")]


def test_a_snapshot_that_crosses_a_rule_prints_one_alert_line_and_the_next_one_none(treasury, db_path):
    treasury.ok("alert", "add", "T", "mnav", "<", "1.5")
    first = cron(db_path, "snapshot", "--offline", "--quiet", "--date", "2026-11-20")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""                                       # mNAV 2.0: the rule does not hold
    treasury.ok("price", "set", "T", "1", "--date", "2026-11-21")   # mNAV 1.0
    second = cron(db_path, "snapshot", "--offline", "--quiet")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == ["ALERT T mnav 1.000 < 1.5 2026-11-21"]
    third = cron(db_path, "snapshot", "--offline", "--quiet")       # same state: nothing new to say
    assert third.returncode == 0 and third.stdout == "" and third.stderr == ""
    (rule,) = treasury.json("alert", "list")
    assert rule["holding"] is True and rule["last_fired"] == "2026-11-21" and rule["last_value"] == 1  # the value, not its text


def test_a_rule_reports_again_only_after_it_stopped_holding(treasury, db_path):
    treasury.ok("alert", "add", "T", "mnav", "<=", "1")
    treasury.ok("price", "set", "T", "1", "--date", "2026-11-21")
    assert alert_lines(cron(db_path, "snapshot", "--offline").stdout) == ["ALERT T mnav 1.000 <= 1 2026-11-21"]
    treasury.ok("price", "set", "T", "3", "--date", "2026-11-21")   # recovers: the rule stops holding
    assert alert_lines(cron(db_path, "snapshot", "--offline").stdout) == []
    treasury.ok("price", "set", "T", "0.5", "--date", "2026-11-21") # and holds again
    assert alert_lines(cron(db_path, "snapshot", "--offline").stdout) == ["ALERT T mnav 0.500 <= 1 2026-11-21"]


def test_a_backfill_of_past_dates_checks_no_rule(treasury, db_path):
    treasury.ok("alert", "add", "T", "holdings", ">", "5")
    assert cron(db_path, "snapshot", "--offline", "--quiet").stdout == "ALERT T holdings 10 > 5 2026-11-21\n"
    treasury.ok("alert", "add", "T", "mnav", ">", "1")
    past = cron(db_path, "snapshot", "--offline", "--quiet", "--date", "2026-11-19")
    assert past.returncode == 0 and past.stdout == ""
    (_, second) = treasury.json("alert", "list")
    assert second["checked_date"] is None


def test_ltv_and_margin_cushion_rules(treasury, db_path):
    treasury.ok("instrument", "add", "T", "loan", "--kind", "loan", "--outstanding", "100", "--date", "2026-02-01",
                "--collateral", "2", "--margin-ltv", "0.5")
    treasury.ok("alert", "add", "T", "ltv", ">=", "0.5")
    treasury.ok("alert", "add", "T", "margin_cushion", "<", "0.1")
    out = cron(db_path, "snapshot", "--offline", "--quiet").stdout
    assert alert_lines(out) == ["ALERT T ltv 0.500 >= 0.5 2026-11-21", "ALERT T margin_cushion 0.000 < 0.1 2026-11-21"]


def test_the_sell_rule_reports_a_new_sell_once(treasury, db_path):
    treasury.ok("alert", "add", "T", "sell")
    assert cron(db_path, "snapshot", "--offline", "--quiet").stdout == ""
    treasury.ok("event", "add", "T", "sell", "4", "--date", "2026-11-21", "--total", "400")
    assert alert_lines(cron(db_path, "snapshot", "--offline", "--quiet").stdout) == ["ALERT T sell 4 > 0 2026-11-21"]
    assert cron(db_path, "snapshot", "--offline", "--quiet").stdout == ""


def test_alerts_print_even_when_a_company_could_not_be_valued(treasury, db_path):
    treasury.ok("company", "add", "NOPRICE", "--name", "No price")
    treasury.ok("alert", "add", "T", "mnav", ">", "1")
    result = cron(db_path, "snapshot", "--offline", "--quiet")
    assert result.returncode == 1 and "NOPRICE" in result.stderr
    assert result.stdout == "ALERT T mnav 2.000 > 1 2026-11-21\n"


@pytest.fixture
def refused(cli, db_path):
    return Refusal(cli, db_path)


def test_alert_add_list_rm(treasury, refused):
    assert treasury.ok("alert", "add", "t", "ev_mnav", ">", "3").strip() == "1"
    assert treasury.ok("alert", "add", "T", "margin_cushion", "<", "-0.05").strip() == "2"
    rows = treasury.json("alert", "list")
    assert [(r["ticker"], r["metric"], r["op"], r["limit"], r["holding"]) for r in rows] == [
        ("T", "ev_mnav", ">", 3, False), ("T", "margin_cushion", "<", Decimal("-0.05"), False)]
    assert "removed alert 1" in treasury.ok("alert", "rm", "1")
    assert [r["id"] for r in treasury.json("alert", "list")] == [2]
    assert "unknown alert metric" in refused("alert", "add", "T", "price", "<", "1")
    assert "unknown operator" in refused("alert", "add", "T", "mnav", "=", "1")
    assert "needs a limit" in refused("alert", "add", "T", "mnav", "<")
    assert "is not a number" in refused("alert", "add", "T", "mnav", "<", "abc")
    assert "unknown ticker" in refused("alert", "add", "NOPE", "sell")
    assert "no operator or limit" in refused("alert", "add", "T", "sell", "<", "1")
    assert "no alert with id 9" in refused("alert", "rm", "9")
