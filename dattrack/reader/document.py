"""The document model every rule reads: paragraphs and tables in document order.

A table is a grid of cell texts with merged cells expanded (a cell spanning three columns fills
three slots, each slot knows the cell it came from), so a column header written once over a `$`
cell and a number cell stands over both. For HTML the lxml tree is kept (`tree`) for the
inline-XBRL reader. Footnote marks set as superscripts are left out of the texts; whitespace
(`&#160;` included) is collapsed and control characters are dropped, so no quote carries one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
SPACE = re.compile(r"\s+")
# a terminal escape sequence whole (CSI "ESC [ 31 m", OSC "ESC ] 8;; url BEL"), not just its ESC
ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
FOOTNOTE_MARK = re.compile(r"^\(?(?:\d{1,2}|[a-z]|\*{1,3}|[†‡§])\)?$")


def clean(text: str) -> str:
    """Whitespace collapsed (non-breaking spaces too), control and invisible characters dropped."""
    if "\x1b" in text or "\x9b" in text:
        text = ESCAPE.sub("", text)
    return SPACE.sub(" ", CONTROL.sub("", text)).strip()


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """`rows[r][c]` is the text of the cell covering slot (r, c); `cells[r][c]` the id of that cell,
    shared by every slot a merged cell covers. Rows are padded to one width; empty rows are dropped."""

    rows: tuple[tuple[str, ...], ...]
    cells: tuple[tuple[int, ...], ...]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def row_text(self, r: int) -> str:
        """The row as one line: each cell's text once, in order (a merged cell is not repeated)."""
        seen: set[int] = set()
        parts = []
        for text, cell in zip(self.rows[r], self.cells[r]):
            if text and cell not in seen:
                parts.append(text)
            seen.add(cell)
        return " ".join(parts)


@dataclass(frozen=True)
class Document:
    blocks: tuple[Paragraph | Table, ...]
    name: str = ""
    media_type: str = "text/html"
    tree: Any = None                       # lxml root element (HTML and XHTML); None for text and PDF
    notes: tuple[str, ...] = field(default=())

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def text(self) -> str:
        """All of it as running text: paragraphs, and each table row as one line."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(block.row_text(r) for r in range(len(block.rows)))
        return "\n".join(lines)


def from_paragraphs(texts: list[str], *, name: str = "", media_type: str = "text/plain") -> Document:
    blocks = tuple(Paragraph(t) for t in (clean(x) for x in texts) if t)
    return Document(blocks=blocks, name=name, media_type=media_type)
