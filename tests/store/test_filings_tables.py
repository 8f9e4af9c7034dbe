"""m009_filings: the built-in assets of dattrack/assets.py, the inbox's fingerprints kept whatever the
item's state, and the documents a sync could not fetch."""

from __future__ import annotations

from decimal import Decimal

from dattrack.assets import ASSETS
from dattrack.store import inbox, open_store


def test_every_built_in_asset_is_in_the_assets_table(tmp_path):
    store = open_store(tmp_path / "d.db", create=True)
    try:
        rows = {r[0]: tuple(r) for r in store.query("SELECT symbol, coingecko_id, coinbase_base, kraken_pair FROM assets")}
    finally:
        store.close()
    assert {a.symbol: a.row for a in ASSETS}.items() <= rows.items()


def test_an_item_is_added_once_and_its_decision_kept(tmp_path):
    store = open_store(tmp_path / "d.db", create=True)
    try:
        with store.write():
            store.execute("INSERT INTO companies (ticker, name, quote_symbol) VALUES ('MSTR', 'Strategy', 'MSTR')")
            item = {"ticker": "MSTR", "kind": "balance", "asset": "BTC", "quantity": Decimal("649870"),
                    "amount": None, "currency": None, "date": "2025-11-16", "period_start": None, "name": None,
                    "value": None, "quote": "Aggregate BTC Holdings 649,870", "document": "x.htm", "source": None,
                    "known_on": "2025-11-17", "reason": "why", "fingerprint": "f1"}
            first = inbox.add(store, item, "2025-11-17T00:00:00Z")
            assert inbox.add(store, item, "2025-11-18T00:00:00Z") is None
            inbox.decide(store, first, "rejected", "2025-11-18T00:00:00Z")
            assert inbox.add(store, item, "2025-11-19T00:00:00Z") is None
            inbox.mark_document(store, "MSTR", "0001193125-25-283991", "a.htm", form="8-K", filed="2025-11-17",
                                error="HTTP 500", stamp="s")
            assert inbox.failed_documents(store) == [("MSTR", "0001193125-25-283991")]
            inbox.mark_document(store, "MSTR", "0001193125-25-283991", "a.htm", form="8-K", filed="2025-11-17",
                                error=None, stamp="s")
        assert inbox.failed_documents(store) == [] and inbox.pending(store) == []
        assert inbox.fingerprints(store, "MSTR") == {"f1": "rejected"}
        assert inbox.by_ids(store, [first])[first]["quantity"] == Decimal("649870")
    finally:
        store.close()
