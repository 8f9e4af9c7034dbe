"""The ladder (SPEC 11): every claim on the company in seniority order, each rated by how many times the
NAV covers it and everything ahead of it, and what each costs a year.

The ladder uses the same totals as the company row: the instruments counted, except that a `debt` or
`preferred` fact newer than every instrument amount of its kind stands in for them as one claim of its
own. Claims of equal seniority form a tier and are rated together, so the most junior claim's rating
is the company's `btc_rating`.

Pure: the inputs of a valuation in, Terms (value + inputs + notes) out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dattrack.valuation.capital import claim, fact_usd, in_force, outstanding_usd
from dattrack.valuation.explanation import ASSUMED, InputUsed, Note
from dattrack.valuation.inputs import CompanyInputs, Instrument
from dattrack.valuation.terms import Term, derive, missing, quotient, total

LADDER_KEYS = ("instrument", "kind", "seniority", "outstanding", "currency", "rate", "maturity", "annual_cost",
               "claims_ahead", "btc_rating")
DEFAULT_SENIORITY = {"debt": 3, "preferred": 4}


@dataclass(frozen=True)
class Claim:
    """One claim on the company: an instrument counted, or a newer debt or preferred fact."""

    name: str
    kind: str                      # loan, note, convertible, preferred; "debt" or "preferred" for a fact
    seniority: int
    currency: str
    outstanding: Decimal | None    # in `currency`
    outstanding_usd: Term
    annual_cost_usd: Term          # outstanding × rate, in USD (a fact: at the replaced instruments' rate)
    rate: Decimal | None
    maturity: dt.date | None
    date: dt.date | None           # of the amount in force
    source: str | None
    instrument: Instrument | None = None

    @property
    def annual_cost(self) -> Decimal | None:
        """Outstanding × rate in the claim's own currency."""
        if self.outstanding is None or self.rate is None:
            return None
        return self.outstanding * self.rate


@dataclass(frozen=True)
class Rung:
    claim: Claim
    claims_ahead: Term             # Σ outstanding (USD) of the claims senior to its tier
    btc_rating: Term               # nav / (claims_ahead + its tier's outstanding)


def claims(inputs: CompanyInputs) -> list[Claim]:
    """The claims the company row counts, most senior first (ties: instruments by id, a fact last)."""
    found: list[Claim] = []
    standing_in: list[tuple[str, list[Instrument]]] = []
    for name in ("debt", "preferred"):
        _, from_instruments = claim(inputs, name, fact_usd(inputs, name))
        kind_of = [i for i in in_force(inputs) if i.is_debt == (name == "debt")]
        if from_instruments:
            found.extend(_instrument_claim(i) for i in kind_of)
        elif inputs.facts.get(name) is not None and inputs.facts[name].value is not None:
            replaced = [i for i in inputs.instruments if i.is_debt == (name == "debt")]
            standing_in.append((name, replaced))
    for name, replaced in standing_in:
        found.append(_fact_claim(inputs, name, replaced, found))
    return sorted(found, key=lambda c: (c.seniority, c.instrument is None,
                                        c.instrument.id if c.instrument is not None else 0))


def ladder(inputs: CompanyInputs, nav: Term) -> list[Rung]:
    """Each claim with the claims ahead of its tier and its rating, most senior first."""
    ranked = claims(inputs)
    rungs = []
    for c in ranked:
        ahead = total(x.outstanding_usd for x in ranked if x.seniority < c.seniority)
        tier = total(x.outstanding_usd for x in ranked if x.seniority == c.seniority)
        with_tier = derive(lambda a, t: a + t, ahead, tier)
        rungs.append(Rung(c, ahead, quotient(nav, with_tier, f"the claims up to {c.name}")))
    return rungs


def annual_obligations(inputs: CompanyInputs) -> Term:
    """Σ outstanding × rate of the claims in force (interest and dividends), in USD."""
    if not inputs.instruments and not any(
            inputs.facts.get(n) is not None and inputs.facts[n].value is not None for n in ("debt", "preferred")):
        return missing("no instruments recorded")
    if not inputs.instruments:
        return missing("no instruments recorded: the rates of the debt and preferred facts are unknown")
    return total(c.annual_cost_usd for c in claims(inputs))


def _instrument_claim(i: Instrument) -> Claim:
    usd = outstanding_usd(i)
    if i.rate is None:
        cost = missing(f"no rate recorded for {i.name}")
    else:
        rate = Term(i.rate, (InputUsed(f"{i.name} rate", i.rate, i.rate_date, i.rate_source or i.terms_source),))
        cost = derive(lambda o, r: o * r, usd, rate)
    return Claim(i.name, i.kind, i.seniority, i.currency, i.outstanding.value, usd, cost, i.rate, i.maturity,
                 i.outstanding.date, i.outstanding.source, i)


def _fact_claim(inputs: CompanyInputs, name: str, replaced: list[Instrument], others: list[Claim]) -> Claim:
    """A debt or preferred fact newer than every instrument amount of its kind, as one claim: ranked where
    the instruments it stands for ranked (a preferred fact most junior), its cost at their average rate."""
    fact = inputs.facts[name]
    usd = fact_usd(inputs, name)
    if name == "preferred":
        seniority = max([DEFAULT_SENIORITY[name], *(i.seniority for i in replaced),
                         *(c.seniority + 1 for c in others)])
    else:
        seniority = max((i.seniority for i in replaced), default=DEFAULT_SENIORITY[name])
    priced = [i for i in replaced if i.outstanding.value and i.rate is not None]
    if not priced:
        cost = missing(f"the {name} fact of {fact.date} is newer than the instruments and no rate of theirs is "
                       f"recorded: its cost is unknown")
        rate = None
    else:
        weights = total(outstanding_usd(i) for i in priced)
        paid = total(derive(lambda o, r=i.rate: o * r, outstanding_usd(i)) for i in priced)
        average = quotient(paid, weights, f"the {name} instruments' outstanding")
        rate = average.value
        cost = derive(lambda f, r: f * r, usd, average).noted(Note(
            ASSUMED, f"the {name} fact of {fact.date} is newer than every {name} instrument: its yearly cost is "
                     f"assumed at their average rate, {_percent(rate)} (Σ outstanding × rate / Σ outstanding of "
                     f"{len(priced)} instrument(s) as last recorded)"))
    label = f"{name} ({fact.date}, fact)"
    return Claim(label, name, seniority, inputs.currency, fact.value, usd, cost, rate, None, fact.date, fact.source)


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return "unknown"
    return f"{(rate * 100).quantize(Decimal('0.001')).normalize():f}%"
