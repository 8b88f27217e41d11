"""How reports print shares and decimals: exact, half away from zero, Indonesian comma."""

from __future__ import annotations

from fractions import Fraction

import pytest

from cbt_server.reports.layout import decimal, percent


@pytest.mark.parametrize(
    ("share", "printed"),
    [
        (Fraction(23, 40), "58%"),  # exactly 57.5 %: a float sum may land on 57.4999…
        (Fraction(1, 200), "1%"),  # 0.5 %
        (Fraction(3, 8), "38%"),  # 37.5 %
        (Fraction(1, 3), "33%"),
        (Fraction(0), "0%"),
        (Fraction(1), "100%"),
        (None, "-"),
    ],
)
def test_a_share_prints_rounded_half_up_from_its_exact_value(share, printed) -> None:
    assert percent(share) == printed


def test_a_session_average_is_taken_over_exact_shares() -> None:
    # Ten candidates' topic shares out of 8 items; the exact mean is 57.5 %.
    shares = [Fraction(n, 8) for n in (3, 5, 4, 6, 5, 4, 5, 4, 5, 5)]
    as_floats = sum(float(s) for s in shares) / len(shares) * 100
    assert f"{as_floats:.0f}" == "57"  # what the float version printed
    assert percent(sum(shares, Fraction(0)) / len(shares)) == "58%"


@pytest.mark.parametrize(
    ("value", "places", "printed"),
    [
        (Fraction(125, 10), 1, "12,5"),
        (Fraction(1249, 100), 1, "12,5"),
        (Fraction(1225, 100), 1, "12,3"),
        (Fraction(-1225, 100), 1, "-12,3"),
        (Fraction(-1, 100), 1, "0,0"),  # no "-0,0"
        (0.25, 2, "0,25"),
        (7, 0, "7"),
        (None, 2, "-"),
    ],
)
def test_decimals_round_half_away_from_zero_with_a_comma(value, places, printed) -> None:
    assert decimal(value, places) == printed
