"""Read-side assembly: load rows from the store, run the pure core, return report rows.

The CLI prints what these return; nothing here prints and nothing in the core touches SQL.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from bisect import bisect_right
from decimal import Decimal

from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.freshness import CRYPTO_STALE_DAYS, age_days, is_stale
from dattrack.ledger import METHODS, replay
from dattrack.ledger.replay import Position
from dattrack.numbers import divide, ratio
from dattrack.app import books
from dattrack.app.events import require_company
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import events as event_rows
from dattrack.store import prices as price_rows

HUNDRED = Decimal(100)
PARALLEL_FROM = 200_000     # events; below this a second process costs more than it saves
MAX_WORKERS = 4


def check_method(method: str) -> str:
    if method not in METHODS:
        raise BadInput(f"unknown cost basis method {method!r}: use one of {', '.join(METHODS)}")
    return method


def selected_companies(store: Store, tickers: list[str] | None) -> dict[str, dict]:
    for ticker in tickers or []:
        require_company(store, ticker)
    return {c["ticker"]: c for c in company_rows.all_companies(store, tickers)}


def positions(store: Store, companies: dict[str, dict], *, as_of: str | None, method: str,
              asset: str | None = None) -> dict[tuple[str, str], Position]:
    """Positions per (ticker, asset). Today's positions come from the state kept on every write
    (average positions, lot books; no event is dated in the future, so any date from today on is
    today); other dates replay the events."""
    tickers = list(companies)
    if as_of is not None and as_of < today().isoformat():
        found = replayed_positions(store, tickers, method, as_of)
    elif method == "average":
        found = event_rows.positions(store, tickers)
    else:
        found, missing = books.lot_positions(store, method, tickers)
        found.update(_replay_books(store, missing, method, None))  # books saved before lot books were kept
    return {k: v for k, v in sorted(found.items()) if asset is None or k[1] == asset}


def positions_by_date(store: Store, companies: dict[str, dict], dates: list[str]) -> dict[str, dict[tuple[str, str], Position]]:
    """Average-cost positions at the end of each date (a snapshot backfill): every book is read
    and replayed once for all the dates, each stretch of events continuing the previous one."""
    current = today().isoformat()
    past = sorted(day for day in set(dates) if day < current)
    found: dict[str, dict[tuple[str, str], Position]] = {day: {} for day in past}
    if past:
        for key, events in event_rows.all_books(store, list(companies)):
            event_dates = [event.date for event in events]
            position, replayed = None, 0
            for day in past:
                end = bisect_right(event_dates, day)
                if end > replayed:
                    position = replay(events[replayed:end], ordered=True, start=position).position
                    replayed = end
                if position is not None:
                    found[day][key] = position
    if any(day >= current for day in dates):
        saved = event_rows.positions(store, list(companies))
        found.update({day: saved for day in dates if day >= current})
    return {day: dict(sorted(held.items())) for day, held in found.items()}


def replayed_positions(store: Store, tickers: list[str], method: str, until: str | None) -> dict[tuple[str, str], Position]:
    """Replay every book. Past PARALLEL_FROM events the books are shared among worker processes,
    one per core: replaying is pure Python, so threads would not help."""
    keys = event_rows.book_keys(store, tickers)
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(keys))
    if workers < 2 or event_rows.count(store, tickers) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        return _replay_books(store, keys, method, until)
    from concurrent.futures import ProcessPoolExecutor

    chunks = [keys[i::workers] for i in range(workers)]
    found: dict[tuple[str, str], Position] = {}
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for part in pool.map(_replay_in_worker, [(str(store.path), chunk, method, until) for chunk in chunks]):
            found.update(part)
    return found


def _replay_books(store: Store, keys: list[tuple[str, str]], method: str, until: str | None) -> dict:
    found = {}
    for ticker, asset in keys:
        result = replay(event_rows.book(store, ticker, asset), method, until=until, ordered=True)
        if result.last_date is not None:
            found[(ticker, asset)] = result.position
    return found


def _replay_in_worker(job: tuple) -> dict:
    from dattrack.store import open_store

    path, keys, method, until = job
    store = open_store(path, migrate=False)
    try:
        return _replay_books(store, keys, method, until)
    finally:
        store.close()


class PriceBook:
    """Price look-ups for one as-of date, each symbol read once."""

    def __init__(self, store: Store, as_of: str):
        self.store, self.as_of, self._cache = store, as_of, {}

    def get(self, symbol: str):
        if symbol not in self._cache:
            self._cache[symbol] = price_rows.on_or_before(self.store, symbol, self.as_of)
        return self._cache[symbol]

    def usd_to(self, currency: str):
        """Units of `currency` per USD on the as-of date, as a stored price (or None)."""
        return None if currency == "USD" else self.get(f"USD{currency}")

    def in_usd(self, symbol: str) -> Decimal | None:
        """The symbol's price in USD: as stored when quoted in USD, else converted with the FX
        price of the same as-of date; None when that rate is missing (never a guess)."""
        quote = self.get(symbol)
        if quote is None:
            return None
        if quote.currency == "USD":
            return quote.price
        fx = self.usd_to(quote.currency)
        return None if fx is None else divide(quote.price, fx.price)

    def in_currency(self, symbol: str, currency: str) -> Decimal | None:
        """The symbol's price in `currency`: as stored when quoted in it, else through USD with the
        same date's FX prices; None when a rate is missing."""
        quote = self.get(symbol)
        if quote is None or quote.currency == currency:
            return None if quote is None else quote.price
        usd = self.in_usd(symbol)
        if usd is None or currency == "USD":
            return usd
        fx = self.usd_to(currency)
        return None if fx is None else usd * fx.price


def holdings(store: Store, tickers: list[str] | None = None, *, asset: str | None = None,
             as_of: str | None = None, method: str = "average") -> list[dict]:
    method = check_method(method)
    companies = selected_companies(store, tickers)
    day = as_of or today().isoformat()
    prices = PriceBook(store, day)
    rows = []
    for (ticker, held_asset), position in positions(store, companies, as_of=as_of, method=method,
                                                    asset=asset.upper() if asset else None).items():
        rows.append(holding_row(companies[ticker], held_asset, position, prices))
    return rows


def holding_row(company: dict, asset: str, position: Position, prices: PriceBook) -> dict:
    currency = company["currency"]
    quote = prices.get(asset)
    price_usd = prices.in_usd(asset)
    price = prices.in_currency(asset, currency)
    value = None if price is None else position.quantity * price
    value_usd = None if price_usd is None else position.quantity * price_usd
    unrealized = None
    if value is not None and position.cost_complete:
        unrealized = value - position.cost_basis
    return {
        "ticker": company["ticker"],
        "asset": asset,
        "quantity": position.quantity,
        "cost_basis": position.cost_basis,
        "avg_cost": position.avg_cost,
        "currency": currency,
        "price": price,
        "value": value,
        "value_usd": value_usd,
        "unrealized_pnl": unrealized,
        "unrealized_pnl_pct": None if unrealized is None else ratio(unrealized * HUNDRED, position.cost_basis),
        "cost_complete": position.cost_complete,
        "price_date": quote.date if quote else None,
        "price_age_days": age_days(quote.date, prices.as_of) if quote else None,
        "price_stale": bool(quote and is_stale(quote.date, prices.as_of, CRYPTO_STALE_DAYS)),
    }


def pnl(store: Store, tickers: list[str] | None = None, *, method: str = "average",
        since: str | None = None, until: str | None = None) -> list[dict]:
    method = check_method(method)
    if since and until and since > until:
        raise BadInput(f"--since {since} is after --until {until}")
    companies = selected_companies(store, tickers)
    day = until or today().isoformat()
    prices = PriceBook(store, day)
    rows = []
    for (ticker, asset), book in event_rows.all_books(store, list(companies)):
        result = replay(book, method, until=day, since=since, ordered=True)
        if result.last_date is None:
            continue
        held = holding_row(companies[ticker], asset, result.position, prices)
        realized = result.realized_pnl
        total = None if realized is None or held["unrealized_pnl"] is None else realized + held["unrealized_pnl"]
        rows.append({
            "ticker": ticker, "asset": asset, "method": method, "since": since, "until": day,
            "realized_pnl": realized, "proceeds": result.proceeds,
            "unrealized_pnl": held["unrealized_pnl"], "total_pnl": total,
            "quantity": result.position.quantity, "cost_basis": result.position.cost_basis,
            "value": held["value"], "currency": companies[ticker]["currency"],
            "cost_complete": result.position.cost_complete, "price_date": held["price_date"],
        })
    return rows


def check(store: Store, tickers: list[str] | None = None) -> list[dict]:
    companies = selected_companies(store, tickers)
    rows = []
    for (ticker, asset), book in event_rows.all_books(store, list(companies)):
        for c in replay(book, ordered=True).checks:
            rows.append({
                "ticker": ticker, "asset": asset, "date": c.date, "event_id": c.event_id,
                "asserted": c.asserted, "disclosed_quantity": c.disclosed_quantity,
                "computed_quantity": c.computed_quantity, "quantity_delta": c.quantity_delta,
                "disclosed_cost": c.disclosed_cost, "computed_cost": c.computed_cost,
                "cost_delta": c.cost_delta,
            })
    return rows
