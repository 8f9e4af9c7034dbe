"""HTML and inline-XBRL XHTML into the document model, parsed by lxml within limits.

XHTML (SEC's inline XBRL) is parsed as XML first so the xbrl reader gets namespaced elements;
anything that is not well-formed XML is parsed as HTML. Neither parser expands entities from a
DTD, fetches anything or lifts libxml2's limits (huge_tree stays off: text nodes are capped and
nesting stops at 256 levels — a document that deep is refused here rather than read in part).
Hidden parts (`ix:header`, `display:none`, scripts, styles) are not text.
"""

from __future__ import annotations

import re

from dattrack.reader.document import FOOTNOTE_MARK, Document, Paragraph, Table, clean
from dattrack.reader.model import UnreadableDocument

MAX_DEPTH = 200
MAX_TABLE_SLOTS = 250_000       # slots of one table once merged cells are expanded
MAX_SPAN = 1000                 # HTML's own cap on colspan
MAX_ROWSPAN = 1000
BLOCK = frozenset("""p div li ul ol h1 h2 h3 h4 h5 h6 blockquote section article header footer center dd dt dl
pre hr address body html form fieldset nav main aside figure figcaption caption tr td th thead tbody tfoot""".split())
SKIP = frozenset("script style head title noscript template iframe object embed select option button".split())
XML_HINT = re.compile(rb"^\s*(?:<\?xml|<html[^>]*xmlns=)", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)
HIDDEN = re.compile(r"display\s*:\s*none", re.I)
SUPERSCRIPT = re.compile(r"vertical-align\s*:\s*(?:super|top)|top\s*:\s*-", re.I)


def parse_html(data: bytes, *, name: str = "") -> Document:
    root = _parse(data)
    blocks, notes = _Walker().walk(root)
    return Document(blocks=tuple(blocks), name=name, media_type="text/html", tree=root, notes=tuple(notes))


def _parse(data: bytes):
    from lxml import etree

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if XML_HINT.match(body[:4096]):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        try:
            return etree.fromstring(body, parser)
        except (etree.XMLSyntaxError, ValueError):
            pass  # not well-formed: read it as HTML like a browser would
    parser = etree.HTMLParser(no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(XML_DECLARATION.sub("", _decode(body), count=1), parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableDocument(f"not readable as HTML ({clean(str(exc))[:80]})") from None
    if root is None:
        raise UnreadableDocument("not readable as HTML (no elements)")
    return root


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


_TAGS: dict[str, str] = {}


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    known = _TAGS.get(tag)
    if known is not None:
        return known
    if len(_TAGS) < 1000:
        _TAGS[tag] = _local(tag)
    return _local(tag)


def _local(tag: str) -> str:
    if tag[0] == "{":
        namespace, _, local = tag[1:].partition("}")
        return "ix:header" if local == "header" and "inlineXBRL" in namespace else local.lower()
    return tag.lower()


def _skipped(el, tag: str) -> bool:
    if tag in SKIP or tag == "ix:header" or not tag:
        return True
    style = el.get("style")
    return bool(style and "none" in style and HIDDEN.search(style))


def _footnote_mark(el, tag: str) -> bool:
    """A superscript footnote mark: "(1)", "*", "†" set raised; left out of texts."""
    if tag != "sup":
        style = el.get("style")
        if not style or ("super" not in style and "top" not in style) or not SUPERSCRIPT.search(style):
            return False
    return bool(FOOTNOTE_MARK.match(clean("".join(el.itertext()))))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self.notes: list[str] = []
        self.cell_ids = 0

    def walk(self, root) -> tuple[list, list[str]]:
        buffer: list[str] = []
        stack: list[tuple[object, int, bool]] = [(root, 0, False)]
        while stack:
            el, depth, closing = stack.pop()
            if closing:
                if _tag(el) in BLOCK:
                    self._flush(buffer)
                if el.tail:
                    buffer.append(el.tail)
                continue
            if depth > MAX_DEPTH:
                raise UnreadableDocument(f"nested deeper than {MAX_DEPTH} elements: not a document the reader reads")
            tag = _tag(el)
            if _skipped(el, tag) or _footnote_mark(el, tag):
                if el.tail:
                    buffer.append(el.tail)
                continue
            if tag == "table":
                self._flush(buffer)
                table = self._table(el, depth)
                if table is not None:
                    self.blocks.append(table)
                if el.tail:
                    buffer.append(el.tail)
                continue
            if tag in BLOCK:
                self._flush(buffer)
            elif tag == "br":
                buffer.append(" ")
            if el.text:
                buffer.append(el.text)
            stack.append((el, depth, True))
            stack.extend((child, depth + 1, False) for child in reversed(el))
        self._flush(buffer)
        return self.blocks, self.notes

    def _flush(self, buffer: list[str]) -> None:
        if buffer:
            text = clean("".join(buffer))
            buffer.clear()
            if text:
                self.blocks.append(Paragraph(text))

    def _text(self, el, depth: int) -> str:
        """A cell's text: every visible descendant, nested tables and blocks run together with spaces."""
        parts: list[str] = []
        stack: list[tuple[object, int, bool]] = [(el, depth, False)]
        while stack:
            node, level, closing = stack.pop()
            if closing:
                if node.tail and node is not el:
                    parts.append(node.tail)
                continue
            if level > MAX_DEPTH:
                raise UnreadableDocument(f"nested deeper than {MAX_DEPTH} elements: not a document the reader reads")
            tag = _tag(node)
            if node is not el and (_skipped(node, tag) or _footnote_mark(node, tag)):
                if node.tail:
                    parts.append(node.tail)
                continue
            if tag in BLOCK or tag == "br":
                parts.append(" ")
            if node.text:
                parts.append(node.text)
            stack.append((node, level, True))
            stack.extend((child, level + 1, False) for child in reversed(node))
        return clean("".join(parts))

    def _table(self, table, depth: int) -> Table | None:
        rows: list[dict[int, tuple[str, int]]] = []
        pending: dict[int, list] = {}  # column -> [rows still covered, text, cell id] of a rowspan
        slots = 0
        for tr in _rows(table):
            row: dict[int, tuple[str, int]] = {}
            for column in list(pending):
                left, text, cell = pending[column]
                row[column] = (text, cell)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column][0] = left - 1
            column = 0
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                if _skipped(td, "td"):
                    continue
                while column in row:
                    column += 1
                span = _span(td.get("colspan"), MAX_SPAN)
                down = _span(td.get("rowspan"), MAX_ROWSPAN)
                self.cell_ids += 1
                text = self._text(td, depth + 2)
                for k in range(span):
                    row[column + k] = (text, self.cell_ids)
                    if down > 1:
                        pending[column + k] = [down - 1, text, self.cell_ids]
                column += span
            slots += max(row, default=-1) + 1
            if slots > MAX_TABLE_SLOTS:
                self.notes.append(f"a table larger than {MAX_TABLE_SLOTS} cells was cut short")
                break
            if any(text for text, _ in row.values()):
                rows.append(row)
        if not rows:
            return None
        width = max(max(row) for row in rows) + 1
        grid = tuple(tuple(row.get(c, ("", -1))[0] for c in range(width)) for row in rows)
        ids = tuple(tuple(row.get(c, ("", -1))[1] for c in range(width)) for row in rows)
        return Table(rows=grid, cells=ids)


def _rows(table):
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if _tag(tr) == "tr":
                    yield tr


def _span(value: str | None, cap: int) -> int:
    if not value:
        return 1
    digits = value.strip()
    if not digits.isdigit() or len(digits) > 6:
        return 1
    return max(1, min(int(digits), cap))
