"""CoinGecko treasury and SEC EDGAR disclosure parsing, on httpx.MockTransport."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.providers import treasury
from dattrack.providers.http import ProviderError
from dattrack.providers.sec_disclosures import crypto_balances, filings
from tests.fakes.disclosures import companyfacts, submissions, transaction, units_row
from tests.fakes.provider_server import FakeProviders

from .conftest import mock_client

D = Decimal
ENV = {"DATTRACK_COINGECKO_URL": "http://providers.fake/coingecko"}


def served(fake: FakeProviders):
    return mock_client(fake.transport().handle_request)


def test_entity_list_pages_until_a_short_page_and_matches_by_symbol():
    fake = FakeProviders()
    fake.entities = [{"id": f"e{n}", "symbol": f"T{n}.US", "name": f"Co {n}"} for n in range(300)]
    fake.entities.append({"id": "metaplanet", "symbol": "3350.T", "name": "Metaplanet"})
    with served(fake) as client:
        found = treasury.entities(client, ENV)
    assert len(found) == 301 and fake.hits["coingecko"] == 2      # 250 + 51
    assert treasury.match_entity(found, "T7").id == "e7"
    assert treasury.match_entity(found, "METAPLANET", "3350.T").id == "metaplanet"
    assert treasury.match_entity(found, "NOPE") is None
    twice = [treasury.Entity("a", "X.US", "A"), treasury.Entity("b", "X.T", "B"), treasury.Entity("c", "Y.T", "C"),
             treasury.Entity("d", "Y.HK", "D")]
    assert treasury.match_entity(twice, "X").id == "a"            # several exchanges: the US listing
    assert treasury.match_entity(twice, "Y") is None              # ambiguous: nothing guessed


def test_transactions_oldest_first_exact_and_signed():
    fake = FakeProviders()
    fake.treasury["s"] = [transaction("2025-11-17", "buy", "8178.5", "835554438.25", "649870.5"),
                          transaction("2025-11-24", "sell", 100, None, "649770.5")]
    with served(fake) as client:
        history = treasury.transaction_history(client, ENV, "s", ["bitcoin"])
    first, second = history.transactions
    assert (first.date, first.kind, first.quantity, first.value_usd, first.balance) == (
        dt.date(2025, 11, 17), "buy", D("8178.5"), D("835554438.25"), D("649870.5"))
    assert (second.kind, second.quantity, second.net_change, second.value_usd) == ("sell", D(100), D(-100), None)
    assert history.complete


def test_a_type_that_contradicts_the_net_change_is_a_provider_failure():
    fake = FakeProviders()
    bad = transaction("2025-11-17", "buy", 5, 100, 5)
    bad["type"] = "sell"
    fake.treasury["s"] = [bad]
    with served(fake) as client, pytest.raises(ProviderError, match="does not match holding_net_change"):
        treasury.transaction_history(client, ENV, "s", ["bitcoin"])


def test_crypto_balances_latest_value_cited_by_its_first_filing():
    document = companyfacts(1, units={"BTC": [
        units_row("2025-03-31", 100, "0000000001-25-000001", "2025-05-01"),
        units_row("2025-03-31", 101, "0000000001-25-000002", "2025-08-01"),     # restated
        units_row("2025-03-31", 101, "0000000001-26-000003", "2026-02-01", "10-K"),
    ], "pure": [units_row("2025-06-30", 7, "0000000001-25-000002", "2025-08-01")]},
        cost=[units_row("2025-03-31", 9000000, "0000000001-25-000002", "2025-08-01")])
    first, second = crypto_balances(document)
    assert (first.asset, first.quantity, first.source, first.cost_usd) == (
        "BTC", D(101), "10-Q 0000000001-25-000002", D(9000000))
    assert (second.asset, second.unit, second.cost_usd) == (None, "pure", None)


def test_filings_newest_first_with_document_addresses():
    document = submissions(1050446, [("0001050446-25-000001", "2025-01-06", "8-K", "8.01", "a.htm"),
                                     ("0001050446-25-000009", "2025-03-03", "10-K", "", "k.htm")])
    found = filings(document, "0001050446", "https://www.sec.gov")
    assert [f.accession for f in found] == ["0001050446-25-000009", "0001050446-25-000001"]
    assert found[1].url == "https://www.sec.gov/Archives/edgar/data/1050446/000105044625000001/a.htm"


def test_daily_cross_rates_in_two_requests():
    from dattrack.providers.coingecko import daily_cross_rates

    fake = FakeProviders({"BTC": "90000"}, fx={"JPY": "147.5"})
    with served(fake) as client:
        rates = daily_cross_rates(client, ENV, "JPY", dt.date(2025, 10, 1), dt.date(2025, 10, 20))
    assert fake.hits["coingecko"] == 2
    assert len(rates) == 20 and set(rates.values()) == {D("147.5")}


def test_an_impossible_transaction_date_is_a_provider_failure():
    fake = FakeProviders()
    bad = transaction("2025-11-17", "buy", 5, 100, 5)
    bad["date"] = 10 ** 20
    fake.treasury["s"] = [bad]
    with served(fake) as client, pytest.raises(ProviderError, match="out of range"):
        treasury.transaction_history(client, ENV, "s", ["bitcoin"])
