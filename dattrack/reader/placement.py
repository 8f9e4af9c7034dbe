"""Where a tagged number stands in the document, and what the text around it says it means.

"Tags can be wrong; the text decides" (SPEC 11): a fact's own displayed digits are read again with
the scale its text gives them — the column header over its cell ("(in thousands)"), its row label,
the caption or sentence before its table ("$ in thousands" scales money only; "except number of
bitcoins" spares the units), or the word after it in a sentence ("$800.0 million"). That reading
is compared with the tagged value: a face amount tagged `800` with scale 0 under "$800.0 million"
reads 800,000,000 here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from dattrack.reader.document import clean
from dattrack.reader.xbrl import Fact, number

XHTML = "{http://www.w3.org/1999/xhtml}"
CELL_TAGS = frozenset({"td", "th"})
BLOCK_TAGS = frozenset({"p", "div", "li", "td", "th", "table", "body"})
SCALES = {"thousand": 3, "thousands": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9}
# "(in thousands)", "($ in millions)", "(dollars in thousands, except number of bitcoins)", "(000s)"
SCALE_PHRASE = re.compile(
    r"(?P<money>\$|dollars?|usd|u\.s\. dollars)?\s*(?:amounts?\s+)?(?:are\s+)?(?:expressed\s+)?in\s+"
    r"(?:(?:\$|u\.s\. dollars|dollars)\s+)?(?P<scale>thousands|millions|billions)(?P<rest>[^)\n]{0,120})",
    re.I)
THOUSANDS_MARK = re.compile(r"\(\s*(?:in\s+)?\$?\s*'?000'?s\s*\)|\$\s*000'?s", re.I)
EXCEPT_UNITS = re.compile(r"except\b[^)]*\b(units?|coins?|tokens?|bitcoins?|btc|eth|ether|sol|solana|number|quantit"
                          r"|holdings)", re.I)
CURRENCY = re.compile(r"[A-Z]{3}")
WORD_AFTER = re.compile(r"^\s*(thousand|million|billion)\b", re.I)
QUOTE_LIMIT = 300


@dataclass(frozen=True)
class Placement:
    """A fact in its text. `where` is "cell", "sentence" or "hidden" (no displayed words)."""

    where: str
    row_label: str = ""        # the row's first words (a cell)
    header: str = ""           # the column header(s) over the cell, top to bottom
    caption: str = ""          # the sentence or heading just before the table
    sentence: str = ""         # the block of words the fact stands in (a sentence)
    scale: int | None = None   # the power of ten the text gives the displayed digits; None: it states none
    money: bool = False        # the text marks it as money ($ beside it, or in a money phrase)
    quote: str = ""            # the row or sentence, whitespace collapsed, at most 300 characters

    def reads(self, fact: Fact) -> Decimal | None:
        """The number the text states for this fact: its displayed digits × 10^scale (unsigned)."""
        if self.where == "hidden" or not fact.numeric:
            return None
        try:
            shown = number(fact.text, fact.format)
        except ValueError:
            return None
        return shown.scaleb(self.scale) if self.scale else shown

    @property
    def stated(self) -> bool:
        """The text states the scale (a header, caption or word says it, or a sentence writes it out)."""
        return self.scale is not None


class Placer:
    """Places the facts of one document; tables are laid out once each."""

    def __init__(self) -> None:
        self._grids: dict[object, _Grid] = {}
        self._captions: dict[object, str] = {}

    def place(self, fact: Fact, *, money: bool | None = None) -> Placement:
        """Where `fact` stands. `money` says what the caller knows the figure to be (a count tagged in USD
        is still a count); None: money when its unit is a currency."""
        el = fact.element
        if fact.hidden or el is None:
            return Placement("hidden")
        if money is None:
            money = fact.unit is not None and bool(CURRENCY.fullmatch(fact.unit.name))
        cell = _ancestor(el, CELL_TAGS)
        if cell is not None:
            return self._in_cell(fact, el, cell, money)
        return self._in_sentence(fact, el)

    # --- a number in a table cell ------------------------------------------------------------------

    def _in_cell(self, fact: Fact, el, cell, known_money: bool) -> Placement:
        table = _ancestor(cell, frozenset({"table"}))
        if table is None:
            return self._in_sentence(fact, el)
        grid = self._grid(table)
        position = grid.position(cell)
        if position is None:
            return self._in_sentence(fact, el)
        r, first, last = position
        row_label = grid.row_label(r)
        headers = grid.header_above(r, first, last)
        caption = self._caption(table, grid)
        table_note = " ".join(grid.header_rows(r))
        header_text = " ".join(headers)
        units_header = bool(re.search(r"\b(units?|quantity|tokens?|coins?|number of|held|holdings)\b", header_text,
                                      re.I)) and not re.search(r"\b(cost|value|amount|price)\b", header_text, re.I)
        money = known_money and not units_header
        scale = _header_scale(headers)
        if scale is None:
            scale = phrase_scale(row_label, money=money)
        if scale is None:
            scale = phrase_scale(table_note, money=money)
        if scale is None:
            scale = phrase_scale(caption, money=money)
        quote = clean(" ".join(grid.row_texts(r)))[:QUOTE_LIMIT]
        return Placement("cell", row_label=row_label, header=header_text, caption=caption, scale=scale, money=money,
                         quote=quote)

    def row(self, fact: Fact) -> list[tuple[str, str, object]]:
        """The cells of the row a fact stands in: (header over the cell, the cell's text, the cell)."""
        found = self._located(fact)
        if found is None:
            return []
        grid, (r, _, _) = found
        return [(" ".join(grid.header_above(r, first, last)), text, td) for first, last, td, text in grid.rows[r]]

    def column(self, fact: Fact) -> list[tuple[str, str]]:
        """The other rows' cells under the same columns as the fact's cell: (row label, cell text)."""
        found = self._located(fact)
        if found is None:
            return []
        grid, (r, first, last) = found
        out = []
        for k, row in enumerate(grid.rows):
            if k == r:
                continue
            texts = [text for a, b, _, text in row if text and a <= last and b >= first and a >= first - 1]
            if texts:
                out.append((grid.row_label(k), texts[-1]))
        return out

    def _grid(self, table) -> _Grid:
        grid = self._grids.get(table)
        if grid is None:
            grid = self._grids[table] = _Grid(table)
        return grid

    def _located(self, fact: Fact):
        """The grid of the table a fact's cell stands in and the cell's (row, first, last) in it; None when
        the fact stands in no table cell."""
        cell = self.cell(fact)
        table = _ancestor(cell, frozenset({"table"})) if cell is not None else None
        if table is None:
            return None
        grid = self._grid(table)
        position = grid.position(cell)
        return None if position is None else (grid, position)

    def cell(self, fact: Fact):
        """The table cell a fact stands in, or None."""
        if fact.hidden or fact.element is None:
            return None
        return _ancestor(fact.element, CELL_TAGS)

    def _caption(self, table, grid: _Grid) -> str:
        known = self._captions.get(table)
        if known is None:
            known = self._captions[table] = clean(" ".join([*_text_before(table), *grid.title_rows()]))[-600:]
        return known

    # --- a number in running text ------------------------------------------------------------------

    def _in_sentence(self, fact: Fact, el) -> Placement:
        block = _ancestor(el, BLOCK_TAGS)
        block = el if block is None else block
        before, after = _around(block, el)
        money = before.rstrip().endswith("$")
        match = WORD_AFTER.match(after)
        # "$800.0 million" states its scale; "$812" under a note that amounts are in thousands does not
        scale = SCALES[match.group(1).lower()] if match else None
        sentence, at = _sentence(before, fact.text, after)
        return Placement("sentence", sentence=sentence, scale=scale, money=money, quote=_near(sentence, at))


def _local(tag) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _ancestor(el, tags: frozenset[str]):
    node = el.getparent()
    while node is not None:
        if _local(node.tag) in tags:
            return node
        node = node.getparent()
    return None


def _text(el) -> str:
    return clean("".join(el.itertext()))


def _around(block, el) -> tuple[str, str]:
    """The block's words before and after the element (its own words left out)."""
    before: list[str] = []
    after: list[str] = []
    target = before
    stack = [(block, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not block and node.tail:
                target.append(node.tail)
            continue
        if node is el:
            target = after
            if node.tail:
                after.append(node.tail)
            continue
        if not isinstance(node.tag, str):
            if node.tail:
                target.append(node.tail)
            continue
        if node.text:
            target.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return "".join(before), "".join(after)


def _sentence(before: str, shown: str, after: str) -> tuple[str, int]:
    """The sentence around the number (back to the previous full stop, on to the next; at most 1,000
    characters) and where the number stands in it."""
    stops = [m.end() for m in re.finditer(r"[.;]\s", before)]
    head = before[stops[-1]:] if stops else before
    stop = re.search(r"[.;](\s|$)", after)
    tail = after[:stop.start() + 1] if stop else after
    head = clean(head)[-600:]
    text = clean(f"{head} {shown}{tail}" if head and not head.endswith(("$", "(")) else f"{head}{shown}{tail}")
    return text[:1000], len(head)


def _near(sentence: str, at: int) -> str:
    """The quote: the whole sentence when it is short, else the words nearest the number."""
    if len(sentence) <= QUOTE_LIMIT:
        return sentence
    start = max(0, min(at - 150, len(sentence) - QUOTE_LIMIT))
    if start:
        start = sentence.find(" ", start) + 1 or start  # from a word's start
    return sentence[start:start + QUOTE_LIMIT].rsplit(" ", 1)[0] if start + QUOTE_LIMIT < len(sentence) \
        else sentence[start:].strip()


def _header_scale(headers: list[str]) -> int | None:
    for text in reversed(headers):  # the nearest header line first
        scale = phrase_scale(text, money=True, header=True)
        if scale is not None:
            return scale
    return None


def phrase_scale(text: str, *, money: bool, header: bool = False) -> int | None:
    """The scale a phrase gives a number of this kind; None when it states none for it."""
    if not text:
        return None
    if THOUSANDS_MARK.search(text):
        return 3
    for match in SCALE_PHRASE.finditer(text):
        if header:  # a column's own header scales its column, units too
            return SCALES[match.group("scale").lower()]
        money_only = bool(match.group("money")) or bool(EXCEPT_UNITS.search(match.group("rest") or ""))
        if money or not money_only:
            return SCALES[match.group("scale").lower()]
        return 0  # "$ in thousands" over a units cell: the units are as printed
    return None


def _text_before(table) -> list[str]:
    """The words just before a table: its preceding blocks, nearest last, about 400 characters."""
    out: list[str] = []
    size = 0
    node = table
    for _ in range(4):  # the table may sit inside a wrapper div or two
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            if _local(sibling.tag) == "table":
                return out
            text = _text(sibling)
            if text:
                out.insert(0, text)
                size += len(text)
            if size > 400:
                return out
        node = node.getparent()
        if node is None or _local(node.tag) == "body":
            break
    return out


class _Grid:
    """A table's rows as slots: each cell covers columns first..last (colspan expanded)."""

    def __init__(self, table) -> None:
        self.rows: list[list[tuple[int, int, object, str]]] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for tr in _rows(table):
            row: list[tuple[int, int, object, str]] = []
            column = 0
            for td in tr:
                if _local(td.tag) not in CELL_TAGS:
                    continue
                while pending.get(column, 0) > 0:
                    column += 1
                span = _span(td.get("colspan"))
                down = _span(td.get("rowspan"))
                row.append((column, column + span - 1, td, _text(td)))
                if down > 1:
                    for k in range(span):
                        pending[column + k] = down
                column += span
            pending = {c: left - 1 for c, left in pending.items() if left - 1 > 0}
            self.rows.append(row)
        self._where = {id(td): (r, first, last) for r, row in enumerate(self.rows) for first, last, td, _ in row}
        self._keep = [td for row in self.rows for _, _, td, _ in row]  # ids stay valid while held

    def position(self, cell) -> tuple[int, int, int] | None:
        return self._where.get(id(cell))

    def row_texts(self, r: int) -> list[str]:
        return [text for _, _, _, text in self.rows[r] if text]

    def row_label(self, r: int) -> str:
        for _, _, _, text in self.rows[r]:
            if re.search(r"[A-Za-z]", text):
                return text
        return ""

    def header_above(self, r: int, first: int, last: int) -> list[str]:
        """Texts over the columns first..last in the rows above r that hold no figure of their own."""
        out = []
        for row in self.rows[:r]:
            texts = [text for a, b, _, text in row if text and a <= last and b >= first]
            label = next((text for _, _, _, text in row if re.search(r"[A-Za-z]", text)), "")
            figures = [text for _, _, _, text in row if _figure(text)]
            if figures and label and not texts:
                continue
            if any(_figure(t) for t in texts):
                continue  # a row of figures above: a body row, not a header
            out.extend(texts)
        return out

    def header_rows(self, r: int) -> list[str]:
        """The notes in the head of the table that stand over no one column: texts in the label area
        (left of every figure), where "(in thousands)" may sit, or spanning the whole width."""
        figure_columns = [a for row in self.rows for a, _, _, text in row if _figure(text)]
        if not figure_columns:
            return []
        first_figure = min(figure_columns)
        width = max(b for row in self.rows for _, b, _, _ in row)
        out = []
        for row in self.rows[:r]:
            texts = [text for _, _, _, text in row if text]
            if any(_figure(t) for t in texts):
                break
            out.extend(text for a, b, _, text in row
                       if text and (b < first_figure or (a <= first_figure and b >= width)))
        return out

    def title_rows(self) -> list[str]:
        """Leading rows with one text only (a title inside the table)."""
        out = []
        for row in self.rows[:3]:
            texts = [text for _, _, _, text in row if text]
            if len(texts) == 1 and re.search(r"[A-Za-z]{3}", texts[0]):
                out.append(texts[0])
            elif texts:
                break
        return out

    def dollar_before(self, r: int, first: int) -> bool:
        """A "$" cell just left of the column (SEC tables put the sign in its own cell)."""
        left = [text for a, b, _, text in self.rows[r] if b < first and text]
        return bool(left) and left[-1] == "$"


FIGURE = re.compile(r"^\(?\$?\s*[0-9][0-9,]*(\.[0-9]+)?\s*\)?%?$")
YEAR = re.compile(r"^(19|20)\d\d$")


def _figure(text: str) -> bool:
    return bool(FIGURE.match(text)) and not YEAR.match(text)


def _rows(table):
    for child in table:
        tag = _local(child.tag)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if _local(tr.tag) == "tr":
                    yield tr


def _span(value: str | None) -> int:
    digits = (value or "").strip()
    return max(1, min(int(digits), 100)) if digits.isdigit() and len(digits) < 4 else 1
