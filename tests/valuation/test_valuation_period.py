"""BTC yield and gain over a period with dilution."""

from __future__ import annotations

import pytest

from dattrack.valuation import btc_gain, btc_yield

from .helpers import D


def test_yield_with_dilution():
    # h0 = 10,000 BTC on d0 = 100,000,000 diluted shares; h1 = 15,000 BTC on d1 = 120,000,000
    # BTC per share 0.0001 → 0.000125: yield = 0.000125 / 0.0001 − 1 = 0.25; gain = 10,000 × 0.25 = 2,500 BTC
    args = (D("10000"), D("100000000"), D("15000"), D("120000000"))
    assert btc_yield(*args) == D("0.25") and btc_gain(*args) == D("2500")


def test_dilution_outrunning_purchases_gives_negative_yield():
    # h1 = 11,000 on 120,000,000: (11,000 × 100,000,000) / (120,000,000 × 10,000) − 1 = 11/12 − 1 = −0.0833…
    args = (D("10000"), D("100000000"), D("11000"), D("120000000"))
    assert btc_yield(*args) == D("-0.083333333333333333")
    # gain = h1·d0/d1 − h0 = 9,166.666… − 10,000 = −833.333… (rounded once, to 18 decimals)
    assert btc_gain(*args) == D("-833.333333333333333333")


@pytest.mark.parametrize("args", [
    (None, D(1), D(1), D(1)), (D(1), D(1), D(1), None), (D(0), D(1), D(1), D(1)),
    (D(1), D(0), D(1), D(1)), (D(1), D(1), D(1), D(0))])
def test_missing_or_zero_inputs_give_none(args):
    assert btc_yield(*args) is None and btc_gain(*args) is None


def test_everything_sold_is_minus_one():
    assert btc_yield(D(10), D(100), D(0), D(100)) == D(-1) and btc_gain(D(10), D(100), D(0), D(100)) == D(-10)
