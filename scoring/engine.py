"""Scoring one attempt: responses + keys + policy -> :class:`ScoreReport`.

Keys are compiled once into a :class:`ScoringPlan` (checked against the
policy, every point value scaled to an integer by the keys' common
denominator) so that scoring an attempt is integer additions only; results
are turned back into exact ``Fraction``/``int`` values at the end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from scoring.errors import (
    KeyDataError,
    ResponseError,
    UnknownItemError,
    UnknownOptionError,
    UnknownSectionError,
)
from scoring.model import (
    Annulment,
    ItemId,
    ItemKey,
    OptionId,
    Response,
    ResponseMode,
    SectionId,
)
from scoring.numbers import Number, normalise
from scoring.policy import TOTAL, KeyRuleKind, Policy
from scoring.report import ScoreReport, SectionResult, TopicResult, explain


@dataclass(frozen=True, slots=True)
class PlanItem:
    item_id: ItemId
    section: int  # index into the plan's sections
    topic: int  # index into the plan's topics
    points: Mapping[OptionId, int]  # scaled, weight included
    best: int  # scaled maximum
    blank: int  # scaled blank points
    mode: ResponseMode
    awarded: bool  # annulled by awarding: every response, and blank, earns ``best``

    def earned(self, response: Response) -> int:
        """Scaled points this response earns; raises for an option the item lacks."""
        if response is None:
            return self.blank
        if self.mode is ResponseMode.SINGLE:
            value = None if isinstance(response, frozenset) else self.points.get(response)
            if value is None:
                raise _bad_option(self, response)
            return value
        return _multiple(self, response)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One key checked and scaled: what a plan keeps of it, whichever items it holds."""

    section: int
    topic: str
    points: Mapping[OptionId, int]
    best: int
    blank: int
    mode: ResponseMode
    awarded: bool


class ScoringPlan:
    """Keys compiled against a policy; reusable for every attempt of an exam.

    A plan for a whole bank can hand out plans for parts of it (:meth:`subset`, one
    per candidate's form) without checking and scaling the keys again.
    """

    policy: Policy
    keys: dict[ItemId, ItemKey]
    dropped: frozenset[ItemId]
    scale: int
    _compiled: Mapping[ItemId, _Compiled]

    def __init__(self, policy: Policy, keys: Iterable[ItemKey]) -> None:
        self.policy = policy
        self.keys = {}
        for key in keys:
            if key.item_id in self.keys:
                raise KeyDataError(key.item_id, "the item appears twice in the key")
            self.keys[key.item_id] = key
        section_index = {s.id: i for i, s in enumerate(policy.sections)}
        for key in self.keys.values():
            if key.section not in section_index:
                raise UnknownSectionError(key.item_id, key.section, policy.section_ids)
            _check_key_rule(policy, key)
        #: Items annulled by dropping: responses to them are accepted and ignored.
        self.dropped = frozenset(
            k.item_id for k in self.keys.values() if k.annulled is Annulment.DROP
        )

        denominators = [1]
        for key in self.keys.values():
            for value in (*key.points.values(), key.blank_points, key.weight):
                if isinstance(value, Fraction):
                    denominators.append(value.denominator)
        self.scale = math.lcm(*denominators)

        compiled: dict[ItemId, _Compiled] = {}
        for key in self.keys.values():
            if key.item_id in self.dropped:
                continue
            awarded = key.annulled is Annulment.AWARD
            best = self._scaled(key.max_points)
            compiled[key.item_id] = _Compiled(
                section=section_index[key.section],
                topic=key.topic or "-",
                points={
                    o: best if awarded else self._scaled(p * key.weight)
                    for o, p in key.points.items()
                },
                best=best,
                blank=best if awarded else self._scaled(key.blank_points * key.weight),
                mode=key.mode,
                awarded=awarded,
            )
        self._compiled = compiled
        self._assemble()

    def subset(self, item_ids: Iterable[ItemId]) -> ScoringPlan:
        """The plan of these items only, in this order — the same reports as a plan
        built from their keys, without compiling them again (the scale stays this
        plan's, a multiple of theirs, so every figure is still exact)."""
        part = ScoringPlan.__new__(ScoringPlan)
        part.policy, part.scale, part._compiled = self.policy, self.scale, self._compiled
        part.keys = {}
        for item_id in item_ids:
            key = self.keys.get(item_id)
            if key is None:
                raise KeyDataError(item_id, "the item has no key in this plan")
            if item_id in part.keys:
                raise KeyDataError(item_id, "the item appears twice in the key")
            part.keys[item_id] = key
        part.dropped = self.dropped.intersection(part.keys)
        part._assemble()
        return part

    def _assemble(self) -> None:
        """Number the topics and count everything that does not depend on responses."""
        policy = self.policy
        # Topics are numbered per (section, topic) pair; order of first appearance.
        self.topics: list[tuple[int, str]] = []
        topic_index: dict[tuple[int, str], int] = {}
        items: list[PlanItem] = []
        for item_id in self.keys:
            c = self._compiled.get(item_id)
            if c is None:  # dropped
                continue
            pair = (c.section, c.topic)
            if pair not in topic_index:
                topic_index[pair] = len(self.topics)
                self.topics.append(pair)
            items.append(
                PlanItem(
                    item_id=item_id,
                    section=c.section,
                    topic=topic_index[pair],
                    points=c.points,
                    best=c.best,
                    blank=c.blank,
                    mode=c.mode,
                    awarded=c.awarded,
                )
            )
        self.items: tuple[PlanItem, ...] = tuple(items)
        self.item_ids = frozenset(self.keys)

        n_topics = len(self.topics)
        self.topics_of_section = tuple(
            tuple(t for t, (owner, _) in enumerate(self.topics) if owner == i)
            for i in range(len(policy.sections))
        )
        topic_max = [0] * n_topics
        topic_items = [0] * n_topics
        for item in items:
            topic_max[item.topic] += item.best
            topic_items[item.topic] += 1
        self.topic_max = tuple(self.unscale(m) for m in topic_max)
        self.topic_items = tuple(topic_items)
        self.section_max = tuple(
            self.unscale(sum(topic_max[t] for t in mine)) for mine in self.topics_of_section
        )
        self.section_items = tuple(
            sum(topic_items[t] for t in mine) for mine in self.topics_of_section
        )
        self.max_total = self.unscale(sum(topic_max))
        # The hot loop's view of each item; ``points`` is None where the plain
        # option lookup does not apply (multiple response, awarded items).
        self.rows = tuple(
            (
                i.item_id,
                i.topic,
                i.best,
                i.points if i.mode is ResponseMode.SINGLE and not i.awarded else None,
                i.blank,
                i,
            )
            for i in items
        )

    def _scaled(self, value: Number) -> int:
        # The scale is the common denominator of every value, so this is whole.
        return int(value * self.scale)

    def unscale(self, value: int) -> Number:
        if self.scale == 1:
            return value
        return normalise(Fraction(value, self.scale))


def _check_key_rule(policy: Policy, key: ItemKey) -> None:
    """Refuse a key that contradicts its section's rule (e.g. TKP weights not 1..5)."""
    rule = policy.section(key.section).key_rule
    if rule.kind is KeyRuleKind.FREE or key.annulled is not None:
        return
    if key.mode is not ResponseMode.SINGLE or key.weight != 1:
        raise KeyDataError(
            key.item_id, f"section {key.section} takes single-response items of weight 1"
        )
    values = sorted(key.points.values())
    if rule.kind is KeyRuleKind.RIGHT_WRONG:
        if values[-1] != rule.points or any(v != 0 for v in values[:-1]):
            raise KeyDataError(
                key.item_id,
                f"section {key.section} needs one option worth {rule.points} and the rest 0",
            )
    elif values != sorted(rule.weights):
        weights = ", ".join(str(w) for w in rule.weights)
        raise KeyDataError(
            key.item_id, f"section {key.section} needs option weights {weights} in some order"
        )


def score(
    *,
    plan: ScoringPlan,
    responses: Mapping[ItemId, Response],
    track: str | None = None,
) -> ScoreReport:
    """Score one attempt. Items without a response are blank.

    Raises :class:`UnknownItemError` for a response to an item outside the plan
    and :class:`UnknownOptionError` for an option the item does not have.
    """
    policy = plan.policy
    chosen_track = policy.track(track)
    if not plan.item_ids.issuperset(responses):
        unknown = sorted(set(responses) - plan.item_ids)[0]
        raise UnknownItemError(unknown)

    # Only what depends on the responses is counted here, per topic; sections are
    # sums of their topics and the maxima were counted when the plan was built.
    n_topics = len(plan.topics)
    t_score = [0] * n_topics
    t_answered = [0] * n_topics
    t_correct = [0] * n_topics
    get = responses.get
    for item_id, t, best, points, blank, item in plan.rows:
        response = get(item_id)
        if response is None:
            if blank:
                t_score[t] += blank
            continue
        # A set (multiple response) is never a key of ``points``: it takes the slow path.
        earned = points.get(response) if points is not None else None  # type: ignore[arg-type]
        if earned is None:  # multiple response, awarded, or an option the item lacks
            earned = item.earned(response)
        t_score[t] += earned
        t_answered[t] += 1
        if earned == best:
            t_correct[t] += 1

    unscale = plan.unscale
    sections: list[SectionResult] = []
    section_sums: list[int] = []
    for i, section in enumerate(policy.sections):
        mine = plan.topics_of_section[i]
        raw = sum([t_score[t] for t in mine])
        section_sums.append(raw)
        value = unscale(raw)
        items = plan.section_items[i]
        answered = sum([t_answered[t] for t in mine])
        sections.append(
            SectionResult(
                section=section.id,
                score=value,
                max=plan.section_max[i],
                threshold=chosen_track.thresholds.get(section.id),
                passed=chosen_track.meets(section.id, value),
                items=items,
                answered=answered,
                correct=sum([t_correct[t] for t in mine]),
                blank=items - answered,
                topics=tuple(
                    TopicResult(
                        topic=plan.topics[t][1],
                        score=unscale(t_score[t]),
                        max=plan.topic_max[t],
                        items=plan.topic_items[t],
                        answered=t_answered[t],
                        correct=t_correct[t],
                    )
                    for t in mine
                ),
            )
        )
    result_sections = tuple(sections)
    total = unscale(sum(section_sums))
    total_threshold = chosen_track.thresholds.get(TOTAL)
    reasons, passed = explain(
        sections=result_sections,
        total=total,
        total_threshold=total_threshold,
        track_name_id=chosen_track.name_id,
        track_name_en=chosen_track.name_en,
    )
    return ScoreReport(
        policy=policy.id,
        track=chosen_track.id,
        sections=result_sections,
        total=total,
        max_total=plan.max_total,
        total_threshold=total_threshold,
        passed=passed,
        reasons=reasons,
    )


def _bad_option(item: PlanItem, response: object) -> ResponseError:
    if isinstance(response, frozenset):
        return ResponseError(item.item_id, "a single-response item takes one option, not a set")
    return UnknownOptionError(item.item_id, str(response), tuple(item.points))


def _multiple(item: PlanItem, response: OptionId | frozenset[OptionId]) -> int:
    """Score a multiple-response item (all-or-nothing, or partial credit floored at 0)."""
    chosen = response if isinstance(response, frozenset) else frozenset({response})
    for option in chosen:
        if option not in item.points:
            raise UnknownOptionError(item.item_id, str(option), tuple(item.points))
    if item.awarded:
        return item.best
    if item.mode is ResponseMode.ALL_OR_NOTHING:
        right = frozenset(o for o, p in item.points.items() if p > 0)
        return item.best if chosen == right else 0
    return max(0, sum([item.points[o] for o in chosen]))


def section_maxima(plan: ScoringPlan) -> dict[SectionId, Number]:
    """Maximum score per section for the plan's keys."""
    return dict(zip(plan.policy.section_ids, plan.section_max, strict=True))
