"""Strategy's ATM updates as issuance: per program and period the security, shares sold, notional
(preferreds), net proceeds and what the program has left, from the tables of 2025-2026 and the
sentences of 2024. Shares are never coins: no ATM row is a buy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import pytest

from tests.reader.corpus import fixtures, read_fixture

D = Decimal


@cache
def reading(prefix: str):
    return read_fixture(next(f for f in fixtures("MSTR") if f.document.startswith(prefix)))


@pytest.mark.parametrize("prefix, security, shares, notional, net, left, start, end", [
    # 2024: the sentence form, its capacity in the next sentence
    ("8k-2024-12-16", "common", "3884712", None, "1540000000", "7650000000", "2024-12-09", "2024-12-15"),
    ("8k-2024-09-13", "common", "8048449", None, "1110000000", None, None, "2024-09-12"),
    # 2025-03: "ATM Program Summary" with "3,645,528 MSTR Shares", "$1.20 billion", "$2.37 billion of MSTR Shares"
    ("8k-2025-03-31", "MSTR", "3645528", None, "1200000000", "2370000000", "2025-03-24", "2025-03-30"),
    ("8k-2025-03-31", "STRK", "213807", None, "18520000", "20970000000", "2025-03-24", "2025-03-30"),
    # 2025-05: two common programs, the old one used up ("-"), the new one untouched
    ("8k-2025-05-05", "MSTR", "353825", None, "128500000", "0", "2025-04-28", "2025-05-04"),
    ("8k-2025-05-05", "MSTR", "0", None, "0", "21000000000", "2025-04-28", "2025-05-04"),
    # 2025-06: notional value and net proceeds "(in millions)"
    ("8k-2025-06-09", "STRF", "432679", "43300000", "45800000", "2005200000", "2025-06-02", "2025-06-08"),
    # 2025-10: "$" in its own cell, "—" for none sold
    ("8k-2025-10-06", "STRK", "0", "0", "0", "20368800000", "2025-09-29", "2025-10-05"),
    # 2026: "STRC Stock" rows under "Security"
    ("8k-2026-01-26", "STRC", "70201", "7000000", "7000000", "3621400000", "2026-01-20", "2026-01-25"),
    ("8k-2026-01-26", "MSTR", "1569770", "0", "257000000", "8170100000", "2026-01-20", "2026-01-25"),
])
def test_atm_updates_are_read_as_issuance(prefix, security, shares, notional, net, left, start, end):
    rows = [r for r in reading(prefix).issuance if r.security == security and r.shares == D(shares)]
    assert len(rows) == 1, reading(prefix).issuance
    row = rows[0]
    assert row.notional == (D(notional) if notional else None)
    assert row.net_proceeds == D(net)
    assert row.capacity_left == (D(left) if left else None)
    assert row.period_start == (dt.date.fromisoformat(start) if start else None)
    assert row.date == dt.date.fromisoformat(end)
    assert row.rule in ("atm-update-table", "atm-update-sentence") and row.quote


def test_every_atm_table_of_2025_and_2026_gives_one_row_per_program_and_no_buy():
    documents = [f for f in fixtures("MSTR") if f.filed >= dt.date(2025, 3, 31)]
    with_issuance = 0
    for fixture in documents:
        read = read_fixture(fixture)
        if not read.issuance:
            continue
        with_issuance += 1
        keys = [(r.security, r.date, r.capacity_left) for r in read.issuance]
        assert len(keys) == len(set(keys)), fixture.document
        shares = {r.shares for r in read.issuance if r.shares}
        for found in read.disclosures:
            assert found.asset in (None, "BTC")
            assert found.kind == "fact" or found.quantity not in shares, (fixture.document, found)
    assert with_issuance >= 35
