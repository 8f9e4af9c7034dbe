"""SPEC 7 formulas on the pure core: leverage, collateral, margin-call prices, ratings, cover, yield."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from dattrack.valuation import value_company
from dattrack.valuation.inputs import Instrument
from dattrack.valuation.period import monthly_yield, months_to_cover
from dattrack.valuation.risk import assess_risk

from .helpers import AS_OF, D, company, on


def loan(amount="100", collateral="2", margin="0.5", liquidation=None, **kw) -> Instrument:
    fields = dict(id=1, name="BTC loan", kind="loan", currency="USD", seniority=1, outstanding=on(amount),
                  collateral=None if collateral is None else on(collateral), collateral_asset="BTC",
                  margin_ltv=None if margin is None else D(margin),
                  liquidation_ltv=None if liquidation is None else D(liquidation), terms_source="loan agreement")
    fields.update(kw)
    return Instrument(**fields)


def with_instruments(inputs, *instruments):
    return dataclasses.replace(inputs, instruments=tuple(instruments))


def base(btc="10", price="100", facts=None, **kw):
    return company(holdings=[("BTC", btc, None)], asset_prices={"BTC": on(price)}, facts=facts or {}, **kw)


def test_a_loan_of_100_on_2_btc_at_margin_ltv_half_calls_at_exactly_100():
    # 100 / (2 × 0.5) = 100 USD per BTC
    risk = assess_risk(with_instruments(base(), loan()))
    assert risk.values["margin_call_price"] == D("100")
    assert risk.values["ltv"] == D("0.5")                 # 100 / (2 × 100)
    assert risk.values["margin_cushion"] == D("0")        # 100 / 100 − 1


def test_a_repayment_moves_the_margin_call_price():
    risk = assess_risk(with_instruments(base(), loan(amount="50")))
    assert risk.values["margin_call_price"] == D("50")    # 50 / (2 × 0.5)
    assert risk.values["margin_cushion"] == D("1")        # 100 / 50 − 1


def test_liquidation_price_and_the_highest_of_two_loans():
    second = loan(amount="300", collateral="4", margin="0.6", liquidation="0.75", id=2, name="second loan")
    risk = assess_risk(with_instruments(base(), loan(liquidation="0.8"), second))
    assert risk.values["margin_call_price"] == D("125")   # max(100, 300 / 2.4)
    assert risk.values["liquidation_price"] == D("100")   # max(100 / 1.6 = 62.5, 300 / 3)
    assert risk.values["collateral"] == D("6") and risk.values["unencumbered"] == D("4")
    assert risk.values["ltv"] == D("0.666666666666666667")   # 400 / (6 × 100), cut to 18 decimals


def test_jpy_instruments_convert_at_the_dates_fx():
    jpy = loan(amount="15000", currency="JPY", fx=on("150"))   # 15,000 JPY / 150 = 100 USD
    risk = assess_risk(with_instruments(base(currency="JPY", fx=on("150")), jpy))
    assert risk.values["debt"] == D("100") and risk.values["margin_call_price"] == D("100")


def test_a_missing_fx_rate_makes_the_debt_unknown_not_zero():
    jpy = loan(amount="15000", currency="JPY", fx=None)
    risk = assess_risk(with_instruments(base(), jpy))
    assert risk.values["debt"] is None and risk.values["debt_to_nav"] is None
    assert any("USDJPY" in r for r in risk.line("debt").reasons)


def test_a_preferred_senior_to_nothing_rates_nav_over_itself():
    preferred = Instrument(id=7, name="STRX", kind="preferred", currency="USD", seniority=4, outstanding=on("250"),
                           rate=D("0.1"))
    risk = assess_risk(with_instruments(base(), preferred))
    (line,) = risk.stack
    assert line.value == D("4")                             # nav 1,000 / 250
    assert risk.values["btc_rating"] == D("4") and risk.values["debt_to_nav"] == D("0.25")
    assert risk.values["preferred"] == D("250") and risk.values["annual_obligations"] == D("25")


def test_a_junior_claim_rates_nav_over_itself_and_everything_senior():
    senior = loan(amount="100")
    junior = Instrument(id=2, name="notes", kind="convertible", currency="USD", seniority=3, outstanding=on("400"))
    ratings = {line.name: line.value for line in assess_risk(with_instruments(base(), junior, senior)).stack}
    assert ratings == {"btc_rating BTC loan": D("10"), "btc_rating notes": D("2")}   # 1,000/100 and 1,000/500


def test_nothing_recorded_gives_null_debt_to_nav_with_a_reason():
    risk = assess_risk(base())
    assert risk.values["debt_to_nav"] is None and risk.values["btc_rating"] is None
    assert risk.values["collateral"] is None and risk.values["ltv"] is None
    reasons = {line.name: line.reasons for line in risk.lines}
    assert "neither instruments nor a debt or preferred fact are recorded" in reasons["debt_to_nav"]


def test_a_debt_fact_alone_gives_debt_to_nav():
    risk = assess_risk(base(facts={"debt": on("250")}))
    assert risk.values["debt_to_nav"] == D("0.25") and risk.values["btc_rating"] == D("4")


def test_a_debt_fact_newer_than_every_instrument_amount_wins():
    newer = base(facts={"debt": on("700", AS_OF)})
    old_loan = loan(outstanding=on("100", AS_OF - dt.timedelta(days=30)))
    valuation = value_company(with_instruments(newer, old_loan))
    assert valuation.debt == D("700")
    assert any("newer" in n.text for n in valuation.line("debt").notes)
    older = base(facts={"debt": on("700", AS_OF - dt.timedelta(days=60))})
    valuation = value_company(with_instruments(older, old_loan))
    assert valuation.debt == D("100")
    assert any("older and not used" in n.text for n in valuation.line("debt").notes)


def test_cash_cover_and_obligations():
    risk = assess_risk(with_instruments(base(facts={"cash": on("1200")}), loan(rate=D("0.06"))))
    assert risk.values["annual_obligations"] == D("6")      # 100 × 0.06
    assert risk.values["cash_cover_months"] == D("2400")    # 1,200 / (6 / 12)


def test_an_instrument_without_a_rate_leaves_obligations_unknown():
    risk = assess_risk(with_instruments(base(facts={"cash": on("1200")}), loan()))
    assert risk.values["annual_obligations"] is None and risk.values["cash_cover_months"] is None


def test_mining_cost_to_price():
    risk = assess_risk(base(facts={"mining_cost": on("99000")}, price="90000"))
    assert risk.values["mining_cost"] == D("99000")
    assert risk.values["mining_cost_to_price"] == D("1.1")   # mining costs 10% more than buying


def test_assumed_diluted_shares_from_a_convertible():
    inputs = base(facts={"shares_basic": on("1000")}, share_price=on("2"))
    notes = Instrument(id=3, name="2030 notes", kind="convertible", currency="USD", seniority=3,
                       outstanding=on("1000"), conversion_price=D("10"))
    valuation = value_company(with_instruments(inputs, notes))
    assert valuation.shares_diluted == D("1100")            # 1,000 + 1,000 / 10
    assert valuation.diluted_mnav == D("2.2")                # 2 × 1,100 / 1,000
    assert any("assumed diluted" in n.text for n in valuation.line("shares_diluted").notes)
    current = dict(inputs.facts, shares_diluted=on("1050"))  # a diluted fact as new as basic wins
    assert value_company(with_instruments(dataclasses.replace(inputs, facts=current), notes)).shares_diluted == D("1050")


def test_months_to_cover_on_a_hand_checked_case():
    # days = 487 = 16 × 30.4375, so the monthly yield is (1 + y)^(1/16) − 1; with 1 + y = 1.1^16 it is 0.1,
    # and an mNAV of 1.1^3 = 1.331 takes ln(1.331) / ln(1.1) = 3 months to cover.
    growth = D("1.1") ** 16 - 1
    assert abs(monthly_yield(growth, 487) - D("0.1")) < D("1e-40")
    assert months_to_cover(D("1.331"), growth, 487) == D("3")


def test_months_to_cover_is_null_at_or_below_mnav_1_or_without_yield():
    assert months_to_cover(D("0.9"), D("0.2"), 365) is None
    assert months_to_cover(D("1"), D("0.2"), 365) is None
    assert months_to_cover(D("2"), D("0"), 365) is None
    assert months_to_cover(D("2"), D("-0.1"), 365) is None
    assert months_to_cover(None, D("0.1"), 365) is None


def test_no_binary_float_anywhere_in_a_risk_row():
    risk = assess_risk(with_instruments(base(facts={"cash": on("1200")}), loan(rate=D("0.06"))))
    assert all(v is None or isinstance(v, Decimal) for v in risk.values.values())
    assert isinstance(risk.values["ltv"], Decimal)


def test_a_loan_backed_by_btc_with_undisclosed_units_gives_null_with_the_reason():
    risk = assess_risk(with_instruments(base(), loan(collateral=None, margin=None)))
    assert risk.values["ltv"] is None and risk.values["collateral"] is None and risk.values["unencumbered"] is None
    assert "BTC loan is backed by BTC but the units pledged are not recorded" in risk.line("ltv").reasons
    assert risk.values["debt"] == D("100") and risk.values["debt_to_nav"] == D("0.1")


def test_conversion_shares_follow_a_split_after_the_terms_were_set():
    # Notes of 1,000 convertible at 10 (100 shares) set on 2025-06-30; a 1-for-10 reverse split on 2025-09-01:
    # they convert into 10 shares on the basis of the share price and the 1,000 basic shares after the split.
    from dattrack.valuation import Split

    inputs = base(facts={"shares_basic": on("1000")}, share_price=on("2"),
                  splits=[Split(dt.date(2025, 9, 1), D("1"), D("10"))])
    notes = Instrument(id=3, name="notes", kind="convertible", currency="USD", seniority=3,
                       outstanding=on("1000"), conversion_price=D("10"), terms_date=dt.date(2025, 6, 30))
    valuation = value_company(with_instruments(inputs, notes))
    assert valuation.shares_diluted == D("1010")
    assert any("x1/10" in n.text for n in valuation.line("shares_diluted").notes)
