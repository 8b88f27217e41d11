"""Exact numbers: every point value is an ``int`` or a ``Fraction``, never a float.

Published data (JSON, TOML) carries integers, decimal strings ("2.5") or
fraction strings ("5/2"); floats are refused because a total formed from them
could differ in the last digit between machines.
"""

from __future__ import annotations

from fractions import Fraction

Number = int | Fraction


def exact(value: object, *, what: str) -> Number:
    """Read ``value`` as an exact number, or raise ``ValueError`` saying why not."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return normalise(value)
    if isinstance(value, str):
        try:
            return normalise(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{what} must be a number, not {value!r}") from None
    if isinstance(value, float):
        raise ValueError(
            f"{what} is a floating-point number ({value!r}); write it as an integer, "
            'a decimal string such as "2.5" or a fraction such as "5/2"'
        )
    raise ValueError(f"{what} must be a number, not {type(value).__name__}")


def normalise(value: Number) -> Number:
    """Return an ``int`` when the value is whole, so reports print ``65`` not ``65/1``."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def to_json(value: Number) -> int | str:
    """JSON form of an exact number: an integer, or a ``"p/q"`` string when not whole."""
    value = normalise(value)
    if isinstance(value, int):
        return value
    return f"{value.numerator}/{value.denominator}"


def display(value: Number) -> str:
    """Human form: ``65``, ``12.5``, or ``1/3`` when no short decimal is exact."""
    value = normalise(value)
    if isinstance(value, int):
        return str(value)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:  # a terminating decimal: print it exactly
        text = f"{float(value):.10f}".rstrip("0")
        if Fraction(text) == value:
            return text
    return f"{value.numerator}/{value.denominator}"
