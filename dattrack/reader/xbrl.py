"""The inline-XBRL facts of a document: contexts, units, `ix:nonFraction` and `ix:nonNumeric`.

Pure: bytes in, facts out. A number means what Arelle says it means (ModelInstanceObject, the
ixt/ixt-sec transform registries): the displayed text is read through its `format`, multiplied by
10^`scale` and negated when `sign="-"`; `decimals` says how precise it is and never changes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

IX = "{http://www.xbrl.org/2013/inlineXBRL}"
XBRLI = "{http://www.xbrl.org/2003/instance}"
XBRLDI = "{http://xbrl.org/2006/xbrldi}"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
MAX_BYTES = 64 * 1024 * 1024  # the largest 10-K is about 10 MB; above this it is not a filing

# A namespace's usual prefix, whatever prefix the document chose (taxonomy years differ).
STANDARD_PREFIXES = (
    ("http://fasb.org/us-gaap/", "us-gaap"), ("http://xbrl.sec.gov/dei/", "dei"), ("http://fasb.org/srt/", "srt"),
    ("http://xbrl.sec.gov/ecd/", "ecd"), ("http://www.xbrl.org/2003/iso4217", "iso4217"),
    ("http://www.xbrl.org/2003/instance", "xbrli"), ("http://www.xbrl.org/2009/utr", "utr"),
)


class NotInlineXbrl(ValueError):
    """The bytes are not a well-formed inline-XBRL document."""


@dataclasses.dataclass(frozen=True)
class Context:
    id: str
    entity: str | None                       # the identifier (a CIK for SEC filers)
    start: dt.date | None                    # None for an instant
    end: dt.date | None                      # the instant, or the last day of the duration; None: forever
    dimensions: tuple[tuple[str, str], ...]  # (axis, member) explicit, or (axis, typed member's text)

    @property
    def instant(self) -> bool:
        return self.start is None and self.end is not None

    def member(self, axis: str) -> str | None:
        """The member on `axis` ("us-gaap:DebtInstrumentAxis" or just its local name)."""
        for name, member in self.dimensions:
            if name == axis or local(name) == axis:
                return member
        return None


@dataclasses.dataclass(frozen=True)
class Unit:
    id: str
    numerator: tuple[str, ...]    # measures ("iso4217:USD", "xbrli:shares", "mstr:Bitcoin")
    denominator: tuple[str, ...]

    @property
    def name(self) -> str:
        """The measures' local names: "USD", "USD/shares", "Bitcoin"."""
        top = "*".join(local(m) for m in self.numerator)
        return f"{top}/{'*'.join(local(m) for m in self.denominator)}" if self.denominator else top


@dataclasses.dataclass(frozen=True)
class Fact:
    concept: str                  # "us-gaap:CryptoAssetNumberOfUnits"
    context: Context
    unit: Unit | None             # None for text
    value: Decimal | str | None   # Decimal for a number, str for text (dates as ISO), None when nil or unreadable
    text: str                     # as displayed, whitespace collapsed
    numeric: bool
    decimals: str | None = None   # "INF", "-6", ... (precision; never applied to the value)
    scale: int = 0
    sign: str | None = None
    format: str | None = None
    hidden: bool = False          # inside ix:hidden
    id: str | None = None
    element: object = dataclasses.field(default=None, compare=False, repr=False)  # its lxml element

    @property
    def name(self) -> str:
        return local(self.concept)

    @property
    def date(self) -> dt.date | None:
        """A text fact's value as a date, when its format made it one."""
        if isinstance(self.value, str) and ISO_DATE.fullmatch(self.value):
            return dt.date.fromisoformat(self.value)
        return None


@dataclasses.dataclass(frozen=True)
class Facts:
    facts: tuple[Fact, ...]
    contexts: Mapping[str, Context]
    units: Mapping[str, Unit]
    problems: tuple[str, ...] = ()   # facts that could not be read, said once each
    tree: object = dataclasses.field(default=None, compare=False, repr=False)  # the lxml root

    def named(self, *names: str) -> list[Fact]:
        """Facts of these concepts (qualified "us-gaap:X" or local "X"), in document order."""
        wanted = set(names)
        return [f for f in self.facts if f.concept in wanted or f.name in wanted]

    def dei(self, name: str) -> str | None:
        """A document-and-entity fact of the whole document (no dimension), as text."""
        for fact in self.facts:
            if fact.name == name and fact.concept.startswith("dei:") and not fact.context.dimensions:
                return None if fact.value is None else str(fact.value)
        return None


def local(qname: str) -> str:
    return qname.rpartition(":")[2]


def read_facts(data: bytes | object) -> Facts:
    """Every fact of an inline-XBRL document (bytes, or an lxml tree already parsed as XML)."""
    root = _parse(data) if isinstance(data, (bytes, bytearray)) else data
    prefixes = _Prefixes(root)
    problems: list[str] = []
    contexts = {c.id: c for c in _contexts(root, prefixes, problems)}
    units = {u.id: u for u in _units(root, prefixes)}
    continuations = {el.get("id"): el for el in root.iter(IX + "continuation")}
    hidden = {el for h in root.iter(IX + "hidden") for el in h.iter()}  # held, so each node keeps its proxy
    facts = []
    for el in root.iter(IX + "nonFraction", IX + "nonNumeric"):
        context = contexts.get(el.get("contextRef", ""))
        if context is None:
            problems.append(f"{el.get('name')}: context {el.get('contextRef')!r} is not in the ix:header")
            continue
        try:
            fact = _fact(el, context, units, prefixes, continuations, el in hidden)
        except ValueError as exc:
            problems.append(f"{el.get('name')} in {context.id}: {exc}")
            continue
        facts.append(fact)
    return Facts(tuple(facts), contexts, units, tuple(problems), root)


def _parse(data: bytes | bytearray):
    from lxml import etree  # heavy: imported on use

    if len(data) > MAX_BYTES:
        raise NotInlineXbrl(f"the document is {len(data) // 1024 // 1024} MB: larger than any filing")
    if b"inlineXBRL" not in data[:200_000] and b"inlineXBRL" not in data:
        raise NotInlineXbrl("the document has no inline XBRL")
    body = bytes(data)
    start = body.find(b"<")
    body = body[start:] if start > 0 else body  # a byte-order mark or stray bytes before the prolog
    base = dict(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, load_dtd=False)
    try:
        return etree.fromstring(body, etree.XMLParser(**base))
    except etree.XMLSyntaxError:
        pass
    try:  # an SEC document is well-formed XHTML; a copy with injected markup may not be: recover what parses
        root = etree.fromstring(body, etree.XMLParser(recover=True, **base))
    except etree.XMLSyntaxError as exc:
        raise NotInlineXbrl(f"not well-formed XHTML: {exc}") from None
    if root is None:
        raise NotInlineXbrl("not well-formed XHTML")
    return root


class _Prefixes:
    """A document's prefixes mapped to the usual ones, so "us-gaap-2023:X" reads as "us-gaap:X"."""

    def __init__(self, root):
        self.names: dict[str | None, str] = {}
        for element in (root, *root.iter(XBRLI + "context", XBRLI + "unit")):  # usually all on the root
            for prefix, uri in (element.nsmap or {}).items():
                if prefix not in self.names:
                    self.names[prefix] = next((p for base, p in STANDARD_PREFIXES if uri.startswith(base)), prefix)

    def qname(self, text: str | None, el=None) -> str:
        text = (text or "").strip()
        prefix, colon, name = text.rpartition(":")
        if not colon:
            return text
        known = self.names.get(prefix)
        if known is None and el is not None:  # a prefix declared on the element itself, not the root
            uri = (el.nsmap or {}).get(prefix, "")
            known = next((p for base, p in STANDARD_PREFIXES if uri.startswith(base)), prefix) if uri else prefix
        return f"{known or prefix}:{name}"


def _contexts(root, prefixes: _Prefixes, problems: list[str]) -> Iterator[Context]:
    for el in root.iter(XBRLI + "context"):
        identifier = el.find(f"{XBRLI}entity/{XBRLI}identifier")
        start = end = None
        period = el.find(XBRLI + "period")
        try:
            if period is not None:
                instant = period.findtext(XBRLI + "instant")
                if instant:
                    end = _xbrl_date(instant)
                else:
                    begin, finish = period.findtext(XBRLI + "startDate"), period.findtext(XBRLI + "endDate")
                    if begin and finish:
                        start, end = _xbrl_date(begin), _xbrl_date(finish)
        except ValueError:
            problems.append(f"context {el.get('id')!r}: its period is no date")
            continue
        dimensions = []
        for member in el.iter(XBRLDI + "explicitMember", XBRLDI + "typedMember"):
            axis = prefixes.qname(member.get("dimension"))
            if member.tag == XBRLDI + "explicitMember":
                dimensions.append((axis, prefixes.qname(member.text)))
            else:
                dimensions.append((axis, " ".join("".join(member.itertext()).split())))
        yield Context(el.get("id", ""), identifier.text.strip() if identifier is not None and identifier.text else None,
                      start, end, tuple(dimensions))


def _xbrl_date(text: str) -> dt.date:
    # An instant or end date written with a time (2024-03-31T24:00:00) is still that day in SEC filings.
    return dt.date.fromisoformat(text.strip()[:10])


def _units(root, prefixes: _Prefixes) -> Iterator[Unit]:
    for el in root.iter(XBRLI + "unit"):
        divide = el.find(XBRLI + "divide")
        if divide is not None:
            top = divide.find(XBRLI + "unitNumerator")
            bottom = divide.find(XBRLI + "unitDenominator")
            yield Unit(el.get("id", ""), _measures(top, prefixes), _measures(bottom, prefixes))
        else:
            yield Unit(el.get("id", ""), _measures(el, prefixes), ())


def _measures(el, prefixes: _Prefixes) -> tuple[str, ...]:
    if el is None:
        return ()
    return tuple(prefixes.qname(m.text) for m in el.findall(XBRLI + "measure"))


def _fact(el, context: Context, units: Mapping[str, Unit], prefixes: _Prefixes,
          continuations: Mapping[str, object], hidden: bool) -> Fact:
    concept = prefixes.qname(el.get("name"), el)
    numeric = el.tag == IX + "nonFraction"
    fmt = el.get("format")
    fmt = fmt.strip() if fmt else None
    nil = el.get(XSI_NIL) in ("true", "1")
    if numeric:
        text = " ".join(el.xpath("string()").split())
        scale = int(el.get("scale") or 0)
        sign = el.get("sign")
        value = None if nil else number(text, fmt, scale, sign == "-")
        return Fact(concept, context, units.get(el.get("unitRef", "")), value, text, True, el.get("decimals"),
                    scale, sign, fmt, hidden, el.get("id"), el)
    text = " ".join(_text(el, continuations).split())
    value = None if nil else text_value(text, fmt)
    return Fact(concept, context, None, value, text, False, None, 0, None, fmt, hidden, el.get("id"), el)


def _text(el, continuations: Mapping[str, object]) -> str:
    """A text fact's words: its own, minus ix:exclude, then those of its continuations in order."""
    if not el.get("continuedAt") and el.find(f".//{IX}exclude") is None:
        return el.xpath("string()")  # the common case, in C: a text block's words are a note's whole text
    parts = [_words(el)]
    seen = set()
    following = el.get("continuedAt")
    while following and following not in seen and following in continuations:
        seen.add(following)
        nxt = continuations[following]
        parts.append(_words(nxt))
        following = nxt.get("continuedAt")
    return " ".join(parts)


def _words(el) -> str:
    out = [el.text or ""]
    for child in el:
        if child.tag != IX + "exclude":
            if isinstance(child.tag, str):
                out.append(_words(child))
        if isinstance(child.tag, str) and _is_block(child):
            out.append(" ")
        out.append(child.tail or "")
    return "".join(out)


def _is_block(el) -> bool:
    return el.tag.rpartition("}")[2] in ("p", "div", "br", "td", "th", "tr", "li", "table")


# --- numbers: the ixt and ixt-sec transforms -------------------------------------------------------

_DIGITS_DOT = re.compile(r"^[0-9]+(?:[ ,\u00a0\u2009'][0-9]+)*(?:\.[0-9]*)?$|^\.[0-9]+$")
_DIGITS_COMMA = re.compile(r"^[0-9]+(?:[ .\u00a0\u2009'][0-9]+)*(?:,[0-9]*)?$|^,[0-9]+$")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]*)?$|^\.[0-9]+$")
_ZERO = ("fixed-zero", "fixedzero", "zerodash", "zero-dash")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def number(text: str, fmt: str | None, scale: int = 0, negative: bool = False) -> Decimal:
    """The value of a displayed number: `text` through the transform `fmt`, × 10^scale, negated for sign="-".

    >>> number("1,234.5", "ixt:num-dot-decimal", 6)
    Decimal('1234500000')
    """
    kind = local(fmt or "").lower()
    raw = text.strip()
    if kind in _ZERO:
        value = Decimal(0)
    elif kind in ("numwordsen", "num-words-en"):
        value = words_number(raw)
    elif kind in ("numdotdecimal", "num-dot-decimal", "numcommadot", "numspacedot", "numdotdecimalin"):
        value = _grouped(raw, _DIGITS_DOT, ".")
    elif kind in ("numcommadecimal", "num-comma-decimal", "numdotcomma", "numspacecomma"):
        value = _grouped(raw, _DIGITS_COMMA, ",")
    elif not kind:
        if not _PLAIN.match(raw):
            raise ValueError(f"{raw!r} is not a number and has no format")
        value = Decimal(raw)
    else:
        raise ValueError(f"unknown number format {fmt!r} for {raw!r}")
    if scale:
        value = value.scaleb(scale)
    if negative:
        value = -value
    return value + 0 if value else Decimal(0)  # -0 reads as 0


def _grouped(raw: str, pattern: re.Pattern, point: str) -> Decimal:
    if raw and all(ch in _DASHES for ch in raw):  # a dash in a numeric cell is a zero (Arelle accepts it)
        return Decimal(0)
    if not pattern.match(raw):
        raise ValueError(f"{raw!r} is not a number in this format")
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == point)
    if point == ",":
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}


def words_number(text: str) -> Decimal:
    """English number words as ixt-sec:numwordsen reads them: "no", "none", "twenty-one", "one hundred"."""
    words = [w for w in re.split(r"[\s\-\u00a0,]+", text.lower().strip(" .")) if w and w != "and"]
    if words in (["no"], ["none"], ["nil"]):
        return Decimal(0)
    total = current = 0
    if not words:
        raise ValueError(f"{text!r} is not a number in words")
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word.isdigit():
            current += int(word)
        else:
            raise ValueError(f"{text!r} is not a number in words")
    return Decimal(total + current)


# --- text: dates and the like ---------------------------------------------------------------------

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"([A-Za-z]{3,9})\.?"


def text_value(text: str, fmt: str | None) -> str:
    """A text fact's value: dates become ISO ("2030-03-15", "--03-15" without a year, "2030-03" without a
    day), booleans "true"/"false"; any other format or none leaves the words as displayed."""
    kind = local(fmt or "").lower().replace("-", "")
    if not kind:
        return text
    if kind in ("booleantrue", "fixedtrue"):
        return "true"
    if kind in ("booleanfalse", "fixedfalse"):
        return "false"
    if kind.startswith("date"):
        return _date_text(text, kind) or text
    return text


def _date_text(text: str, kind: str) -> str | None:
    raw = " ".join(text.replace("\u00a0", " ").split())
    try:
        if kind in ("datemonthdayyearen", "datemonthnamedayyearen", "datelongus", "dateshortus"):
            m = re.search(rf"{_MONTH}\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{2,4}})", raw)
            return m and _iso(_year(m[3]), _MONTHS.get(m[1].lower()), int(m[2]))
        if kind in ("datedaymonthyearen", "datedaymonthnameyearen", "datelonguk", "dateshortuk"):
            m = re.search(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s*{_MONTH},?\s*(\d{{2,4}})", raw)
            return m and _iso(_year(m[3]), _MONTHS.get(m[2].lower()), int(m[1]))
        if kind in ("datemonthdayyear", "dateslashus", "datedotus"):
            m = re.search(r"(\d{1,2})\D+(\d{1,2})\D+(\d{2,4})", raw)
            return m and _iso(_year(m[3]), int(m[1]), int(m[2]))
        if kind in ("datedaymonthyear", "dateslasheu", "datedoteu"):
            m = re.search(r"(\d{1,2})\D+(\d{1,2})\D+(\d{2,4})", raw)
            return m and _iso(_year(m[3]), int(m[2]), int(m[1]))
        if kind in ("dateyearmonthday",):
            m = re.search(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})", raw)
            return m and _iso(int(m[1]), int(m[2]), int(m[3]))
        if kind in ("datemonthnamedayen", "datemonthdayen", "datemonthday"):
            m = re.search(rf"{_MONTH}\s*(\d{{1,2}})", raw) if kind != "datemonthday" else None
            if m and _MONTHS.get(m[1].lower()):
                return f"--{_MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}"
            m = re.search(r"(\d{1,2})\D+(\d{1,2})", raw)
            return m and f"--{int(m[1]):02d}-{int(m[2]):02d}"
        if kind in ("datemonthnameyearen", "datemonthyearen"):
            m = re.search(rf"{_MONTH},?\s*(\d{{2,4}})", raw)
            return m and _MONTHS.get(m[1].lower()) and f"{_year(m[2]):04d}-{_MONTHS[m[1].lower()]:02d}"
    except (ValueError, TypeError):
        return None
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _iso(year: int, month: int | None, day: int) -> str | None:
    if not month:
        return None
    return dt.date(year, month, day).isoformat()
