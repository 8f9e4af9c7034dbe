"""Paragraphs into sentences, and the shortest quote of a match."""

from __future__ import annotations

import re

from dattrack.reader.model import QUOTE_LIMIT

ABBREVIATIONS = frozenset("""inc corp co ltd llc plc no nos mr mrs ms dr st jr sr approx e.g i.e vs etc u.s u.k
jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m n.v s.a fig""".split())
BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•])")
WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences; a period after "Inc", "U.S", "Dec" or a single capital ends none."""
    out: list[str] = []
    start = 0
    for match in BOUNDARY.finditer(paragraph):
        before = paragraph[start:match.start()]
        word = WORD_BEFORE.search(before)
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        out.append(paragraph[start:match.start()].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def quote(sentence: str, start: int = 0, end: int | None = None) -> str:
    """The sentence when it fits in QUOTE_LIMIT characters, else the words around [start, end)."""
    text = " ".join(sentence.split())
    if len(text) <= QUOTE_LIMIT:
        return text
    end = len(sentence) if end is None else end
    piece = " ".join(sentence[start:end].split())
    if len(piece) >= QUOTE_LIMIT:
        return piece[:QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    room = QUOTE_LIMIT - len(piece) - 2
    before = " ".join(sentence[:start].split())
    after = " ".join(sentence[end:].split())
    left = before[-(room // 2):] if before else ""
    right = after[:room - len(left)] if after else ""
    if left and len(left) < len(before):
        left = "…" + left.split(" ", 1)[-1]
    if right and len(right) < len(after):
        right = right.rsplit(" ", 1)[0] + "…"
    return " ".join(part for part in (left, piece, right) if part)[:QUOTE_LIMIT]
