"""`dattrack read` and `dattrack inbox`: every rule of SPEC 9 against real filing text.

Documents (tests/fixtures/filings, manifest.csv cites each): Strategy's 8-Ks of 2025-11-17
(accession 0001193125-25-283991: BTC Update, 8,178 BTC for $835.6 million, 649,870 held),
2020-09-15 (0001193125-20-245835: "To date ... a total of 38,250 bitcoins", no date),
2025-04-07 (0001193125-25-073989: Q1 2025, 80,715 BTC), and Bitmine's press release of 2025-11-09
(EX-99.1 passages: 3,505,723 ETH and 192 BTC held)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dattrack.providers import sec
from tests.fakes.edgar_archive import EdgarArchive
from tests.reader.corpus import fixtures

READ_KEYS = ["kind", "asset", "quantity", "amount", "currency", "date", "period_start", "name", "value", "quote",
             "document", "status"]
INBOX_KEYS = ["id", "ticker", "kind", "asset", "quantity", "amount", "date", "quote", "document", "reason"]


def fixture(ticker: str, filed: str):
    return next(f for f in fixtures(ticker) if f.filed.isoformat() == filed)


@pytest.fixture
def documents(tmp_path):
    """The documents as files, named as their fixtures."""
    paths = {}
    for ticker, filed in (("MSTR", "2025-11-17"), ("MSTR", "2020-09-15"), ("MSTR", "2025-04-07"),
                          ("BMNR", "2025-11-09")):
        f = fixture(ticker, filed)
        path = tmp_path / f.document
        path.write_bytes(f.data())
        paths[(ticker, filed)] = str(path)
    return paths


@pytest.fixture
def mstr(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")


def loads(text):
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def read(cli, *args):
    result = cli("read", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return loads(result.stdout)


def test_read_alone_says_what_the_document_discloses_and_opens_no_database(cli, documents, db_path):
    rows = read(cli, documents[("MSTR", "2025-11-17")])
    assert [list(r) for r in rows] == [READ_KEYS] * 2
    buy, total = rows
    assert (buy["kind"], buy["quantity"], buy["amount"], buy["date"], buy["period_start"]) == \
        ("buy", 8178, 835600000, "2025-11-16", "2025-11-10")
    assert (total["kind"], total["quantity"], total["amount"], total["date"]) == ("balance", 649870, 48370000000,
                                                                                   "2025-11-16")
    assert "BTC Acquired 8,178" in buy["quote"] and buy["status"] is None
    assert not db_path.exists()


def test_new_then_recorded_then_known(cli, mstr, documents):
    path = documents[("MSTR", "2025-11-17")]
    assert [r["status"] for r in read(cli, path, "--ticker", "MSTR", "--date", "2025-11-17")] == ["new", "new"]
    assert cli.json("event", "list", "MSTR") == []          # without --record nothing is written
    result = cli("read", path, "--ticker", "mstr", "--date", "2025-11-17", "--record")
    assert result.exit_code == 0, result.stderr
    assert "recorded 2 events" in result.stderr
    events = cli.json("event", "list", "MSTR")
    assert [(e["kind"], e["quantity"], e["amount"], e["date"], e["origin"], e["known_on"]) for e in events] == [
        ("buy", 8178, 835600000, "2025-11-16", "filing", "2025-11-17"),
        ("balance", 649870, 48370000000, "2025-11-16", "filing", "2025-11-17")]
    assert events[0]["note"].startswith("During Period November 10, 2025 to November 16, 2025 | BTC Acquired 8,178")
    assert events[0]["source"] == f"8-K {path}"
    assert [r["status"] for r in read(cli, path, "--ticker", "MSTR", "--date", "2025-11-17")] == ["known", "known"]


def test_what_another_origin_recorded_is_known(cli, mstr, documents):
    # the purchase typed by hand with the exact dollars, dated by the filing: the 8-K prints $835.6 million
    cli.ok("event", "add", "MSTR", "buy", "8178", "--total", "835554438", "--date", "2025-11-17")
    rows = read(cli, documents[("MSTR", "2025-11-17")], "--ticker", "MSTR", "--date", "2025-11-17")
    assert [r["status"] for r in rows] == ["known", "known"]   # the purchase, and its running total with it


def test_a_number_contradicting_another_origins_event_goes_to_the_inbox(cli, mstr, documents):
    cli.ok("event", "add", "MSTR", "balance", "649880", "--date", "2025-11-16", "--source", "typed from a news site")
    path = documents[("MSTR", "2025-11-17")]
    result = cli("read", path, "--ticker", "MSTR", "--date", "2025-11-17", "--record")
    assert result.exit_code == 0, result.stderr
    inbox = cli.json("inbox", "MSTR")
    assert [list(i) for i in inbox] == [INBOX_KEYS]
    [item] = inbox
    assert (item["kind"], item["quantity"], item["amount"], item["date"]) == ("balance", 649870, 48370000000,
                                                                               "2025-11-16")
    assert item["reason"].startswith("contradicts event 1 (manual, 2025-11-16): quantity 649880")
    assert "Aggregate BTC Holdings 649,870" in item["quote"] and item["document"] == path


def test_a_doubt_of_the_reader_goes_to_the_inbox(cli, mstr, documents):
    rows = read(cli, documents[("MSTR", "2020-09-15")], "--ticker", "MSTR", "--date", "2020-09-15")
    assert [(r["kind"], r["status"]) for r in rows] == [("buy", "new"), ("balance", "pending")]


def test_a_holdings_figure_for_an_asset_not_held_goes_to_the_inbox(cli, documents):
    cli.ok("company", "add", "BMNR", "--name", "Bitmine", "--asset", "ETH")
    rows = read(cli, documents[("BMNR", "2025-11-09")], "--ticker", "BMNR", "--date", "2025-11-09")
    by_asset = {r["asset"]: r for r in rows if r["kind"] == "balance"}
    assert (by_asset["ETH"]["quantity"], by_asset["ETH"]["status"]) == (3505723, "new")
    assert (by_asset["BTC"]["quantity"], by_asset["BTC"]["status"]) == (192, "pending")   # BMNR holds ETH
    cli.ok("read", documents[("BMNR", "2025-11-09")], "--ticker", "BMNR", "--date", "2025-11-09", "--record")
    [item] = cli.json("inbox")
    assert item["asset"] == "BTC" and "not known to hold" in item["reason"]


def test_a_quarter_total_over_recorded_purchases_goes_to_the_inbox(cli, mstr, documents):
    cli.ok("event", "add", "MSTR", "buy", "1070", "--total", "101000000", "--date", "2025-01-05")  # a week of Q1
    rows = read(cli, documents[("MSTR", "2025-04-07")], "--ticker", "MSTR", "--date", "2025-04-07")
    [quarter] = [r for r in rows if r["kind"] == "buy"]
    assert (quarter["quantity"], quarter["period_start"], quarter["status"]) == (80715, "2025-01-01", "pending")


def test_accept_records_and_reject_lasts(cli, mstr, documents):
    cli.ok("event", "add", "MSTR", "balance", "649880", "--date", "2025-11-16")
    path = documents[("MSTR", "2025-11-17")]
    cli.ok("read", path, "--ticker", "MSTR", "--date", "2025-11-17", "--record")
    [item] = cli.json("inbox")
    assert cli("inbox", "reject", str(item["id"] + 100)).exit_code == 2          # an unknown id is bad input
    out = cli.ok("inbox", "reject", str(item["id"]))
    assert f"rejected {item['id']}" in out
    assert cli.json("inbox") == []
    cli.ok("read", path, "--ticker", "MSTR", "--date", "2025-11-17", "--record")   # the same words again
    assert cli.json("inbox") == []
    assert [r["status"] for r in read(cli, path, "--ticker", "MSTR", "--date", "2025-11-17")] == ["known", "rejected"]
    refused = cli("inbox", "accept", str(item["id"]))
    assert refused.exit_code == 2 and "was rejected already" in refused.stderr


def test_accept_records_an_item_with_its_quote(cli, documents):
    cli.ok("company", "add", "BMNR", "--name", "Bitmine", "--asset", "ETH")
    cli.ok("read", documents[("BMNR", "2025-11-09")], "--ticker", "BMNR", "--date", "2025-11-09", "--record")
    [item] = cli.json("inbox")
    before = cli.json("event", "list", "BMNR")
    out = cli.ok("inbox", "accept", str(item["id"]))
    assert out.startswith(f"accepted {item['id']}: event ")
    [added] = [e for e in cli.json("event", "list", "BMNR") if e not in before]
    assert (added["asset"], added["kind"], added["quantity"], added["origin"], added["date"]) == \
        ("BTC", "balance", 192, "filing", "2025-11-09")
    assert added["note"] == item["quote"]
    assert cli.json("inbox") == []
    assert cli("inbox", "accept", "x").exit_code == 2


@pytest.mark.parametrize("words", [["accept", "1" * 5000], ["reject", str(2 ** 64)], ["accept", "0"], ["reject", "1.5"]])
def test_an_id_no_row_can_have_is_one_error_line(cli, mstr, words):
    result = cli("inbox", *words)
    assert result.exit_code == 2 and result.stderr.startswith("Error: inbox id ")
    assert "not a positive whole number" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_document_of_another_cik_is_refused_for_the_company(cli, documents, db_path):
    cli.ok("company", "add", "MARA", "--name", "MARA Holdings", "--cik", "1507605")
    result = cli("read", documents[("MSTR", "2025-11-17")], "--ticker", "MARA", "--record")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "CIK 1050446, not of MARA" in result.stderr
    assert cli.json("event", "list") == [] and cli.json("inbox") == []
    cli.ok("company", "add", "NOCIK", "--name", "No CIK yet")
    refused = cli("read", documents[("MSTR", "2025-11-17")], "--ticker", "NOCIK")
    assert refused.exit_code == 2 and "company set NOCIK --cik 1050446" in refused.stderr


def test_an_edgar_address_goes_through_the_cache_for_good(cli, mstr, tmp_path, monkeypatch):
    monkeypatch.setattr(sec.SEC_RATE, "limit", 10_000)
    f = fixture("MSTR", "2025-11-17")
    with EdgarArchive() as edgar:
        filing = edgar.add_filing(1050446, f.accession, "8-K", "2025-11-17", {"mstr-20251117.htm": f.data()})
        for name, value in edgar.env(DATTRACK_CACHE=str(tmp_path / "cache")).items():
            monkeypatch.setenv(name, value)
        url = edgar.document_url(filing)
        rows = read(cli, url, "--ticker", "MSTR")        # the filing date comes from the company's feed
        assert [(r["date"], r["status"]) for r in rows] == [("2025-11-16", "new")] * 2
        assert rows[0]["document"] == ("https://www.sec.gov/Archives/edgar/data/1050446/000119312525283991/"
                                       "mstr-20251117.htm")
        assert edgar.paths() == ["/sec_files/Archives/edgar/data/1050446/000119312525283991/mstr-20251117.htm",
                                 "/sec/submissions/CIK0001050446.json"]
        filing.files["mstr-20251117.htm"] = b"<html><body>changed</body></html>"   # a filing never changes
        cli.ok("read", rows[0]["document"], "--ticker", "MSTR", "--record")       # www.sec.gov: the same cache
        assert edgar.paths()[2:] == ["/sec/submissions/CIK0001050446.json"]
    offline = read(cli, url, "--offline")                                        # no server at all now
    assert [r["quantity"] for r in offline] == [8178, 649870]
    [buy, total] = cli.json("event", "list", "MSTR")
    assert buy["source"] == f"8-K {f.accession} {rows[0]['document']}" and buy["known_on"] == "2025-11-17"


def test_a_quote_reaches_the_terminal_and_the_report_escaped(cli, tmp_path):
    text = ("TestCo press release, November 17, 2025.\n"
            "As of November 16, 2025, TestCo held 1,000 bitcoins \x1b[2J<script>alert(1)</script>, acquired for an "
            "aggregate purchase price of $50.0 million.\n")
    document = tmp_path / "release.txt"
    document.write_text(text)
    cli.ok("company", "add", "TEST", "--name", "TestCo")
    cli.ok("read", str(document), "--ticker", "TEST", "--date", "2025-11-17", "--record")
    [event] = cli.json("event", "list", "TEST")
    assert "<script>alert(1)</script>" in event["note"] and event["origin"] == "filing"
    table = cli.ok("event", "list", "TEST", "--wide")
    assert "\x1b" not in table and "TestCo held 1,000 bitcoins" in table
    cli.ok("price", "set", "BTC", "90000", "--date", "2025-11-17")
    explained = cli.ok("explain", "TEST", "--as-of", "2025-11-17")
    assert "\x1b" not in explained and "“As of November 16, 2025, TestCo held 1,000 bitcoins" in explained
    page = tmp_path / "report.html"
    cli.ok("report", "--out", str(page), "--as-of", "2025-11-17")
    html = page.read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reading_a_file_imports_no_network_library(cli, mstr, documents):
    import os
    import subprocess
    import sys

    script = ("import sys\nfrom dattrack.cli.app import app\n"
              "try:\n    app(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
              "print('httpx' in sys.modules)")
    args = ["read", documents[("MSTR", "2025-11-17")], "--ticker", "MSTR", "--date", "2025-11-17", "--record"]
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=dict(os.environ),
                            timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr
    assert len(cli.json("event", "list", "MSTR")) == 2
