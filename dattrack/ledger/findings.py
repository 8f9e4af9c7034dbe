"""What the figures read from documents would do to one company's books (SPEC 9): each is `known`
(already recorded), `pending` (to the inbox, with why), `new` (recorded), `skipped` (dated before
what a sync adds) or `rejected` (the user rejected these very words before). Pure: plain findings
and recorded events (dicts with id, date, kind, quantity, amount, origin, source) in, verdicts out.

Rules, in order, for an event figure (a fact is known when the same value is recorded for its
name and date, pending when another is):
  - one figure said twice (an 8-K and its exhibit, a table and a sentence) is one: the first that
    states it, with the amount where one of them has it; two amounts for one purchase: pending;
  - rejected before (the same words and figure): rejected, for good;
  - incomplete (no asset, quantity or date): pending;
  - known: the book has an event of the same kind, date and quantity (and amount, when both have
    one), or a buy or sell of that quantity (and amount) within 7 days (SPEC 6) — an amount the
    document prints rounded ("$835.6" million) agrees with the exact one it rounds;
  - the running total stated with a purchase or sale that is known under another date (CoinGecko
    dates it by the filing, the document by the period end) is known too;
  - a sync adds only what is dated after the book's latest event, or from `since` on: skipped;
  - the reader's doubt: pending;
  - an amount in another currency than the company's books: pending;
  - a number that contradicts an event already recorded for the same disclosure from another
    origin (the same kind, and the same date or the same accession cited; or a buy or sell of the
    same quantity within 7 days with another amount): pending;
  - a holdings figure for an asset the company is not known to hold (its primary asset, an asset in
    its books, or one its own 10-Q/10-K states holdings of): pending;
  - a buy, sell or mine over a period that covers buys, sells or mined units already recorded (so
    flows are never counted twice): pending;
  - otherwise new, and what follows is classified with it in the books.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

NEAR_DAYS = 7
EVENT_KINDS = ("buy", "sell", "mine", "balance")
FLOW_KINDS = ("buy", "sell", "mine", "receive")
OWN_ORIGIN = "filing"
NO_LIMIT = "0001-01-01"
THIS_RUN = "(this run)"   # the id of an event this classification adds   # `since` for `read`: a document read by hand is classified whatever its date


@dataclass(frozen=True)
class Finding:
    """One figure read from one document, for one company."""

    ticker: str
    kind: str                       # buy, sell, mine, balance, fact
    asset: str | None
    quantity: Decimal | None
    amount: Decimal | None          # in `currency`
    currency: str | None
    date: str | None                # ISO: period end or as-of (the document's date when the text gives none)
    period_start: str | None
    name: str | None                # fact name
    value: Decimal | None           # fact value
    quote: str
    document: str                   # URL or file
    source: str | None              # "FORM ACCESSION URL" for an SEC document
    known_on: str                   # ISO: the day it became public
    doubt: str | None = None
    accession: str | None = None
    dated_by_text: bool = True      # False: `date` is the document's own date
    periodic: bool = False          # from the company's own 10-Q or 10-K

    @property
    def fingerprint(self) -> str:
        """The company's figure and the words it was read from, whatever document said them (a
        date the text does not state is the document's, so the document stands in for it)."""
        when = self.date if self.dated_by_text else f"{self.accession or self.document}"
        parts = [self.kind, self.asset, _text(self.quantity), _text(self.amount), self.name, _text(self.value),
                 when, " ".join(self.quote.split())]
        return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Verdict:
    finding: Finding
    status: str                     # new, known, pending, skipped, rejected
    reason: str | None = None
    event_id: int | str | None = None   # the recorded event it is (known)


def classify(findings: Iterable[Finding], books: Mapping[str, Sequence[dict]], *, primary_asset: str,
             currency: str, facts: Mapping[tuple[str, str], Decimal] | None = None,
             decided: Mapping[str, str] | None = None, since: str | None = NO_LIMIT,
             latest: Mapping[str, str] | None = None, retried: frozenset[str] = frozenset()) -> list[Verdict]:
    """Every finding's verdict, in ledger order (date, a balance after the day's flows).
    `since`: NO_LIMIT (every date, as `read` wants), an ISO date, or None (after each book's latest
    event, as a sync without --since: `latest` gives those dates as they were before the run, asset
    -> ISO date; else the books'). `retried`: accessions a previous sync could not fetch: their
    figures are judged whatever their date, as that run would have. `decided`: fingerprint -> inbox
    status (rejected, accepted)."""
    facts, decided = facts or {}, decided or {}
    merged, verdicts = _one_per_figure(list(findings))
    held = {primary_asset, *books} | {f.asset for f in merged if f.periodic and f.kind == "balance" and f.asset}
    planned: dict[str, list[dict]] = {}
    moved: set[tuple] = set()   # (document, asset, date) of flows known under another date: their totals are too
    for finding in sorted(merged, key=_ledger_order):
        if finding.kind == "fact":
            verdicts.append(_fact(finding, facts, decided))
            continue
        if decided.get(finding.fingerprint) == "rejected":
            verdicts.append(Verdict(finding, "rejected", "rejected from the inbox"))
            continue
        missing = [what for what, value in (("asset", finding.asset), ("quantity", finding.quantity),
                                            ("date", finding.date)) if value is None]
        if missing or finding.kind not in EVENT_KINDS:
            why = (f"the text gives no {' or '.join(missing)}" if missing else f"kind {finding.kind!r} is not recorded")
            verdicts.append(Verdict(finding, "pending", why + (" (give --date)" if missing == ["date"] else "")))
            continue
        book = list(books.get(finding.asset, ()))
        added = planned.setdefault(finding.asset, [])
        known = _known(finding, book + added)
        rounded = None if known is not None else _known(finding, book, printed=True)
        twin = _costless_twin(finding, added) if known == THIS_RUN else None
        if twin is not None:   # not written yet: the same figure with its cost stated is the one recorded
            index = twin["verdict"]
            verdicts[index] = Verdict(verdicts[index].finding, "known", f"stated again with its cost in "
                                                                        f"{finding.accession or finding.document}")
            twin.update(amount=finding.amount, source=finding.source, verdict=len(verdicts))
            verdicts.append(Verdict(finding, "new"))
            continue
        if known is not None or rounded is not None:
            event_id = known if known is not None else rounded
            if _dated(book + added, event_id) not in (None, finding.date):
                moved.add((finding.accession or finding.document, finding.asset, finding.date))
            why = f"recorded as event {event_id}" + ("" if known is not None else
                                                     " (the amounts agree to the digits the document prints)")
            verdicts.append(Verdict(finding, "known", why, event_id))
            continue
        if finding.kind == "balance" and (finding.accession or finding.document, finding.asset, finding.date) in moved:
            verdicts.append(Verdict(finding, "known", "the running total of a purchase or sale recorded under "
                                                      "another date"))
            continue
        if decided.get(finding.fingerprint) == "accepted":
            verdicts.append(Verdict(finding, "known", "accepted from the inbox"))
            continue
        last = (latest.get(finding.asset) if latest is not None else book[-1]["date"] if book else None)
        early = None if finding.accession in retried else _too_early(finding.date, since, last)
        if early:
            verdicts.append(Verdict(finding, "skipped", early))
            continue
        reason = _pending(finding, book, added, held, currency)
        if reason:
            verdicts.append(Verdict(finding, "pending", reason))
            continue
        added.append({"id": THIS_RUN, "date": finding.date, "kind": finding.kind, "quantity": finding.quantity,
                      "amount": finding.amount, "origin": OWN_ORIGIN, "source": finding.source,
                      "verdict": len(verdicts)})
        verdicts.append(Verdict(finding, "new"))
    return verdicts


def _costless_twin(finding: Finding, added: list[dict]) -> dict | None:
    """This run's new event of the same figure whose document stated no amount, when this one does."""
    if finding.amount is None:
        return None
    return next((e for e in added if e["amount"] is None and e["kind"] == finding.kind and e["date"] == finding.date
                 and e["quantity"] == finding.quantity), None)


def _ledger_order(finding: Finding) -> tuple:
    return (finding.date or "9999-12-31", finding.kind == "balance", finding.kind == "fact")


def _one_per_figure(findings: list[Finding]) -> tuple[list[Finding], list[Verdict]]:
    """One figure said by several documents of a filing (or twice in one) is one finding; two
    amounts for one purchase leave the later one pending."""
    kept: list[Finding] = []
    verdicts: list[Verdict] = []
    for finding in findings:
        same = next((k for k in kept if _same_figure(k, finding)), None)
        if same is None:
            kept.append(finding)
            continue
        if same.amount is not None and finding.amount is not None and same.amount != finding.amount:
            verdicts.append(Verdict(finding, "pending", f"{same.document} gives {same.amount} for the same "
                                                        f"{finding.kind} of {finding.quantity} {finding.asset}"))
        elif same.amount is None and finding.amount is not None:
            kept[kept.index(same)] = replace(same, amount=finding.amount, currency=finding.currency)
    return kept, verdicts


def _same_figure(a: Finding, b: Finding) -> bool:
    if a.kind != b.kind or a.date != b.date or a.accession != b.accession:
        return False
    if a.kind == "fact":
        return (a.name, a.value) == (b.name, b.value)
    return (a.asset, a.quantity) == (b.asset, b.quantity) and a.quantity is not None


def _fact(finding: Finding, facts: Mapping[tuple[str, str], Decimal], decided: Mapping[str, str]) -> Verdict:
    if decided.get(finding.fingerprint) == "rejected":
        return Verdict(finding, "rejected", "rejected from the inbox")
    if finding.name is None or finding.value is None or finding.date is None:
        return Verdict(finding, "pending", "the text gives no fact name, value or date")
    if finding.doubt:
        return Verdict(finding, "pending", finding.doubt)
    recorded = facts.get((finding.name, finding.date))
    if recorded is None:
        return Verdict(finding, "new")
    if recorded == finding.value:
        return Verdict(finding, "known", f"recorded as fact {finding.name} of {finding.date}")
    return Verdict(finding, "pending", f"the recorded {finding.name} of {finding.date} is {_text(recorded)}")


def _known(finding: Finding, events: list[dict], *, printed: bool = False) -> int | str | None:
    """The recorded event this finding is (SPEC 6), or None. `printed`: amounts agree when the
    other one, rounded to the significant digits the document prints ("$835.6" million), is it."""
    day = dt.date.fromisoformat(finding.date)
    near = finding.kind in ("buy", "sell")
    for event in events:
        if event["kind"] != finding.kind or event["quantity"] != finding.quantity:
            continue
        if finding.amount is not None and event["amount"] is not None and event["amount"] != finding.amount:
            if not printed or _rounded_like(event["amount"], finding.amount) != finding.amount:
                continue
        if event["date"] == finding.date:
            return event["id"]
        if near and abs((dt.date.fromisoformat(event["date"]) - day).days) <= NEAR_DAYS:
            return event["id"]
    return None


def _dated(events: list[dict], event_id) -> str | None:
    return next((e["date"] for e in events if e["id"] == event_id), None)


def _rounded_like(exact: Decimal, printed: Decimal) -> Decimal:
    """`exact` rounded to the significant digits of `printed` (its trailing zeros are not digits)."""
    if printed == 0:
        return exact
    from decimal import ROUND_HALF_UP

    exponent = printed.normalize().as_tuple().exponent
    return exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def _too_early(day: str, since: str | None, last: str | None) -> str | None:
    """Why a sync does not add this: dated before --since, or (no --since) on or before `last`, the
    date of the book's latest event before the run."""
    if since == NO_LIMIT:
        return None
    if since is not None:
        return f"dated before --since {since}" if day < since else None
    if last is not None and day <= last:
        return f"dated on or before the book's latest event ({last}); --since reaches back"
    return None


def _pending(finding: Finding, book: list[dict], added: list[dict], held: set[str], currency: str) -> str | None:
    if finding.doubt:
        return finding.doubt
    if finding.amount is not None and finding.currency not in (None, currency):
        return f"the amount is in {finding.currency}; the company's books are in {currency}"
    contradicted = _contradicted(finding, book)
    if contradicted:
        return contradicted
    if finding.kind == "balance" and finding.asset not in held:
        return (f"a holdings figure for {finding.asset}, which the company is not known to hold "
                f"(its asset, its books and its own 10-Q/10-K name {', '.join(sorted(held))})")
    if finding.kind in ("buy", "sell", "mine") and finding.period_start:
        covered = [e for e in book + added if e["kind"] in FLOW_KINDS and _within(e, finding)]
        if covered:
            ids = ", ".join(str(e["id"]) for e in covered[:5]) + (" …" if len(covered) > 5 else "")
            return (f"its period {finding.period_start}..{finding.date} covers {len(covered)} "
                    f"{'flow' if len(covered) == 1 else 'flows'} already recorded (events {ids})")
    return None


def _within(event: dict, finding: Finding) -> bool:
    """Whether a recorded flow falls in the finding's period. A filing's own period total dated on
    the first day is the previous period's end ("between October 1 and November 29", then "between
    November 29 and December 8"), not a flow of this one."""
    if event["date"] == finding.period_start:
        return event.get("origin") != OWN_ORIGIN
    return finding.period_start < event["date"] <= finding.date


def _contradicted(finding: Finding, book: list[dict]) -> str | None:
    """Another origin's event of the same disclosure with another quantity or amount: the same
    kind on the same date or citing the same accession, or a buy or sell of the same quantity
    within 7 days (a purchase CoinGecko dates by the filing, with the exact dollars)."""
    plain = finding.accession.replace("-", "") if finding.accession else None
    day = dt.date.fromisoformat(finding.date)
    for event in book:
        if event.get("origin") == OWN_ORIGIN or event["kind"] != finding.kind:
            continue
        cites = plain is not None and plain in (event.get("source") or "").replace("-", "")
        near = (finding.kind in ("buy", "sell") and event["quantity"] == finding.quantity
                and abs((dt.date.fromisoformat(event["date"]) - day).days) <= NEAR_DAYS)
        if event["date"] != finding.date and not cites and not near:
            continue
        if event["quantity"] != finding.quantity:
            return (f"contradicts event {event['id']} ({event.get('origin')}, {event['date']}): "
                    f"quantity {_text(event['quantity'])}")
        if finding.amount is not None and event["amount"] is not None and event["amount"] != finding.amount:
            return (f"contradicts event {event['id']} ({event.get('origin')}, {event['date']}): "
                    f"amount {_text(event['amount'])}")
    return None


def _text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
