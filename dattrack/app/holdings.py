"""Holdings and P&L: positions valued at the as-of date's prices, realized and unrealized P&L,
and disclosed balances checked against the events.

The CLI prints what these return; nothing here prints and nothing in the core touches SQL.
"""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.books import all_books, positions_as_of
from dattrack.app.companies import selected_companies
from dattrack.app.inputs import check_method
from dattrack.app.prices import PriceBook
from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.freshness import CRYPTO_STALE_DAYS, age_days, is_stale
from dattrack.ledger import replay
from dattrack.ledger.replay import Position
from dattrack.numbers import ratio
from dattrack.store import Store

HUNDRED = Decimal(100)


def holdings(store: Store, tickers: list[str] | None = None, *, asset: str | None = None,
             as_of: str | None = None, method: str = "average") -> list[dict]:
    method = check_method(method)
    companies = selected_companies(store, tickers)
    day = as_of or today().isoformat()
    prices = PriceBook(store, day)
    rows = []
    for (ticker, held_asset), position in positions_as_of(store, companies, as_of=as_of, method=method,
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
        "cost_known_quantity": position.quantity - position.unknown_quantity,  # the units cost_basis covers
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
    for (ticker, asset), book in all_books(store, list(companies)):
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
    for (ticker, asset), book in all_books(store, list(companies)):
        for c in replay(book, ordered=True).checks:
            rows.append({
                "ticker": ticker, "asset": asset, "date": c.date, "event_id": c.event_id,
                "asserted": c.asserted, "disclosed_quantity": c.disclosed_quantity,
                "computed_quantity": c.computed_quantity, "quantity_delta": c.quantity_delta,
                "disclosed_cost": c.disclosed_cost, "computed_cost": c.computed_cost,
                "cost_delta": c.cost_delta,
            })
    return rows
