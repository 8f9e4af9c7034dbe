"""Plain text into the document model: paragraphs are separated by blank lines; the lines of one
paragraph run together (a press release wrapped at 72 columns reads like the same paragraph in HTML)."""

from __future__ import annotations

import re

from dattrack.reader.document import Document, from_paragraphs

BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_text(data: bytes, *, name: str = "") -> Document:
    return text_document(decode(data), name=name, media_type="text/plain")


def text_document(text: str, *, name: str = "", media_type: str = "text/plain") -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return from_paragraphs(BLANK_LINE.split(text), name=name, media_type=media_type)
