"""Exact JSON numbers and spreadsheet-safe CSV cells, with no float anywhere on the way."""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal

from dattrack.render.safe import UNSAFE_INLINE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# json.dumps(text, ensure_ascii=False) builds a new encoder on every call; a million cells share this one.
_text = json.JSONEncoder(ensure_ascii=False).encode


def json_value(value) -> str:
    """One value as JSON text. Decimals are written as exact JSON numbers."""
    if type(value) is str:  # the most common cell
        return json_string(value)
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
        return "{" + ", ".join(_key(k) + json_value(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    return json_string(str(value))


def json_string(text: str) -> str:
    """A JSON string, non-ASCII kept readable, every control character (C1 and the bidi
    overrides included, which json.dumps leaves raw) escaped as \\uXXXX."""
    return UNSAFE_INLINE.sub(_escaped, _text(text))


def _escaped(match) -> str:
    return f"\\u{ord(match.group()):04x}"


@functools.lru_cache(maxsize=1024)
def _key(key) -> str:
    """An object key and its colon as JSON text (keys are column names: a few, repeated per row)."""
    return f"{json.dumps(str(key))}: "


def json_document(rows, indent: int = 2) -> str:
    """An array of objects, one per line block, keys in the order given."""
    return "".join(json_chunks(rows, indent))


def json_chunks(rows, indent: int = 2):
    """json_document piece by piece, one object at a time: rows may be a stream of any length."""
    pad = " " * indent
    first = True
    keys: dict[str, str] = {}  # each key's JSON text with its indent, made once
    for row in rows:
        for k in row.keys() - keys.keys():
            keys[k] = f"{pad}{pad}{json.dumps(k)}: "
        fields = ",\n".join(keys[k] + json_value(v) for k, v in row.items())
        yield f"{'[' if first else ','}\n{pad}{{\n{fields}\n{pad}}}"
        first = False
    yield "[]" if first else "\n]"


def json_object(document: dict, indent: int = 2) -> str:
    """One object whose values may be lists of objects (summary): each key on its line, each object of
    a list on its own lines, exact numbers, keys in the order given."""
    pad = " " * indent
    fields = []
    for key, value in document.items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            items = "".join(json_chunks(value, indent)).replace("\n", "\n" + pad)
            fields.append(f"{pad}{json.dumps(str(key))}: {items}")
        else:
            fields.append(f"{pad}{_key(key)}{json_value(value)}")
    return "{\n" + ",\n".join(fields) + "\n}"


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
