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


def export_document(store: Store) -> str:
    return "".join(document_chunks(store))


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
        tables[name] = rows
    return tables


def read_document(path: Path) -> dict[str, list[dict]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"import file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read import file {path}: {exc}") from None
    return parse_document(text, str(path))
