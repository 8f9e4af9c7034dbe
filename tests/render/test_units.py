"""One rule for how a figure reads from its unit: money is USD or the company's currency, whichever ISO
code that is (an HKD company's share price is money, not a quantity)."""

from __future__ import annotations

import pytest

from dattrack.render.output import unit_kind


@pytest.mark.parametrize("unit, currency, kind", [
    ("USD", "USD", "money"), ("JPY", "JPY", "money"), ("HKD", "HKD", "money"), ("EUR", "EUR", "money"),
    ("USD", "HKD", "money"), ("USD/BTC", "USD", "money"), ("x", "HKD", "ratio"), ("fraction", "USD", "ratio"),
    ("BTC", "USD", "qty"), ("shares", "HKD", "qty"), ("BTC/share", "USD", "computed"),
    ("sats/share", "USD", "computed"), ("months", "USD", "qty"), ("JPY", "USD", "qty")])
def test_unit_kinds(unit, currency, kind):
    assert unit_kind(unit, currency) == kind


def test_an_hkd_company_shows_its_share_price_as_money(cli):
    cli.ok("company", "add", "BOYAA", "--name", "Boyaa", "--currency", "HKD", "--quote-symbol", "0434.HK")
    cli.ok("event", "add", "BOYAA", "buy", "3", "--total", "2000000", "--date", "2026-01-05")
    cli.ok("price", "set", "0434.HK", "12.5", "--date", "2026-11-20")
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-11-20")
    cli.ok("price", "set", "USDHKD", "7.8", "--date", "2026-11-20")
    text = cli.ok("explain", "BOYAA")
    (line,) = [line.split() for line in text.splitlines() if line.startswith("share_price")]
    assert line[1:3] == ["12.50", "HKD"]
