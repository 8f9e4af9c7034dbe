"""The rule table, rule by rule: each rule reads its own wording (the example it carries, written as
a real document words it), every asset by its names and symbols, and the wordings that are no
disclosure — plans, targets, bounds, programs, other holders, appointments — read as nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.assets import ASSETS
from dattrack.reader import read_document
from dattrack.reader.rules import RULE_NAMES
from dattrack.reader.sentence_rules import SENTENCE_RULES
from dattrack.reader.table_rules import TABLE_RULES

D = Decimal
DAY = dt.date(2025, 11, 3)


def read(text: str, *, date: dt.date | None = DAY, name: str = "release.txt"):
    return read_document(text.encode(), name=name, date=date).disclosures


def test_rule_names_are_unique_and_every_rule_has_an_example():
    assert len(RULE_NAMES) == len(set(RULE_NAMES))
    assert all(rule.example for rule in (*SENTENCE_RULES, *TABLE_RULES))


@pytest.mark.parametrize("rule", SENTENCE_RULES, ids=lambda r: r.name)
def test_each_sentence_rule_reads_its_own_example(rule):
    found = read(rule.example + ".")
    assert rule.name in {f.rule for f in found}


@pytest.mark.parametrize("asset", ASSETS, ids=lambda a: a.symbol)
def test_every_known_asset_is_read_by_its_symbol_and_by_each_name(asset):
    for word in (asset.symbol, *asset.symbols, *asset.names):
        [found] = read(f"As of September 30, 2025, the Company held 1,234,567 {word}.")
        assert (found.asset, found.quantity, found.date) == (asset.symbol, D("1234567"), dt.date(2025, 9, 30))


@pytest.mark.parametrize("text, kind, quantity, amount, start, end", [
    ("On December 4, 2020, the Company announced that it had purchased approximately 2,574 bitcoins for $50.0 "
     "million in cash. As of December 4, 2020, the Company holds approximately 40,824 bitcoins.",
     "buy", "2574", "50000000", None, "2020-12-04"),
    ("During the period between July 1, 2021 and August 23, 2021, the Company purchased approximately 3,907 "
     "bitcoins for approximately $177.0 million in cash.", "buy", "3907", "177000000", "2021-07-01", "2021-08-23"),
    ("On December 22, 2022, MacroStrategy sold approximately 704 bitcoins for cash proceeds of approximately $11.8 "
     "million.", "sell", "704", "11800000", None, "2022-12-22"),
    ("The Company mined 523 BTC in October.", "mine", "523", None, "2025-10-01", "2025-10-31"),
    ("During the quarter ended September 30, 2025, the Company produced 1,503 bitcoin.",
     "mine", "1503", None, "2025-07-01", "2025-09-30"),
    ("As of June 30, 2025, the Company held approximately 677 million TRX.", "balance", "677000000", None, None,
     "2025-06-30"),
    ("As of August 10, 2025, the Company's total holdings of 5,983,940 ETH were unchanged.",
     "balance", "5983940", None, None, "2025-08-10"),
    ("As of January 22, 2021, the Company holds approximately 70,784 bitcoins that were acquired at an aggregate "
     "purchase price of $1.135 billion.", "balance", "70784", "1135000000", None, "2021-01-22"),
])
def test_wordings_read_as_printed(text, kind, quantity, amount, start, end):
    found = [f for f in read(text) if f.kind == kind]
    assert len(found) == 1
    item = found[0]
    assert item.quantity == D(quantity) and item.amount == (D(amount) if amount else None)
    assert item.period_start == (dt.date.fromisoformat(start) if start else None)
    assert item.date == dt.date.fromisoformat(end)
    assert item.currency == ("USD" if amount else None)
    assert "approximately" not in str(item.quantity)


@pytest.mark.parametrize("text", [
    # officer appointments, earnings dates, prospectuses, programs
    "On June 2, 2025, the Board appointed Jane Doe, who previously managed 12,000 bitcoin mining rigs, as Chief "
    "Financial Officer.",
    "The Company will report its third quarter 2025 results on October 30, 2025 at 5:00 p.m. ET.",
    "The Company may offer and sell shares of its class A common stock having an aggregate offering price of up to "
    "$21,000,000,000 and intends to use the net proceeds to acquire bitcoin.",
    "Under the program the Company may acquire up to 10,000 BTC from time to time.",
    # forward-looking targets and plans
    "Strategy aims to hold 210,000 BTC by 2027.",
    "The Company plans to acquire 5,000 ETH in the fourth quarter of 2025.",
    "Management expects to have purchased 1,000 bitcoins by year end.",
    "We intend to hold 1,000,000 SOL over time.",
    # bounds
    "The Company holds more than 1,000 BTC.",
    "BitMine's ETH holdings exceed 300,000 tokens.",
    # other holders
    "Strategy Inc. (“Strategy”) is the largest corporate holder of bitcoin. Tesla, Inc. holds 11,509 bitcoins and "
    "Block, Inc. holds 8,584 bitcoins, according to public filings.",
    "Cloud-mining customers mined 312 BTC through the platform in July 2025.",
    "Spot ETFs held 1,300,000 bitcoins as of June 30, 2025.",
    # subsets, prices, nothing bought
    "As of March 24, 2023, approximately 34,619 bitcoins were held in a collateral account.",
    "The Company acquired bitcoin at an average price of $45,714 per bitcoin.",
    "During the period, the Company did not purchase any bitcoin.",
    "The Company earned 1,388 ETH in staking rewards during the quarter.",
])
def test_no_disclosure_is_read_where_none_is_made(text):
    assert read(text) == ()


def test_a_guessed_date_goes_with_a_doubt():
    [found] = read("The Company mined 523 BTC in October.", date=None)
    assert found.date is None and found.doubt
    [found] = read("As of March 3rd, the Company held 1,000 BTC.", date=dt.date(2025, 11, 3))
    assert found.date == dt.date(2025, 3, 3) and found.doubt      # eight months back: the year is a guess
    [found] = read("As of October 30th, the Company held 1,000 BTC.", date=dt.date(2025, 11, 3))
    assert found.date == dt.date(2025, 10, 30) and found.doubt is None


def test_a_figure_stated_twice_is_one_disclosure_with_the_exact_figure():
    html = ("<html><body><p>BitMine ETH Holdings Reach 1.15 Million Tokens</p>"
            "<p>As of August 10, 2025, the Company's ETH holdings total 1,150,263 at $4,311 per ETH.</p>"
            "<p>The Company held approximately 1,150,263 ETH as of August 10, 2025.</p></body></html>")
    [found] = read(html, name="x.htm")
    assert found.quantity == D("1150263") and found.date == dt.date(2025, 8, 10)


def test_a_scale_in_a_column_header_applies_to_its_column_only():
    html = ("<html><body><p>BTC Update</p><table>"
            "<tr><td colspan='3'>During Period October 27, 2025 to November 2, 2025</td><td></td>"
            "<td colspan='3'>As of November 2, 2025</td></tr>"
            "<tr><td>BTC Acquired</td><td colspan='2'>Aggregate Purchase Price (in millions)</td><td></td>"
            "<td>Aggregate BTC Holdings (in thousands)</td><td colspan='2'>Aggregate Purchase Price (in billions)</td></tr>"
            "<tr><td>397</td><td>$</td><td>45.6</td><td></td><td>641.205</td><td>$</td><td>1.28</td></tr>"
            "</table></body></html>")
    found = {f.kind: f for f in read(html, name="x.htm")}
    assert (found["buy"].quantity, found["buy"].amount) == (D("397"), D("45600000"))
    assert (found["balance"].quantity, found["balance"].amount) == (D("641205"), D("1280000000"))
    assert found["buy"].period_start == dt.date(2025, 10, 27) and found["balance"].date == dt.date(2025, 11, 2)


def test_a_miners_production_table_gives_a_mine_per_month_and_its_balance():
    html = ("<html><body><table><tr><td>Metric</td><td>October 2024</td><td>September 2024</td></tr>"
            "<tr><td>BTC Produced</td><td>705</td><td>673</td></tr>"
            "<tr><td>Average BTC Produced per Day</td><td>22.7</td><td>22.4</td></tr>"
            "<tr><td>BTC Held</td><td>27,562</td><td>26,747</td></tr></table></body></html>")
    found = sorted((f.kind, f.quantity, f.period_start, f.date) for f in read(html, name="x.htm"))
    assert found == [("balance", D("26747"), None, dt.date(2024, 9, 30)),
                     ("balance", D("27562"), None, dt.date(2024, 10, 31)),
                     ("mine", D("673"), dt.date(2024, 9, 1), dt.date(2024, 9, 30)),
                     ("mine", D("705"), dt.date(2024, 10, 1), dt.date(2024, 10, 31))]


def test_facts_stated_plainly():
    found = read("As of September 30, 2025, the Company had cash and cash equivalents of $54.3 million. As of "
                 "October 31, 2025, there were 21,345,678 shares of the registrant's common stock outstanding.")
    facts = {f.name: (f.value, f.date) for f in found}
    assert facts == {"cash": (D("54300000"), dt.date(2025, 9, 30)),
                     "shares_basic": (D("21345678"), dt.date(2025, 10, 31))}


# Sentences of 10-Qs and 10-Ks of the local copy of SEC filings (Bit Digital, CleanSpark, Fold, KULR,
# Strategy, Upexi) that the rules first read wrong: each stays a test.
@pytest.mark.parametrize("text", [
    "For the year ended December 31, 2024, the Company sold 5,606 bitcoin miners for a total consideration of $1.2 "
    "million.",
    "As of December 31, 2024, we had 24,239 bitcoin miners with net book value of $17.9 million.",
    "The Company purchased approximately 1,146 bitcoin mining units during the Second Quarter of 2024.",
    "As of September 30, 2025, the Company had approximately 38,999 ETH deployed within DeFi protocols, which remains "
    "reflected as ETH within Crypto assets.",
    "As of September 30, 2025, the Company has purchased 5,765 Bitcoin at a weighted average price of $118,204.88 per "
    "Bitcoin for approximately $681 million.",
])
def test_held_out_wordings_that_are_no_disclosure(text):
    assert read(text, date=None) == ()


def test_a_part_of_the_holdings_goes_with_a_doubt():
    [found] = read("As of September 30, 2025, we held 81 bitcoin in our Rewards Treasury, valued at $9.3 million.")
    assert found.quantity == D("81") and "one account" in found.doubt
    html = ("<html><body><p>MacroStrategy LLC (“MacroStrategy”), a wholly-owned subsidiary of the Company, holds our "
            "bitcoin.</p><p>MacroStrategy holds approximately 175,721 bitcoins that, as of March 31, 2024, had a "
            "carrying value of $3.468 billion.</p></body></html>")
    [found] = read(html, name="x.htm")
    assert found.quantity == D("175721") and found.amount is None and "subsidiary" in found.doubt


def test_a_flow_without_its_end_date_goes_with_a_doubt_and_longer_periods_are_read():
    [found] = read("Since May 12, 2025, the Company has purchased 21 bitcoin.", date=None)
    assert found.period_start == dt.date(2025, 5, 12) and found.date is None and found.doubt
    [found] = read("During the nine months ended June 30, 2025, we mined 5,914 bitcoin with an average bitcoin price "
                   "of $91,765.")
    assert (found.period_start, found.date) == (dt.date(2024, 10, 1), dt.date(2025, 6, 30))


def test_a_dollar_note_over_a_table_scales_its_money_not_its_units():
    html = ("<html><body><p>BTC Update</p><table>"
            "<tr><td colspan='3'>($ in thousands, except per-bitcoin amounts) As of June 30, 2025</td></tr>"
            "<tr><td>Aggregate BTC Holdings</td><td>Aggregate Purchase Price</td><td>Average Purchase Price</td></tr>"
            "<tr><td>597,325</td><td>$ 42,399,116</td><td>$ 70,982</td></tr></table></body></html>")
    [found] = read(html, name="x.htm")
    assert (found.quantity, found.amount) == (D("597325"), D("42399116000"))
