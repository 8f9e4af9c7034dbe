"""Debt and preferred instruments of a 10-Q/10-K: one per member of the filing's debt and preferred axes.

For each note, loan or preferred series outstanding at the document's period end: the principal
outstanding (a "principal outstanding" fact, else the maturity schedule's sum, else the face amount —
`basis` "face" — else the carrying amount, `basis` "carrying"), the stated rate, the maturity, the
conversion price, the seniority the filing states (its own words: secured, senior, subordinated),
and for a preferred series shares outstanding × liquidation preference and its dividend rate.
Amounts are read again from their text (placement.py): a face amount tagged 800 in "$800.0 million"
is 800,000,000. One instrument often has two members (`LongtermDebtTypeAxis=SecuredNotesDue2028`,
`DebtInstrumentAxis=SeniorSecuredNotesDue2028`); members naming the same kind and year are one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.reader.model import InstrumentFound
from dattrack.reader.placement import Placer
from dattrack.reader.xbrl import Fact, Facts, local, words_number

DEBT_AXES = frozenset({"DebtInstrumentAxis", "LongtermDebtTypeAxis", "ShortTermDebtTypeAxis",
                       "LineOfCreditFacilityAxis", "CreditFacilityAxis"})
STOCK_AXES = frozenset({"ClassOfStockAxis", "StatementClassOfStockAxis"})
# Axes that refine a context without naming another instrument (a range, the class converted into).
NEUTRAL_AXES = frozenset({"StatementClassOfStockAxis", "ClassOfStockAxis", "RangeAxis", "DebtInstrumentAxis",
                          "LongtermDebtTypeAxis", "StatementEquityComponentsAxis"})
DEBT_WORD = re.compile(r"Note|Loan|Debt|Credit|Facilit|Bond|Debenture|Convertible|Borrowing")
PREFERRED_WORD = re.compile(r"Preferred|Perpetual")
SERIES = re.compile(r"Series[A-Z]{1,2}(?:Convertible|Cumulative|Perpetual)*PreferredStockMember")
PRINCIPAL = re.compile(r"^(DebtInstrument)?(Outstanding)?Principal(Amount)?(Balance)?(Outstanding)?$"
                       r"|^OutstandingPrincipal(Balance|Amount)?$|^DebtInstrumentOutstandingPrincipal$"
                       r"|^LongTermDebtGross$")
MATURITY_BUCKET = re.compile(r"^LongTermDebtMaturitiesRepaymentsOfPrincipal(InNextTwelveMonths|InYear\w+|AfterYearFive"
                             r"|RemainderOfFiscalYear)$")
CARRYING = ("LongTermDebt", "LongTermDebtNoncurrent", "ConvertibleNotesPayable", "ConvertibleNotesPayableCurrent",
            "ConvertibleDebtNoncurrent", "SecuredDebt", "SeniorNotes", "DebtInstrumentCarryingAmount", "NotesPayable",
            "LoansPayable", "SecuredLongTermDebt", "LongTermDebtCurrent", "OtherLongTermDebt")
STANDARD_PREFIXES = ("us-gaap:", "srt:", "dei:")


@dataclass
class _Instrument:
    key: tuple
    members: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def member(self) -> str:
        """The member that names it best: "...NotesDueTwentyThirty..." before "TwoThousandAndThirty..."."""
        return next((m for m in self.members if "Due" in local(m)), self.members[0])


def read_instruments(facts: Facts, placer: Placer, notes: list[str] | None = None,
                     paragraphs: tuple[str, ...] = ()) -> list[InstrumentFound]:
    """The instruments outstanding at the document's period end; what the text corrects goes to `notes`.
    `paragraphs` (the document's text) give a stated rate the tags leave out ("do not bear regular
    interest", "bear interest at a fixed rate of 0.750% per annum")."""
    end = _period_end(facts)
    if end is None:
        return []
    instruments = _group(facts)
    out = []
    for item in instruments.values():
        found = _read(item, end, placer, notes if notes is not None else [])
        if found is not None and found.rate is None and found.kind != "preferred":
            found = _rate_from_text(found, item, paragraphs)
        if found is not None:
            out.append(found)
    if notes is not None:
        notes[:] = [n for n in notes if n]
    return sorted(out, key=lambda i: (i.seniority or 9, i.maturity or dt.date.max, i.name))


def _period_end(facts: Facts) -> dt.date | None:
    fact = next((f for f in facts.facts if f.name == "DocumentPeriodEndDate"), None)
    if fact is not None and fact.date:
        return fact.date
    return max((f.context.end for f in facts.facts if f.name == "Assets" and f.context.end), default=None)


def _group(facts: Facts) -> dict[tuple, _Instrument]:
    groups: dict[tuple, _Instrument] = {}
    for fact in facts.facts:
        members = [(local(axis), member) for axis, member in fact.context.dimensions
                   if _instrument_member(local(axis), member)]
        if len(members) != 1 and not (len(members) == 2 and _key(members[0][1]) == _key(members[1][1])):
            continue
        if any(local(axis) not in NEUTRAL_AXES and not _instrument_member(local(axis), member)
               for axis, member in fact.context.dimensions):
            continue  # a redemption period, a collateral or events-of-default refinement: terms, not amounts
        key = _key(members[0][1])
        item = groups.setdefault(key, _Instrument(key))
        for _, member in members:
            if member not in item.members:
                item.members.append(member)
        item.facts.append(fact)
    return groups


def _instrument_member(axis: str, member: str) -> bool:
    """A member naming one instrument: the company's own (a standard member is a category, except a
    preferred series: `us-gaap:SeriesAPreferredStockMember`)."""
    name = local(member)
    if member.startswith(STANDARD_PREFIXES) and not (axis in STOCK_AXES and SERIES.fullmatch(name)):
        return False
    if axis in DEBT_AXES:
        if len(_years(_words(name))) > 1 or re.search(r"Notes?And|AndNotes?|Various|Other(?!LongTerm)", name):
            return False  # several instruments together: a category
        return bool(DEBT_WORD.search(name)) and not PREFERRED_WORD.search(name)
    if axis in STOCK_AXES:
        return bool(PREFERRED_WORD.search(name))
    return False


def _key(member: str) -> tuple:
    """What names an instrument across members: its kind and its year(s) (with a series letter)."""
    name = local(member).removesuffix("Member")
    words = _words(name)
    years = tuple(_years(words))
    kind = ("preferred" if PREFERRED_WORD.search(name) else "convertible" if "Convertible" in name
            else "loan" if re.search(r"Loan|Credit|Facilit|Borrowing", name) else "note")
    series = re.search(r"Series([A-Z]{1,2})(?=[A-Z][a-z]|$)", name)
    letter = re.search(r"(?:\d{4}|Twenty\w*?|Thirty\w*?)([A-D])$", name)
    if not years and kind != "preferred":
        return (kind, name)
    return (kind, years, series.group(1) if series else None, letter.group(1) if letter else None,
            name if kind == "preferred" and not series else None)


WORDS = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|\d+")
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                         "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                         "hundred thousand and".split())


def _words(name: str) -> list[str]:
    return WORDS.findall(name)


def _years(words: list[str]) -> list[int]:
    """Years written in a member name: "Due2030", "DueTwentyTwentyFive", "TwoThousandTwentyFive"."""
    out = []
    run: list[str] = []
    for word in [*words, ""]:
        if word.lower() in NUMBER_WORDS:
            run.append(word.lower())
            continue
        if run:
            year = _year_of(run)
            if year:
                out.append(year)
            run = []
        if word.isdigit() and len(word) % 4 == 0:
            out.extend(int(word[i:i + 4]) for i in range(0, len(word), 4) if word[i:i + 2] == "20")
    return out


def _year_of(run: list[str]) -> int | None:
    try:
        if run[:2] == ["two", "thousand"]:
            value = int(words_number(" ".join(w for w in run if w != "and")))
        elif run[0] == "twenty" and len(run) > 1:
            value = 2000 + int(words_number(" ".join(run[1:])))
        else:
            return None
    except ValueError:
        return None
    return value if 2000 <= value <= 2099 else None


def _name(member: str) -> str:
    words = _words(local(member).removesuffix("Member"))
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word.lower() in NUMBER_WORDS:
            run.append(word)
            continue
        if run:
            year = _year_of([w.lower() for w in run])
            out.append(str(year) if year else " ".join(run))
            run = []
        if word:
            out.append(word.lower() if word in ("Due", "And", "Of", "The") else word)
    return " ".join(out)


def _at(facts: list[Fact], names, end: dt.date, *, instant: bool = True) -> list[Fact]:
    """Facts of these concepts dated at the period end (an instant, or a period ending then)."""
    wanted = {names} if isinstance(names, str) else set(names)
    return [f for f in facts if f.name in wanted and f.value is not None and f.context.end == end
            and (f.context.instant or not instant)]


def _latest(facts: list[Fact], name: str, end: dt.date) -> Fact | None:
    found = [f for f in facts if f.name == name and f.value is not None and f.context.end and f.context.end <= end]
    return max(found, key=lambda f: f.context.end) if found else None


def _amount(fact: Fact, placer: Placer) -> tuple[Decimal, str | None]:
    """A money fact as the text states it, and a note when the text and the tag disagree."""
    placement = placer.place(fact, money=True)
    if not placement.stated:
        return abs(fact.value), None
    shown = placement.reads(fact)
    if shown is None or shown == abs(fact.value):
        return abs(fact.value), None
    return shown, (f"{fact.concept} tagged {abs(fact.value):,}, the text states {_plain(shown):,}: "
                   "the text decides")


def _read(item: _Instrument, end: dt.date, placer: Placer, notes: list[str]) -> InstrumentFound | None:
    facts = item.facts
    kind = item.key[0]
    if kind == "preferred":
        return _preferred(item, end, placer)
    principal = [f for f in facts if PRINCIPAL.match(f.name) and f.value is not None and f.context.end == end
                 and f.context.instant]
    buckets = [f for f in facts if MATURITY_BUCKET.match(f.name) and f.value is not None and f.context.end == end]
    carrying = _at(facts, CARRYING, end)
    face = _latest(facts, "DebtInstrumentFaceAmount", end)
    outstanding = basis = tag = quote = None
    face_now = face if face is not None and face.context.end == end else None
    if principal:
        fact = principal[0]
        outstanding, note = _amount(fact, placer)
        basis, tag, quote = "face", fact.concept, placer.place(fact).quote
        notes.append(note)
    elif face_now is not None:
        outstanding, note = _amount(face_now, placer)
        basis, tag, quote = "face", face_now.concept, placer.place(face_now).quote
        notes.append(note)
    elif buckets and face is None:
        outstanding = sum((abs(f.value) for f in buckets), Decimal(0))
        basis, tag = "face", "us-gaap:LongTermDebtMaturitiesRepaymentsOfPrincipal"
        quote = placer.place(buckets[0]).quote
    elif face is not None and carrying and any(f.value for f in carrying):
        outstanding, note = _amount(face, placer)
        basis, tag, quote = "face", face.concept, placer.place(face).quote
        notes.append(note)
    elif carrying:
        fact = carrying[0]
        outstanding, note = _amount(fact, placer)
        basis, tag, quote = "carrying", fact.concept, placer.place(fact).quote
        notes.append(note)
    if not outstanding:
        return None
    if carrying and all(not f.value for f in carrying) and not principal:
        return None  # carried at nothing at the period end: repaid
    rate_fact = _latest(facts, "DebtInstrumentInterestRateStatedPercentage", end)
    maturity_fact = next((f for f in facts if f.name == "DebtInstrumentMaturityDate" and f.date), None)
    price_fact = _latest(facts, "DebtInstrumentConvertibleConversionPrice1", end)
    if price_fact is not None or "Convertible" in item.member:
        kind = "convertible"
    elif (kind == "note" and not re.search(r"Notes?(?=[A-Z]|$)", local(item.member))
          and re.search(r"\bloan\b", _words_of(item, placer), re.I)):
        kind = "loan"  # "Other long-term secured debt": the text calls it a term loan
    doubt = None
    if buckets and basis == "face" and not principal:
        scheduled = sum((abs(f.value) for f in buckets), Decimal(0))
        if scheduled != outstanding:
            notes.append(f"{_name(item.member)}: the maturity schedule sums {scheduled:,} (principal and interest?), "
                         f"the face amount is {outstanding:,}: the face amount is read")
    if basis == "carrying" and face is not None:
        face_value, _ = _amount(face, placer)
        if outstanding > face_value * Decimal("1.05"):
            doubt = (f"the carrying amount {outstanding:,} is above the face amount {face_value:,} "
                     "(contractual payments tagged as debt?)")
    return InstrumentFound(
        name=_name(item.member), member=item.member, kind=kind, currency=_currency(principal or carrying or [face]),
        outstanding=_plain(outstanding), basis=basis, rate=_rate(rate_fact),
        maturity=maturity_fact.date if maturity_fact else None,
        conversion_price=abs(price_fact.value) if price_fact is not None else None,
        seniority=_seniority(" ".join(item.members)), shares=None, liquidation_preference=None, date=end, tag=tag,
        quote=(quote or "")[:300], doubt=doubt)


def _preferred(item: _Instrument, end: dt.date, placer: Placer) -> InstrumentFound | None:
    facts = item.facts
    shares = _at(facts, ("PreferredStockSharesOutstanding", "SharesOutstanding", "PreferredStockSharesIssued"), end)
    if not shares or not shares[0].value:
        return None
    count = abs(shares[0].value)
    per_share = _latest(facts, "PreferredStockLiquidationPreference", end)
    total = _at(facts, "PreferredStockLiquidationPreferenceValue", end)
    outstanding = None
    if total:
        outstanding, _ = _amount(total[0], placer)
    elif per_share is not None:
        outstanding = count * abs(per_share.value)
    rate = _latest(facts, "PreferredStockDividendRatePercentage", end)
    return InstrumentFound(
        name=_name(item.member), member=item.member, kind="preferred", currency="USD", outstanding=_plain(outstanding),
        basis="liquidation preference" if outstanding is not None else None, rate=_rate(rate), maturity=None,
        conversion_price=None, seniority=4, shares=_plain(count),
        liquidation_preference=abs(per_share.value) if per_share is not None else None, date=end,
        tag=shares[0].concept, quote=placer.place(shares[0]).quote[:300],
        doubt=None if outstanding is not None else "no liquidation preference stated")


NO_INTEREST = re.compile(r"\b(?:do|does)\s+not\s+bear\s+(?:regular\s+)?interest\b", re.I)
FIXED_RATE = re.compile(r"\bbears?\s+interest\s+at\s+(?:a\s+fixed\s+rate\s+of\s+|a\s+rate\s+of\s+)?"
                        r"(?P<rate>\d{1,2}(?:\.\d{1,4})?)\s?%\s+per\s+annum", re.I)


def _rate_from_text(found: InstrumentFound, item: _Instrument, paragraphs: tuple[str, ...]) -> InstrumentFound:
    """The stated rate of an instrument whose rate no tag gives: the sentence that names it ("The 2027
    Convertible Notes ... do not bear regular interest") states it."""
    from dataclasses import replace

    years = [y for y in item.key[1] if isinstance(y, int)] if isinstance(item.key[1], tuple) else []
    if len(years) != 1:
        return found
    noun = "Notes?" if found.kind in ("note", "convertible") else "(?:Term\\s+)?Loan"
    name = re.compile(rf"\b{years[0]}\s+(?:\w+\s+){{0,2}}{noun}\b", re.I)
    for paragraph in paragraphs:
        if str(years[0]) not in paragraph:
            continue
        for sentence in re.split(r"(?<=[.;])\s+", paragraph):
            subject = name.search(sentence)
            if not subject or (found.kind == "convertible") != bool(re.search(r"convertible", subject.group(0), re.I)):
                continue
            rest = sentence[subject.end():]
            if NO_INTEREST.search(rest):
                return replace(found, rate=Decimal(0))
            fixed = FIXED_RATE.search(rest)
            if fixed:
                return replace(found, rate=(Decimal(fixed.group("rate")) / 100).normalize())
    return found


def _words_of(item: _Instrument, placer: Placer) -> str:
    """The sentences the instrument's tagged amounts stand in."""
    return " ".join(placer.place(f).sentence for f in item.facts if f.numeric and f.unit is not None
                    and f.unit.name == "USD")[:5000]


def _rate(fact: Fact | None) -> Decimal | None:
    return abs(fact.value).normalize() if fact is not None else None


def _currency(facts) -> str | None:
    for fact in facts:
        if fact is not None and fact.unit is not None and re.fullmatch(r"[A-Z]{3}", fact.unit.name):
            return fact.unit.name
    return None


def _seniority(members: str) -> int | None:
    """The order the filing's own words give: secured 1, senior (unsecured) 2, subordinated 3."""
    if "Subordinated" in members:
        return 3
    if "Secured" in members and "Unsecured" not in members:
        return 1
    if "Senior" in members:
        return 2
    return None


def _plain(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
