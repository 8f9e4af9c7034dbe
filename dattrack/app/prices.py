"""Which prices the database needs, and how old the stored ones are."""

from __future__ import annotations

from dattrack.dates import today
from dattrack.freshness import age_days, is_stale, threshold_for
from dattrack.store import Store
from dattrack.store import prices as price_rows
from dattrack.store.companies import all_companies, held_assets


def symbol_kinds(store: Store) -> dict[str, str]:
    """symbol -> 'crypto' | 'stock' | 'fx' for every symbol the companies need."""
    kinds = {asset: "crypto" for asset in held_assets(store)}
    for company in all_companies(store):
        kinds.setdefault(company["quote_symbol"], "stock")
        if company["currency"] != "USD":
            kinds[f"USD{company['currency']}"] = "fx"
    return kinds


def is_fx_pair(symbol: str) -> bool:
    """USDJPY and the like: units of the second currency per 1 USD."""
    return len(symbol) == 6 and symbol.startswith("USD") and symbol.isalpha() and symbol.isupper()


def kind_of(symbol: str, kinds: dict[str, str]) -> str:
    if symbol in kinds:
        return kinds[symbol]
    return "fx" if is_fx_pair(symbol) else "stock"


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


def price_needs(store: Store):
    """Every price the database needs: each held asset, each quote symbol, each FX pair."""
    from dattrack.providers.model import PriceNeed
    from dattrack.store.companies import asset_ids

    ids = asset_ids(store)
    return [PriceNeed(symbol, kind, (ids.get(symbol) or {}).get("coingecko_id") if kind == "crypto" else None)
            for symbol, kind in sorted(symbol_kinds(store).items())]


def fetch_and_store(store: Store, on: str | None, *, needs=None, client=None, env=None, progress=None):
    """Fetch every needed price (today's, or the close of `on`) and store what came back in one
    transaction. Returns the providers' FetchResult: failures are named, the rest is stored.
    `needs`: price_needs(store), when the caller already has them."""
    import datetime as dt

    from dattrack.providers.fetch import fetch_prices
    from dattrack.providers.http import borrowed_or_new

    needs = price_needs(store) if needs is None else needs
    with borrowed_or_new(client) as http:
        result = fetch_prices(needs, dt.date.fromisoformat(on) if on else None, client=http, env=env,
                              progress=progress)
    fetched_at = price_rows.now_stamp()
    kinds = {need.symbol: need.kind for need in needs}
    # Providers' share histories are split-adjusted as of the day they are fetched.
    basis = today().isoformat()
    with store.write():
        for quote in result.quotes:
            price_rows.upsert(store, quote.symbol, quote.date.isoformat(), quote.price, quote.currency, quote.source,
                              fetched_at, basis if kinds.get(quote.symbol) == "stock" else None)
    return result


def coverage(store: Store) -> tuple[list[dict], str | None]:
    """How far each price the database needs reaches, and the latest common date: the newest day on
    which every one of them has a close (a valuation on a later day pairs closes of different days)."""
    from dattrack.dates import today
    from dattrack.freshness import age_days, is_stale, threshold_for

    kinds = symbol_kinds(store)
    spans = price_rows.spans(store, sorted(kinds))
    day = today().isoformat()
    rows = []
    for symbol, kind in sorted(kinds.items()):
        first, last, count = spans.get(symbol, (None, None, 0))
        rows.append({"symbol": symbol, "kind": kind, "first": first, "last": last, "count": count,
                     "age_days": age_days(last, day), "stale": last is None or is_stale(last, day, threshold_for(kind))})
    lasts = [r["last"] for r in rows]
    common = None if not lasts or None in lasts else min(lasts)
    for row in rows:
        row["holds_back"] = common is not None and row["last"] == common
    return rows, common
