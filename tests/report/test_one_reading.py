"""One reading of a day (SPEC 10): `report` reads each book once and values each company once, whatever
it shows; `explain` and `risk` build on the one valuation; `mnav` today reads no book at all. Counted at
the store's book reads and at the valuation's entry, not timed."""

from __future__ import annotations

from collections import Counter

import pytest

import dattrack.app.day as day_module
import dattrack.store.events as event_rows


@pytest.fixture
def three_companies(cli, tmp_path):
    """Two BTC companies (one also holds ETH) and a JPY one: four books, 40 events, prices and snapshots."""
    cli.ok("company", "add", "AAA", "--name", "A Corp")
    cli.ok("company", "add", "BBB", "--name", "B Corp")
    cli.ok("company", "add", "JPN", "--name", "J Corp", "--currency", "JPY", "--quote-symbol", "9999.T")
    rows = ["ticker,date,kind,asset,quantity,price,total,fee,source,note"]
    for n in range(1, 11):
        day = f"2026-0{1 + n % 9}-{10 + n:02d}"
        rows += [f"AAA,{day},buy,BTC,{n},,{n * 90000},,8-K {n},", f"AAA,{day},buy,ETH,{n * 10},,{n * 30000},,8-K,",
                 f"BBB,{day},buy,BTC,{n},,{n * 80000},,PR {n},", f"JPN,{day},buy,BTC,{n},,{n * 13000000},,TDnet,"]
    events = tmp_path / "events.csv"
    events.write_text("\n".join(rows) + "\n")
    cli.ok("event", "import", str(events))
    cli.ok("event", "add", "BBB", "balance", "55", "--date", "2026-10-01", "--source", "10-Q")
    for day in ("2026-11-19", "2026-11-20"):
        for symbol, price in (("BTC", "90000"), ("ETH", "3000"), ("AAA", "20"), ("BBB", "10"), ("9999.T", "500"),
                              ("USDJPY", "150")):
            cli.ok("price", "set", symbol, price, "--date", day)
    for ticker in ("AAA", "BBB", "JPN"):
        cli.ok("fact", "set", ticker, "shares_basic", "1000000", "--date", "2026-06-30")
    cli.ok("instrument", "add", "BBB", "loan", "--kind", "loan", "--outstanding", "1000000", "--date", "2026-03-01",
           "--collateral", "30", "--margin-ltv", "0.5")
    cli.ok("snapshot", "--offline", "--quiet", "--since", "2026-11-19", "--date", "2026-11-20")
    return cli


@pytest.fixture
def reads(monkeypatch):
    """Counts, by book, the event rows the store hands out, and the valuations and risk assessments made."""
    counted = {"rows": Counter(), "book calls": Counter(), "valued": Counter(), "assessed": Counter(), "walks": 0}
    book_rows, book = event_rows.book_rows, event_rows.book

    def counting_rows(store, tickers=None, *args, **kwargs):
        for row in book_rows(store, tickers, *args, **kwargs):
            counted["rows"][row[:2]] += 1
            yield row

    def counting_book(store, ticker, asset, *args, **kwargs):
        counted["book calls"][(ticker, asset)] += 1
        return book(store, ticker, asset, *args, **kwargs)

    value_company, assess_risk, replay = day_module.value_company, day_module.assess_risk, day_module.replay

    def counting_replay(*args, **kwargs):
        counted["walks"] += 1
        return replay(*args, **kwargs)

    def counting_value(inputs):
        counted["valued"][inputs.ticker] += 1
        return value_company(inputs)

    def counting_risk(inputs, valuation=None):
        assert valuation is not None, "risk worked out its own valuation"
        counted["assessed"][inputs.ticker] += 1
        return assess_risk(inputs, valuation)

    monkeypatch.setattr(event_rows, "book_rows", counting_rows)
    monkeypatch.setattr(event_rows, "book", counting_book)
    monkeypatch.setattr(day_module, "value_company", counting_value)
    monkeypatch.setattr(day_module, "assess_risk", counting_risk)
    monkeypatch.setattr(day_module, "replay", counting_replay)
    return counted


BOOKS = {("AAA", "BTC"): 10, ("AAA", "ETH"): 10, ("BBB", "BTC"): 11, ("JPN", "BTC"): 10}


@pytest.mark.parametrize("as_of", [[], ["--as-of", "2026-11-20"], ["--as-of", "2026-06-30"]])
def test_report_reads_each_book_once_and_values_each_company_once(three_companies, reads, tmp_path, as_of):
    three_companies.ok("report", "--out", str(tmp_path / "r.html"), *as_of)
    assert reads["rows"] == BOOKS                    # every event of every book handed out exactly once
    assert reads["book calls"] == Counter()          # and no book read again on its own
    assert reads["walks"] == len(BOOKS)              # each book replayed once (main: 226 on the bundled 16)
    assert reads["valued"] == Counter({"AAA": 1, "BBB": 1, "JPN": 1})
    assert reads["assessed"] == Counter({"AAA": 1, "BBB": 1, "JPN": 1})


def test_explain_values_once_and_risk_builds_on_it(three_companies, reads):
    three_companies.ok("explain", "BBB")
    assert reads["valued"] == Counter({"BBB": 1}) and reads["assessed"] == Counter({"BBB": 1})
    reads["valued"].clear()
    three_companies.ok("risk")
    assert reads["valued"] == Counter({"AAA": 1, "BBB": 1, "JPN": 1})


def test_mnav_today_reads_no_book_and_a_past_date_reads_each_once(three_companies, reads):
    three_companies.ok("mnav")
    assert reads["rows"] == Counter() and reads["book calls"] == Counter()   # today: the positions kept on write
    three_companies.ok("mnav", "--as-of", "2026-06-30")
    assert reads["rows"] == BOOKS and reads["book calls"] == Counter()


def test_flows_and_check_read_each_book_once(three_companies, reads):
    three_companies.ok("flows")
    assert reads["rows"] == BOOKS
    reads["rows"].clear()
    three_companies.ok("check")
    assert reads["rows"] == BOOKS
