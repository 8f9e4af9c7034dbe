"""Exact decimals: parsing user input within the limits of SPEC section 1, and arithmetic helpers."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from dattrack.errors import BadInput

MAX_ABS = Decimal(10) ** 15
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", re.ASCII)
MAX_FRACTION_DIGITS = 18
# Enough digits that products and sums of in-limit numbers (33 significant digits each) stay exact.
CONTEXT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, Emax=999999, Emin=-999999)
QUANTUM = Decimal(1).scaleb(-MAX_FRACTION_DIGITS)
DIVISION = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)

# Every thread starts from DefaultContext (only the importing thread gets setcontext): price
# fetch workers and any other thread compute with the same exact context.
for _name in ("prec", "rounding", "Emax", "Emin"):
    setattr(decimal.DefaultContext, _name, getattr(CONTEXT, _name))
decimal.setcontext(CONTEXT)
MAX_INPUT_LENGTH = 200  # far above any in-limit number written out; refuses megabyte inputs cheaply


def parse_decimal(text: object, what: str = "number", *, positive: bool = False) -> Decimal:
    """Parse user input into an exact Decimal, or raise BadInput naming `what`."""
    raw = str(text).strip()
    if len(raw) > MAX_INPUT_LENGTH:
        raise BadInput(f"{what} {raw[:20]!r}... is {len(raw)} characters long: not a number within the limits")
    if not PLAIN_NUMBER.match(raw):  # Decimal() would also take 1_000, non-ASCII digits, NaN, Infinity
        raise BadInput(f"{what} {raw!r} is not a number (plain or scientific notation, e.g. 1761.987 or 1.5e3)")
    value = Decimal(raw)  # finite: the pattern admits digits only; exact, whatever the exponent
    if value and value.adjusted() > 15:  # compared before any arithmetic: 1e1000000 must not overflow
        raise BadInput(f"{what} {raw} is larger than 10^15")
    if value and value.adjusted() < -MAX_FRACTION_DIGITS - 1:
        raise BadInput(f"{what} {raw} has more than {MAX_FRACTION_DIGITS} decimals")
    if abs(value) > MAX_ABS:
        raise BadInput(f"{what} {raw} is larger than 10^15")
    exponent = value.as_tuple().exponent
    if exponent < -MAX_FRACTION_DIGITS and value != value.quantize(QUANTUM):
        raise BadInput(f"{what} {raw} has more than {MAX_FRACTION_DIGITS} decimals")
    if value < 0 or (positive and value == 0):
        raise BadInput(f"{what} must be {'greater than 0' if positive else 'at least 0'}, got {raw}")
    if exponent > 0:  # 1e3 is stored as 1000
        value = value.quantize(Decimal(1))
    elif exponent < -MAX_FRACTION_DIGITS:  # 1.000000000000000000000 is 1.000000000000000000
        value = value.quantize(QUANTUM)
    return value


def to_text(value: Decimal) -> str:
    """The canonical storage form: plain notation, no exponent, input digits kept."""
    return format(value, "f")


def from_text(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def rounded(value: Decimal | None) -> Decimal | None:
    """A derived figure (a quotient) cut to 18 decimals, trailing zeros dropped; sums are never rounded."""
    if value is None:
        return None
    if value.as_tuple().exponent < -MAX_FRACTION_DIGITS:
        value = value.quantize(QUANTUM)
    return tidy(value)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing fractional zeros that arithmetic left behind (5193.4000 -> 5193.4)."""
    if value == 0:
        return Decimal(0)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        value = value.normalize()
        if value.as_tuple().exponent > 0:
            value = value.quantize(Decimal(1))
    return value


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A quotient cut to 18 decimals (trailing zeros kept: tidy() once at output, not per step).
    40 significant digits cover every in-limit operand and cost less than the 80-digit context."""
    return DIVISION.divide(numerator, denominator).quantize(QUANTUM)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator, or None when either is unknown or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return rounded(numerator / denominator)
