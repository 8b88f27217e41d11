"""Ordering rows by a chain of criteria, and saying which criterion decided each place.

Shared by the SKD ranking and the final (SKD + SKB) ranking. Larger values are
better; a missing value (``None``) sorts after every present one. Rows equal on
every criterion form a tie group and share a position ("1, 2, 2, 4").
Ties are listed by the row's name so the output never depends on input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

from scoring.numbers import Number

T = TypeVar("T")

#: The rule recorded between two rows that are equal on every criterion.
TIE = "tie"


@dataclass(frozen=True, slots=True)
class Separation:
    """Why one row is above the next: the first criterion on which they differ."""

    rule: str  # a criterion name, or TIE
    above: Number | None
    below: Number | None


@dataclass(frozen=True, slots=True)
class Placed(Generic[T]):
    position: int
    row: T
    tie_group: int | None  # numbered from 1, only for groups of two or more
    separation_from_next: Separation | None  # None for the last row


def place(
    rows: Iterable[T],
    *,
    criteria: Sequence[str],
    value: Callable[[T, str], Number | None],
    name: Callable[[T], str],
) -> tuple[Placed[T], ...]:
    """Order ``rows`` best first by ``criteria`` and record what separated each pair."""

    def sort_key(row: T) -> tuple[object, ...]:
        parts: list[object] = []
        for criterion in criteria:
            v = value(row, criterion)
            parts.append((1, 0) if v is None else (0, -v))
        parts.append(name(row))
        return tuple(parts)

    ordered = sorted(rows, key=sort_key)
    separations = [_separation(a, b, criteria, value) for a, b in pairwise(ordered)]

    placed: list[Placed[T]] = []
    position = group = 0
    for i, row in enumerate(ordered):
        tied_above = i > 0 and separations[i - 1].rule == TIE
        tied_below = i < len(separations) and separations[i].rule == TIE
        if not tied_above:
            position = i + 1
            if tied_below:
                group += 1
        placed.append(
            Placed(
                position=position,
                row=row,
                tie_group=group if (tied_above or tied_below) else None,
                separation_from_next=separations[i] if i < len(separations) else None,
            )
        )
    return tuple(placed)


def _separation(
    a: T, b: T, criteria: Sequence[str], value: Callable[[T, str], Number | None]
) -> Separation:
    for criterion in criteria:
        above, below = value(a, criterion), value(b, criterion)
        if above != below:
            return Separation(rule=criterion, above=above, below=below)
    return Separation(rule=TIE, above=None, below=None)
