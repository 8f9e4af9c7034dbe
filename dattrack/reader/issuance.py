"""The 8-K "ATM Update" tables: shares of each program's security sold over a period, their notional
value (preferreds), net proceeds, and what the program has left. Shares are never coins: these
rows are issuance, never a buy."""

from __future__ import annotations

import re

from dattrack.reader.columns import Grid
from dattrack.reader.model import QUOTE_LIMIT, IssuanceFound
from dattrack.reader.periods import as_of_in, period_in
from dattrack.reader.table_rules import Around, _value

SHARES_SOLD = re.compile(r"\bShares\s+Sold\b", re.I)
NOTIONAL = re.compile(r"\bNotional\s+Value\b", re.I)
NET_PROCEEDS = re.compile(r"\bNet\s+Proceeds\b", re.I)
AVAILABLE = re.compile(r"\bAvailable\s+for\s+Issuance\b", re.I)
SYMBOL = re.compile(r"\b(MSTR|STR[A-Z])\b|\b([A-Z]{3,5})\s+(?:Stock|ATM|Shares)\b")
NAMED_SHARES = re.compile(r"[(“\"]+\s*[“\"]?([A-Z]{3,5})\s+Shares[”\"]")
COMMON = re.compile(r"\bcommon\b", re.I)
NOT_A_SECURITY = frozenset({"TOTAL", "ATM", "SIZE"})


def read_atm_table(around: Around) -> list[IssuanceFound]:
    grid = around.grid
    sold = grid.find(SHARES_SOLD)
    net = grid.find(NET_PROCEEDS)
    available = grid.find(AVAILABLE)
    if not sold or not (net or available):
        return []
    notional = grid.find(NOTIONAL)
    year_of = around.context.date
    start, end, _ = period_in(sold[0].header, year_of=year_of)
    if end is None:
        start, end, _ = period_in(around.caption, year_of=year_of)
    out = []
    rows = list(grid.body)
    for i, r in enumerate(rows):
        label = grid.label(r)
        if not label or label.lower().startswith("total"):
            continue
        shares = _value(grid, r, sold[0], money=False)
        proceeds = _value(grid, r, net[0], money=True) if net else None
        left = _value(grid, r, available[0], money=True) if available else None
        if shares is None and proceeds is None and left is None:
            continue  # a description row under the program's own row
        face = _value(grid, r, notional[0], money=True) if notional else None
        security = _security(grid, r, label, rows[i + 1:i + 4])
        if security is None:
            continue
        columns = [c for c in (sold[0], *(notional[:1]), *(net[:1]), *(available[:1])) if c]
        quote = " | ".join([label] + [f"{c.headers[-1]} {grid.value(r, c)}" for c in columns])
        out.append(IssuanceFound(date=end, period_start=start, security=security, shares=_zero(shares),
                                 notional=_zero(face), net_proceeds=_zero(proceeds), capacity_left=_zero(left),
                                 quote=quote[:QUOTE_LIMIT], rule="atm-update-table"))
    return out


def _zero(value):
    """A dash under "Shares Sold" is none sold: 0; no such column or no number: None."""
    if value is None:
        return None
    return value[0] if value[0] is not None else 0


def _security(grid: Grid, r: int, label: str, following: list[int]) -> str | None:
    """The security's ticker as the table writes it ("STRK Stock", "STRK ATM", "3,645,528 MSTR Shares",
    "(“MSTR Shares”)" in the row below), else "common" for a common-stock program it names so."""
    texts = [label, grid.table.row_text(r)] + [grid.table.row_text(x) for x in following if not _is_program_row(grid, x)]
    for text in texts:
        for match in SYMBOL.finditer(text):
            symbol = match.group(1) or match.group(2)
            if symbol and symbol not in NOT_A_SECURITY:
                return symbol
        named = NAMED_SHARES.search(text)
        if named:
            return named.group(1)
    if any(COMMON.search(t) for t in texts):
        return "common"
    return None


def _is_program_row(grid: Grid, r: int) -> bool:
    return any(grid.value(r, c) for c in grid.columns[1:])


__all__ = ["read_atm_table", "Around", "period_in", "as_of_in"]
