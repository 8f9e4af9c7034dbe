"""Rates change and crypto secures more than loans: the terms in force on a date, through the product."""

from __future__ import annotations

from decimal import Decimal

import pytest

D = Decimal


@pytest.fixture
def issuer(cli):
    """STRX: 10 BTC at 100 USD (NAV 1,000) and 1,200 USD of cash."""
    cli.ok("company", "add", "STRX", "--name", "Stretch Co")
    cli.ok("event", "add", "STRX", "buy", "10", "--date", "2026-01-05", "--total", "1000")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")
    cli.ok("fact", "set", "STRX", "cash", "1200", "--date", "2026-10-01")
    return cli


def obligations(cli, day: str) -> Decimal:
    (row,) = cli.json("risk", "STRX", "--as-of", day)
    return row["annual_obligations"]


def test_a_rate_reset_counts_from_its_date_and_the_old_rate_before_it(issuer, refused):
    issuer.ok("instrument", "add", "STRX", "STRC", "--kind", "preferred", "--outstanding", "1000", "--date",
              "2026-02-01", "--rate", "0.09", "--source", "8-K IPO")
    issuer.ok("instrument", "set", "1", "--outstanding", "1000", "--date", "2026-07-01", "--rate", "0.115",
              "--source", "8-K rate reset")
    issuer.ok("instrument", "set", "1", "--outstanding", "2000", "--date", "2026-09-01", "--source", "10-Q")
    rates = {day: issuer.json("instrument", "list", "STRX", "--as-of", day)[0]["rate"]
             for day in ("2026-03-01", "2026-07-01", "2026-10-01")}
    assert rates == {"2026-03-01": D("0.09"), "2026-07-01": D("0.115"), "2026-10-01": D("0.115")}
    # Obligations: the amount in force times the rate in force, not the first row's terms.
    assert obligations(issuer, "2026-03-01") == 90            # 1,000 × 9%
    assert obligations(issuer, "2026-08-01") == 115           # 1,000 × 11.5%
    assert obligations(issuer, "2026-11-20") == 230           # 2,000 × 11.5%
    (line,) = [x for x in issuer.json("explain", "STRX") if x["figure"] == "annual_obligations"]
    assert {"name": "STRC rate", "value": D("0.115"), "date": "2026-07-01", "source": "8-K rate reset",
            "stale": False} in line["inputs"]
    (row,) = issuer.json("risk", "STRX")
    assert row["cash_cover_months"] == (D("1200") * 12 / 230).quantize(D("1e-18"))   # 62.6 months
    assert "fraction" in refused("instrument", "set", "1", "--outstanding", "1", "--date", "2026-11-01",
                                 "--rate", "12")


def test_the_bundled_stretch_preferred_is_rated_at_its_rate_of_each_date(seeded):
    strc = {day: next(r for r in seeded.json("instrument", "list", "MSTR", "--as-of", day) if r["name"].startswith("STRC"))
            for day in ("2025-08-01", "2026-07-17", "2026-09-30")}
    assert {day: (r["rate"], r["outstanding"]) for day, r in strc.items()} == {
        "2025-08-01": (D("0.09"), D("2801111100")),
        "2026-07-17": (D("0.115"), D("10489470500")),
        "2026-09-30": (D("0.12"), D("9316191300"))}


def test_a_secured_convertible_pledges_units_and_gets_a_margin_call_price(issuer, refused):
    issuer.ok("instrument", "add", "STRX", "secured debentures", "--kind", "convertible", "--outstanding", "300",
              "--date", "2026-03-01", "--rate", "0.05", "--collateral", "6", "--margin-ltv", "0.5",
              "--liquidation-ltv", "0.8", "--source", "6-K debentures")
    (row,) = issuer.json("risk", "STRX")
    assert (row["collateral"], row["unencumbered"]) == (6, 4)
    assert row["ltv"] == D("0.5")                            # 300 / (6 × 100)
    assert row["margin_call_price"] == 100                   # 300 / (6 × 0.5)
    assert row["liquidation_price"] == D("62.5")             # 300 / (6 × 0.8)
    assert row["margin_cushion"] == 0
    issuer.ok("instrument", "set", "1", "--outstanding", "150", "--date", "2026-11-01", "--collateral", "3")
    (row,) = issuer.json("risk", "STRX")
    assert (row["collateral"], row["margin_call_price"]) == (3, 100)
    assert "not a preferred" in refused("instrument", "add", "STRX", "STRK", "--kind", "preferred", "--outstanding",
                                        "1", "--date", "2026-03-01", "--collateral", "1")
