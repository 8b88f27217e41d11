from __future__ import annotations

import pytest

from scoring import AttemptResponses, ItemId, ItemKey, OptionId, ScoringPlan, SectionId, analyse
from scoring.policy import neutral_policy


def _key(item: str, right: str) -> ItemKey:
    return ItemKey(
        ItemId(item), SectionId("S"), {OptionId(o): (1 if o == right else 0) for o in "ABCD"}
    )


def _plan() -> ScoringPlan:
    return ScoringPlan(neutral_policy(["S"]), [_key("I1", "A"), _key("I2", "B"), _key("I3", "C")])


def _attempts(matrix: list[str]) -> list[AttemptResponses]:
    out = []
    for n, row in enumerate(matrix):
        responses = {
            ItemId(f"I{i + 1}"): (None if ch == "-" else OptionId(ch)) for i, ch in enumerate(row)
        }
        out.append(AttemptResponses(f"c{n}", responses))
    return out


# Ten candidates, three items. Hand-computed below.
MATRIX = ["ABC", "ABC", "ABD", "AAC", "ABD", "AA-", "BBD", "AAD", "BAD", "BCD"]


def test_difficulty_option_counts_and_flags() -> None:
    analysis = analyse(plan=_plan(), attempts=_attempts(MATRIX))
    stats = {s.item_id: s for s in analysis.items}
    assert stats["I1"].difficulty == pytest.approx(0.7)
    assert stats["I2"].difficulty == pytest.approx(0.5)
    assert stats["I3"].difficulty == pytest.approx(0.3)
    assert dict(stats["I2"].option_counts) == {"A": 4, "B": 5, "C": 1, "D": 0, "blank": 0}
    assert dict(stats["I3"].option_counts) == {"A": 0, "B": 0, "C": 3, "D": 6, "blank": 1}
    assert "distractor_beats_key" in stats["I3"].flags
    assert "few_candidates" in stats["I1"].flags


def test_discrimination_upper_lower_and_point_biserial() -> None:
    analysis = analyse(plan=_plan(), attempts=_attempts(MATRIX))
    stats = {s.item_id: s for s in analysis.items}
    # totals: 3,3,2,2,2,1,1,1,0,0 ; groups of round(10*0.27)=3: upper c0,c1 + one of the 2s
    i1 = stats["I1"]
    assert i1.discrimination == pytest.approx(1.0 - 1 / 3)
    assert i1.point_biserial is not None
    assert i1.point_biserial > 0


def test_kr20_matches_the_hand_computation() -> None:
    analysis = analyse(plan=_plan(), attempts=_attempts(MATRIX))
    (section,) = analysis.sections
    totals = [3, 3, 2, 2, 2, 1, 1, 1, 0, 0]
    mean = sum(totals) / 10
    variance = sum((t - mean) ** 2 for t in totals) / 10
    pq = 0.7 * 0.3 + 0.5 * 0.5 + 0.3 * 0.7
    expected = 3 / 2 * (1 - pq / variance)
    assert section.kr20 == pytest.approx(expected)
    assert section.items_per_form == 3


def test_items_are_analysed_over_those_who_saw_them() -> None:
    attempts = [
        AttemptResponses("a", {ItemId("I1"): OptionId("A")}, frozenset({ItemId("I1")})),
        AttemptResponses("b", {ItemId("I2"): OptionId("B")}, frozenset({ItemId("I2")})),
    ]
    stats = {s.item_id: s for s in analyse(plan=_plan(), attempts=attempts).items}
    assert (stats["I1"].candidates, stats["I1"].difficulty) == (1, 1.0)
    assert stats["I3"].candidates == 0
    assert stats["I3"].difficulty is None
