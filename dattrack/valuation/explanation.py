"""The structured 'why' behind each figure: formula, inputs with dates and sources, and notes.

Nothing here prints: the CLI renders these lines as a table, JSON or text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
# Note kinds, so a renderer can colour or filter them.
MISSING = "missing"      # an input is absent: the figure is None
UNDEFINED = "undefined"  # a division by zero: the figure is None
STALE = "stale"          # an input is older than its freshness threshold
ASSUMED = "assumed"      # a stand-in was used (an unrecorded debt counted as 0, basic shares for diluted)
SPLIT = "split"          # a share count or price was moved to another share basis
CHOSEN = "chosen"        # which of two recorded figures was used (instruments or a newer fact)
DETAIL = "detail"        # what an input is (an instrument's kind, seniority, terms)


@dataclass(frozen=True)
class Note:
    kind: str
    text: str


@dataclass(frozen=True)
class InputUsed:
    """One recorded input a figure rests on, as it was recorded (before any split adjustment)."""

    name: str
    value: Decimal | None
    date: dt.date | None
    source: str | None
    stale: bool = False


@dataclass(frozen=True)
class ExplainLine:
    """One figure of the mNAV line. value is None exactly when a MISSING or UNDEFINED note says why."""

    name: str
    value: Decimal | None
    unit: str
    formula: str
    inputs: tuple[InputUsed, ...]
    notes: tuple[Note, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the value is unknown (empty when it is known)."""
        return tuple(n.text for n in self.notes if n.kind in (MISSING, UNDEFINED))
