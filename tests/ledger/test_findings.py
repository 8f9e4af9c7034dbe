"""SPEC 9's verdicts on figures read from documents, on small books. The quotes are Strategy's own
words (8-K of 2025-11-17, accession 0000950170-25-148288; 8-K of 2020-08-11, 0001564590-20-038159)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from dattrack.ledger.findings import NO_LIMIT, Finding, classify

TABLE_ROW = "8,178 $ 835.6 $ 102,171 649,870 $ 48.37 $ 74,433"
WEEK = Finding(ticker="MSTR", kind="buy", asset="BTC", quantity=D("8178"), amount=D("835600000"), currency="USD",
               date="2025-11-16", period_start="2025-11-10", name=None, value=None, quote=TABLE_ROW,
               document="https://www.sec.gov/Archives/edgar/data/1050446/000095017025148288/mstr-20251117.htm",
               source="8-K 0000950170-25-148288 https://www.sec.gov/…", known_on="2025-11-17",
               accession="0000950170-25-148288")
TOTAL = replace(WEEK, kind="balance", quantity=D("649870"), amount=D("48370000000"), period_start=None)


def event(id, date, kind, quantity, amount=None, origin="coingecko", source=None):
    return {"id": id, "date": date, "kind": kind, "quantity": D(quantity), "amount": None if amount is None else D(amount),
            "origin": origin, "source": source}


def verdicts(findings, books=None, **kwargs):
    kwargs.setdefault("primary_asset", "BTC")
    kwargs.setdefault("currency", "USD")
    return [(v.finding.kind, v.status, v.reason) for v in classify(findings, books or {}, **kwargs)]


def test_a_weekly_update_on_an_empty_book_is_a_buy_and_its_total():
    assert verdicts([TOTAL, WEEK]) == [("buy", "new", None), ("balance", "new", None)]


def test_the_same_purchase_recorded_by_coingecko_a_day_later_is_known():
    books = {"BTC": [event(7, "2025-11-17", "buy", "8178", "835554438")]}
    # CoinGecko has the exact dollars, the 8-K "$835.6" (in millions): they agree to the printed digits
    assert verdicts([WEEK], books) == [("buy", "known", "recorded as event 7 (the amounts agree to the digits the "
                                                        "document prints)")]
    books = {"BTC": [event(7, "2025-11-17", "buy", "8178", "835654438")]}   # $835.7 million: another amount
    assert verdicts([WEEK], books)[0][1:] == ("pending", "contradicts event 7 (coingecko, 2025-11-17): amount 835654438")
    # ...but with no amount on either side the quantity within 7 days decides
    books = {"BTC": [event(7, "2025-11-17", "buy", "8178")]}
    assert verdicts([WEEK], books) == [("buy", "known", "recorded as event 7")]


def test_a_number_contradicting_another_origins_event_of_the_same_disclosure_is_pending():
    books = {"BTC": [event(3, "2025-11-16", "balance", "649880", origin="seed")]}
    [(_, status, reason)] = verdicts([TOTAL], books)
    assert status == "pending" and reason == "contradicts event 3 (seed, 2025-11-16): quantity 649880"
    cited = {"BTC": [event(4, "2025-11-18", "buy", "8177", source="https://www.sec.gov/Archives/edgar/data/1050446/"
                                                                    "000095017025148288/mstr-20251117.htm")]}
    assert verdicts([WEEK], cited)[0][1:] == ("pending", "contradicts event 4 (coingecko, 2025-11-18): quantity 8177")


def test_a_holdings_figure_for_an_asset_not_held_is_pending_unless_its_own_10q_lists_it():
    eth = replace(TOTAL, asset="ETH", quantity=D("1000"), amount=None)
    [(_, status, reason)] = verdicts([eth])
    assert status == "pending" and reason.startswith("a holdings figure for ETH, which the company is not known to hold")
    assert verdicts([replace(eth, periodic=True)])[0][1] == "new"
    assert verdicts([eth], {"ETH": [event(1, "2025-01-01", "buy", "10", origin="manual")]})[0][1] == "new"


def test_a_period_total_covering_recorded_buys_is_pending():
    quarter = replace(WEEK, quantity=D("43000"), amount=None, date="2025-12-31", period_start="2025-10-01",
                      quote="acquired 43,000 bitcoins during the fourth quarter")
    books = {"BTC": [event(1, "2025-10-05", "buy", "100", origin="manual"),
                     event(2, "2025-11-02", "buy", "200", origin="manual")]}
    [(_, status, reason)] = verdicts([quarter], books)
    assert status == "pending"
    assert reason == "its period 2025-10-01..2025-12-31 covers 2 flows already recorded (events 1, 2)"
    # what this very run adds counts as recorded too: the week then the quarter
    assert [s for _, s, _ in verdicts([WEEK, quarter])] == ["new", "pending"]


def test_the_readers_doubt_sends_it_to_the_inbox():
    doubtful = replace(WEEK, doubt="asset guessed from the company's primary asset")
    assert verdicts([doubtful]) == [("buy", "pending", "asset guessed from the company's primary asset")]


def test_an_amount_in_another_currency_is_pending():
    assert verdicts([WEEK], currency="JPY")[0][1:] == ("pending", "the amount is in USD; the company's books are in JPY")


def test_an_8k_and_its_exhibit_saying_the_same_thing_are_one():
    exhibit = replace(WEEK, document=WEEK.document.replace("mstr-20251117.htm", "ex99-1.htm"), amount=None,
                      quote="acquired 8,178 bitcoins")
    assert verdicts([WEEK, exhibit, TOTAL]) == [("buy", "new", None), ("balance", "new", None)]
    assert verdicts([replace(exhibit, amount=D("835500000")), WEEK])[0][1] == "pending"


def test_a_rejected_figure_stays_out_and_a_date_the_text_lacks_waits_for_one():
    assert verdicts([WEEK], decided={WEEK.fingerprint: "rejected"}) == [("buy", "rejected", "rejected from the inbox")]
    undated = replace(WEEK, date=None, dated_by_text=False)
    assert verdicts([undated]) == [("buy", "pending", "the text gives no date (give --date)")]


def test_what_a_sync_adds_starts_after_the_books_latest_event():
    books = {"BTC": [event(9, "2025-11-20", "buy", "1", origin="manual")]}
    assert verdicts([WEEK], books, since=None)[0][1] == "skipped"
    assert verdicts([WEEK], books, since="2025-11-01")[0][1] == "new"
    assert verdicts([WEEK], books, since=NO_LIMIT)[0][1] == "new"


def test_the_fingerprint_ignores_the_document_but_not_the_figure():
    assert WEEK.fingerprint == replace(WEEK, document="file.htm", source=None).fingerprint
    assert WEEK.fingerprint != replace(WEEK, quantity=D("8179")).fingerprint
    assert replace(WEEK, quantity=D("8178.0")).fingerprint == WEEK.fingerprint


def test_facts_known_new_or_contradicted():
    shares = replace(WEEK, kind="fact", name="shares_basic", value=D("267468000"), asset=None, quantity=None,
                     amount=None, date="2025-10-27", quote="267,468,000 shares of class A common stock")
    assert verdicts([shares])[0][1] == "new"
    assert verdicts([shares], facts={("shares_basic", "2025-10-27"): D("267468000")})[0][1] == "known"
    assert verdicts([shares], facts={("shares_basic", "2025-10-27"): D("1")})[0][1:] == \
        ("pending", "the recorded shares_basic of 2025-10-27 is 1")


def test_the_total_of_a_purchase_known_under_another_date_is_known_too():
    books = {"BTC": [event(7, "2025-11-17", "buy", "8178", "835554438"),
                     event(8, "2025-11-17", "balance", "649870")]}
    assert verdicts([WEEK, TOTAL], books) == [
        ("buy", "known", "recorded as event 7 (the amounts agree to the digits the document prints)"),
        ("balance", "known", "the running total of a purchase or sale recorded under another date")]


def test_consecutive_periods_that_share_a_day_do_not_cover_each_other():
    # 8-Ks of 2021-11-29 ("between October 1, 2021 and November 29, 2021") and 2021-12-09
    # ("between November 29, 2021 and December 8, 2021"): the first is dated on the second's first day
    first = replace(WEEK, quantity=D("7002"), amount=None, date="2021-11-29", period_start="2021-10-01")
    second = replace(WEEK, quantity=D("1434"), amount=D("82400000"), date="2021-12-08", period_start="2021-11-29")
    assert [s for _, s, _ in verdicts([first, second])] == ["new", "new"]
    # a purchase another source recorded on that first day is in the period
    books = {"BTC": [event(1, "2021-11-29", "buy", "10", origin="coingecko")]}
    assert verdicts([second], books)[0][1] == "pending"


def test_a_total_stated_again_with_its_cost_is_recorded_with_it():
    # 8-K of 2024-11-18 (0001193125-24-260452): 252,220 BTC held on 2024-09-30, no cost; the 8-K of
    # 2025-01-06 (0001193125-25-001854) states it with its cost, $9,903,699 thousand
    bare = replace(TOTAL, date="2024-09-30", quantity=D("252220"), amount=None, accession="0001193125-24-260452")
    costed = replace(bare, amount=D("9903699000"), accession="0001193125-25-001854")
    judged = classify([bare, costed], {}, primary_asset="BTC", currency="USD")
    assert [(v.finding.accession, v.status) for v in judged] == [("0001193125-24-260452", "known"),
                                                                 ("0001193125-25-001854", "new")]
