"""The headline of a window, as arithmetic on plain values: how much each asset the tracked companies
hold and what it is worth, who holds most, who sold in the window (units, the proceeds they disclosed,
realized P&L at average cost) and who bought. A sale nobody disclosed — units that left through a
falling balance — is kept apart and marked implied: valued at the asset's close of its day, never
counted as a sale for nothing. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from dattrack.ledger.replay import Flowed, Moved
from dattrack.numbers import ratio, tidy

ZERO = Decimal(0)
Close = Callable[[str, str], Decimal | None]   # (asset, date) -> its close in the company's currency
INCOMPLETE = "the cost basis is incomplete (units came in with no disclosed cost): the cost of what left is unknown"


class Held(NamedTuple):
    """One book on the as-of date: units held (None: unknown, before its opening balance), their USD
    value, and the units gained since the window began (None: unknown then)."""

    ticker: str
    asset: str
    quantity: Decimal | None
    value_usd: Decimal | None
    change_since: Decimal | None


def totals(books: Iterable[Held]) -> list[dict]:
    """Per asset: the units held by the tracked companies (books whose quantity is known), their USD
    value and how many companies hold some; the biggest value first."""
    found: dict[str, dict] = {}
    for book in books:
        if book.quantity is None:
            continue
        total = found.setdefault(book.asset, {"asset": book.asset, "quantity": ZERO, "value_usd": ZERO,
                                              "companies": set()})
        total["quantity"] += book.quantity
        total["value_usd"] = None if total["value_usd"] is None or book.value_usd is None else \
            total["value_usd"] + book.value_usd
        if book.quantity > 0:
            total["companies"].add(book.ticker)
    rows = [{**total, "quantity": tidy(total["quantity"]),
             "value_usd": None if total["value_usd"] is None else tidy(total["value_usd"]),
             "companies": len(total["companies"])} for total in found.values()]
    return sorted(rows, key=lambda r: (r["value_usd"] is None, -(r["value_usd"] or ZERO), r["asset"]))


def leaders(books: Iterable[Held], held: Mapping[str, Decimal]) -> list[dict]:
    """Every book that holds something, by USD value (unpriced ones last): its rank, its share of the
    units of that asset the tracked companies hold (`held`: asset -> total), its change in the window."""
    kept = [book for book in books if book.quantity]
    kept.sort(key=lambda b: (b.value_usd is None, -(b.value_usd or ZERO), b.ticker, b.asset))
    return [{"rank": rank, "ticker": book.ticker, "asset": book.asset, "quantity": book.quantity,
             "value_usd": book.value_usd, "share": ratio(book.quantity, held.get(book.asset)),
             "change_since": book.change_since} for rank, book in enumerate(kept, 1)]


def sellers(ticker: str, asset: str, currency: str, window: Flowed, left: Sequence[Moved], close: Close) -> list[dict]:
    """Up to two rows for one book over a window: its disclosed sales (`implied` false: `window`, what
    its walk took in and gave out over it) and the units that left through a falling balance (`implied`
    true: `left`, each one). `proceeds`: the sum of the amounts disclosed (an estimate counts as none),
    null when none was; `realized_pnl` at average cost, null with `realized_pnl_reason` when the cost
    basis is incomplete or a proceeds figure is missing. Implied units are valued at the asset's close
    of their date (`close`); the reason says so."""
    rows = []
    if window.sales:
        reasons = [INCOMPLETE] if window.sold_costless else []
        if window.proceeds_disclosed < window.sales:
            reasons.append(f"the proceeds of {window.sales - window.proceeds_disclosed} of {window.sales} sales were "
                           f"not disclosed")
        realized = None if reasons else tidy(window.proceeds - window.sold_cost)
        rows.append(_sold(ticker, asset, currency, window.sold, window.proceeds if window.proceeds_disclosed else None,
                          realized, "; ".join(reasons) or None, implied=False))
    if left:
        realized, reason = ZERO, (f"no sale disclosed: units that left through falling balances, valued at the "
                                  f"{asset} close of each balance's date")
        for move in left:
            price = close(asset, move.date)
            if move.cost is None:
                realized, reason = None, INCOMPLETE
                break
            if price is None:
                realized, reason = None, f"no {asset} close on or before {move.date} to value what left then"
                break
            realized += -move.quantity * price - move.cost
        rows.append(_sold(ticker, asset, currency, sum((-m.quantity for m in left), ZERO), None,
                          None if realized is None else tidy(realized), reason, implied=True))
    return rows


def _sold(ticker: str, asset: str, currency: str, units: Decimal, proceeds: Decimal | None,
          realized: Decimal | None, reason: str | None, *, implied: bool) -> dict:
    return {"ticker": ticker, "asset": asset, "units_sold": tidy(units),
            "proceeds": None if proceeds is None else tidy(proceeds), "proceeds_currency": currency,
            "proceeds_disclosed": proceeds is not None, "realized_pnl": realized, "realized_pnl_reason": reason,
            "implied": implied}


def buyers(ticker: str, asset: str, currency: str, bought: Flowed) -> list[dict]:
    """One row for a book that bought, mined or received units in the window (`bought`: what its walk
    took in over it): the units and the sum of the costs disclosed (an estimate counts as none; null
    when none was). A balance's rise is no purchase: it shows in the leaders' change."""
    if not bought.bought:
        return []
    return [{"ticker": ticker, "asset": asset, "units_bought": tidy(bought.bought),
             "cost": tidy(bought.bought_cost) if bought.bought_costed else None, "cost_currency": currency}]


def by_usd(rows: list[dict], units: str, price_usd: Mapping[str, Decimal | None]) -> list[dict]:
    """Rows ranked by what their units are worth at the as-of price (unpriced last), biggest first."""
    def worth(row: dict) -> tuple:
        price = price_usd.get(row["asset"])
        return (price is None, -(row[units] * price) if price is not None else -row[units], row["ticker"],
                row.get("implied", False))
    return sorted(rows, key=worth)
