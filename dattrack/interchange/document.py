"""The export document: one JSON object, byte-for-byte the same for the same database.

    {"format": "dattrack-export", "version": 1, "companies": [...], "assets": [...], ...}

No timestamp (the output is deterministic), keys in schema column order, one row per line in
key order, decimals as exact JSON numbers written with the stored digits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from decimal import Decimal

from dattrack.errors import BadInput
from dattrack.interchange.tables import TABLE_NAMES, layouts, read_rows
from dattrack.render.encode import json_value
from dattrack.store import Store

FORMAT = "dattrack-export"
VERSION = 1
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def document_chunks(store: Store) -> Iterator[str]:
    """The export document piece by piece, a row at a time: a table of any size streams."""
    yield f'{{\n  "format": {json.dumps(FORMAT)},\n  "version": {VERSION}'
    for name, layout in layouts(store).items():
        yield f",\n  {json.dumps(name)}: "
        first = True
        for row in read_rows(store, layout):
            yield f"{'[' if first else ','}\n    {json_value(row)}"
            first = False
        yield "[]" if first else "\n  ]"
    yield "\n}\n"


def parse_document(text: str, origin: str) -> dict[str, list[dict]]:
    """The tables of an export document, rows as dicts with Decimals for fractions; a file that
    is not one (or a newer version) is refused with the reason."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{origin} is not JSON ({exc.msg} at line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, nesting too deep
        raise BadInput(f"{origin} is not a dattrack export ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadInput(f"{origin} is not a dattrack export (no \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if version != VERSION:
        raise BadInput(f"{origin} is an export of version {version!r}; this dattrack reads version {VERSION}")
    unknown = [k for k in document if k not in ("format", "version", *TABLE_NAMES)]
    if unknown:
        raise BadInput(f"{origin}: unknown section {unknown[0]!r} (known: {', '.join(TABLE_NAMES)})")
    tables = {}
    for name in TABLE_NAMES:
        rows = document.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadInput(f"{origin}: {name!r} must be a list of objects")
        for number, row in enumerate(rows, start=1):
            for column, value in row.items():
                if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
                    raise BadInput(f"{origin}: {name} row {number}: {column} {str(value)[:30]} is beyond a 64-bit integer")
        tables[name] = rows
    return tables


def read_document(path: Path) -> dict[str, list[dict]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"import file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"import file {path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
                       f"{exc.start}){_utf16_hint(exc.object)}") from None
    except OSError as exc:
        raise BadInput(f"cannot read import file {path}: {exc.strerror or exc}") from None
    return parse_document(text, str(path))


def _utf16_hint(data: bytes) -> str:
    return ": it looks like UTF-16, save it as UTF-8" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
