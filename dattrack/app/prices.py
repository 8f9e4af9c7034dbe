"""Prices: setting one by hand, which ones the database needs, fetching them, how old the stored
ones are, and the PriceBook every report reads them through."""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.inputs import check_currency, check_symbol
from dattrack.currency import USD, convert, usd_pair
from dattrack.dates import now_stamp, parse_date, today
from dattrack.freshness import age_days, is_stale, threshold_for
from dattrack.numbers import parse_decimal
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import prices as price_rows
from dattrack.store.companies import all_companies, held_assets


class PriceBook:
    """Price look-ups for one as-of date, each symbol read once; conversions follow the one rule
    of currency.py (kernel) with that date's FX prices."""

    def __init__(self, store: Store, as_of: str):
        self.store, self.as_of, self._cache = store, as_of, {}

    def get(self, symbol: str):
        if symbol not in self._cache:
            self._cache[symbol] = price_rows.on_or_before(self.store, symbol, self.as_of)
        return self._cache[symbol]

    def usd_to(self, currency: str):
        """Units of `currency` per USD on the as-of date, as a stored price (or None)."""
        return None if currency == USD else self.get(usd_pair(currency))

    def usd_rate(self, currency: str) -> Decimal | None:
        fx = self.usd_to(currency)
        return None if fx is None else fx.price

    def in_usd(self, symbol: str) -> Decimal | None:
        """The symbol's price in USD; None when it or a needed rate is missing (never a guess)."""
        return self.in_currency(symbol, USD)

    def in_currency(self, symbol: str, currency: str) -> Decimal | None:
        """The symbol's price in `currency`; None when it or a needed rate is missing."""
        quote = self.get(symbol)
        return None if quote is None else convert(quote.price, quote.currency, currency, self.usd_rate)


def set_price(store: Store, symbol: str, value: str, date: str | None, currency: str | None,
              source: str | None = "manual") -> dict:
    symbol = check_symbol(symbol, "symbol")
    price = parse_decimal(value, "price", positive=True)
    day = parse_date(date).isoformat() if date else today().isoformat()
    if currency is None:  # the quoting company's currency; for an FX pair its second currency; else USD
        currency = company_rows.quote_currency(store, symbol) or (symbol[3:] if is_fx_pair(symbol) else USD)
    currency = check_currency(currency)
    # A hand-typed close is the price as traded on its day: its split basis is that day.
    price_rows.upsert(store, symbol, day, price, currency, source, basis_date=day)
    return {"symbol": symbol, "date": day, "price": price, "currency": currency}


def symbol_kinds(store: Store) -> dict[str, str]:
    """symbol -> 'crypto' | 'stock' | 'fx' for every symbol the companies need."""
    kinds = {asset: "crypto" for asset in held_assets(store)}
    for company in all_companies(store):
        kinds.setdefault(company["quote_symbol"], "stock")
        if company["currency"] != USD:
            kinds[usd_pair(company["currency"])] = "fx"
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

    ids = company_rows.coingecko_ids(store)
    return [PriceNeed(symbol, kind, ids.get(symbol) if kind == "crypto" else None)
            for symbol, kind in sorted(symbol_kinds(store).items())]


FIRST_FETCHABLE_DAY = "1970-01-02"


def fetch_and_store(store: Store, on: str | None, *, needs=None, client=None, env=None, progress=None):
    """Fetch every needed price (today's, or the close of `on`) and store what came back in one
    transaction. Returns the providers' FetchResult: failures are named, the rest is stored.
    `needs`: price_needs(store), when the caller already has them."""
    import datetime as dt

    from dattrack.providers.fetch import fetch_prices
    from dattrack.providers.http import borrowed_or_new

    if on is not None and on < FIRST_FETCHABLE_DAY:  # providers count time in Unix seconds
        from dattrack.errors import BadInput

        raise BadInput(f"no provider has prices for {on}: the earliest date to fetch is {FIRST_FETCHABLE_DAY} "
                       "(record older prices with dattrack price set)")
    needs = price_needs(store) if needs is None else needs
    with borrowed_or_new(client) as http:
        result = fetch_prices(needs, dt.date.fromisoformat(on) if on else None, client=http, env=env,
                              progress=progress)
    fetched_at = now_stamp()
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
