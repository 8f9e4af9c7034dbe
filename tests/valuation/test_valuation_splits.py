"""Share counts and prices on one split basis (DATA.md, Splits)."""

from __future__ import annotations

import datetime as dt

import pytest

from dattrack.errors import BadInput
from dattrack.valuation import Split, on_basis, parse_split, value_company
from dattrack.valuation.explanation import SPLIT

from .helpers import D, company, notes, on

REVERSE = Split(dt.date(2025, 9, 1), D("1"), D("10"))  # 1 new share for 10 old


def test_parse_split():
    assert parse_split("1:10") == (D("1"), D("10"))
    assert parse_split(" 10:1 ") == (D("10"), D("1"))
    assert parse_split("3:2") == (D("3"), D("2"))


@pytest.mark.parametrize("text", ["1/10", "10", "0:10", "-1:10", "a:b", "1:1", "", "1:10:2", "1e400:1"])
def test_parse_split_rejects(text):
    with pytest.raises(BadInput, match="split"):
        parse_split(text)


def test_reverse_split_between_share_count_and_price():
    v = value_company(company(
        holdings=[("BTC", "10", None)], asset_prices={"BTC": on("86380")},
        share_price=on("7.00"),  # a live close: basis = its own date, 2025-12-31
        facts={"shares_basic": on("1234000", dt.date(2025, 6, 30), "10-Q")},
        splits=[REVERSE]))
    # 1,234,000 pre-split shares × 1/10 = 123,400 post-split shares
    # market_cap = 7.00 × 123,400 = 863,800; nav = 10 × 86,380 = 863,800; mnav = 1
    assert v.shares_basic == D("123400") and v.market_cap == D("863800") and v.mnav == D("1")
    assert notes(v, "shares_basic", SPLIT) == [
        "shares_basic 2025-06-30 (1,234,000) adjusted x1/10 for the 1:10 reverse split of 2025-09-01"
        " to match the price's basis (2025-12-31)"]
    assert SPLIT in {n.kind for n in v.line("mnav").notes}
    recorded = v.line("shares_basic").inputs[0]
    assert (recorded.value, recorded.date) == (D("1234000"), dt.date(2025, 6, 30))  # the input as recorded


def test_split_adjusted_series_price_pairs_with_old_count_on_the_series_basis():
    # A close of 2025-06-30 from a series saved 2026-01-15: after the 1:10 it reads 10× what traded ($0.70 → $7.00)
    v = value_company(company(
        holdings=[("BTC", "10", None)], asset_prices={"BTC": on("86380")},
        share_price=on("7.00", dt.date(2025, 6, 30), basis_date=dt.date(2026, 1, 15)),
        facts={"shares_basic": on("1234000", dt.date(2025, 6, 30))}, splits=[REVERSE]))
    # count 1,234,000 × 1/10 = 123,400 on the 2026-01-15 basis; market_cap = 7.00 × 123,400 = 863,800
    assert v.market_cap == D("863800")
    assert notes(v, "share_price", SPLIT) == [
        "share_price 2025-06-30 is on the share basis of 2026-01-15 (adjusted for the 1:10 reverse split"
        " of 2025-09-01); share counts are put on that basis"]


def test_count_after_the_split_paired_with_an_older_price_is_scaled_back():
    v = value_company(company(
        holdings=[("BTC", "10", None)], asset_prices={"BTC": on("86380")},
        share_price=on("0.70", dt.date(2025, 8, 29)),  # pre-split close, basis 2025-08-29
        facts={"shares_basic": on("123400", dt.date(2025, 10, 1))}, splits=[REVERSE]))
    # the inverse: 123,400 × 10/1 = 1,234,000 pre-split shares; market_cap = 0.70 × 1,234,000 = 863,800
    assert v.shares_basic == D("1234000") and v.market_cap == D("863800")
    assert "adjusted x10 for the 1:10 reverse split of 2025-09-01" in notes(v, "shares_basic", SPLIT)[0]


def test_same_basis_needs_no_adjustment_and_split_day_counts_as_after():
    assert on_basis(D("500"), dt.date(2025, 9, 1), dt.date(2025, 12, 31), [REVERSE]) == D("500")
    assert on_basis(D("500"), dt.date(2025, 8, 31), dt.date(2025, 9, 1), [REVERSE]) == D("50")


def test_forward_split():
    forward = Split(dt.date(2025, 4, 1), D("10"), D("1"))  # 3350.T's 10:1
    # 1,000 shares before × 10 = 10,000 after; and back again
    assert on_basis(D("1000"), dt.date(2025, 3, 31), dt.date(2025, 4, 1), [forward]) == D("10000")
    assert on_basis(D("10000"), dt.date(2025, 4, 1), dt.date(2025, 3, 31), [forward]) == D("1000")
    # two splits compose: ×10 then ×1/10 = ×1
    assert on_basis(D("7"), dt.date(2025, 1, 1), dt.date(2026, 1, 1), [forward, REVERSE]) == D("7")
