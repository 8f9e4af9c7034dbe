"""Instruments from 10-Q/10-K inline XBRL (SPEC 11): the writer of what `sync --source filings` and
`read --record` read of a company's debt and preferred members.

Each member is one instrument of origin `filing`, found again by its XBRL member in later filings; each
filing adds a dated `outstanding` (its period end, known on its filing date) with the basis, the tag
and the quote in its source. An instrument the newest filing no longer lists is recorded as 0 on that
filing's period end (repaid, redeemed or converted). A rate that changes is dated with the amount.

An instrument typed by hand (or seeded) is never changed: the filing's instrument is recorded beside
it, linked by `matches` when they describe the same claim (same maturity, else the same distinctive
words), and the valuation counts one of them (capital.counted: the newer amount)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from dattrack.app.instruments import DEFAULT_SENIORITY, add_instrument, set_amount
from dattrack.numbers import to_text
from dattrack.store import Store
from dattrack.store import instruments as instrument_rows
from dattrack.valuation.inputs import INSTRUMENT_KINDS

ORIGIN = "filing"
CLASSES = {"preferred": "preferred", "convertible": "convertible", "loan": "debt", "note": "debt"}
# Words every instrument name shares: they tell no two claims apart.
COMMON_WORDS = frozenset("""series perpetual preferred stock notes note senior convertible secured unsecured loan loans
    term due and the of variable rate fixed facility credit debt long short class shares share""".split())


def record_filed_instruments(store: Store, company: dict, records: list, *, dry_run: bool = False) -> tuple[int, list[str]]:
    """Records with `found` (reader InstrumentFound), `source` ("FORM ACCESSION URL") and `known_on`:
    every amount not recorded yet, filing by filing in period order, and the 0s of what the newest filing
    no longer lists. Returns how many amounts were (or would be) written, and notes for the user."""
    ticker = company["ticker"]
    by_filing: dict[tuple, list] = {}
    notes: list[str] = []
    for record in records:
        found = record.found
        if found.date is None or found.outstanding is None or found.kind not in INSTRUMENT_KINDS:
            notes.append(f"{found.name}: not recorded (no period end, amount or kind read) — {record.source}")
            continue
        if found.doubt:
            notes.append(f"{found.name}: not recorded, {found.doubt} — {record.source}")
            continue
        by_filing.setdefault((found.date, record.known_on, record.source), []).append(record)
    written = 0
    for (period_end, known_on, source), listed in sorted(by_filing.items(), key=lambda item: item[0][:2]):
        seen: set[int] = set()
        for record in listed:
            instrument_id, added = _amount(store, company, record, dry_run)
            if instrument_id is not None:
                seen.add(instrument_id)
            written += added
        if not dry_run:
            written += _gone(store, ticker, seen, period_end.isoformat(), known_on, source)
    return written, notes


def _amount(store: Store, company: dict, record, dry_run: bool) -> tuple[int | None, int]:
    """The filing's amount of one instrument: its instrument (added when new) and whether an amount was added."""
    found, ticker = record.found, company["ticker"]
    existing = _filed(store, ticker, found)
    day = found.date.isoformat()
    source = _source(record)
    if existing is None:
        if dry_run:
            return None, 1
        kind = found.kind
        converts = kind in ("convertible", "preferred")
        instrument_id = add_instrument(
            store, ticker, _free_name(store, ticker, found), kind=kind, outstanding=to_text(found.outstanding),
            date=day, currency=found.currency or company["currency"], rate=_text(found.rate),
            maturity=found.maturity.isoformat() if found.maturity else None,
            conversion_price=_text(found.conversion_price) if converts else None,
            seniority=found.seniority or DEFAULT_SENIORITY[kind], source=source, known_on=record.known_on,
            origin=ORIGIN, member=found.member, liquidation_preference=_text(found.liquidation_preference),
            matches=_match(store, ticker, found), shares=_text(found.shares), basis=found.basis, tag=found.tag)
        return instrument_id, 1
    if instrument_rows.amount_on(store, existing["id"], day) is not None:
        return existing["id"], 0          # this period end is recorded: re-reading adds nothing
    if not dry_run:
        terms = {k: v for k, v in (("maturity", found.maturity.isoformat() if found.maturity else None),
                                   ("liquidation_preference", _text(found.liquidation_preference)))
                 if v is not None and existing[k] is None}
        instrument_rows.update_terms(store, existing["id"], terms)
        set_amount(store, existing["id"], outstanding=to_text(found.outstanding), date=day, source=source,
                   known_on=record.known_on, rate=_text(found.rate), shares=_text(found.shares), basis=found.basis,
                   tag=found.tag)
    return existing["id"], 1


def _gone(store: Store, ticker: str, listed: set[int], period_end: str, known_on: str, source: str) -> int:
    """0 on the filing's period end for every instrument of an earlier filing it no longer lists (and that is
    not recorded later): repaid, redeemed or converted — never left at its old amount."""
    if not listed:
        return 0    # a filing that lists no instrument at all was not read as a statement of them
    filed = [i for i in instrument_rows.of_companies(store, [ticker]) if i["origin"] == ORIGIN and i["id"] not in listed]
    history = instrument_rows.amounts(store, [i["id"] for i in filed])
    zeroed = 0
    for instrument in filed:
        amounts = history[instrument["id"]]
        if not amounts or amounts[-1]["date"] >= period_end or Decimal(amounts[-1]["outstanding"]) == 0:
            continue
        set_amount(store, instrument["id"], outstanding="0", date=period_end, known_on=known_on,
                   source=f"{source}; no longer listed at {period_end}: repaid, redeemed or converted")
        zeroed += 1
    return zeroed


def _filed(store: Store, ticker: str, found) -> dict | None:
    """The filing instrument this one is: the same XBRL member, else the same name."""
    if found.member:
        existing = instrument_rows.find_member(store, ticker, found.member)
        if existing is not None:
            return existing
    existing = instrument_rows.find(store, ticker, found.name)
    return existing if existing is not None and existing["origin"] == ORIGIN else None


def _free_name(store: Store, ticker: str, found) -> str:
    """The filing's name for it, unless the company already uses that name (a hand-typed instrument)."""
    name = found.name.strip() or (found.member or "instrument")
    if instrument_rows.find(store, ticker, name) is None:
        return name
    return f"{name} ({found.member or 'filing'})"


def _match(store: Store, ticker: str, found) -> int | None:
    """The hand-typed (or seeded) instrument that describes the same claim, when exactly one does: of the
    same class (preferred; convertible; loan or note) and maturity (where both state one), else sharing
    the words that tell claims apart."""
    group = CLASSES[found.kind]
    maturity = found.maturity.isoformat() if found.maturity else None
    instruments = instrument_rows.of_companies(store, [ticker])
    taken = {i["matches"] for i in instruments if i["matches"] is not None}
    candidates = [i for i in instruments if i["origin"] != ORIGIN and i["id"] not in taken
                  and CLASSES[i["kind"]] == group and not (maturity and i["maturity"] and i["maturity"] != maturity)]
    if maturity is not None:
        dated = [i for i in candidates if i["maturity"] == maturity]
        if len(dated) == 1:
            return dated[0]["id"]
        if dated:
            candidates = dated
    words = _words(found.name)
    if not words:
        return None
    scored = [(len(words & _words(i["name"])), i["id"]) for i in candidates]
    best = max((score for score, _ in scored), default=0)
    chosen = [instrument_id for score, instrument_id in scored if score == best and score > 0]
    return chosen[0] if len(chosen) == 1 else None


def _words(name: str) -> set[str]:
    """The words of a name that tell claims apart: "Other", "Strike", a year; not "Senior Notes"."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}|\d{4}", name)}
    return words - COMMON_WORDS


def _source(record) -> str:
    found = record.found
    parts = [record.source]
    if found.tag:
        parts.append(f"{found.tag} ({found.basis or 'amount'})")
    if found.quote:
        parts.append(f"'{found.quote}'")
    return "; ".join(parts)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
