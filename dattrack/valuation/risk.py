"""Why companies sell (SPEC 7): leverage, collateral, margin-call prices, obligations and mining cost.

Pure: the inputs of a valuation (with their instruments) in, figures with their explanation out.
Money in USD; an input that is missing gives None with the reason, never 0."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dattrack.numbers import rounded
from dattrack.valuation.capital import fact_usd, in_force, outstanding_usd
from dattrack.valuation.company import USD, Valuation, value_company
from dattrack.valuation.explanation import ASSUMED, DETAIL, MISSING, ExplainLine, InputUsed, Note
from dattrack.valuation.inputs import CompanyInputs, Instrument
from dattrack.valuation.terms import Term, derive, missing, quotient, recorded, total

RISK_KEYS = ("ticker", "nav", "debt", "preferred", "cash", "debt_to_nav", "btc_rating", "collateral", "unencumbered",
             "ltv", "margin_call_price", "liquidation_price", "margin_cushion", "annual_obligations",
             "cash_cover_months", "mining_cost", "mining_cost_to_price")
TWELVE = Decimal(12)


@dataclass(frozen=True)
class Risk:
    ticker: str
    as_of: dt.date
    values: dict              # RISK_KEYS -> value
    lines: tuple[ExplainLine, ...]   # one per figure of the risk row (ticker excluded)
    stack: tuple[ExplainLine, ...]   # one per instrument in force, most senior first: its BTC rating

    def as_row(self) -> dict:
        return {"ticker": self.ticker, **self.values}

    def line(self, name: str) -> ExplainLine:
        return {line.name: line for line in self.lines}[name]


def assess_risk(inputs: CompanyInputs, valuation: Valuation | None = None) -> Risk:
    """The risk figures of the inputs, built on their valuation (computed here when not given): nav, the
    claims and the holdings are the valuation's own, never worked out a second time."""
    valuation = valuation if valuation is not None else value_company(inputs)
    asset = inputs.primary_asset
    price = _asset_price(inputs, asset)
    terms, summed = valuation.terms, valuation.from_instruments
    nav, debt, preferred, cash = terms["nav"], terms["debt"], terms["preferred"], terms["cash"]
    debt_from_instruments, preferred_from_instruments = summed["debt"], summed["preferred"]
    claims = _claims(inputs, debt, preferred, debt_from_instruments, preferred_from_instruments)

    # Crypto-backed: a loan with units pledged or an asset named as collateral (units unknown: figures are null).
    loans = [i for i in in_force(inputs) if i.kind == "loan" and (
        (i.collateral is not None and i.collateral.value) or (i.collateral is None and i.collateral_asset))]
    collateral = _collateral(inputs, loans, asset)
    unencumbered = _unencumbered(terms["held"], collateral, asset)
    ltv = _ltv(inputs, loans)
    on_asset = [i for i in loans if (i.collateral_asset or asset) == asset]
    margin_call = _trigger_price(on_asset, "margin_ltv", asset)
    liquidation = _trigger_price(on_asset, "liquidation_ltv", asset)
    cushion = derive(lambda p, m: p / m - 1, price, margin_call) if margin_call.value != 0 else \
        missing("the margin-call price is 0: nothing is borrowed against the collateral")
    obligations = _annual_obligations(inputs)
    cover = quotient(cash, derive(lambda o: o / TWELVE, obligations), "annual_obligations")
    mining_cost = fact_usd(inputs, "mining_cost")
    if "mining_cost" not in inputs.facts:
        mining_cost = missing("no mining_cost fact recorded")

    figures = (
        ("nav", nav, USD, "Σ holdings × asset price"),
        ("debt", debt, USD, "Σ outstanding of loans, notes and convertibles (or a newer debt fact)"),
        ("preferred", preferred, USD, "Σ outstanding of preferreds (or a newer preferred fact)"),
        ("cash", cash, USD, "cash" + ("" if inputs.currency == USD else f" / USD{inputs.currency}")),
        ("debt_to_nav", quotient(claims, nav, "nav"), "x", "(debt + preferred) / nav"),
        ("btc_rating", quotient(nav, claims, "debt + preferred"), "x", "nav / (debt + preferred)"),
        ("collateral", collateral, asset, f"Σ {asset} pledged by crypto-backed loans"),
        ("unencumbered", unencumbered, asset, f"{asset} holdings − collateral"),
        ("ltv", ltv, "fraction", "Σ crypto-backed loans / Σ (collateral × asset price)"),
        ("margin_call_price", margin_call, f"USD/{asset}",
         "loan / (collateral × margin_ltv); the highest of several loans"),
        ("liquidation_price", liquidation, f"USD/{asset}",
         "loan / (collateral × liquidation_ltv); the highest of several loans"),
        ("margin_cushion", cushion, "fraction", f"{asset} price / margin_call_price − 1"),
        ("annual_obligations", obligations, USD, "Σ outstanding × rate (interest and dividends)"),
        ("cash_cover_months", cover, "months", "cash / (annual_obligations / 12)"),
        ("mining_cost", mining_cost, f"USD/{asset}",
         "mining_cost (all-in cost per unit mined)" + ("" if inputs.currency == USD else f" / USD{inputs.currency}")),
        ("mining_cost_to_price", quotient(mining_cost, price, f"{asset} price"), "x",
         f"mining_cost / {asset} price (above 1: mining costs more than buying)"),
    )
    lines = tuple(ExplainLine(name, rounded(term.value), unit, formula, term.inputs, term.notes)
                  for name, term, unit, formula in figures)
    return Risk(inputs.ticker, inputs.as_of, {line.name: line.value for line in lines}, lines,
                _stack(inputs, nav))


def _asset_price(inputs: CompanyInputs, asset: str) -> Term:
    return recorded(f"{asset} price", inputs.asset_prices.get(asset),
                    f"no {asset} price (USD) on or before {inputs.as_of}")


def _claims(inputs: CompanyInputs, debt: Term, preferred: Term, debt_instruments: bool,
            preferred_instruments: bool) -> Term:
    """debt + preferred; one that was never recorded counts as 0 when the other was (unknown is not zero)."""
    known = {"debt": debt_instruments or "debt" in inputs.facts,
             "preferred": preferred_instruments or "preferred" in inputs.facts}
    if not any(known.values()):
        return missing("neither instruments nor a debt or preferred fact are recorded")
    parts = []
    for name, term in (("debt", debt), ("preferred", preferred)):
        if known[name]:
            parts.append(term)
        else:
            parts.append(Term(Decimal(0), notes=(Note(ASSUMED, f"no {name} recorded: assumed 0"),)))
    return total(parts)


def _collateral(inputs: CompanyInputs, loans: list[Instrument], asset: str) -> Term:
    if not inputs.instruments:
        return missing("no instruments recorded: what is pledged is unknown")
    pledged = [_pledged(i) for i in loans if (i.collateral_asset or asset) == asset]
    return total(pledged) if pledged else Term(Decimal(0), notes=(
        Note(DETAIL, f"no loan in force pledges {asset}"),))


def _pledged(loan: Instrument) -> Term:
    return recorded(f"{loan.name} collateral", loan.collateral,
                    f"{loan.name} is backed by {loan.collateral_asset} but the units pledged are not recorded")


def _ltv(inputs: CompanyInputs, loans: list[Instrument]) -> Term:
    if not loans:
        return missing("no crypto-backed loan in force")
    borrowed = total(outstanding_usd(i) for i in loans)
    pledged_value = total(derive(lambda q, p: q * p, _pledged(i), _asset_price(inputs, i.collateral_asset
                                                                                or inputs.primary_asset))
                          for i in loans)
    return quotient(borrowed, pledged_value, "collateral value")


def _trigger_price(loans: list[Instrument], threshold: str, asset: str) -> Term:
    """The asset price at which a loan's LTV reaches its threshold: loan / (collateral × threshold).
    Several loans: the highest (the first to trigger)."""
    if not loans:
        return missing(f"no crypto-backed loan against {asset} in force")
    prices, unknown = [], []
    for loan in loans:
        ltv = getattr(loan, threshold)
        if ltv is None:
            unknown.append(loan.name)
            continue
        limit = Term(ltv, (InputUsed(f"{loan.name} {threshold}", ltv, None, loan.terms_source),))
        prices.append(quotient(outstanding_usd(loan), derive(lambda c, x: c * x, _pledged(loan), limit),
                               f"{loan.name} collateral × {threshold}"))
    if not prices:
        return missing(f"no {threshold} recorded for {', '.join(unknown)}")
    known = [p for p in prices if p.value is not None]
    merged = derive(lambda *values: max(values), *prices)  # None when any is None: the inputs say why
    if known and merged.value is None:
        return merged
    notes = (Note(ASSUMED, f"no {threshold} recorded for {', '.join(unknown)}: not counted"),) if unknown else ()
    return merged.noted(*notes)


def _annual_obligations(inputs: CompanyInputs) -> Term:
    claims = in_force(inputs)
    if not inputs.instruments:
        return missing("no instruments recorded")
    unknown = [i.name for i in claims if i.rate is None]
    if unknown:
        return missing(f"no rate recorded for {', '.join(unknown)}")
    parts = [derive(lambda o, r: o * r, outstanding_usd(i),
                    Term(i.rate, (InputUsed(f"{i.name} rate", i.rate, None, i.terms_source),)))
             for i in claims]
    return total(parts) if parts else Term(Decimal(0))


def _stack(inputs: CompanyInputs, nav: Term) -> tuple[ExplainLine, ...]:
    """Each instrument's BTC rating: nav / Σ outstanding of it and every instrument as or more senior
    (instruments of equal seniority rank together)."""
    claims = sorted(in_force(inputs), key=lambda i: (i.seniority, i.id))
    lines = []
    for instrument in claims:
        ranking = [i for i in claims if i.seniority <= instrument.seniority]
        rating = quotient(nav, total(outstanding_usd(i) for i in ranking), "the claims ranking with it")
        senior = [i.name for i in ranking if i is not instrument]
        formula = f"nav / ({' + '.join([instrument.name, *senior])})"
        rating = rating.noted(Note(DETAIL, _describe(instrument)))
        lines.append(ExplainLine(f"btc_rating {instrument.name}", rounded(rating.value), "x", formula,
                                 rating.inputs, rating.notes))
    return tuple(lines)


def _describe(i: Instrument) -> str:
    parts = [f"{i.kind}, seniority {i.seniority}", f"{i.outstanding.value:,} {i.currency} outstanding "
                                                    f"as of {i.outstanding.date}"]
    if i.rate is not None:
        parts.append(f"rate {i.rate}")
    if i.maturity is not None:
        parts.append(f"matures {i.maturity}")
    if i.conversion_price is not None:
        parts.append(f"conversion price {i.conversion_price:,} {i.currency}")
    if i.collateral is not None and i.collateral.value is not None:
        parts.append(f"{i.collateral.value:,} {i.collateral_asset} pledged")
    if i.margin_ltv is not None:
        parts.append(f"margin LTV {i.margin_ltv}")
    if i.liquidation_ltv is not None:
        parts.append(f"liquidation LTV {i.liquidation_ltv}")
    parts.append(f"source: {i.outstanding.source or '—'}")
    return "; ".join(parts)


def _unencumbered(held: Term, collateral: Term, asset: str) -> Term:
    """Holdings − collateral; more pledged than held is no negative holding but a contradiction
    between the loan's terms and the ledger (one of them is out of date): null, with why."""
    left = derive(lambda h, c: h - c, held, collateral)
    if left.value is not None and left.value < 0:
        return Term(None, left.inputs, left.notes).noted(Note(MISSING, (
            f"{collateral.value} {asset} pledged but {held.value} {asset} held: the collateral or the "
            "holdings are out of date")))
    return left
