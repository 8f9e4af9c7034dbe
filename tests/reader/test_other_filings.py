"""The other companies' documents: Bitmine's ETH holdings statements (EX-99.1 passages), MARA's
purchase sentence, and documents that disclose nothing (BitFuFu's 6-K covers whose exhibit titles
name BTC, a GameSquare 6-K, KULR's cover page, MARA's convertible-note 8-Ks "to acquire additional
bitcoin"); plus texts written in the wording of BitFuFu's, Cango's, SharpLink's, Upexi's and Tron's
monthly releases. Each company is scored like Strategy: recall of at least 95%, no wrong number,
nothing read that is not there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.reader.corpus import fixtures, read_fixture, score

COMPANIES = sorted({f.ticker for f in fixtures()} - {"MSTR"})


@pytest.mark.parametrize("ticker", COMPANIES)
def test_each_company_is_read_with_no_wrong_number(ticker):
    result = score(ticker, read_fixture)
    assert result.wrong == []
    assert result.unexpected == []
    assert result.recall >= 0.95, result.missed


def test_the_other_companies_cover_what_the_brief_lists():
    assert {"BMNR", "FUFU", "MARA", "KULR", "GAME", "CANG"} <= set(COMPANIES)
    assert sum(1 for f in fixtures() if f.extent == "written") >= 5


def _read(prefix: str):
    return read_fixture(next(f for f in fixtures() if f.document.startswith(prefix)))


def test_a_list_of_holdings_gives_each_asset_and_leaves_prices_and_stakes_out():
    reading = _read("8k-2026-02-01")   # Bitmine: 4,285,125 ETH at $2,317 per ETH, 193 Bitcoin (BTC), ... staked
    balances = {(f.asset, f.quantity) for f in reading.disclosures if f.kind == "balance"}
    assert balances == {("ETH", Decimal("4285125")), ("BTC", Decimal("193"))}
    assert all(f.date == dt.date(2026, 2, 1) for f in reading.disclosures)


def test_a_rounded_headline_is_the_same_disclosure_as_its_exact_figure():
    reading = _read("8k-2026-01-25")   # "ETH Holdings Reach 4.243 Million Tokens" and "4,243,338 ETH"
    eth = [f for f in reading.disclosures if f.asset == "ETH"]
    assert [(f.quantity, f.date) for f in eth] == [(Decimal("4243338"), dt.date(2026, 1, 25))]
    assert not any(f.quantity == Decimal("3.52") for f in reading.disclosures)   # "3.52% of the ETH supply"


def test_customers_figures_targets_and_staking_rewards_are_not_the_companys_disclosures():
    fufu = _read("fufu-2025-08-05")
    assert Decimal("312") not in {f.quantity for f in fufu.disclosures}     # cloud-mining customers mined 312 BTC
    assert Decimal("2500") not in {f.quantity for f in fufu.disclosures}    # aims to hold 2,500 BTC
    sbet = _read("sbet-2025-08-12")
    assert {f.kind for f in sbet.disclosures} == {"buy", "balance"}          # not 1,388 ETH of staking rewards
    tron = _read("tron-2025-08-14")
    assert [f.quantity for f in tron.disclosures] == [Decimal("677000000")]  # not "1 billion TRX" planned


@pytest.mark.parametrize("prefix", ["424b5-2025-03-28", "s3asr-2024-02-29"])
def test_a_prospectus_yields_nothing_by_its_form_or_by_its_cover(prefix):
    from dattrack.reader import read_document

    fixture = next(f for f in fixtures("MARA") if f.document.startswith(prefix))
    for form in (fixture.form, None):     # the caller's form, or none: the <TYPE> and the cover say it
        reading = read_document(fixture.data(), name=fixture.document, date=fixture.filed, form=form)
        assert reading.disclosures == () and reading.issuance == ()
        assert reading.form == fixture.form and "prospectus" in reading.notes[-1]
