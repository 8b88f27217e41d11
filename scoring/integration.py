"""Integrating SKD and SKB into the final score, with the final tie-break chain.

final = SKD / max_SKD x skd_weight + SKB / skb_max x skb_weight (exact fractions).
Ties are broken by the policy's integration order: the final score, the SKD
total, the SKD sections, the grade average (higher first) and finally the
birth date (the older candidate first). Candidates equal on everything stay tied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from scoring.errors import PolicyError, ResultDataError
from scoring.numbers import Number, exact, normalise, to_json
from scoring.placing import Placed, place
from scoring.policy import IntegrationRule, Policy
from scoring.ranking import CandidateResult, check_result, result_from_dict


@dataclass(frozen=True, slots=True)
class IntegrationInput:
    skd: CandidateResult
    skb: Number
    grade_average: Number | None = None
    birth_date: str | None = None  # ISO 8601, YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class IntegratedRow:
    input: IntegrationInput
    final: Number


def _rule(policy: Policy) -> tuple[IntegrationRule, Number]:
    if policy.integration is None or policy.max_total is None:
        raise PolicyError(policy.id, "the policy defines no integration of SKD and SKB")
    return policy.integration, policy.max_total


def final_score(policy: Policy, skd_total: Number, skb: Number) -> Number:
    rule, max_total = _rule(policy)
    skd_part = Fraction(skd_total) / max_total * rule.skd_weight
    skb_part = Fraction(skb) / rule.skb_max * rule.skb_weight
    return normalise(skd_part + skb_part)


def input_from_dict(data: object, policy: Policy) -> IntegrationInput:
    """Read ``{"candidate", "track", "sections", "skb", "grade_average", "birth_date"}``."""
    rule, _ = _rule(policy)
    skd = result_from_dict(data, policy)
    if not isinstance(data, Mapping):  # result_from_dict has refused anything else
        raise ResultDataError(skd.candidate, "a result must be an object")
    try:
        skb = exact(data.get("skb"), what="'skb'")
        grade = data.get("grade_average")
        grade_average = None if grade is None else exact(grade, what="'grade_average'")
    except ValueError as exc:
        raise ResultDataError(skd.candidate, str(exc)) from None
    if not 0 <= skb <= rule.skb_max:
        raise ResultDataError(skd.candidate, f"SKB {skb} is outside 0..{rule.skb_max}")
    birth = data.get("birth_date")
    if birth is not None and not _is_iso_date(birth):
        raise ResultDataError(skd.candidate, "'birth_date' must be written YYYY-MM-DD")
    return IntegrationInput(
        skd=skd,
        skb=skb,
        grade_average=grade_average,
        birth_date=birth if isinstance(birth, str) else None,
    )


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    parts = value[:4], value[5:7], value[8:]
    if not all(p.isdigit() for p in parts):
        return False
    return 1 <= int(parts[1]) <= 12 and 1 <= int(parts[2]) <= 31


def _criterion(row: IntegratedRow, name: str) -> Number | None:
    """The value of one tie-break criterion; larger is better, None sorts last."""
    item = row.input
    if name == "final":
        return row.final
    if name == "skd_total":
        return item.skd.total
    if name == "skb":
        return item.skb
    if name == "grade_average":
        return item.grade_average
    if name == "birth_date":  # the older candidate first: an earlier date counts as larger
        return None if item.birth_date is None else -int(item.birth_date.replace("-", ""))
    return item.skd.sections[name]


def integrate(
    *, policy: Policy, inputs: Iterable[IntegrationInput]
) -> tuple[Placed[IntegratedRow], ...]:
    """Final scores and the final ranking, with the rule that separated each pair."""
    rule, _ = _rule(policy)
    rows: list[IntegratedRow] = []
    seen: set[str] = set()
    for item in inputs:
        if item.skd.candidate in seen:
            raise ResultDataError(item.skd.candidate, "the candidate appears twice")
        seen.add(item.skd.candidate)
        check_result(item.skd, policy)
        rows.append(IntegratedRow(item, final_score(policy, item.skd.total, item.skb)))
    return place(rows, criteria=rule.order, value=_criterion, name=lambda r: r.input.skd.candidate)


def integrated_to_dict(entries: tuple[Placed[IntegratedRow], ...]) -> list[dict[str, object]]:
    return [
        {
            "position": e.position,
            "candidate": e.row.input.skd.candidate,
            "skd_total": to_json(e.row.input.skd.total),
            "skb": to_json(e.row.input.skb),
            "final": to_json(e.row.final),
            "tie_group": e.tie_group,
            "separated_from_next_by": (
                None if e.separation_from_next is None else e.separation_from_next.rule
            ),
        }
        for e in entries
    ]
