"""Annulling items after the fact (dianulir) and re-scoring everyone.

The policy says what an annulled item does: ``drop`` removes it from every
score and maximum; ``award`` gives everyone its full points. Annulling marks
the keys (the published KEY.json then shows ``"annulled"``), so anyone can
re-check the new scores with ``cbt-score``. Annulling twice equals annulling once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scoring.engine import ScoringPlan, score
from scoring.errors import UnknownItemError
from scoring.model import Annulment, ItemId, ItemKey, Response
from scoring.policy import Policy
from scoring.report import ScoreReport


def annul(
    *,
    keys: Iterable[ItemKey],
    items: Iterable[ItemId],
    how: Annulment,
) -> tuple[ItemKey, ...]:
    """Keys with ``items`` marked annulled; raises :class:`UnknownItemError` for a stranger."""
    by_id = {k.item_id: k for k in keys}
    targets = set(items)
    for item_id in sorted(targets):
        if item_id not in by_id:
            raise UnknownItemError(item_id)
    return tuple(
        dataclasses.replace(k, annulled=how) if k.item_id in targets else k for k in by_id.values()
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """What re-scoring needs of one candidate's attempt."""

    candidate: str
    track: str | None
    responses: Mapping[ItemId, Response]


@dataclass(frozen=True, slots=True)
class ScoreChange:
    candidate: str
    before: ScoreReport
    after: ScoreReport

    @property
    def changed(self) -> bool:
        return self.before != self.after


def rescore(
    *,
    policy: Policy,
    keys_before: Iterable[ItemKey],
    keys_after: Iterable[ItemKey],
    attempts: Iterable[Attempt],
) -> tuple[ScoreChange, ...]:
    """Score every attempt under both keys; the result is ordered by candidate."""
    before_plan = ScoringPlan(policy, keys_before)
    after_plan = ScoringPlan(policy, keys_after)
    changes = [
        ScoreChange(
            candidate=a.candidate,
            before=score(plan=before_plan, responses=a.responses, track=a.track),
            after=score(plan=after_plan, responses=a.responses, track=a.track),
        )
        for a in attempts
    ]
    return tuple(sorted(changes, key=lambda c: c.candidate))
