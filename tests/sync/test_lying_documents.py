"""A document that states what cannot be true (ledger/plausible.py: more coins than will ever
exist, a date after today) is held to the same rule as every sync source, through `read --record`
and `sync --source filings` alike: the figure is refused with its reason — never recorded, never
put in the inbox — and what the document says that can be true is still read."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dattrack.providers import http, sec
from tests.fakes.edgar_archive import EdgarArchive

CIK = 1050446
ACCESSION = "0001050446-25-000999"
LIE = b"""<html><body><p>Strategy Announces Bitcoin Holdings</p>
<p>As of November 16, 2025, Strategy held 30,000,000 bitcoin, acquired for an aggregate purchase price
of approximately $48.37 billion.</p>
<p>During the period between November 10, 2025 and November 16, 2025, Strategy acquired 8,178 bitcoin
for approximately $835.6 million.</p></body></html>"""
FUTURE = b"""<html><body><p>As of December 31, 2026, Strategy held 700,000 bitcoin.</p></body></html>"""


def loads(text):
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


@pytest.fixture
def mstr(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", str(CIK))


def test_read_record_refuses_more_coins_than_will_ever_exist_and_records_the_rest(cli, mstr, tmp_path):
    path = tmp_path / "mstr-8k.htm"
    path.write_bytes(LIE)
    looked = cli("read", str(path), "--ticker", "MSTR", "--date", "2025-11-17", "--format", "json")
    assert looked.exit_code == 0, looked.stderr
    assert sorted((r["kind"], r["quantity"], r["status"]) for r in loads(looked.stdout)) == [
        ("balance", 30000000, "skipped"), ("buy", 8178, "new")]
    recorded = cli("read", str(path), "--ticker", "MSTR", "--date", "2025-11-17", "--record")
    assert recorded.exit_code == 0, recorded.stderr
    assert ("mstr-8k.htm: balance of 30000000 BTC on 2025-11-16 refused: 30,000,000 BTC is more than BTC will "
            "ever have (21,000,000)") in recorded.stderr
    assert "recorded 1 events and 0 facts; 0 new items in the inbox" in recorded.stderr
    assert [(e["kind"], e["quantity"]) for e in cli.json("event", "list", "MSTR")] == [("buy", 8178)]
    assert cli.json("inbox") == []


def test_read_refuses_a_holding_dated_after_today(cli, mstr, tmp_path):   # conftest: today is 2026-11-21
    path = tmp_path / "future.htm"
    path.write_bytes(FUTURE)
    result = cli("read", str(path), "--ticker", "MSTR", "--date", "2026-01-05", "--record")
    assert result.exit_code == 0, result.stderr
    assert "balance of 700000 BTC on 2026-12-31 refused: dated 2026-12-31, in the future" in result.stderr
    assert cli.json("event", "list", "MSTR") == [] and cli.json("inbox") == []


def test_sync_from_filings_skips_the_impossible_figure_with_its_reason(cli, mstr, monkeypatch, tmp_path):
    monkeypatch.setattr(sec.SEC_RATE, "limit", 10_000)
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)
    with EdgarArchive() as edgar:
        edgar.add_filing(CIK, ACCESSION, "8-K", "2025-11-17", {"mstr-20251117.htm": LIE})
        for name, value in edgar.env(DATTRACK_CACHE=str(tmp_path / "cache")).items():
            monkeypatch.setenv(name, value)
        result = cli("sync", "MSTR", "--source", "filings", "--since", "2025-11-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["kind"]: r for r in loads(result.stdout)}
    assert (rows["balance"]["status"], rows["balance"]["reason"]) == (
        "skipped", "refused: 30,000,000 BTC is more than BTC will ever have (21,000,000)")
    assert rows["buy"]["status"] == "added"
    assert [(e["kind"], e["quantity"]) for e in cli.json("event", "list", "MSTR")] == [("buy", 8178)]
    assert cli.json("inbox") == []
