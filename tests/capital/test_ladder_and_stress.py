"""`risk --claims` (the ladder) and `risk --price | --shock` (a hypothetical coin price), through the product."""

from __future__ import annotations

from decimal import Decimal

import pytest

D = Decimal
LADDER_KEYS = ["instrument", "kind", "seniority", "outstanding", "currency", "rate", "maturity", "annual_cost",
               "claims_ahead", "btc_rating"]
Q = D("1e-18")


def q(value: Decimal) -> Decimal:
    return value.quantize(Q).normalize()


def test_the_bundled_strategy_ladder_ends_at_the_companys_btc_rating(seeded):
    day = "2026-07-17"
    (company,) = seeded.json("risk", "MSTR", "--as-of", day)
    ladder = seeded.json("risk", "MSTR", "--claims", "--as-of", day)
    assert list(ladder[0])[:len(LADDER_KEYS)] == LADDER_KEYS
    assert ladder[-1]["btc_rating"] == company["btc_rating"]
    # Most senior first; a tier of equal seniority shares its claims ahead and its rating.
    ranks = [r["seniority"] for r in ladder]
    assert ranks == sorted(ranks)
    converts = [r for r in ladder if r["kind"] == "convertible"]
    assert len(converts) == 6 and len({(r["claims_ahead"], r["btc_rating"]) for r in converts}) == 1
    # Each rating: NAV over the claims ahead and its whole tier; claims ahead = the sum of the tiers before.
    nav = company["nav"]
    for row in ladder:
        tier = sum(r["outstanding_usd"] for r in ladder if r["seniority"] == row["seniority"])
        ahead = sum((r["outstanding_usd"] for r in ladder if r["seniority"] < row["seniority"]), D(0))
        assert row["claims_ahead"] == ahead
        assert row["btc_rating"] == q(nav / (ahead + tier))
    # The five preferred series in the order the 10-Q states: STRF > STRC > STRE > STRK > STRD.
    assert [r["instrument"][:4] for r in ladder if r["kind"] == "preferred"] == ["STRF", "STRC", "STRE", "STRK", "STRD"]
    strc = next(r for r in ladder if r["instrument"].startswith("STRC"))
    assert (strc["rate"], strc["annual_cost"]) == (D("0.115"), D("10489470500") * D("0.115"))
    assert sum(r["outstanding_usd"] for r in ladder) == company["debt"] + company["preferred"]


def test_at_25000_the_converts_are_rated_nav_at_25000_over_what_ranks_with_and_ahead_of_them(seeded):
    day = "2026-07-17"
    (held,) = [h for h in seeded.json("holdings", "MSTR", "--as-of", day)]
    ladder = seeded.json("risk", "MSTR", "--claims", "--as-of", day, "--price", "25000")
    converts = [r for r in ladder if r["kind"] == "convertible"]
    senior = sum(r["outstanding_usd"] for r in ladder if r["seniority"] < converts[0]["seniority"])
    outstanding = sum(r["outstanding"] for r in converts)
    assert outstanding == D("6713659000")                     # the Q2-2026 10-Q's converts
    nav = held["quantity"] * 25000
    assert converts[0]["btc_rating"] == q(nav / (senior + outstanding))
    assert all(r["hypothetical"] for r in ladder)
    text = seeded.ok("risk", "MSTR", "--claims", "--as-of", day, "--price", "25000")
    assert "HYPOTHETICAL" in text and "BTC at 25,000 USD" in text and "BTC closed at" in text


def test_strategys_own_stress_649870_btc_and_8214b_of_converts_give_2x_at_25000(cli):
    """Strategy's published stress: 649,870 BTC and $8.214B of convertible notes are covered 2.0x at $25,000."""
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "balance", "649870", "--date", "2025-09-30")
    cli.ok("price", "set", "BTC", "114000", "--date", "2025-09-30")
    cli.ok("instrument", "add", "MSTR", "convertible notes", "--kind", "convertible", "--outstanding", "8214000000",
           "--date", "2025-09-30", "--rate", "0.00421")
    (claim,) = cli.json("risk", "MSTR", "--claims", "--as-of", "2025-09-30", "--price", "25000")
    assert claim["btc_rating"] == q(D(649870) * 25000 / D("8214000000"))        # 16,246,750,000 / 8,214,000,000
    assert round(claim["btc_rating"], 1) == D("2.0")
    (at_market,) = cli.json("risk", "MSTR", "--claims", "--as-of", "2025-09-30")
    assert at_market["btc_rating"] == q(D(649870) * 114000 / D("8214000000"))


def test_a_shock_revalues_holdings_nav_ltv_cushion_and_mnav(cli):
    cli.ok("company", "add", "CANG", "--name", "Cango", "--kind", "miner")
    cli.ok("event", "add", "CANG", "buy", "10", "--date", "2026-01-05", "--total", "500")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")
    cli.ok("price", "set", "CANG", "2", "--date", "2026-11-20")
    cli.ok("fact", "set", "CANG", "shares_basic", "1000", "--date", "2026-10-01")
    cli.ok("instrument", "add", "CANG", "BTC loan", "--kind", "loan", "--outstanding", "100", "--date",
           "2026-02-01", "--collateral", "4", "--margin-ltv", "0.5", "--liquidation-ltv", "0.8", "--rate", "0.1")
    (now,) = cli.json("risk", "CANG")
    (half,) = cli.json("risk", "CANG", "--shock", "-0.5")
    assert (now["nav"], now["ltv"], now["margin_cushion"], now["mnav"]) == (1000, D("0.25"), 1, 2)
    assert half["asset_price"] == 50 and half["nav"] == 500 and half["hypothetical"] is True
    assert half["ltv"] == D("0.5")                           # 100 / (4 × 50)
    assert half["margin_call_price"] == 50 and half["margin_cushion"] == 0     # called exactly at 50
    assert half["btc_rating"] == 5 and half["mnav"] == 4     # market cap 2,000 / NAV 500
    (called,) = cli.json("risk", "CANG", "--claims", "--price", "40")
    assert (called["margin_call_price"], called["called"], called["btc_rating"]) == (50, True, 4)
    text = cli.ok("risk", "CANG", "--shock", "-0.5")
    assert "HYPOTHETICAL" in text and "every crypto price −50%" in text


def test_a_newer_preferred_fact_is_one_claim_of_its_own_and_obligations_follow_the_amounts_in_force(cli):
    cli.ok("company", "add", "STRX", "--name", "Stretch Co")
    cli.ok("event", "add", "STRX", "buy", "10", "--date", "2026-01-05", "--total", "1000")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")
    cli.ok("fact", "set", "STRX", "cash", "120", "--date", "2026-10-01")
    cli.ok("instrument", "add", "STRX", "notes", "--kind", "convertible", "--outstanding", "100", "--date",
           "2026-01-01", "--rate", "0.02")
    cli.ok("instrument", "add", "STRX", "STRA", "--kind", "preferred", "--outstanding", "100", "--date",
           "2026-01-01", "--rate", "0.10")
    cli.ok("instrument", "add", "STRX", "STRB", "--kind", "preferred", "--outstanding", "100", "--date",
           "2026-01-01", "--rate", "0.06", "--seniority", "5")
    # A newer preferred total: the company row uses it, so the ladder does, as one claim, most junior.
    cli.ok("fact", "set", "STRX", "preferred", "400", "--date", "2026-09-30", "--source", "10-Q")
    ladder = cli.json("risk", "STRX", "--claims")
    assert [(r["instrument"], r["seniority"], r["outstanding"]) for r in ladder] == [
        ("notes", 3, 100), ("preferred (2026-09-30, fact)", 5, 400)]
    assert ladder[-1]["btc_rating"] == 2                       # 1,000 / (100 + 400)
    (row,) = cli.json("risk", "STRX")
    assert row["btc_rating"] == 2 and row["preferred"] == 400
    # Obligations: the notes 100 × 2% + the fact's 400 at the preferreds' average rate (8%), not 200 at 2025 rates.
    assert ladder[-1]["rate"] == D("0.08") and ladder[-1]["annual_cost"] == 32
    assert row["annual_obligations"] == 34 and row["cash_cover_months"] == q(D(120) / (D(34) / 12))
    (line,) = [x for x in cli.json("explain", "STRX") if x["figure"] == "annual_obligations"]
    assert any("assumed at their average rate, 8%" in n["text"] for n in line["notes"])
    # A reserve the company names for its interest and dividends: how many months of them it pays.
    assert row["reserve_cover_months"] is None and "names no reserve" in row["reasons"]
    cli.ok("fact", "set", "STRX", "reserve", "68", "--date", "2026-10-01", "--source", "8-K USD Reserve")
    (row,) = cli.json("risk", "STRX")
    assert row["reserve_cover_months"] == 24                    # 68 / (34 / 12)


def test_strategys_named_reserve_is_a_fact_of_its_own(seeded):
    reserves = {r["date"]: r["value"] for r in seeded.json("fact", "list", "MSTR", "--name", "reserve")}
    assert reserves == {"2025-12-01": D("1440000000"), "2026-01-04": D("2250000000"),
                        "2026-08-30": D("5100000000"), "2026-09-20": D("5040000000")}


@pytest.mark.parametrize("args, words", [
    (["risk", "CANG", "--price", "0"], "greater than 0"),
    (["risk", "CANG", "--price", "25000", "--shock", "-0.5"], "give one"),
    (["risk", "CANG", "--shock", "-1"], "above -1"),
    (["risk", "CANG", "BMNR", "--price", "25000"], "one asset's price"),
    (["risk", "CANG", "BMNR", "--claims"], "one ticker"),
    (["risk", "--claims"], "one ticker"),
])
def test_bad_stress_and_ladder_requests_are_refused(cli, refused, args, words):
    cli.ok("company", "add", "CANG", "--name", "Cango")
    cli.ok("company", "add", "BMNR", "--name", "Bitmine", "--asset", "ETH")
    assert words in refused(*args)


def test_explain_and_the_report_show_the_ladder(seeded, tmp_path):
    day = "2026-07-17"
    ladder = seeded.json("risk", "MSTR", "--claims", "--as-of", day)
    stack = [x for x in seeded.json("explain", "MSTR", "--as-of", day) if x["section"] == "capital_stack"]
    assert [x["figure"] for x in stack] == [f"btc_rating {r['instrument']}" for r in ladder]
    assert [x["value"] for x in stack] == [r["btc_rating"] for r in ladder]
    target = tmp_path / "report.html"
    seeded.ok("report", "--as-of", day, "--out", str(target))
    card = target.read_text(encoding="utf-8").split('id="c-MSTR"')[1].split("</article>")[0]
    assert "Capital stack: 12 claims, most senior first" in card
    junior = f"{ladder[-1]['btc_rating']:.3f}"
    assert "STRD 10.00% Series A Perpetual Stride Preferred" in card and junior in card
