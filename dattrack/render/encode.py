"""Exact JSON numbers and spreadsheet-safe CSV cells, with no float anywhere on the way."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def json_value(value) -> str:
    """One value as JSON text. Decimals are written as exact JSON numbers."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {json_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    return json_string(str(value))


def json_string(text: str) -> str:
    """A JSON string, non-ASCII kept readable, every control character (C1 and the bidi
    overrides included, which json.dumps leaves raw) escaped as \\uXXXX."""
    from dattrack.render.safe import UNSAFE_INLINE

    return UNSAFE_INLINE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def json_document(rows, indent: int = 2) -> str:
    """An array of objects, one per line block, keys in the order given."""
    if not rows:
        return "[]"
    pad = " " * indent
    parts = []
    for row in rows:
        fields = ",\n".join(f"{pad}{pad}{json.dumps(k)}: {json_value(v)}" for k, v in row.items())
        parts.append(f"{pad}{{\n{fields}\n{pad}}}")
    return "[\n" + ",\n".join(parts) + "\n]"


def number_text(value: Decimal) -> str:
    """Plain notation with the digits as entered (1.50 stays 1.50); zero is always 0."""
    return "0" if value == 0 else format(value, "f")


def plain_text(value) -> str:
    """A value as plain text: exact digits for numbers, ISO for dates, true/false, '' for unknown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as written: text that looks like a formula is escaped with
    a leading apostrophe; numbers stay numbers."""
    text = plain_text(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
