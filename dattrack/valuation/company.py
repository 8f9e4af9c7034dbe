"""One company's mNAV line on one date (SPEC section 2), every figure with its explanation.

Pure: plain values in, plain values out. Money is converted by the one rule of currency.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.currency import USD, convert, usd_pair
from dattrack.numbers import rounded
from dattrack.valuation.capital import assumed_diluted, claim, claim_formula, fact_usd, share_basis
from dattrack.valuation.capital import in_usd as _in_usd
from dattrack.valuation.explanation import ASSUMED, SPLIT, UNDEFINED, ExplainLine, InputUsed, Note
from dattrack.valuation.inputs import CompanyInputs, Holding
from dattrack.valuation.splits import adjustment, describe
from dattrack.valuation.terms import Term, derive, missing, quotient, recorded, total

ROW_KEYS = ("ticker", "share_price", "currency", "shares_basic", "shares_diluted", "market_cap", "nav", "mnav",
            "premium", "debt", "preferred", "cash", "ev", "ev_mnav", "diluted_mnav", "per_share", "sats_per_share")
SATS_PER_BTC = Decimal(10) ** 8
LEDGER = "ledger"
# Shown as recorded (SPEC: what is entered comes back unchanged); every other figure is derived and rounded.
AS_RECORDED = frozenset({"share_price", "shares_basic", "shares_diluted"})


@dataclass(frozen=True)
class Valuation:
    """The SPEC `mnav` row (share_price in `currency`, other money in USD) plus unrealized P&L and `lines`."""

    ticker: str
    currency: str
    as_of: dt.date
    share_price: Decimal | None
    shares_basic: Decimal | None
    shares_diluted: Decimal | None
    market_cap: Decimal | None
    nav: Decimal | None
    mnav: Decimal | None
    premium: Decimal | None
    debt: Decimal | None
    preferred: Decimal | None
    cash: Decimal | None
    ev: Decimal | None
    ev_mnav: Decimal | None
    diluted_mnav: Decimal | None
    per_share: Decimal | None
    sats_per_share: Decimal | None
    unrealized_pnl: Decimal | None        # in `currency`
    unrealized_pnl_usd: Decimal | None
    lines: tuple[ExplainLine, ...]
    # The intermediate figures at full precision, with their inputs, for what builds on this valuation
    # (risk): nav, held (primary-asset units), debt, preferred, cash; and which claims are sums of instruments.
    terms: Mapping[str, Term] = field(default_factory=dict, compare=False, repr=False)
    from_instruments: Mapping[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def as_row(self) -> dict:
        return {key: getattr(self, key) for key in ROW_KEYS}

    def line(self, name: str) -> ExplainLine:
        return {line.name: line for line in self.lines}[name]


def value_company(inputs: CompanyInputs) -> Valuation:
    as_of, currency, asset = inputs.as_of, inputs.currency, inputs.primary_asset
    pair = usd_pair(currency)
    to_usd = "" if currency == USD else f" / {pair}"
    fx = Term(Decimal(1)) if currency == USD else recorded(pair, inputs.fx, f"no {pair} rate on or before {as_of}")

    price = recorded("share_price", inputs.share_price, f"no share price on or before {as_of}")
    price = price.noted(*_price_basis_notes(inputs))
    basic = _share_count(inputs, "shares_basic")
    diluted = _share_count(inputs, "shares_diluted")
    diluted_formula = "shares_diluted in force, on the share price's basis"
    assumed = assumed_diluted(inputs, basic)
    if assumed is not None:
        diluted, diluted_formula = assumed, "shares_basic + Σ convertible and preferred outstanding / conversion_price"
    nav = nav_term(inputs)

    market_cap = _in_usd(derive(lambda p, s: p * s, price, basic), fx, currency, pair)
    mnav = quotient(market_cap, nav, "nav")
    money, from_instruments = {"cash": fact_usd(inputs, "cash")}, {"cash": False}
    for name in ("debt", "preferred"):
        money[name], from_instruments[name] = claim(inputs, name, fact_usd(inputs, name))
    ev_parts = {name: _counted_in_ev(inputs, name, term, from_instruments[name]) for name, term in money.items()}
    ev = derive(lambda m, d, p, c: m + d + p - c, market_cap, ev_parts["debt"], ev_parts["preferred"],
                ev_parts["cash"])
    diluted_cap = _in_usd(derive(lambda p, s: p * s, price, diluted), fx, currency, pair)

    per_share_count, per_share_name = diluted, "shares_diluted"
    if diluted.value is None:  # SPEC: basic shares stand in when no diluted count is known
        per_share_count, per_share_name = basic.noted(
            Note(ASSUMED, "shares_diluted is unknown: per_share uses shares_basic")), "shares_basic"
    held = held_term(inputs, asset)
    per_share = quotient(held, per_share_count, per_share_name)
    if asset == "BTC":
        sats = derive(lambda p: p * SATS_PER_BTC, per_share)
    else:
        sats = Term(None, notes=(Note(UNDEFINED, f"sats_per_share is for BTC only (primary asset is {asset})"),))
    pnl_local, pnl_usd = _unrealized(inputs, fx, currency, pair)

    held_terms = " + ".join(f"{h.asset} holdings × {h.asset} price" for h in inputs.holdings) or "Σ holdings × price"
    figures = (
        ("share_price", price, currency, f"latest close on or before {as_of}, in {currency}"),
        ("shares_basic", basic, "shares", "shares_basic in force, on the share price's basis"),
        ("shares_diluted", diluted, "shares", diluted_formula),
        ("market_cap", market_cap, USD, f"share_price × shares_basic{to_usd}"),
        ("nav", nav, USD, held_terms),
        ("mnav", mnav, "x", "market_cap / nav"),
        ("premium", derive(lambda m: m - 1, mnav), "fraction", "mnav − 1"),
        ("debt", money["debt"], USD, claim_formula("debt", from_instruments["debt"], to_usd)),
        ("preferred", money["preferred"], USD, claim_formula("preferred", from_instruments["preferred"], to_usd)),
        ("cash", money["cash"], USD, claim_formula("cash", from_instruments["cash"], to_usd)),
        ("ev", ev, USD, "market_cap + debt + preferred − cash"),
        ("ev_mnav", quotient(ev, nav, "nav"), "x", "ev / nav"),
        ("diluted_mnav", quotient(diluted_cap, nav, "nav"), "x", f"share_price × shares_diluted{to_usd} / nav"),
        ("per_share", per_share, f"{asset}/share", f"{asset} holdings / {per_share_name}"),
        ("sats_per_share", sats, "sats/share", "per_share × 10^8"),
        ("unrealized_pnl", pnl_local, currency,
         "Σ holdings × USD price" + ("" if currency == USD else f" × {pair}") + " − Σ cost basis"),
        ("unrealized_pnl_usd", pnl_usd, USD, f"Σ holdings × USD price − Σ cost basis{to_usd}"),
    )
    lines = tuple(ExplainLine(name, term.value if name in AS_RECORDED else rounded(term.value), unit, formula,
                              term.inputs, term.notes)
                  for name, term, unit, formula in figures)
    values = {line.name: line.value for line in lines}
    terms = {"nav": nav, "held": held, **money}
    return Valuation(ticker=inputs.ticker, currency=currency, as_of=as_of, lines=lines, terms=terms,
                     from_instruments={"cash": False, **from_instruments}, **values)


def _price_basis_notes(inputs: CompanyInputs) -> tuple[Note, ...]:
    """Say so when the price comes from a series adjusted for splits after its own date."""
    price = inputs.share_price
    if price.value is None or price.date is None or price.basis_date is None:
        return ()
    moved = adjustment(inputs.splits, price.date, price.basis_date)
    if moved.is_identity:
        return ()
    splits = " and ".join(describe(s) for s in moved.splits)
    return (Note(SPLIT, f"share_price {price.date} is on the share basis of {price.basis_date} "
                        f"(adjusted for {splits}); share counts are put on that basis"),)


def _fact(inputs: CompanyInputs, name: str) -> Term:
    sourced = inputs.facts.get(name)
    absent = f"{name} was never recorded" if sourced is None else f"no {name} on or before {inputs.as_of}"
    return recorded(name, sourced, absent)


def _share_count(inputs: CompanyInputs, name: str) -> Term:
    """A share count moved onto the price's share basis, with a note when a split lies in between."""
    term, sourced = _fact(inputs, name), inputs.facts.get(name)
    if term.value is None or sourced.date is None:
        return term
    basis = share_basis(inputs)
    moved = adjustment(inputs.splits, sourced.date, basis)
    if moved.is_identity:
        return term
    target = f"to match the price's basis ({basis})" if inputs.share_price.value is not None \
        else f"to the share basis of {basis}"
    splits = " and ".join(describe(s) for s in moved.splits)
    note = Note(SPLIT, f"{name} {sourced.date} ({term.value:,}) adjusted {moved.factor_text()} for {splits} {target}")
    return Term(moved.apply(term.value), term.inputs, term.notes + (note,))


def _counted_in_ev(inputs: CompanyInputs, name: str, usd: Term, from_instruments: bool) -> Term:
    """SPEC: a debt, preferred or cash fact that was never recorded counts as 0 in ev, and says so."""
    sourced = inputs.facts.get(name)
    if from_instruments or (sourced is not None and sourced.value is not None):  # a missing FX rate stays missing
        return usd
    why = "was never recorded" if sourced is None else f"has no value on or before {inputs.as_of}"
    return Term(Decimal(0), notes=(Note(ASSUMED, f"{name} {why}: assumed 0"),))


def _quantity(inputs: CompanyInputs, holding: Holding) -> Term:
    if holding.quantity is None:
        return missing(f"no {holding.asset} disclosure before {holding.unknown_until}: what was held on "
                       f"{inputs.as_of} is unknown")
    used = InputUsed(f"{holding.asset} holdings", holding.quantity, holding.source_date or inputs.as_of,
                     _citation(holding))
    return Term(holding.quantity, (used,))


def _citation(holding: Holding) -> str:
    """The latest disclosure behind a holdings figure, and how far it is from the last balance."""
    if holding.source_date is None:
        return LEDGER
    latest = holding.source or "an event with no source"
    if holding.balance_date is None:
        return f"{latest} (latest event; no balance disclosed)"
    if holding.since_balance == 0:
        return f"{latest} (the balance disclosed on {holding.balance_date})"
    return (f"{latest} (latest event; {holding.since_balance} since the balance of {holding.balance_date})")


def _value_usd(inputs: CompanyInputs, holding: Holding) -> Term:
    quantity = _quantity(inputs, holding)
    if holding.quantity is None or holding.quantity == 0:  # unknown, or nothing held: its price does not matter
        return quantity
    price = recorded(f"{holding.asset} price", inputs.asset_prices.get(holding.asset),
                     f"no {holding.asset} price (USD) on or before {inputs.as_of}")
    return derive(lambda q, p: q * p, quantity, price)


def nav_term(inputs: CompanyInputs) -> Term:
    if not inputs.holdings:
        return missing("no holdings recorded")
    return total(_value_usd(inputs, h) for h in inputs.holdings)


def held_term(inputs: CompanyInputs, asset: str) -> Term:
    held = [h for h in inputs.holdings if h.asset == asset]
    if not held:
        return missing(f"no {asset} holdings recorded")
    return total(_quantity(inputs, h) for h in held)


def _cost(inputs: CompanyInputs, holding: Holding) -> Term:
    if holding.quantity is None:
        return _quantity(inputs, holding)
    if holding.cost_basis is None or not holding.cost_complete:
        return missing(f"the {holding.asset} cost basis is incomplete (units were added without a disclosed cost)")
    used = InputUsed(f"{holding.asset} cost basis", holding.cost_basis, inputs.as_of, LEDGER)
    return Term(holding.cost_basis, (used,))


def _unrealized(inputs: CompanyInputs, fx: Term, currency: str, pair: str) -> tuple[Term, Term]:
    """Market value − cost basis, in the company's currency and in USD."""
    if not inputs.holdings:
        return missing("no holdings recorded"), missing("no holdings recorded")
    value_usd = total(_value_usd(inputs, h) for h in inputs.holdings)
    cost = total(_cost(inputs, h) for h in inputs.holdings)
    local = derive(lambda v, f, c: convert(v, USD, currency, lambda _: f) - c, value_usd, fx, cost)
    usd = derive(lambda v, c: v - c, value_usd, _in_usd(cost, fx, currency, pair))
    return local, usd


