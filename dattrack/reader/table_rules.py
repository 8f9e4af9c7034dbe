"""The table rules: each reads one shape of table a company files its figures in.

A rule gets the table as logical columns (`columns.Grid`), the words written just above it, and
the document's context, and returns what it read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from dattrack.assets import asset_named
from dattrack.reader.amounts import cell_value, column_scale, currency_of, exact, scaled
from dattrack.reader.columns import Column, Grid
from dattrack.reader.context import Context
from dattrack.reader.dates import month_period
from dattrack.reader.model import QUOTE_LIMIT, Found
from dattrack.reader.patterns import ASSET
from dattrack.reader.periods import all_dates, as_of_in, period_in, year_doubt

ACQUIRED = re.compile(rf"(?:{ASSET}\s+)?(?:Acquired|Purchased|Bought)\b", re.I)
SOLD = re.compile(rf"(?:{ASSET}\s+)?Sold\b", re.I)
PRICE = re.compile(r"\b(?:Aggregate|Total)\s+(?:Purchase\s+Price|Cost)\b", re.I)
HOLDINGS = re.compile(rf"\b(?:Aggregate|Total)\s+(?:{ASSET}\s+)?Holdings\b", re.I)
HOLDINGS_ROW = re.compile(rf"^(?:(?:Total|Aggregate)\s+{ASSET}\s+Holdings$|Approximate\s+Number\s+of\s+"
                          rf"{ASSET.replace('?P<asset>', '?P<held>')}\s+Held)", re.I)
BASIC_SHARES_ROW = re.compile(r"^Basic\s+Shares\s+Outstanding$", re.I)
NUMBER_HELD = re.compile(rf"\bNumber\s+of\s+{ASSET}\s+Held\b", re.I)
COST_BASIS = re.compile(r"\bCost\s+Basis\b", re.I)
BALANCE_AT = re.compile(r"^Balance\s+(?:at|as\s+of)\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})(?!\s*\(after)", re.I)
PURCHASES_ROW = re.compile(r"^(?:Digital\s+asset|Bitcoin|Crypto\s+asset)\s+purchases\b", re.I)


@dataclass(frozen=True)
class Around:
    grid: Grid
    caption: str            # the paragraphs just above the table (its title and lead sentence)
    context: Context


@dataclass(frozen=True)
class TableRule:
    name: str
    read: Callable[[Around], list[Found]]
    example: str


def value_under(grid: Grid, r: int, column: Column, *, money: bool) -> tuple[Decimal | None, str | None] | None:
    """The number under `column` in row r, scaled by its header's "(in millions)" or its own "billion";
    None when the cell is no number, (None, None) for a dash."""
    text = grid.value(r, column)
    value = cell_value(text)
    if value is None:
        return None
    number, sign, word = value
    if number is None:
        return None, None
    if word:
        number = scaled(number, word)
    else:
        number = number.scaleb(_scale_of(column, money=money))
    return exact(number), currency_of(sign) if sign else ("USD" if money and "$" in column.header else None)


def _scale_of(column: Column, *, money: bool) -> int:
    """A money column takes every scale over it; a units column only its own header's ("Aggregate BTC
    Holdings (in thousands)"), never a table-wide "$ in thousands" note over it."""
    if money:
        return column_scale(column.header)
    own = column.headers[-1] if column.headers else ""
    wide = " ".join(column.headers[:-1])
    if column_scale(own):
        return column_scale(own)
    if column_scale(wide) and not MONEY_NOTE.search(wide):
        return column_scale(wide)
    return 0


def _row_quote(grid: Grid, r: int, columns: list[Column]) -> str:
    parts = [f"{c.headers[-1] if c.headers else ''} {grid.value(r, c)}".strip() for c in columns]
    heads = {c.headers[0] for c in columns if len(c.headers) > 1}
    text = " | ".join(sorted(heads) + parts)
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 1] + "…"


def _asset_in(*texts: str) -> str | None:
    for text in texts:
        for match in re.finditer(ASSET, text):
            asset = asset_named(match.group("asset"))
            if asset:
                return asset
    return None


def _btc_update(around: Around) -> list[Found]:
    """Strategy's "BTC Update": BTC Acquired / Aggregate Purchase Price / Average Purchase Price under
    "During Period X to Y", Aggregate BTC Holdings / Aggregate Purchase Price under "As of Y"."""
    grid = around.grid
    year_of = around.context.date
    acquired = grid.find(ACQUIRED)
    holdings = grid.find(HOLDINGS)
    if not holdings and not acquired:
        return []
    holdings_at = grid.columns.index(holdings[0]) if holdings else len(grid.columns)
    acquired_at = grid.columns.index(acquired[0]) if acquired else -1
    prices = [c for c in grid.find(PRICE) if "average" not in c.header.lower()]
    buy_price = next((c for c in prices if acquired_at < grid.columns.index(c) < holdings_at), None)
    cost = next((c for c in prices if grid.columns.index(c) > holdings_at), None)
    asset = _asset_in(*(c.header for c in acquired + holdings), around.caption)
    if asset is None:
        return []
    out = []
    for r in grid.body:
        if acquired:
            start, end, guessed = period_in(acquired[0].header, year_of=year_of)
            if end is None:
                start, end, guessed = period_in(around.caption, year_of=year_of)
            quantity = value_under(grid, r, acquired[0], money=False)
            if quantity and quantity[0]:
                amount = value_under(grid, r, buy_price, money=True) if buy_price else None
                out.append(Found(kind="buy", asset=asset, quantity=quantity[0], amount=amount[0] if amount else None,
                                 currency=(amount[1] or "USD") if amount and amount[0] is not None else None, date=end,
                                 period_start=start, name=None, value=None,
                                 quote=_row_quote(grid, r, [acquired[0]] + ([buy_price] if buy_price else [])),
                                 rule="btc-update-table",
                                 doubt=year_doubt(start or end, guessed, year_of)))
        if holdings:
            day, guessed = as_of_in(holdings[0].header, year_of=year_of)
            if day is None:
                day, guessed = as_of_in(around.caption, year_of=year_of)
            quantity = value_under(grid, r, holdings[0], money=False)
            if quantity and quantity[0]:
                amount = value_under(grid, r, cost, money=True) if cost else None
                out.append(Found(kind="balance", asset=asset, quantity=quantity[0], amount=amount[0] if amount else None,
                                 currency=(amount[1] or "USD") if amount and amount[0] is not None else None, date=day,
                                 period_start=None, name=None, value=None,
                                 quote=_row_quote(grid, r, [holdings[0]] + ([cost] if cost else [])),
                                 rule="btc-update-table",
                                 doubt=year_doubt(day, guessed, year_of)))
    return out


def _holdings_by_date(around: Around) -> list[Found]:
    """A KPI table with dates over its columns: "Total Bitcoin Holdings 189,150 226,331 244,800" and
    "Basic Shares Outstanding" (under "Shares Outstanding (in '000s)")."""
    grid = around.grid
    dated = [(c, all_dates(c.header, year_of=around.context.date)) for c in grid.columns]
    dated = [(c, d[-1]) for c, d in dated if d]
    if not dated:
        return []
    out = []
    section_scale = 0
    for r in grid.body:
        label = grid.label(r)
        if label and not any(grid.value(r, c) for c, _ in dated):
            section_scale = column_scale(label)  # "Shares Outstanding (in '000s)" scales the rows below it
            continue
        holdings = HOLDINGS_ROW.search(label)
        shares = BASIC_SHARES_ROW.search(label)
        if not holdings and not shares:
            continue
        for column, day in dated:
            value = value_under(grid, r, column, money=False)
            if not value or value[0] is None:
                continue
            quote = f"{label} {grid.value(r, column)} ({column.header})"
            if holdings:
                asset = asset_named(holdings.group("asset") or holdings.group("held"))
                out.append(Found(kind="balance", asset=asset, quantity=value[0], amount=None, currency=None, date=day,
                                 period_start=None, name=None, value=None, quote=quote, rule="holdings-by-date-table"))
            else:
                out.append(Found(kind="fact", asset=None, quantity=None, amount=None, currency=None, date=day,
                                 period_start=None, name="shares_basic", value=exact(value[0].scaleb(section_scale)),
                                 quote=quote, rule="holdings-by-date-table"))
    return out


def _rollforward(around: Around) -> list[Found]:
    """A roll-forward: "Balance at December 31, 2024 $ 27,968,248 ... 447,470" (cost in thousands) and
    "Digital asset purchases 18,064,549 ... 195,250" over the quarter the caption names."""
    grid = around.grid
    held = grid.find(NUMBER_HELD)
    costs = [c for c in grid.find(COST_BASIS) if "carrying" not in c.header.lower()]
    if not held:
        return []
    asset = _asset_in(held[0].header)
    year_of = around.context.date
    out = []
    for r in grid.body:
        label = grid.label(r)
        quantity = value_under(grid, r, held[0], money=False)
        if not quantity or quantity[0] is None:
            continue
        amount = value_under(grid, r, costs[0], money=True) if costs else None
        amount_value = amount[0] if amount else None
        balance = BALANCE_AT.match(label)
        dates = all_dates(label, year_of=year_of)
        quote = _row_quote(grid, r, [held[0]] + costs[:1])
        quote = f"{label}: {quote}"[:QUOTE_LIMIT]
        if balance or (dates and len(label) <= 40 and DATE_ONLY.match(label)):
            out.append(Found(kind="balance", asset=asset, quantity=quantity[0], amount=amount_value,
                             currency="USD" if amount_value is not None else None, date=dates[0] if dates else None,
                             period_start=None, name=None, value=None, quote=quote, rule="rollforward-table"))
        elif PURCHASES_ROW.match(label):
            start, end, _ = period_in(around.caption, year_of=year_of)
            if end is None:
                continue
            out.append(Found(kind="buy", asset=asset, quantity=quantity[0], amount=amount_value,
                             currency="USD" if amount_value is not None else None, date=end, period_start=start,
                             name=None, value=None, quote=quote, rule="rollforward-table"))
    return out


MONEY_NOTE = re.compile(r"\$|dollars|USD|except|per[- ]share|per\s+(?:bitcoin|unit)", re.I)
DATE_ONLY = re.compile(r"^[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}$")
PRODUCED_ROW = re.compile(rf"^(?:Total\s+)?(?:Number\s+of\s+)?{ASSET}\s+(?:Produced|Mined|Production)\b(?!\s*per)", re.I)
HELD_ROW = re.compile(rf"^(?:Total\s+)?{ASSET}\s+(?:Held|Holdings)\b(?!\s*per)", re.I)
MONTH_COLUMN = re.compile(r"^(?P<month>[A-Z][a-z]{2,8})\.?[\s-]+(?P<year>(?:19|20)?\d\d)$")


def _month_of(header: str, year_of: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """A column headed by a month: "October 2025", "Oct. 2025", "Oct-25"."""
    match = MONTH_COLUMN.match(header.strip())
    if not match:
        return None
    year = int(match.group("year"))
    year += 2000 if year < 100 else 0
    return month_period(match.group("month"), year, year_of=year_of)


def _production(around: Around) -> list[Found]:
    """A miner's monthly production update: "BTC Produced 705 907" under "October 2024 | September
    2024" (a mine per month), "BTC Held" under the same months (a balance at each month's end)."""
    grid = around.grid
    months = [(c, _month_of(c.headers[-1] if c.headers else "", around.context.date)) for c in grid.columns]
    months = [(c, m) for c, m in months if m]
    if not months:
        return []
    out = []
    for r in grid.body:
        label = grid.label(r)
        produced = PRODUCED_ROW.match(label)
        held = HELD_ROW.match(label)
        if not produced and not held:
            continue
        asset = asset_named((produced or held).group("asset"))
        for column, (start, end) in months:
            value = value_under(grid, r, column, money=False)
            if not value or value[0] is None or asset is None:
                continue
            quote = f"{label} {grid.value(r, column)} ({column.header})"
            out.append(Found(kind="mine" if produced else "balance", asset=asset, quantity=value[0], amount=None,
                             currency=None, date=end, period_start=start if produced else None, name=None,
                             value=None, quote=quote[:QUOTE_LIMIT], rule="production-table"))
    return out


TABLE_RULES: tuple[TableRule, ...] = (
    TableRule("btc-update-table", _btc_update,
              "During Period January 20, 2026 to January 25, 2026 | BTC Acquired 2,932 | Aggregate Purchase Price "
              "(in millions) $ 264.1 | As of January 25, 2026 | Aggregate BTC Holdings 712,647 | Aggregate Purchase "
              "Price (in billions) $ 54.19"),
    TableRule("holdings-by-date-table", _holdings_by_date,
              "12/31/2023 6/30/2024 9/12/2024 | Total Bitcoin Holdings 189,150 226,331 244,800"),
    TableRule("production-table", _production, "October 2024 | September 2024 || BTC Produced 705 907"),
    TableRule("rollforward-table", _rollforward,
              "Balance at March 31, 2025 $ 35,629,911 $ 43,546,079 528,185 $ 67,458 (Digital Asset Original Cost "
              "Basis (in thousands), Approximate Number of Bitcoins Held)"),
)
