"""The 8-K "ATM Update" tables: shares of each program's security sold over a period, their notional
value (preferreds), net proceeds, and what the program has left. Shares are never coins: these
rows are issuance, never a buy."""

from __future__ import annotations

import re

from dattrack.reader.amounts import NUMBER, exact, number
from dattrack.reader.columns import Grid
from dattrack.reader.context import Context
from dattrack.reader.model import QUOTE_LIMIT, IssuanceFound
from dattrack.reader.patterns import MONEY, money_of
from dattrack.reader.dates import parse_dates
from dattrack.reader.periods import AS_OF, lead_date, period_in
from dattrack.reader.sentences import quote as quote_of
from dattrack.reader.table_rules import Around, value_under

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
        shares = value_under(grid, r, sold[0], money=False)
        proceeds = value_under(grid, r, net[0], money=True) if net else None
        left = value_under(grid, r, available[0], money=True) if available else None
        if shares is None and proceeds is None and left is None:
            continue  # a description row under the program's own row
        face = value_under(grid, r, notional[0], money=True) if notional else None
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


SOLD_SHARES = re.compile(rf"\b(?:had\s+)?sold\s+(?:an\s+aggregate\s+(?:total\s+)?of\s+)?(?P<n>{NUMBER})\s+(?:(?P<ticker>[A-Z]{{3,5}})\s+)?"
                         rf"(?:Shares|shares\s+of\s+(?:its\s+|our\s+)?(?P<what>class\s+[A-Z]\s+common\s+stock|common\s+stock|"
                         rf"[\w.%\s-]{{0,60}}?preferred\s+stock))\b[^.;]{{0,80}}?\bfor\s+(?:aggregate\s+)?net\s+proceeds"
                         rf"(?:\s+to\s+the\s+Company)?(?:\s+\(less\s+sales\s+commissions\))?\s+of\s+(?:approximately\s+)?{MONEY}")
REMAINING = re.compile(rf"(?:approximately\s+)?{MONEY.replace('(?P<', '(?P<r')}\s+of\s+(?:(?P<rticker>[A-Z]{{3,5}})\s+)?"
                       rf"(?:Shares|shares)\s+remain(?:ed|s)?\s+available\s+for\s+issuance")


def _sentence_before(paragraph: str, at: int) -> str:
    """The words of the sentence up to `at` (the date of a sale is stated before it)."""
    start = max(paragraph.rfind(". ", 0, at), paragraph.rfind("; ", 0, at))
    return paragraph[start + 2 if start >= 0 else 0:at]


def _as_of_dates(text: str, year_of) -> list:
    return [(s, d) for s, _, d, _ in parse_dates(text, year_of=year_of)
            if d is not None and AS_OF.search(text[max(0, s - 25):s]) and "as" in text[max(0, s - 8):s].lower()]


def read_atm_sentences(paragraph: str, context: Context) -> list[IssuanceFound]:
    """The sentence form of an ATM update (2024 to early 2025): "the Company sold an aggregate of
    3,884,712 Shares under the Sales Agreement for aggregate net proceeds ... of approximately $1.54
    billion. As of December 15, 2024, approximately $7.65 billion of Shares remained available"."""
    out = []
    year_of = context.date
    for match in SOLD_SHARES.finditer(paragraph):
        before = _sentence_before(paragraph, match.start())
        start, end, _ = period_in(before, year_of=year_of)
        if end is None:
            dates = [d for _, d in _as_of_dates(before, year_of)]
            end = dates[-1] if dates else lead_date(before, year_of=year_of)[0]
        net, _ = money_of(match)
        left = None
        remaining = REMAINING.search(paragraph, match.end())
        if remaining and remaining.start() - match.end() < 300:
            left, _ = money_of(remaining, "r")
        what = (match.group("what") or "").lower()
        security = match.group("ticker") or ("preferred" if "preferred" in what else "common")
        out.append(IssuanceFound(date=end, period_start=start, security=security,
                                 shares=exact(number(match.group("n"))), notional=None, net_proceeds=net,
                                 capacity_left=left, quote=quote_of(paragraph, match.start(), match.end()),
                                 rule="atm-update-sentence"))
    return out
