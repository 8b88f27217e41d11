"""Ranking the results of one formation, with the rule that decided every place.

Candidates are compared by the policy's order (SKD: total, then TKP, TIU,
TWK), highest first. Candidates equal on every criterion form a tie group and
share a position; a tie group that straddles the quota line goes on whole.
The result does not depend on the order of the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.errors import PolicyError, ResultDataError
from scoring.numbers import Number, exact, to_json
from scoring.placing import Separation, place
from scoring.policy import TOTAL, Eligibility, Policy


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """Section scores of one candidate, as published (e.g. in the results export)."""

    candidate: str
    track: str
    sections: Mapping[str, Number]

    @property
    def total(self) -> Number:
        return sum(self.sections.values(), start=0)

    def criterion(self, name: str) -> Number:
        return self.total if name == TOTAL else self.sections[name]


@dataclass(frozen=True, slots=True)
class RankedEntry:
    position: int  # shared by a tie group (1, 2, 2, 4, ...)
    result: CandidateResult
    tie_group: int | None  # numbered from 1, only for groups of two or more
    within_quota: bool  # a tie group straddling the quota line goes on whole
    #: How this entry is separated from the next one; None for the last.
    separation_from_next: Separation | None


@dataclass(frozen=True, slots=True)
class Ranking:
    policy: str
    order: tuple[str, ...]
    quota: int | None
    entries: tuple[RankedEntry, ...]
    #: Candidates not ranked because they do not meet their track's thresholds.
    not_ranked: tuple[CandidateResult, ...]


def result_from_dict(data: object, policy: Policy) -> CandidateResult:
    """Read ``{"candidate": ..., "track": ..., "sections": {...}}`` and check it."""
    if not isinstance(data, Mapping):
        raise ResultDataError("-", "each result must be an object")
    candidate = data.get("candidate")
    if not isinstance(candidate, str) or not candidate:
        raise ResultDataError(str(candidate), "'candidate' must be a non-empty string")
    track = data.get("track", policy.default_track)
    if not isinstance(track, str) or track not in policy.tracks:
        raise ResultDataError(candidate, f"unknown track {track!r}")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, Mapping):
        raise ResultDataError(candidate, "'sections' must map each section to its score")
    _check_sections(candidate, raw_sections, policy)
    try:
        sections: dict[str, Number] = {
            s: exact(raw_sections[s], what=f"score of {s}") for s in policy.section_ids
        }
    except ValueError as exc:
        raise ResultDataError(candidate, str(exc)) from None
    return CandidateResult(candidate=candidate, track=track, sections=dict(sections))


def check_result(result: CandidateResult, policy: Policy) -> None:
    """Refuse a result that does not fit ``policy``: an unknown track, or sections
    other than exactly the policy's (a missing one would otherwise count as nothing)."""
    if result.track not in policy.tracks:
        known = ", ".join(policy.tracks)
        raise ResultDataError(
            result.candidate,
            f"track {result.track!r} is not in policy {policy.id!r} (tracks: {known})",
        )
    _check_sections(result.candidate, result.sections, policy)


def _check_sections(candidate: str, sections: Mapping[str, object], policy: Policy) -> None:
    needed = ", ".join(policy.section_ids)
    missing = tuple(s for s in policy.section_ids if s not in sections)
    if missing:
        raise ResultDataError(
            candidate,
            f"no score for {', '.join(missing)} (policy {policy.id!r} needs {needed})",
            missing=missing,
        )
    extra = [str(s) for s in sections if s not in policy.section_ids]
    if extra:
        raise ResultDataError(
            candidate,
            f"{', '.join(extra)} is not a section of policy {policy.id!r} (sections: {needed})",
        )


def _check_order(criteria: Sequence[str], policy: Policy) -> None:
    """Refuse a ranking criterion that is neither ``total`` nor a section of the policy."""
    known = {TOTAL, *policy.section_ids}
    for name in criteria:
        if name not in known:
            raise PolicyError(policy.id, f"the ranking order names unknown section {name!r}")


def rank(
    *,
    policy: Policy,
    results: Iterable[CandidateResult],
    quota: int | None = None,
    vacancies: int | None = None,
    order: Sequence[str] | None = None,
) -> Ranking:
    """Rank ``results``; the quota is ``quota``, else ``vacancies`` x the policy's multiplier."""
    criteria = tuple(order or policy.ranking.order)
    _check_order(criteria, policy)
    if quota is None and vacancies is not None:
        quota = vacancies * policy.ranking.quota_per_vacancy
    if quota is not None and quota < 0:
        raise ResultDataError("-", "the quota cannot be negative")

    seen: set[str] = set()
    eligible: list[CandidateResult] = []
    not_ranked: list[CandidateResult] = []
    for result in results:
        if result.candidate in seen:
            raise ResultDataError(result.candidate, "the candidate appears twice")
        seen.add(result.candidate)
        check_result(result, policy)
        passed = policy.track(result.track).passes(result.sections)
        if policy.ranking.eligible is Eligibility.PASSED and passed is False:
            not_ranked.append(result)
        else:
            eligible.append(result)

    placed = place(
        eligible,
        criteria=criteria,
        value=lambda r, c: r.criterion(c),
        name=lambda r: r.candidate,
    )
    entries = tuple(
        RankedEntry(
            position=p.position,
            result=p.row,
            tie_group=p.tie_group,
            within_quota=quota is None or p.position <= quota,
            separation_from_next=p.separation_from_next,
        )
        for p in placed
    )
    return Ranking(
        policy=policy.id,
        order=criteria,
        quota=quota,
        entries=entries,
        not_ranked=tuple(sorted(not_ranked, key=lambda r: r.candidate)),
    )


def ranking_to_dict(ranking: Ranking) -> dict[str, object]:
    """The JSON form printed by ``cbt-score rank``."""
    return {
        "policy": ranking.policy,
        "order": list(ranking.order),
        "quota": ranking.quota,
        "ranked": [
            {
                "position": e.position,
                "candidate": e.result.candidate,
                "track": e.result.track,
                "sections": {s: to_json(v) for s, v in e.result.sections.items()},
                "total": to_json(e.result.total),
                "tie_group": e.tie_group,
                "within_quota": e.within_quota,
                "separated_from_next_by": (
                    None
                    if e.separation_from_next is None
                    else {
                        "rule": e.separation_from_next.rule,
                        "above": _maybe(e.separation_from_next.above),
                        "below": _maybe(e.separation_from_next.below),
                    }
                ),
            }
            for e in ranking.entries
        ],
        "not_ranked": [
            {
                "candidate": r.candidate,
                "track": r.track,
                "total": to_json(r.total),
                "reason": "does not meet the thresholds of its track",
            }
            for r in ranking.not_ranked
        ],
    }


def _maybe(value: Number | None) -> int | str | None:
    return None if value is None else to_json(value)
