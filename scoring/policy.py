"""Scoring policies as data: sections, key rules, tracks with thresholds, ranking, integration.

A policy is read from a mapping (parsed TOML or JSON) and checked as a whole:
a policy that contradicts itself is refused when loaded, with the reason, so
that no candidate is ever scored by it. Presets ship in ``scoring/presets``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring.errors import PolicyError
from scoring.model import Annulment, SectionId
from scoring.numbers import Number, exact

#: Name of the sum of all sections, usable in thresholds and ranking orders.
TOTAL = "total"


class KeyRuleKind(enum.StrEnum):
    """What every item key of a section must look like."""

    #: One option earns ``points``, the others 0 (SKD TWK/TIU, PPPK teknis).
    RIGHT_WRONG = "right_wrong"
    #: The options' points are exactly ``weights`` in some order (SKD TKP: 1..5).
    WEIGHTED = "weighted"
    #: Anything goes (negative marking, partial credit); only the max is checked.
    FREE = "free"


@dataclass(frozen=True, slots=True)
class KeyRule:
    kind: KeyRuleKind
    points: Number = 0
    weights: tuple[Number, ...] = ()

    @property
    def item_max(self) -> Number | None:
        if self.kind is KeyRuleKind.RIGHT_WRONG:
            return self.points
        if self.kind is KeyRuleKind.WEIGHTED:
            return max(self.weights)
        return None


@dataclass(frozen=True, slots=True)
class Section:
    id: SectionId
    name_id: str
    name_en: str
    items: int | None
    max: Number | None
    key_rule: KeyRule


@dataclass(frozen=True, slots=True)
class Track:
    """A group of candidates with its own passing rule (SKD: general, cumlaude, ...)."""

    id: str
    name_id: str
    name_en: str
    #: Minimum per section id, and optionally for :data:`TOTAL`.
    thresholds: Mapping[str, Number]

    @property
    def ranking_only(self) -> bool:
        return not self.thresholds

    def meets(self, name: str, value: Number) -> bool | None:
        """Whether ``value`` meets the threshold for ``name`` (None: no threshold)."""
        minimum = self.thresholds.get(name)
        return None if minimum is None else value >= minimum

    def passes(self, section_scores: Mapping[str, Number]) -> bool | None:
        """Whether the scores meet every threshold of the track (None: ranking only)."""
        if self.ranking_only:
            return None
        total = sum(section_scores.values(), start=0)
        return all(
            (total if name == TOTAL else section_scores.get(name, 0)) >= minimum
            for name, minimum in self.thresholds.items()
        )


class Eligibility(enum.StrEnum):
    PASSED = "passed"  # only candidates meeting their track's thresholds are ranked
    ALL = "all"  # everyone is ranked (PPPK 2024 has no thresholds)


@dataclass(frozen=True, slots=True)
class RankingRule:
    eligible: Eligibility
    #: Criteria compared in turn, highest first: ``total`` or section ids.
    order: tuple[str, ...]
    quota_per_vacancy: int


@dataclass(frozen=True, slots=True)
class IntegrationRule:
    """Final score = SKD/skd_max x skd_weight + SKB/skb_max x skb_weight."""

    skd_weight: Number
    skb_weight: Number
    skb_max: Number
    #: Tie-break after the final score: ``final``, ``skd_total``, section ids,
    #: ``grade_average`` (higher first) and ``birth_date`` (older first).
    order: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    title: str
    source: str
    sections: tuple[Section, ...]
    tracks: Mapping[str, Track]
    default_track: str
    ranking: RankingRule
    integration: IntegrationRule | None
    annulment: Annulment
    duration_minutes: int | None

    @property
    def section_ids(self) -> tuple[SectionId, ...]:
        return tuple(s.id for s in self.sections)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise PolicyError(self.id, f"no section {section_id!r}")

    def track(self, track_id: str | None) -> Track:
        chosen = track_id or self.default_track
        track = self.tracks.get(chosen)
        if track is None:
            known = ", ".join(self.tracks)
            raise PolicyError(self.id, f"no track {chosen!r} (tracks: {known})")
        return track

    @property
    def max_total(self) -> Number | None:
        maxima = [s.max for s in self.sections]
        if any(m is None for m in maxima):
            return None
        return sum((m for m in maxima if m is not None), start=0)


INTEGRATION_CRITERIA = frozenset({"final", "skd_total", "skb", "grade_average", "birth_date"})


def policy_from_dict(data: Mapping[str, object]) -> Policy:
    """Build and check a policy; raise :class:`PolicyError` naming the first contradiction."""
    policy_id = _text(data, "id", "?")
    reader = _Reader(policy_id)
    sections = tuple(reader.section(raw) for raw in reader.table_list(data, "sections"))
    if not sections:
        raise PolicyError(policy_id, "a policy needs at least one section")
    ids = [s.id for s in sections]
    if len(set(ids)) != len(ids):
        raise PolicyError(policy_id, "two sections share an id")
    if TOTAL in ids:
        raise PolicyError(policy_id, f"{TOTAL!r} is reserved and cannot name a section")
    maxima = {s.id: s.max for s in sections}
    max_total = None if None in maxima.values() else sum(m for m in maxima.values() if m)

    raw_tracks = data.get("tracks")
    if not isinstance(raw_tracks, Mapping) or not raw_tracks:
        raise PolicyError(policy_id, "'tracks' must define at least one track")
    tracks = {
        str(tid): reader.track(str(tid), raw, maxima, max_total) for tid, raw in raw_tracks.items()
    }
    default_track = _text(data, "default_track", next(iter(tracks)))
    if default_track not in tracks:
        raise PolicyError(policy_id, f"default_track {default_track!r} is not a track")

    ranking = reader.ranking(data.get("ranking", {}), set(ids))
    integration = None
    if data.get("integration") is not None:
        integration = reader.integration(data["integration"], set(ids))
    try:
        annulment = Annulment(str(data.get("annulment", Annulment.AWARD.value)))
    except ValueError:
        raise PolicyError(policy_id, "'annulment' must be 'drop' or 'award'") from None
    duration = data.get("duration_minutes")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        raise PolicyError(policy_id, "'duration_minutes' must be a positive integer")
    return Policy(
        id=policy_id,
        title=_text(data, "title", policy_id),
        source=_text(data, "source", ""),
        sections=sections,
        tracks=tracks,
        default_track=default_track,
        ranking=ranking,
        integration=integration,
        annulment=annulment,
        duration_minutes=duration,
    )


def _text(data: Mapping[str, object], name: str, default: str) -> str:
    value = data.get(name, default)
    return value if isinstance(value, str) else default


class _Reader:
    """Reads the parts of one policy, naming the policy in every error."""

    def __init__(self, policy_id: str) -> None:
        self.policy_id = policy_id

    def fail(self, reason: str) -> PolicyError:
        return PolicyError(self.policy_id, reason)

    def number(self, value: object, what: str) -> Number:
        try:
            return exact(value, what=what)
        except ValueError as exc:
            raise self.fail(str(exc)) from None

    def table_list(self, data: Mapping[str, object], name: str) -> list[Mapping[str, object]]:
        value = data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(f"'{name}' must be a list of tables")
        return value

    def names(self, raw: object, what: str) -> tuple[str, ...]:
        if not isinstance(raw, Sequence) or isinstance(raw, str):
            raise self.fail(f"{what} must be a list of names")
        return tuple(str(x) for x in raw)

    def section(self, raw: Mapping[str, object]) -> Section:
        sid = raw.get("id")
        if not isinstance(sid, str) or not sid:
            raise self.fail("every section needs a string 'id'")
        items = raw.get("items")
        if items is not None and (not isinstance(items, int) or items <= 0):
            raise self.fail(f"section {sid}: 'items' must be a positive integer")
        maximum = None if raw.get("max") is None else self.number(raw["max"], f"{sid} max")
        rule = self.key_rule(sid, raw.get("key_rule", {"kind": "free"}))
        item_max = rule.item_max
        if (
            items is not None
            and maximum is not None
            and item_max is not None
            and items * item_max != maximum
        ):
            raise self.fail(
                f"section {sid}: {items} items of at most {item_max} points make "
                f"{items * item_max}, not the declared max {maximum}"
            )
        return Section(
            id=SectionId(sid),
            name_id=_text(raw, "name_id", sid),
            name_en=_text(raw, "name_en", sid),
            items=items,
            max=maximum,
            key_rule=rule,
        )

    def key_rule(self, sid: str, raw: object) -> KeyRule:
        if not isinstance(raw, Mapping):
            raise self.fail(f"section {sid}: 'key_rule' must be a table")
        try:
            kind = KeyRuleKind(str(raw.get("kind")))
        except ValueError:
            kinds = ", ".join(k.value for k in KeyRuleKind)
            raise self.fail(f"section {sid}: key_rule kind must be one of {kinds}") from None
        if kind is KeyRuleKind.RIGHT_WRONG:
            points = self.number(raw.get("points"), f"{sid} key_rule points")
            if points <= 0:
                raise self.fail(f"section {sid}: a right answer must earn positive points")
            return KeyRule(kind, points=points)
        if kind is KeyRuleKind.WEIGHTED:
            raw_weights = raw.get("weights")
            if not isinstance(raw_weights, list) or len(raw_weights) < 2:
                raise self.fail(f"section {sid}: weighted key_rule needs a 'weights' list")
            weights = tuple(self.number(w, f"{sid} weight") for w in raw_weights)
            return KeyRule(kind, weights=weights)
        return KeyRule(kind)

    def track(
        self,
        tid: str,
        raw: object,
        maxima: Mapping[SectionId, Number | None],
        max_total: Number | None,
    ) -> Track:
        if not isinstance(raw, Mapping):
            raise self.fail(f"track {tid}: must be a table")
        raw_thresholds = raw.get("thresholds", {})
        if not isinstance(raw_thresholds, Mapping):
            raise self.fail(f"track {tid}: 'thresholds' must be a table")
        thresholds: dict[str, Number] = {}
        for name, value in raw_thresholds.items():
            minimum = self.number(value, f"track {tid} threshold {name}")
            if name == TOTAL:
                ceiling = max_total
            elif name in maxima:
                ceiling = maxima[SectionId(name)]
            else:
                raise self.fail(f"track {tid}: threshold for unknown section {name!r}")
            if minimum < 0:
                raise self.fail(f"track {tid}: threshold {name} is negative")
            if ceiling is not None and minimum > ceiling:
                raise self.fail(
                    f"track {tid}: threshold {name} {minimum} is above the maximum {ceiling}"
                )
            thresholds[str(name)] = minimum
        return Track(
            id=tid,
            name_id=_text(raw, "name_id", tid),
            name_en=_text(raw, "name_en", tid),
            thresholds=thresholds,
        )

    def ranking(self, raw: object, section_ids: set[str]) -> RankingRule:
        if not isinstance(raw, Mapping):
            raise self.fail("'ranking' must be a table")
        try:
            eligible = Eligibility(str(raw.get("eligible", Eligibility.PASSED.value)))
        except ValueError:
            raise self.fail("ranking 'eligible' must be 'passed' or 'all'") from None
        order = self.names(raw.get("order", [TOTAL]), "ranking 'order'")
        for name in order:
            if name != TOTAL and name not in section_ids:
                raise self.fail(f"ranking order names unknown section {name!r}")
        if len(set(order)) != len(order):
            raise self.fail("ranking order repeats a criterion")
        quota = raw.get("quota_per_vacancy", 3)
        if not isinstance(quota, int) or quota <= 0:
            raise self.fail("ranking 'quota_per_vacancy' must be a positive integer")
        return RankingRule(eligible=eligible, order=order, quota_per_vacancy=quota)

    def integration(self, raw: object, section_ids: set[str]) -> IntegrationRule:
        if not isinstance(raw, Mapping):
            raise self.fail("'integration' must be a table")
        skd_weight = self.number(raw.get("skd_weight"), "integration skd_weight")
        skb_weight = self.number(raw.get("skb_weight"), "integration skb_weight")
        skb_max = self.number(raw.get("skb_max", 100), "integration skb_max")
        if skd_weight < 0 or skb_weight < 0 or skd_weight + skb_weight <= 0 or skb_max <= 0:
            raise self.fail("integration weights must be non-negative and skb_max positive")
        order = self.names(raw.get("order", ["final"]), "integration 'order'")
        for name in order:
            if name not in INTEGRATION_CRITERIA and name not in section_ids:
                raise self.fail(f"integration order names unknown criterion {name!r}")
        return IntegrationRule(
            skd_weight=skd_weight, skb_weight=skb_weight, skb_max=skb_max, order=order
        )


def neutral_policy(section_ids: Sequence[str]) -> Policy:
    """A ranking-only policy over the given sections, accepting any key.

    Used where only the keys are known (``cbt-score analyse`` without
    ``--policy``): no thresholds, ranking by total.
    """
    return policy_from_dict(
        {
            "id": "keys-only",
            "title": "Keys only",
            "sections": [{"id": s, "key_rule": {"kind": "free"}} for s in section_ids],
            "tracks": {"general": {"thresholds": {}}},
            "ranking": {"eligible": "all", "order": [TOTAL]},
        }
    )
