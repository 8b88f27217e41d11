"""Items, sections and the bank manifest: the committee's material in memory.

An item's key is plain data, option -> points, exactly what the scorer reads;
this package never interprets points beyond checking them against the
section's key rule.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NewType

from question_bank.richtext import Document

ItemId = NewType("ItemId", str)
SectionId = NewType("SectionId", str)
BankId = NewType("BankId", str)
OptionLabel = NewType("OptionLabel", str)

#: Ids of banks and items: letters, digits, '-', '_' and '.', as in "TWK-PCS-001".
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LETTERS = "ABCDEFGHIJ"


def option_labels(count: int) -> tuple[OptionLabel, ...]:
    return tuple(OptionLabel(letter) for letter in LETTERS[:count])


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class KeyRuleKind(enum.StrEnum):
    RIGHT_WRONG = "right_wrong"  # one option earns ``points``, the rest 0
    WEIGHTED = "weighted"  # the options' points are exactly ``weights`` in some order
    FREE = "free"  # any points; at least one option must earn something


@dataclass(frozen=True, slots=True)
class KeyRule:
    kind: KeyRuleKind
    points: int = 0
    weights: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: SectionId
    name: str
    options: int
    key_rule: KeyRule
    #: The closed list of topics, or empty for any topic.
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Manifest:
    bank_id: BankId
    title: str
    language: str
    sections: tuple[Section, ...]
    policy: str | None = None
    description: str = ""

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None


@dataclass(frozen=True, slots=True)
class Item:
    id: ItemId
    section: SectionId
    topic: str
    difficulty: Difficulty
    stem: Document
    options: tuple[Document, ...]
    #: Points per option label (A, B, ...); what the scorer receives.
    points: Mapping[OptionLabel, int]
    keep_option_order: bool = False
    explanation: Document = ()
    meta: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[OptionLabel, ...]:
        return option_labels(len(self.options))

    @property
    def best_labels(self) -> frozenset[OptionLabel]:
        top = max(self.points.values(), default=0)
        return frozenset(label for label, p in self.points.items() if p == top)


@dataclass(frozen=True, slots=True)
class ItemSource:
    """Where an item was read from, so problems can point at it."""

    file: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class BankSource:
    """A bank's source material: manifest, items, images and the default blueprint."""

    manifest: Manifest
    items: tuple[Item, ...]
    #: Image bytes by the name items use ("gambar/tiu-fig-001.png").
    images: Mapping[str, bytes]
    blueprint: Mapping[str, object] | None = None
    #: Where each item was read from, aligned with ``items`` (empty when built in code).
    origins: tuple[ItemSource, ...] = ()

    def origin(self, index: int) -> ItemSource | None:
        return self.origins[index] if index < len(self.origins) else None
