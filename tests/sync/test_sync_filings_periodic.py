"""Issue 18's second "Done when", through sync: the 10-Qs and 10-Ks of a dozen DATs
(tests/fixtures/filings/periodic, each cited by its accession in manifest.csv), each company from an
empty book, served by a local EDGAR. The crypto held at every period end is recorded exactly as the
document states it, or waits in the inbox — and no wrong number is recorded anywhere. Expected figures:
periodic/expected.csv, typed from the documents."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from dattrack.providers import sec
from tests.fakes.edgar_archive import EdgarArchive
from tests.reader.periodic_corpus import expected, fixtures


@pytest.fixture
def edgar(monkeypatch, tmp_path):
    monkeypatch.setattr(sec.SEC_RATE, "limit", 10_000)
    with EdgarArchive() as fake:
        for f in fixtures():
            fake.add_filing(int(f.cik), f.accession, f.form, f.filed.isoformat(), {f.file.removesuffix(".gz"): f.data()})
        for name, value in fake.env(DATTRACK_CACHE=str(tmp_path / "cache")).items():
            monkeypatch.setenv(name, value)
        yield fake


def test_period_end_holdings_of_a_dozen_dats_from_empty_books(cli, edgar, tmp_path):
    table = expected()
    companies = {f.ticker: f.cik for f in fixtures()}
    stated, found, wrong = 0, 0, []
    for ticker, cik in companies.items():
        files = {f.file for f in fixtures(ticker)}
        rows = [x for x in table if x.file in files]
        assets = Counter(x.asset for x in rows if x.kind == "balance").most_common(1)
        asset = assets[0][0] if assets else "BTC"      # a filer that states no holdings: nothing may be recorded
        db = str(tmp_path / f"{ticker}.db")
        cli.ok("--db", db, "company", "add", ticker, "--name", ticker, "--cik", cik, "--asset", asset)
        result = cli("--db", db, "sync", ticker, "--source", "filings", "--since", "2020-01-01")
        assert result.exit_code == 0, result.stderr
        events = cli.json("--db", db, "event", "list", ticker)
        inbox = cli.json("--db", db, "inbox", ticker)
        held = {(x.asset, x.date.isoformat()): x for x in rows if x.kind == "balance"}
        for e in (e for e in events if e["kind"] == "balance"):   # the table states holdings and cover shares
            x = held.get((e["asset"], e["date"]))
            if x is None or x.quantity != e["quantity"] or (e["amount"] is not None and x.amount != e["amount"]):
                wrong.append(f"{ticker} {e['kind']} {e['asset']} {e['date']} {e['quantity']} {e['amount']}")
        covers = {x.date.isoformat(): x.value for x in rows if x.kind == "fact" and x.name == "shares_basic"}
        for fact in cli.json("--db", db, "fact", "list", ticker, "--name", "shares_basic"):
            if covers.get(fact["date"]) != fact["value"]:
                wrong.append(f"{ticker} shares_basic {fact['date']} {fact['value']}")
        recorded = {(e["asset"], e["date"], e["quantity"]) for e in events if e["kind"] == "balance"}
        waiting = {(i["asset"], i["date"], i["quantity"]) for i in inbox if i["kind"] == "balance"}
        for x in rows:
            if x.kind == "balance" and x.scope == "period-end":
                stated += 1
                found += (x.asset, x.date.isoformat(), x.quantity) in recorded | waiting
        assert all(e["origin"] == "filing" and e["source"].split(" ")[0] in ("10-Q", "10-K") for e in events)
    assert wrong == [], wrong
    print(f"period-end holdings: {found} of {stated} recorded or in the inbox")
    assert stated >= 30 and found >= Decimal("0.9") * stated, (found, stated)
