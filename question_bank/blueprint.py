"""Blueprints: how many items each form draws per section, under which constraints.

Written in TOML (``blueprint.toml`` beside a bank source, or its own file)::

    [blueprint]
    id = "skd-2024-standar"
    title = "SKD CPNS (110 soal)"
    duration_minutes = 100
    shuffle_sections = false          # keep the sections in the order written

    [[sections]]
    id = "TWK"
    count = 30
    shuffle = true                    # shuffle items within the section
    topics = { pancasila = 6, uud1945 = 6 }        # optional minimum quotas
    difficulty = { easy = 9, medium = 15, hard = 6 }  # optional quotas

Topic and difficulty quotas name how many of the section's items come from
each; the rest of the count (if any) may come from anywhere.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from question_bank import toml_writer
from question_bank.errors import BlueprintError
from question_bank.model import Difficulty, SectionId


@dataclass(frozen=True, slots=True)
class SectionPlan:
    id: SectionId
    count: int
    shuffle: bool
    topics: Mapping[str, int]
    difficulty: Mapping[Difficulty, int]


@dataclass(frozen=True, slots=True)
class Blueprint:
    id: str
    title: str
    duration_minutes: int | None
    shuffle_sections: bool
    sections: tuple[SectionPlan, ...]

    @property
    def item_count(self) -> int:
        return sum(s.count for s in self.sections)

    def to_dict(self) -> dict[str, object]:
        """The blueprint as data; :func:`blueprint_from_dict` reads it back."""
        return {
            "blueprint": {
                "id": self.id,
                "title": self.title,
                "duration_minutes": self.duration_minutes,
                "shuffle_sections": self.shuffle_sections,
            },
            "sections": [
                {
                    "id": s.id,
                    "count": s.count,
                    "shuffle": s.shuffle,
                    "topics": dict(s.topics),
                    "difficulty": {d.value: n for d, n in s.difficulty.items()},
                }
                for s in self.sections
            ],
        }

    def to_toml(self) -> str:
        """The blueprint as ``blueprint.toml``; :func:`blueprint_from_toml` reads it back equal."""
        head: dict[str, toml_writer.Value] = {"id": self.id, "title": self.title}
        if self.duration_minutes is not None:
            head["duration_minutes"] = self.duration_minutes
        head["shuffle_sections"] = self.shuffle_sections
        parts = ["[blueprint]\n" + toml_writer.table(head)]
        for s in self.sections:
            entries: dict[str, toml_writer.Value] = {
                "id": s.id,
                "count": s.count,
                "shuffle": s.shuffle,
            }
            if s.topics:
                entries["topics"] = dict(s.topics)
            if s.difficulty:
                entries["difficulty"] = {d.value: n for d, n in s.difficulty.items()}
            parts.append("[[sections]]\n" + toml_writer.table(entries))
        return "\n".join(parts)

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical blueprint: binds forms to exactly this blueprint."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def blueprint_from_toml(text: str, *, origin: str) -> Blueprint:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BlueprintError(f"{origin}: not valid TOML ({exc})") from None
    return blueprint_from_dict(data, origin=origin)


def blueprint_from_dict(data: Mapping[str, object], *, origin: str = "blueprint") -> Blueprint:
    head = data.get("blueprint", {})
    if not isinstance(head, Mapping):
        raise BlueprintError(f"{origin}: [blueprint] must be a table")
    bp_id = head.get("id")
    if not isinstance(bp_id, str) or not bp_id:
        raise BlueprintError(f"{origin}: the blueprint needs an id")
    duration = head.get("duration_minutes")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        raise BlueprintError(f"{origin}: duration_minutes must be a positive whole number")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise BlueprintError(f"{origin}: the blueprint needs [[sections]]")
    sections = tuple(_section(raw, origin) for raw in raw_sections)
    if len({s.id for s in sections}) != len(sections):
        raise BlueprintError(f"{origin}: a section appears twice")
    return Blueprint(
        id=bp_id,
        title=str(head.get("title", bp_id)),
        duration_minutes=duration,
        shuffle_sections=bool(head.get("shuffle_sections", False)),
        sections=sections,
    )


def _section(raw: object, origin: str) -> SectionPlan:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise BlueprintError(f"{origin}: every section needs an id")
    sid = str(raw["id"])
    count = raw.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise BlueprintError(f"{origin}: section {sid}: count must be a positive whole number")
    topics = _quotas(raw.get("topics", {}), f"{origin}: section {sid} topics")
    raw_difficulty = _quotas(raw.get("difficulty", {}), f"{origin}: section {sid} difficulty")
    try:
        difficulty = {Difficulty(k): v for k, v in raw_difficulty.items()}
    except ValueError:
        raise BlueprintError(
            f"{origin}: section {sid}: difficulty bands are easy, medium and hard"
        ) from None
    for name, quotas in (("topic", topics), ("difficulty", difficulty)):
        if sum(quotas.values()) > count:
            raise BlueprintError(
                f"{origin}: section {sid}: the {name} quotas add up to "
                f"{sum(quotas.values())}, more than the count {count}",
                constraint=f"{sid}.{name}",
            )
    return SectionPlan(
        id=SectionId(sid),
        count=count,
        shuffle=bool(raw.get("shuffle", True)),
        topics=topics,
        difficulty=difficulty,
    )


def _quotas(raw: object, where: str) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise BlueprintError(f"{where}: must be a table of name = count")
    out: dict[str, int] = {}
    for name, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BlueprintError(f"{where}: {name} must be a whole number of items")
        out[str(name)] = value
    return out
