"""Which prices the database needs, and how old the stored ones are."""

from __future__ import annotations

from dattrack.dates import today
from dattrack.freshness import age_days, is_stale, threshold_for
from dattrack.store import Store
from dattrack.store import prices as price_rows


def symbol_kinds(store: Store) -> dict[str, str]:
    """symbol -> 'crypto' | 'stock' | 'fx' for every symbol the companies need."""
    kinds: dict[str, str] = {}
    for (asset,) in store.query("SELECT asset FROM companies UNION SELECT DISTINCT asset FROM events"):
        kinds[asset] = "crypto"
    for quote, currency in store.query("SELECT quote_symbol, currency FROM companies"):
        kinds.setdefault(quote, "stock")
        if currency != "USD":
            kinds[f"USD{currency}"] = "fx"
    return kinds


def kind_of(symbol: str, kinds: dict[str, str]) -> str:
    if symbol in kinds:
        return kinds[symbol]
    if len(symbol) == 6 and symbol.startswith("USD") and symbol.isalpha():
        return "fx"
    return "stock"


def price_listing(store: Store, symbol: str | None, since: str | None) -> list[dict]:
    """Stored prices with their age; the latest close of each symbol is flagged when stale."""
    rows = price_rows.listing(store, symbol, since)
    kinds = symbol_kinds(store)
    day = today().isoformat()
    latest = {}
    for row in rows:
        latest[row["symbol"]] = row["date"]
    for row in rows:
        row["age_days"] = age_days(row["date"], day)
        row["stale"] = (row["date"] == latest[row["symbol"]]
                        and is_stale(row["date"], day, threshold_for(kind_of(row["symbol"], kinds))))
    return rows
