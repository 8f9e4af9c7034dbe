"""Share splits: parsing "1:10", and putting a share count on the share basis of a price."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dattrack.errors import BadInput
from dattrack.numbers import parse_decimal, rounded
from dattrack.valuation.inputs import Split

ONE = Decimal(1)


def parse_split(text: str) -> tuple[Decimal, Decimal]:
    """'1:10' -> (1, 10): new shares for old shares. Raises BadInput on anything else."""
    raw = str(text).strip()
    parts = raw.split(":")
    bad = BadInput(f"split {raw!r} is not a ratio like 1:10 (1 new share for 10 old) or 10:1")
    if len(parts) != 2:
        raise bad
    try:
        new, old = (parse_decimal(part, positive=True) for part in parts)
    except BadInput:
        raise bad from None
    if new == old:
        raise BadInput(f"split {raw!r} changes nothing: new and old must differ")
    return new, old


def ratio_text(split: Split) -> str:
    return f"{_plain(split.new)}:{_plain(split.old)}"


def describe(split: Split) -> str:
    kind = "reverse" if split.new < split.old else "forward"
    return f"the {ratio_text(split)} {kind} split of {split.date.isoformat()}"


@dataclass(frozen=True)
class Adjustment:
    """Multiply a count by new/old to move it from count_date's share basis to basis_date's."""

    new: Decimal
    old: Decimal
    splits: tuple[Split, ...]

    @property
    def is_identity(self) -> bool:
        return self.new == self.old

    def apply(self, count: Decimal) -> Decimal:
        return rounded(count * self.new / self.old)

    def factor_text(self) -> str:
        """'x1/10', 'x10', 'x3/2': the exact factor, reduced."""
        factor = Fraction(self.new) / Fraction(self.old)
        return f"x{factor.numerator}" if factor.denominator == 1 else f"x{factor.numerator}/{factor.denominator}"


def adjustment(splits: Iterable[Split], count_date: dt.date, basis_date: dt.date) -> Adjustment:
    """Splits with count_date < date <= basis_date apply as new/old; going back in time, as old/new."""
    new, old = ONE, ONE
    if count_date <= basis_date:
        used = tuple(sorted((s for s in splits if count_date < s.date <= basis_date), key=lambda s: s.date))
        for split in used:
            new, old = new * split.new, old * split.old
    else:
        used = tuple(sorted((s for s in splits if basis_date < s.date <= count_date), key=lambda s: s.date))
        for split in used:
            new, old = new * split.old, old * split.new
    return Adjustment(new, old, used)


def on_basis(count: Decimal, count_date: dt.date, basis_date: dt.date, splits: Iterable[Split]) -> Decimal:
    """A share count dated count_date expressed in the share structure of basis_date."""
    return adjustment(splits, count_date, basis_date).apply(count)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
