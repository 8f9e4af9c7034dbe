"""`sync --source filings` around real 8-Ks (tests/fixtures/filings; manifest.csv cites each): with
CoinGecko in the same run, a filing that fails, the cache read offline, a document of another CIK,
an exhibit that is no document."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import pytest

from dattrack.providers import http, sec
from tests.fakes.disclosures import transaction
from tests.fakes.edgar_archive import EdgarArchive
from tests.fakes.provider_server import FakeProviders
from tests.reader.corpus import fixtures

CIK = 1050446
NOV_17 = "0001193125-25-283991"    # BTC Update: 8,178 BTC for $835.6 million; 649,870 held on 2025-11-16
NOV_10 = "0001193125-25-273310"    # the week before: 487 BTC, 641,692 held on 2025-11-09


def strategy(accession: str):
    return next(f for f in fixtures("MSTR") if f.accession == accession)


def loads(text):
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


@pytest.fixture
def edgar(monkeypatch, tmp_path):
    monkeypatch.setattr(sec.SEC_RATE, "limit", 10_000)
    monkeypatch.setattr(http, "retry_delay", lambda attempt, response, **kw: 0.0)
    with EdgarArchive() as fake:
        for accession in (NOV_10, NOV_17):
            f = strategy(accession)
            fake.add_filing(CIK, f.accession, "8-K", f.filed.isoformat(), {f.document: f.data()})
        for name, value in fake.env(DATTRACK_CACHE=str(tmp_path / "cache")).items():
            monkeypatch.setenv(name, value)
        yield fake


@pytest.fixture
def mstr(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", str(CIK), "--coingecko-id", "strategy")


def sync(cli, *args, code=0):
    result = cli("sync", "MSTR", *args, "--format", "json")
    assert result.exit_code == code, result.stdout + result.stderr
    return loads(result.stdout), result.stderr


def test_all_sources_in_one_run_give_one_event_per_disclosure(cli, mstr, edgar, monkeypatch):
    with FakeProviders() as coingecko:
        # CoinGecko dates the purchase by the filing and has the exact dollars
        coingecko.treasury["strategy"] = [transaction("2025-11-17", "buy", 8178, 835554438, 649870)]
        monkeypatch.setenv("DATTRACK_COINGECKO_URL", coingecko.env()["DATTRACK_COINGECKO_URL"])
        rows, _ = sync(cli, "--since", "2025-11-12")
    assert {(r["origin"], r["status"]) for r in rows if r["origin"] == "coingecko"} == {("coingecko", "added")}
    filed = [(r["kind"], r["status"], r["reason"]) for r in rows if r["origin"] == "filing"]
    assert filed == [("buy", "known", "recorded as event 2 (the amounts agree to the digits the document prints)"),
                     ("balance", "known", "the running total of a purchase or sale recorded under another date")]
    assert [e["origin"] for e in cli.json("event", "list", "MSTR")] == ["coingecko"] * 3   # opening, buy, total
    assert cli("check", "MSTR").exit_code == 0


def test_a_dry_run_writes_nothing(cli, mstr, edgar):
    rows, _ = sync(cli, "--source", "filings", "--dry-run")
    assert [r["status"] for r in rows] == ["added"] * 4
    assert cli.json("event", "list", "MSTR") == [] and cli.json("inbox") == []


def test_a_filing_that_fails_is_named_the_others_are_kept_and_the_next_run_tries_it_again(cli, mstr, edgar):
    broken = strategy(NOV_10)
    edgar.fail(broken.document, 500, times=4)           # every try of this run
    rows, err = sync(cli, "--source", "filings", code=1)
    assert f"failed: 8-K {NOV_10} filed 2025-11-10, {broken.document}: SEC EDGAR: HTTP 500" in err
    assert "failed MSTR: 1 filing document could not be had" in err
    assert [(r["date"], r["status"]) for r in rows] == [("2025-11-16", "added")] * 2
    rows, err = sync(cli, "--source", "filings")          # no --since: after the book's latest event, and the retry
    assert [(r["date"], r["kind"], r["status"]) for r in rows if r["status"] == "added"] == [
        ("2025-11-09", "buy", "added"), ("2025-11-09", "balance", "added")]
    assert "failed" not in err
    assert len(cli.json("event", "list", "MSTR")) == 4


def test_offline_reads_the_cache_only(cli, mstr, edgar, tmp_path, db_path):
    sync(cli, "--source", "filings")
    before = edgar.requests
    edgar.stop()                                           # nothing to reach any more
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "company", "add", "MSTR", "--name", "Strategy", "--cik", str(CIK))
    result = cli("--db", str(other), "sync", "MSTR", "--offline", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "CoinGecko skipped: --offline" in result.stderr or "coingecko skipped: --offline" in result.stderr.lower()
    assert [r["status"] for r in loads(result.stdout)] == ["added"] * 4
    assert edgar.requests == before
    refused = cli("--db", str(other), "sync", "--source", "coingecko", "--offline")
    assert refused.exit_code == 2 and "has no --offline" in refused.stderr


def test_a_document_of_another_cik_is_refused_for_the_company(cli, mstr, edgar):
    other = next(f for f in fixtures("MARA") if f.extent == "whole" and b"EntityCentralIndexKey" in f.data())
    edgar.add_filing(CIK, "0001050446-25-900001", "8-K", "2025-11-18", {"mstr-20251118.htm": other.data()})
    rows, err = sync(cli, "--source", "filings")
    assert f"not read: 8-K 0001050446-25-900001 filed 2025-11-18, mstr-20251118.htm: refused:" in err
    assert "not of MSTR (CIK 1050446)" in err
    assert {r["source"].split(" ")[1] for r in rows} == {NOV_10, NOV_17}


def test_an_exhibit_that_is_no_document_is_named_and_the_rest_read(cli, mstr, edgar):
    filing = next(f for f in edgar.filings[CIK] if f.accession == NOV_17)
    filing.files["mstr-ex99_1.pdf"] = b"<html><body>not a PDF at all</body></html>"
    filing.files["mstr-ex99_2.htm"] = gzip.compress(b"<p>" + b"9" * (200 * 1024 * 1024) + b"</p>")  # a bomb inside
    rows, err = sync(cli, "--source", "filings")
    assert f"not read: 8-K {NOV_17} filed 2025-11-17, mstr-ex99_1.pdf: not read:" in err
    assert f"not read: 8-K {NOV_17} filed 2025-11-17, mstr-ex99_2.htm: not read:" in err
    assert sorted(r["date"] for r in rows if r["status"] == "added") == ["2025-11-09"] * 2 + ["2025-11-16"] * 2


def test_a_company_without_a_cik_is_passed_with_a_note(cli, edgar):
    cli.ok("company", "add", "NOCIK", "--name", "No CIK")
    result = cli("sync", "NOCIK", "--source", "filings")
    assert result.exit_code == 0 and "NOCIK: no CIK: its filings are not read" in result.stderr
    assert edgar.requests == 0


def test_an_8k_and_its_exhibit_saying_the_same_thing_give_one_event(cli, mstr, edgar):
    filing = next(f for f in edgar.filings[CIK] if f.accession == NOV_17)
    filing.files["mstr-ex99_1.htm"] = strategy(NOV_17).data()     # the press release repeats the 8-K's table
    rows, _ = sync(cli, "--source", "filings", "--since", "2025-11-10")
    assert [(r["date"], r["kind"], r["status"]) for r in rows if NOV_17 in r["source"]] == [
        ("2025-11-16", "buy", "added"), ("2025-11-16", "balance", "added")]
    assert [e["date"] for e in cli.json("event", "list", "MSTR")] == ["2025-11-16", "2025-11-16"]


def test_sources_run_in_their_order_whatever_was_imported_first():
    import dattrack.app.sources.filings  # noqa: F401 - read imports it before sync loads the others
    from dattrack.app.sources import MODULES, source_names

    assert source_names()[:len(MODULES)] == MODULES == ("coingecko", "sec", "filings")
