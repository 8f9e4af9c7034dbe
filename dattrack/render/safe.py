"""What may reach a terminal: text from the database, files and providers is shown, never obeyed.

Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides could clear
the screen, plant hyperlinks or reorder a line; they are shown as visible escapes instead. Keys
from the environment that a provider echoed back are blanked (dattrack.secrets). Every line
dattrack prints for a person (tables, confirmations, errors) goes through `printable`.
"""

from __future__ import annotations

import re

from dattrack.secrets import scrub

# C0 except \t and \n, DEL, C1, and the Unicode controls that reorder or hide text.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
UNSAFE_CSV = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
UNSAFE_INLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, inline: bool = False, cell: bool = False) -> str:
    """Text safe for a terminal: keys scrubbed, control characters shown as \\xNN.
    inline: newlines and tabs too (one table cell, one error line); cell: a CSV cell, whose line
    breaks (CR included) the CSV quoting carries."""
    text = scrub(str(text))
    return (UNSAFE_INLINE if inline else UNSAFE_CSV if cell else UNSAFE).sub(_visible, text)
