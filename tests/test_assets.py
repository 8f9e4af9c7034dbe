"""The built-in assets: what the store seeds and the words the document reader knows them by."""

from __future__ import annotations

from dattrack.assets import ASSETS, BY_SYMBOL, asset_named
from dattrack.store.schema import builtin_assets


def test_m001_still_inserts_exactly_the_three_assets_it_always_did():
    assert builtin_assets() == [("BTC", "bitcoin", "BTC", "XBTUSD"), ("ETH", "ethereum", "ETH", "ETHUSD"),
                              ("SOL", "solana", "SOL", "SOLUSD")]


def test_the_tokens_listed_dats_hold_are_known_with_their_coingecko_ids():
    symbols = {a.symbol for a in ASSETS}
    assert {"BTC", "ETH", "SOL", "XRP", "BNB", "DOGE", "TRX", "TON", "HYPE", "LTC", "SUI", "AVAX", "ENA", "WLD",
            "LINK"} <= symbols
    assert BY_SYMBOL["TON"].coingecko_id == "the-open-network" and BY_SYMBOL["AVAX"].coingecko_id == "avalanche-2"
    assert len({a.coingecko_id for a in ASSETS}) == len(ASSETS)


def test_documents_name_assets_by_symbol_in_capitals_or_by_name_in_any_case():
    assert asset_named("Bitcoins") == asset_named("BTC") == asset_named("XBT") == "BTC"
    assert asset_named("ether") == asset_named("ETH") == "ETH"
    assert asset_named("Litecoin") == "LTC" and asset_named("TRX") == "TRX" and asset_named("LINK") == "LINK"
    assert asset_named("link") is None and asset_named("sui") is None and asset_named("shares") is None
