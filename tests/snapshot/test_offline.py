"""Offline, every network command says "no network" once, naming each host it could not reach, then
what it did anyway — not one long line per symbol or company repeating the same cause; `status`
summarises such a run in a few lines (`--verbose`: all of it)."""

from __future__ import annotations

import pytest

from dattrack.providers import http

NO_NETWORK = "no network: could not reach 127.0.0.1:9"   # where the test environment points every provider


@pytest.fixture
def seeded_offline(cli, monkeypatch):
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)  # the same four tries, no waiting
    monkeypatch.setenv("DATTRACK_SEC_USER_AGENT", "Jane Doe jane@example.com")
    cli.ok("init", "--seed")                                  # 16 companies, 20 prices to fetch
    return cli


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_price_fetch_offline_names_the_cause_once(seeded_offline):
    result = seeded_offline("price", "fetch")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        NO_NETWORK, "not fetched (no network): 20 prices (3350.T, ASST, BMNR, BTC, BTDR, CANG, DFDV, EMPD, …)"]
    assert result.stdout.strip() == "no price could be fetched"


def test_snapshot_with_sync_offline_says_no_network_once_then_what_it_did(seeded_offline):
    result = seeded_offline("snapshot", "--sync", "--quiet")
    assert result.exit_code == 1
    err = lines(result.stderr)
    assert err.count(NO_NETWORK) == 1 and err[0] == NO_NETWORK
    assert err[1:] == ["not synced (no network): 16 companies (ASST, BMNR, BTDR, CANG, DFDV, EMPD, ETHZ, FWDI, …)",
                       "stored on 2026-11-21 with older prices (no network): 16 companies "
                       "(ASST, BMNR, BTDR, CANG, DFDV, EMPD, ETHZ, FWDI, …)"]
    assert max(len(line) for line in err) < 120


def test_sync_offline(seeded_offline):
    result = seeded_offline("sync")
    assert result.exit_code == 1
    assert lines(result.stderr) == [
        NO_NETWORK, "not fetched (no network): 16 companies (ASST, BMNR, BTDR, CANG, DFDV, EMPD, ETHZ, FWDI, …)"]


def test_a_failure_that_is_not_the_network_is_still_named_on_its_own_line(seeded_offline, monkeypatch):
    from tests.fakes.scripted_server import Answer, ScriptedServer

    with ScriptedServer(default=Answer(404, "{}")) as yahoo:     # Yahoo answers, but knows no symbol
        monkeypatch.setenv("DATTRACK_YAHOO_URL", yahoo.url)
        result = seeded_offline("price", "fetch")
    err = lines(result.stderr)
    assert err[0] == NO_NETWORK                                 # the coins: nothing but the network
    assert err[1].startswith("not fetched (no network): 3 prices (BTC, ETH, SOL)")
    assert any(line.startswith("failed MSTR: yahoo: ") for line in err)   # a share: Yahoo's own answer


def test_status_summarises_a_failed_run_in_a_few_lines(seeded_offline):
    seeded_offline("snapshot", "--quiet")
    summary = seeded_offline("status")
    assert summary.exit_code == 1
    err = lines(summary.stderr)
    assert err[0].startswith("the newest snapshot run (2026-11-21") and err[1:] == [
        f"  {NO_NETWORK}",
        "  stored with older prices (no network): 16 companies (ASST, BMNR, BTDR, CANG, DFDV, EMPD, ETHZ, FWDI, …)"]
    table = [line for line in lines(summary.stdout) if line.startswith("2026-11-21")]
    assert table and all(len(line) < 200 for line in table)   # no cell of 5,000 characters


def test_status_verbose_shows_all_of_an_old_run(seeded_offline, db_path):
    """A run logged before causes were grouped holds one cause per company, joined: status shows a
    few, --verbose every one."""
    import sqlite3

    causes = [f"T{n}: BTC: coingecko: ConnectError on /simple/price after 4 tries" for n in range(30)]
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("INSERT INTO snapshot_runs (date, started_at, finished_at, companies, rows, failures, offline,"
                     " detail, status, error) VALUES ('2026-11-21', '2026-11-21T06:30:00+00:00',"
                     " '2026-11-21T06:31:00+00:00', 30, 30, 30, 0, ?, 'failed', NULL)", ("; ".join(causes),))
    conn.close()
    short, full = seeded_offline("status"), seeded_offline("status", "--verbose")
    assert len(lines(short.stderr)) == 1 + 4 + 1 and lines(short.stderr)[-1] == "  … 26 more (dattrack status --verbose)"
    assert [line.strip() for line in lines(full.stderr)[1:]] == causes
