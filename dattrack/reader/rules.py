"""The rule table, and the one pass that runs it over a document.

Every sentence of every paragraph (and of every table cell that holds running text) goes through
each sentence rule; every table through each table rule and the ATM-table reader. What several
rules or places read as one figure — a table and its sentence, an exact count and its rounded
repeat, a dated statement and an undated headline — is one disclosure, with the exact figure."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from dattrack.reader.columns import grid_of
from dattrack.reader.context import Context, context_of
from dattrack.reader.document import Document, Paragraph
from dattrack.reader.issuance import read_atm_sentences, read_atm_table
from dattrack.reader.model import Found, IssuanceFound, UnreadableDocument
from dattrack.reader.periods import as_of_in
from dattrack.reader.sentence_rules import SENTENCE_RULES, Where, worth_reading
from dattrack.reader.sentences import sentences
from dattrack.reader.table_rules import TABLE_RULES, Around

RULE_NAMES = (tuple(r.name for r in SENTENCE_RULES) + tuple(r.name for r in TABLE_RULES)
              + ("atm-update-table", "atm-update-sentence"))
TEXT_ROW = re.compile(r"[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{2,}")
MAX_SENTENCE = 2000   # a "sentence" longer than this is a run of text without stops: read in pieces
CAPTION_BLOCKS = 3
MAX_SENTENCES = 20_000    # sentences with a digit and an asset's word; a 10-K has a few thousand
MAX_FOUND = 2_000         # figures before merging; Strategy's largest 8-K has a dozen
AS_OF_START = re.compile(r"\s*As\s+of\b")
TABLE_HINT = re.compile(r"holdings|acquired|purchased|held|produced|mined|production|shares\s+sold|net\s+proceeds|"
                        r"available\s+for", re.I)


class _Budget:
    """What one document may cost the reader: past it, the document is refused (never read in part)."""

    def __init__(self) -> None:
        self.sentences = 0

    def spend(self, found: int) -> None:
        self.sentences += 1
        if self.sentences > MAX_SENTENCES or found > MAX_FOUND:
            raise UnreadableDocument(f"more than {MAX_SENTENCES:,} sentences with figures or {MAX_FOUND:,} figures: "
                                     "not a document the reader reads")


def read(document: Document, *, date: dt.date | None = None) -> tuple[list[Found], list[IssuanceFound]]:
    context = context_of(document, date)
    found: list[Found] = []
    issuance: list[IssuanceFound] = []
    budget = _Budget()
    for i, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            found += _read_paragraph(block.text, context, budget, found)
            if "proceeds" in block.text:
                issuance += read_atm_sentences(block.text, context)
            continue
        header = " ".join(block.row_text(r) for r in range(min(len(block.rows), 4)))
        if TABLE_HINT.search(header):
            around = Around(grid=grid_of(block), caption=_caption(document, i), context=context)
            for rule in TABLE_RULES:
                found += rule.read(around)
            issuance += read_atm_table(around)
        for r in range(len(block.rows)):
            text = block.row_text(r)
            if len(text) > 60 and TEXT_ROW.search(text):
                found += _read_paragraph(text, context, budget, found)
    return merge(found), _unique(issuance)


def _caption(document: Document, index: int) -> str:
    texts = []
    for block in document.blocks[max(0, index - CAPTION_BLOCKS):index]:
        if isinstance(block, Paragraph):
            texts.append(block.text[:600])
    return " ".join(texts)


def _read_paragraph(text: str, context: Context, budget: _Budget, so_far: list[Found]) -> list[Found]:
    out: list[Found] = []
    parts = sentences(text)
    as_of = None
    for sentence in parts:
        if AS_OF_START.match(sentence):
            as_of, _ = as_of_in(sentence, year_of=context.date)
            if as_of:
                break
    for sentence in parts:
        if not worth_reading(sentence):
            continue
        budget.spend(len(so_far) + len(out))
        lower = sentence.lower()
        for piece in _pieces(sentence):
            where = Where(sentence=piece, paragraph_as_of=as_of, context=context)
            for rule in SENTENCE_RULES:
                if not rule.needs or any(word in lower for word in rule.needs):
                    out += rule.read(where)
    return out


def _pieces(sentence: str) -> list[str]:
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    return [sentence[i:i + MAX_SENTENCE] for i in range(0, len(sentence), MAX_SENTENCE)]


def merge(found: list[Found]) -> list[Found]:
    """One disclosure per figure: the same kind, asset and date (or one of them undated), the same
    quantity (or one a rounding of the other), the same amount (or one a rounding of the other)."""
    kept: list[Found] = []
    buckets: dict[tuple, list[int]] = {}
    for item in found:
        bucket = buckets.setdefault((item.kind, item.asset, item.name), [])
        for k in bucket:
            if _same(item, kept[k]):
                kept[k] = _better(kept[k], item)
                break
        else:
            bucket.append(len(kept))
            kept.append(item)
    return kept


def _same(a: Found, b: Found) -> bool:
    if a.kind != b.kind or a.asset != b.asset or a.name != b.name:
        return False
    if a.date != b.date and a.date is not None and b.date is not None:
        return False
    if a.kind == "fact":
        return _rounded_equal(a.value, b.value)
    if a.period_start and b.period_start and a.period_start != b.period_start:
        return False
    return _rounded_equal(a.quantity, b.quantity) and (a.amount is None or b.amount is None or
                                                       _rounded_equal(a.amount, b.amount))


def _rounded_equal(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    coarse = max(_step(a), _step(b))
    return abs(a - b) * 2 <= coarse and min(_step(a), _step(b)) < coarse


def _step(value: Decimal) -> Decimal:
    exponent = value.normalize().as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def _better(a: Found, b: Found) -> Found:
    """The more exact of two readings of one figure, keeping what either one adds (a date, a period,
    an amount, the certainty)."""
    first, second = (a, b) if _precision(a) >= _precision(b) else (b, a)
    if first.amount is not None and second.amount is not None and _finer(first.amount, second.amount) is second.amount \
            and second.amount != first.amount:
        first, second = second, first  # the exact amount's reading gives the quote the amount is read from
    return Found(kind=first.kind, asset=first.asset, quantity=first.quantity,
                 amount=_finer(first.amount, second.amount),
                 currency=first.currency or second.currency, date=first.date or second.date,
                 period_start=first.period_start or second.period_start, name=first.name,
                 value=_finer(first.value, second.value), quote=first.quote, rule=first.rule,
                 doubt=first.doubt if first.doubt and second.doubt else None)


def _finer(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return a if b is None else b
    return a if _step(a) <= _step(b) else b


def _precision(item: Found) -> tuple:
    figure = item.quantity if item.quantity is not None else item.value
    return (item.date is not None, -_step(figure) if figure is not None else 0, item.amount is not None,
            item.doubt is None)


def _unique(rows: list[IssuanceFound]) -> list[IssuanceFound]:
    seen = set()
    out = []
    for row in rows:
        key = (row.date, row.period_start, row.security, row.shares, row.net_proceeds, row.capacity_left)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
