"""The 10-Q and 10-K reader (SPEC 11): what a periodic report's inline XBRL and its own text say.

`read_document` hands every 10-Q/10-K (and amendment) here with what the general rules read. From
the inline XBRL this reads the crypto held at each period end (holdings.py), the cover page's
shares outstanding summed over classes, and the debt and preferred instruments (instruments.py).
What the general rules read from the same text is weighed with the tags: at a period end the
evidence decides together; a flow they read with no period of its own goes to the inbox.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from dattrack.reader.document import Document
from dattrack.reader.model import Found, Reading
from dattrack.reader.placement import Placer
from dattrack.reader.xbrl import Facts, NotInlineXbrl, read_facts

XBRLI_ROOT = "{http://www.w3.org/1999/xhtml}html"
FLOW_DOUBT = "a flow read from a quarterly or annual report with no period of its own: check the events it covers"


def read_periodic(document: Document, reading: Reading, *, date: dt.date | None = None, form: str | None = None,
                  prices: Mapping[tuple[str, dt.date], Decimal] | None = None) -> Reading:
    """The final Reading of a 10-Q or 10-K: the period-end holdings, the cover-page share count and the
    instruments from its inline XBRL, weighed with what the general rules read from its text."""
    facts = _facts(document)
    if facts is None:
        return reading
    placer = Placer()
    from dattrack.reader.holdings import Holdings
    from dattrack.reader.instruments import read_instruments

    holdings = Holdings(facts, placer, prices, document)
    balances = holdings.read(reading.disclosures)
    shares = cover_shares(facts, placer)
    instrument_notes: list[str] = []
    instruments = read_instruments(facts, placer, instrument_notes, document.paragraphs)
    kept = []
    for found in reading.disclosures:
        if found.kind == "balance" and found.date is not None:
            continue  # weighed with the tags and the tables above
        if found.kind == "fact" and found.name == "shares_basic" and shares:
            continue
        if found.kind in ("buy", "sell", "mine") and found.period_start is None and found.doubt is None:
            found = replace(found, doubt=FLOW_DOUBT)
        kept.append(found)
    notes = (*reading.notes, *facts.problems[:5], *holdings.notes, *instrument_notes)
    return replace(reading, disclosures=(*balances, *shares, *kept), instruments=tuple(instruments),
                   notes=tuple(dict.fromkeys(notes)))


def _facts(document: Document) -> Facts | None:
    tree = document.tree
    if tree is None or not isinstance(tree.tag, str) or not tree.tag.startswith("{"):
        return None  # parsed as HTML, not namespaced XHTML: no inline XBRL to read
    try:
        facts = read_facts(tree)
    except NotInlineXbrl:
        return None
    return facts if facts.facts else None


def cover_shares(facts: Facts, placer: Placer) -> list[Found]:
    """dei:EntityCommonStockSharesOutstanding, summed over share classes, dated at its own as-of date."""
    by_date: dict[dt.date, dict[tuple, Decimal]] = defaultdict(dict)
    quotes: dict[dt.date, str] = {}
    for fact in facts.named("dei:EntityCommonStockSharesOutstanding"):
        if fact.value is None or fact.context.end is None:
            continue
        placement = placer.place(fact)
        value = placement.reads(fact)
        value = fact.value if value is None else value
        by_date[fact.context.end][fact.context.dimensions] = value
        if placement.quote and fact.context.end not in quotes:
            quotes[fact.context.end] = placement.quote
    out = []
    for day, classes in sorted(by_date.items()):
        classed = {dims: v for dims, v in classes.items() if dims}
        total = sum(classed.values(), Decimal(0)) if classed else classes.get((), Decimal(0))
        out.append(Found(kind="fact", asset=None, quantity=None, amount=None, currency=None, date=day,
                         period_start=None, name="shares_basic", value=total, quote=quotes.get(day, ""),
                         rule="cover-shares-outstanding"))
    return out
