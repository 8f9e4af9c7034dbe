"""The capital stack (SPEC 7): which debt and preferred figures a valuation uses, instruments in USD,
and the shares convertibles and preferreds would add ("assumed diluted").

Pure: instruments and facts in, Terms (value + inputs + notes) out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.currency import USD, convert, usd_pair
from dattrack.numbers import rounded
from dattrack.valuation.explanation import ASSUMED, CHOSEN, InputUsed, Note
from dattrack.valuation.inputs import CompanyInputs, Instrument
from dattrack.valuation.splits import adjustment, describe
from dattrack.valuation.terms import Term, derive, quotient, recorded, total

CLAIMS = ("debt", "preferred")


def counted(inputs: CompanyInputs) -> tuple[Instrument, ...]:
    """The instruments a valuation counts. A hand-typed instrument is never overwritten by a filing: where
    a filing's instrument describes the same claim (`matches`), the one whose amount in force is newer
    counts, the hand-typed one on the same date."""
    dropped = _set_aside_ids(inputs)
    return tuple(i for i in inputs.instruments if i.id not in dropped)


def set_aside(inputs: CompanyInputs) -> list[tuple[Instrument, Instrument]]:
    """(not counted, counted instead) for each claim recorded twice, by hand and from a filing."""
    by_id = {i.id: i for i in inputs.instruments}
    pairs = []
    for filed in inputs.instruments:
        typed = by_id.get(filed.matches) if filed.from_filing and filed.matches is not None else None
        if typed is None:
            continue
        newer = filed.outstanding.date and typed.outstanding.date and filed.outstanding.date > typed.outstanding.date
        pairs.append((typed, filed) if newer else (filed, typed))
    return pairs


def _set_aside_ids(inputs: CompanyInputs) -> set[int]:
    if not any(i.matches is not None for i in inputs.instruments):
        return set()
    return {dropped.id for dropped, _ in set_aside(inputs)}


def in_force(inputs: CompanyInputs) -> tuple[Instrument, ...]:
    """Instruments counted with a positive amount in force: a repaid or converted one (0) claims nothing."""
    return tuple(i for i in counted(inputs) if i.outstanding.value)


def in_usd(amount: Term, fx: Term, currency: str, pair: str) -> Term:
    """An amount in `currency`, in USD by the one conversion rule (fx: units of that currency per 1 USD)."""
    if fx.value == 0:  # no rate is ever 0; should one be, the figure is undefined, not an error
        return quotient(amount, fx, pair)
    return derive(lambda a, f: convert(a, currency, USD, lambda _: f), amount, fx)


def outstanding_usd(instrument: Instrument) -> Term:
    """Its amount in force, converted at the date's FX."""
    amount = recorded(f"{instrument.name} outstanding", instrument.outstanding,
                      f"{instrument.name} has no outstanding amount")
    if instrument.currency == USD:
        return amount
    pair = usd_pair(instrument.currency)
    fx = recorded(pair, instrument.fx, f"no {pair} rate to convert {instrument.name}")
    return in_usd(amount, fx, instrument.currency, pair)


def claim(inputs: CompanyInputs, name: str, fact_usd: Term) -> tuple[Term, bool]:
    """The `debt` (loans, notes, convertibles) or `preferred` figure in USD, and whether it is the sum of
    instruments. Instruments are the breakdown; a fact newer than every one of their amounts wins."""
    assert name in CLAIMS
    instruments = [i for i in counted(inputs) if i.is_debt == (name == "debt")]
    fact = inputs.facts.get(name)
    fact_known = fact is not None and fact.value is not None
    if not instruments:
        return fact_usd, False
    latest = max(i.outstanding.date for i in instruments)
    if fact_known and fact.date is not None and fact.date > latest:
        note = Note(CHOSEN, f"the {name} fact of {fact.date} is newer than every {name} instrument amount "
                            f"(latest {latest}): the fact is used")
        return fact_usd.noted(note), False
    term = total(outstanding_usd(i) for i in instruments)
    older = f"; the {name} fact of {fact.date} is older and not used" if fact_known else ""
    note = Note(CHOSEN, f"{name} = Σ outstanding of {len(instruments)} instrument(s) in force "
                        f"(latest amount {latest}){older}")
    return term.noted(note), True


def claim_formula(name: str, from_instruments: bool, to_usd: str) -> str:
    if not from_instruments:
        return f"{name}{to_usd}"
    kinds = "loans, notes and convertibles" if name == "debt" else "preferreds"
    return f"Σ outstanding of {kinds}, each converted to USD"


def share_basis(inputs: CompanyInputs) -> dt.date:
    """The share structure the price is expressed in; share counts are moved to it."""
    price = inputs.share_price
    return price.basis_date or price.date or inputs.as_of


def conversion_shares(inputs: CompanyInputs) -> list[tuple[Instrument, Decimal, str]]:
    """Shares each convertible or preferred with a conversion price would add: outstanding / conversion price,
    moved from the share basis of its terms (its first amount's date) to the price's, and how, if it was."""
    found = []
    for i in in_force(inputs):
        if i.kind not in ("convertible", "preferred") or not i.conversion_price:
            continue
        shares = rounded(i.outstanding.value / i.conversion_price)
        moved = adjustment(inputs.splits, i.terms_date or i.outstanding.date, share_basis(inputs))
        how = ""
        if not moved.is_identity:
            how = f" ({shares:,} {moved.factor_text()} for {' and '.join(describe(s) for s in moved.splits)})"
            shares = moved.apply(shares)
        found.append((i, shares, how))
    return found


def assumed_diluted(inputs: CompanyInputs, basic: Term) -> Term | None:
    """basic + Σ outstanding / conversion_price when no shares_diluted fact is dated on or after the
    latest shares_basic; None when a diluted fact is current or no instrument converts."""
    converting = conversion_shares(inputs)
    if not converting:
        return None
    diluted, basic_fact = inputs.facts.get("shares_diluted"), inputs.facts.get("shares_basic")
    if diluted is not None and diluted.value is not None and (
            basic_fact is None or basic_fact.date is None or (diluted.date and diluted.date >= basic_fact.date)):
        return None
    if basic.value is None:
        return None
    parts = []
    for instrument, shares, _ in converting:
        used = (InputUsed(f"{instrument.name} outstanding", instrument.outstanding.value, instrument.outstanding.date,
                          instrument.outstanding.source),
                InputUsed(f"{instrument.name} conversion_price", instrument.conversion_price, None,
                          instrument.terms_source))
        parts.append(Term(shares, used))
    added = total(parts)
    detail = " + ".join(f"{i.name} {i.outstanding.value:,} / {i.conversion_price:,} = {shares:,}{how}"
                        for i, shares, how in converting)
    note = Note(ASSUMED, f"assumed diluted: no shares_diluted fact on or after the latest shares_basic; "
                         f"shares_basic {basic.value:,} + {detail} = {basic.value + added.value:,}")
    return derive(lambda b, a: b + a, basic, added).noted(note)


def fact_usd(inputs: CompanyInputs, name: str) -> Term:
    """A money fact converted to USD; `missing` says whether it was never recorded or is not yet in force."""
    sourced = inputs.facts.get(name)
    absent = f"{name} was never recorded" if sourced is None else f"no {name} on or before {inputs.as_of}"
    term = recorded(name, sourced, absent)
    if inputs.currency == USD:
        return term
    pair = usd_pair(inputs.currency)
    return in_usd(term, recorded(pair, inputs.fx, f"no {pair} rate on or before {inputs.as_of}"), inputs.currency, pair)
