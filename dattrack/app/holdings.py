"""Holdings and P&L: positions valued at the as-of date's prices, realized and unrealized P&L,
and disclosed balances checked against the events.

The CLI prints what these return; nothing here prints and nothing in the core touches SQL.
"""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.day import Day
from dattrack.errors import BadInput
from dattrack.freshness import CRYPTO_STALE_DAYS, age_days, is_stale
from dattrack.ledger.replay import Position
from dattrack.numbers import ratio

HUNDRED = Decimal(100)


def holdings(day: Day, *, asset: str | None = None) -> list[dict]:
    """One row per book of the day's companies; a book before its opening balance has a row too, with
    its quantity (and all that depends on it) unknown: `unknown_until` names the opening's date."""
    wanted = asset.upper() if asset else None
    return [holding_row(day, key, position) for key, position in day.positions.items()
            if wanted is None or key[1] == wanted]


def holding_row(day: Day, key: tuple[str, str], position: Position | None) -> dict:
    company = day.companies[key[0]]
    asset, currency, prices = key[1], company["currency"], day.prices
    quote = prices.get(asset)
    price_usd = prices.in_usd(asset)
    price = prices.in_currency(asset, currency)
    known = position is not None
    value = None if price is None or not known else position.quantity * price
    value_usd = None if price_usd is None or not known else position.quantity * price_usd
    unrealized = None
    if value is not None and position.cost_complete:
        unrealized = value - position.cost_basis
    return {
        "ticker": company["ticker"],
        "asset": asset,
        "quantity": position.quantity if known else None,
        "cost_basis": position.cost_basis if known else None,
        "avg_cost": position.avg_cost if known else None,
        "currency": currency,
        "price": price,
        "value": value,
        "value_usd": value_usd,
        "unrealized_pnl": unrealized,
        "unrealized_pnl_pct": None if unrealized is None else ratio(unrealized * HUNDRED, position.cost_basis),
        "cost_complete": position.cost_complete if known else None,
        "price_date": quote.date if quote else None,
        "price_age_days": age_days(quote.date, day.as_of) if quote else None,
        "price_stale": bool(quote and is_stale(quote.date, day.as_of, CRYPTO_STALE_DAYS)),
        "unknown_until": None if known else day.unknown_until(key),
    }


def pnl(day: Day) -> list[dict]:
    """Realized P&L of the sells in [day.since, day.as_of] and unrealized P&L at its end, per book."""
    if day.since and day.since > day.as_of:
        raise BadInput(f"--since {day.since} is after --until {day.as_of}")
    rows = []
    for key, walk in day.walks.items():
        if walk.latest is None:
            continue
        ticker, asset = key
        held = holding_row(day, key, walk.position)
        realized = walk.realized_pnl
        total = None if realized is None or held["unrealized_pnl"] is None else realized + held["unrealized_pnl"]
        rows.append({
            "ticker": ticker, "asset": asset, "method": day.method, "since": day.since, "until": day.as_of,
            "realized_pnl": realized, "proceeds": walk.proceeds,
            "unrealized_pnl": held["unrealized_pnl"], "total_pnl": total,
            "quantity": walk.position.quantity, "cost_basis": walk.position.cost_basis,
            "value": held["value"], "currency": day.companies[ticker]["currency"],
            "cost_complete": walk.position.cost_complete, "price_date": held["price_date"],
        })
    return rows


def check(day: Day) -> list[dict]:
    """Every balance on or before the day against what the events before it add up to."""
    rows = []
    for (ticker, asset), walk in day.walks.items():
        for c in walk.checks:
            rows.append({
                "ticker": ticker, "asset": asset, "date": c.date, "event_id": c.event_id,
                "asserted": c.asserted, "disclosed_quantity": c.disclosed_quantity,
                "computed_quantity": c.computed_quantity, "quantity_delta": c.quantity_delta,
                "disclosed_cost": c.disclosed_cost, "computed_cost": c.computed_cost,
                "cost_delta": c.cost_delta,
            })
    return rows
