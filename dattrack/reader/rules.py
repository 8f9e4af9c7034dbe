"""The rule table: every rule reads one wording of a disclosure; `read` runs them all."""

from __future__ import annotations

import datetime as dt

from dattrack.reader.document import Document
from dattrack.reader.model import Found, IssuanceFound


def read(document: Document, *, date: dt.date | None = None) -> tuple[list[Found], list[IssuanceFound]]:
    return [], []
