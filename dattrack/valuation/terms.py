"""Intermediate values that carry their provenance, so every figure can explain itself.

A Term holds a full-precision value (rounding happens once, when a figure is shown), the
recorded inputs it rests on, and the notes those inputs raised (missing, stale, split...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from dattrack.valuation.explanation import MISSING, STALE, UNDEFINED, InputUsed, Note
from dattrack.valuation.inputs import Sourced


@dataclass(frozen=True)
class Term:
    value: Decimal | None
    inputs: tuple[InputUsed, ...] = ()
    notes: tuple[Note, ...] = ()

    def noted(self, *notes: Note) -> Term:
        return Term(self.value, self.inputs, _unique(self.notes + notes))


def missing(reason: str) -> Term:
    return Term(None, (), (Note(MISSING, reason),))


def recorded(name: str, sourced: Sourced | None, absent: str) -> Term:
    """A recorded input as a Term; `absent` is the reason given when it has no value."""
    if sourced is None:
        return missing(absent)
    used = InputUsed(name, sourced.value, sourced.date, sourced.source, sourced.stale)
    notes = []
    if sourced.value is None:
        notes.append(Note(MISSING, absent))
    if sourced.stale:
        when = sourced.date.isoformat() if sourced.date else "undated"
        notes.append(Note(STALE, f"{name} ({when}) is stale"))
    return Term(sourced.value, (used,), tuple(notes))


def derive(fn: Callable[..., Decimal], *terms: Term) -> Term:
    """fn over the terms' values; None if any is None. Inputs and notes are merged in order."""
    inputs = _unique(i for t in terms for i in t.inputs)
    notes = _unique(n for t in terms for n in t.notes)
    values = [t.value for t in terms]
    value = None if any(v is None for v in values) else fn(*values)
    return Term(value, inputs, notes)


def quotient(numerator: Term, denominator: Term, denominator_name: str) -> Term:
    """numerator / denominator; a zero denominator gives None with an UNDEFINED note, never an error."""
    if denominator.value == 0:
        merged = derive(lambda a, b: a, numerator, denominator)
        return Term(None, merged.inputs, merged.notes).noted(Note(UNDEFINED, f"{denominator_name} is 0"))
    return derive(lambda a, b: a / b, numerator, denominator)


def total(terms: Iterable[Term]) -> Term:
    terms = tuple(terms)
    return derive(lambda *values: sum(values, Decimal(0)), *terms)


def _unique(items: Iterable) -> tuple:
    """Keep first occurrences: the same input reaches a figure along several paths."""
    return tuple(dict.fromkeys(items))
