"""Classical item analysis of a session's responses.

Per item: difficulty ``p`` (mean share of the item's points earned), the
upper-lower 27% discrimination index, the corrected point-biserial (the item
against the rest of its section), option counts, and flags for review. Per
right/wrong section: KR-20 reliability.

Forms are drawn at random from a bank, so each statistic of an item is taken
over the candidates who were presented that item. Statistics are ratios and
correlations, reported as floats; no score total is formed from them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.engine import ScoringPlan
from scoring.model import ItemId, OptionId, Response, ResponseMode, SectionId

#: Share of candidates in each of the upper and lower groups (Kelley's 27%).
GROUP_SHARE = 0.27
TOO_EASY = 0.90
TOO_HARD = 0.20
#: Analyses over fewer candidates than this are flagged as not yet reliable.
MIN_CANDIDATES = 20


@dataclass(frozen=True, slots=True)
class AttemptResponses:
    candidate: str
    responses: Mapping[ItemId, Response]
    #: Items on this candidate's form; None means every item of the key.
    presented: frozenset[ItemId] | None = None


@dataclass(frozen=True, slots=True)
class ItemStatistics:
    item_id: ItemId
    section: SectionId
    topic: str | None
    candidates: int
    difficulty: float | None
    discrimination: float | None
    point_biserial: float | None
    option_counts: Mapping[str, int]  # every option, plus "blank"
    best_options: tuple[OptionId, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionReliability:
    section: SectionId
    candidates: int
    items_per_form: int
    kr20: float | None


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    items: tuple[ItemStatistics, ...]
    sections: tuple[SectionReliability, ...]


def analyse(*, plan: ScoringPlan, attempts: Iterable[AttemptResponses]) -> ItemAnalysis:
    """Item statistics over ``attempts``, scored with the plan's keys (scaled integers)."""
    rows = list(attempts)
    plan_items = {item.item_id: item for item in plan.items}
    sections = plan.policy.section_ids
    # earned[c][item] for presented items; section totals per candidate.
    earned: list[dict[ItemId, int]] = []
    section_total: list[dict[int, int]] = []
    for row in rows:
        mine: dict[ItemId, int] = {}
        totals: dict[int, int] = {}
        for item_id, item in plan_items.items():
            if row.presented is not None and item_id not in row.presented:
                continue
            response = row.responses.get(item_id)
            value = item.earned(response)
            mine[item_id] = value
            totals[item.section] = totals.get(item.section, 0) + value
        earned.append(mine)
        section_total.append(totals)

    stats: list[ItemStatistics] = []
    for item_id, item in plan_items.items():
        key = plan.keys[item_id]
        who = [c for c in range(len(rows)) if item_id in earned[c]]
        counts = dict.fromkeys((*key.options, "blank"), 0)
        for c in who:
            response = rows[c].responses.get(item_id)
            if response is None:
                counts["blank"] += 1
            elif isinstance(response, frozenset):
                for option in response:
                    counts[option] += 1
            else:
                counts[response] += 1
        values = [earned[c][item_id] / item.best for c in who] if item.best else []
        section_scores = [section_total[c].get(item.section, 0) for c in who]
        rests = [t - earned[c][item_id] for t, c in zip(section_scores, who, strict=True)]
        difficulty = sum(values) / len(values) if values else None
        discrimination = _upper_lower(values, section_scores)
        rpb = _correlation(values, rests)
        best = tuple(sorted(key.best_options))
        stats.append(
            ItemStatistics(
                item_id=item_id,
                section=key.section,
                topic=key.topic,
                candidates=len(who),
                difficulty=difficulty,
                discrimination=discrimination,
                point_biserial=rpb,
                option_counts=counts,
                best_options=best,
                flags=_flags(key.mode, difficulty, discrimination, counts, best, len(who)),
            )
        )

    reliability = [
        _kr20(plan, SectionId(s), i, earned)
        for i, s in enumerate(sections)
        if _right_wrong(plan, i)
    ]
    return ItemAnalysis(items=tuple(stats), sections=tuple(reliability))


def _upper_lower(values: Sequence[float], totals: Sequence[int]) -> float | None:
    n = len(values)
    size = round(n * GROUP_SHARE)
    if size < 1:
        return None
    order = sorted(range(n), key=lambda i: totals[i])
    lower = [values[i] for i in order[:size]]
    upper = [values[i] for i in order[-size:]]
    return sum(upper) / size - sum(lower) / size


def _correlation(x: Sequence[float], y: Sequence[int]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _flags(
    mode: ResponseMode,
    difficulty: float | None,
    discrimination: float | None,
    counts: Mapping[str, int],
    best: tuple[OptionId, ...],
    candidates: int,
) -> tuple[str, ...]:
    flags: list[str] = []
    if candidates < MIN_CANDIDATES:
        flags.append("few_candidates")
    if difficulty is not None and difficulty > TOO_EASY:
        flags.append("too_easy")
    if difficulty is not None and difficulty < TOO_HARD:
        flags.append("too_hard")
    if discrimination is not None and discrimination < 0:
        flags.append("negative_discrimination")
    if mode is ResponseMode.SINGLE and best:
        key_count = max(counts[o] for o in best)
        if any(counts[o] > key_count for o in counts if o not in best and o != "blank"):
            flags.append("distractor_beats_key")
    return tuple(flags)


def _right_wrong(plan: ScoringPlan, section: int) -> bool:
    """Whether every item of the section scores all or nothing (KR-20 applies)."""
    items = [i for i in plan.items if i.section == section]
    return bool(items) and all(
        i.mode is ResponseMode.SINGLE and set(i.points.values()) <= {0, i.best} for i in items
    )


def _kr20(
    plan: ScoringPlan,
    section: SectionId,
    index: int,
    earned: Sequence[Mapping[ItemId, int]],
) -> SectionReliability:
    """KR-20 = k/(k-1) x (1 - mean per-form sum of p*q / variance of number-right scores).

    With a fixed form the mean per-form sum is the classical sum of p*q; with
    forms drawn from a bank it averages each candidate's own items.
    """
    items = [i for i in plan.items if i.section == index and i.best > 0]
    p: dict[ItemId, float] = {}
    for item in items:
        seen = [e[item.item_id] for e in earned if item.item_id in e]
        if seen:
            p[item.item_id] = sum(1 for v in seen if v == item.best) / len(seen)
    scores: list[int] = []
    pq_sums: list[float] = []
    lengths: set[int] = set()
    for e in earned:
        mine = [i for i in items if i.item_id in e]
        if not mine:
            continue
        lengths.add(len(mine))
        scores.append(sum(1 for i in mine if e[i.item_id] == i.best))
        pq_sums.append(sum(p[i.item_id] * (1 - p[i.item_id]) for i in mine))
    k = lengths.pop() if len(lengths) == 1 else 0
    n = len(scores)
    kr20 = None
    if k > 1 and n > 1:
        mean = sum(scores) / n
        variance = sum((s - mean) ** 2 for s in scores) / n
        if variance > 0:
            kr20 = k / (k - 1) * (1 - (sum(pq_sums) / n) / variance)
    return SectionReliability(section=section, candidates=n, items_per_form=k, kr20=kr20)


def analysis_to_dict(analysis: ItemAnalysis) -> dict[str, object]:
    """The JSON form printed by ``cbt-score analyse``."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "items": [
            {
                "id": s.item_id,
                "section": s.section,
                "topic": s.topic,
                "candidates": s.candidates,
                "difficulty": rounded(s.difficulty),
                "discrimination": rounded(s.discrimination),
                "point_biserial": rounded(s.point_biserial),
                "option_counts": dict(s.option_counts),
                "best_options": list(s.best_options),
                "flags": list(s.flags),
            }
            for s in analysis.items
        ],
        "sections": [
            {
                "section": r.section,
                "candidates": r.candidates,
                "items_per_form": r.items_per_form,
                "kr20": rounded(r.kr20),
            }
            for r in analysis.sections
        ],
    }
