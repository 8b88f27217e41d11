"""Assembling a candidate's form: which items, in which order, with which option order.

``assemble(pool, blueprint, bank_id=..., seed=...)`` is a pure function of its
inputs: the same bank, blueprint and seed give the same form, byte for byte,
on any machine. Randomness comes from SHAKE-256 over
``["cbt-form-v1", bank_id, blueprint digest, seed]`` (see :class:`SeededStream`),
so an auditor can rebuild any candidate's form from the recorded seed.

Only the bank's public index is needed (ids, sections, topics, difficulty,
option counts); no item is decrypted to assemble a form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from question_bank.blueprint import Blueprint, SectionPlan
from question_bank.errors import BlueprintError
from question_bank.model import Difficulty, Item, ItemId, OptionLabel, SectionId, option_labels

T = TypeVar("T")
FORM_VERSION = 1


class SeededStream:
    """A reproducible stream of uniform choices from SHAKE-256 of a seed.

    ``below(n)`` takes 4 bytes big-endian and rejects values at or above the
    largest multiple of ``n`` under 2^32, so every choice is exactly uniform.
    """

    def __init__(self, material: bytes) -> None:
        self._material = material
        self._buffer = b""
        self._position = 0

    def _refill(self) -> None:
        # SHAKE output is prefix-stable: a longer digest extends the shorter one.
        self._buffer = hashlib.shake_256(self._material).digest(max(4096, 2 * len(self._buffer)))

    def below(self, n: int) -> int:
        if n <= 1:
            return 0
        limit = (1 << 32) - ((1 << 32) % n)
        while True:
            if self._position + 4 > len(self._buffer):
                self._refill()
            value = int.from_bytes(self._buffer[self._position : self._position + 4], "big")
            self._position += 4
            if value < limit:
                return value % n

    def shuffle(self, items: list[T]) -> None:
        """Fisher-Yates, from the last position down (``below`` inlined: the hot path)."""
        buffer, position = self._buffer, self._position
        from_bytes = int.from_bytes
        for i in range(len(items) - 1, 0, -1):
            n = i + 1
            limit = 4294967296 - (4294967296 % n)
            while True:
                if position + 4 > len(buffer):
                    self._position = position
                    self._refill()
                    buffer = self._buffer
                value = from_bytes(buffer[position : position + 4], "big")
                position += 4
                if value < limit:
                    break
            j = value % n
            items[i], items[j] = items[j], items[i]
        self._position = position


@dataclass(frozen=True, slots=True)
class PoolItem:
    """What assembly knows of an item (all of it public in the bank's header)."""

    id: ItemId
    section: SectionId
    topic: str
    difficulty: Difficulty
    option_count: int
    keep_option_order: bool

    @classmethod
    def of(cls, item: Item) -> PoolItem:
        return cls(
            item.id,
            item.section,
            item.topic,
            item.difficulty,
            len(item.options),
            item.keep_option_order,
        )


@dataclass(frozen=True, slots=True)
class FormItem:
    item_id: ItemId
    section: SectionId
    #: The item's original option labels in the order the candidate sees them:
    #: ("C", "A", "E", "B", "D") means the candidate's A is the author's C.
    option_order: tuple[OptionLabel, ...]


@dataclass(frozen=True, slots=True)
class Form:
    bank_id: str
    blueprint_id: str
    blueprint_digest: str
    seed: int
    items: tuple[FormItem, ...]

    def to_json(self) -> bytes:
        """Canonical bytes: equal forms give equal bytes on every machine."""
        data = {
            "form_version": FORM_VERSION,
            "bank_id": self.bank_id,
            "blueprint_id": self.blueprint_id,
            "blueprint_digest": self.blueprint_digest,
            "seed": self.seed,
            "items": [
                {"id": i.item_id, "section": i.section, "options": list(i.option_order)}
                for i in self.items
            ],
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def original_label(self, number: int, shown: str) -> OptionLabel | None:
        """The author's label of what the candidate chose as ``shown`` on item ``number``."""
        if not 1 <= number <= len(self.items):
            return None
        order = self.items[number - 1].option_order
        labels = option_labels(len(order))
        if shown not in labels:
            return None
        return order[labels.index(OptionLabel(shown))]


def form_item_ids(data: bytes | str) -> tuple[ItemId, ...]:
    """The item ids of a stored form, in the candidate's order, and nothing else.

    Scoring needs only these; building the whole :class:`Form` (every option label)
    cost a quarter of a submit when a thousand candidates finish together.
    """
    return tuple(item["id"] for item in json.loads(data)["items"])


def form_from_json(data: bytes) -> Form:
    raw = json.loads(data)
    return Form(
        bank_id=raw["bank_id"],
        blueprint_id=raw["blueprint_id"],
        blueprint_digest=raw["blueprint_digest"],
        seed=raw["seed"],
        items=tuple(
            FormItem(
                ItemId(i["id"]),
                SectionId(i["section"]),
                tuple(OptionLabel(o) for o in i["options"]),
            )
            for i in raw["items"]
        ),
    )


def assemble(pool: Iterable[PoolItem], blueprint: Blueprint, *, bank_id: str, seed: int) -> Form:
    """Draw one form; raise :class:`BlueprintError` naming any constraint the bank cannot meet."""
    if not 0 <= seed < 2**63:
        raise BlueprintError("a form seed is a whole number from 0 to 2^63 - 1")
    material = json.dumps(["cbt-form-v1", bank_id, blueprint.digest, seed]).encode()
    stream = SeededStream(material)
    by_section: dict[SectionId, list[PoolItem]] = {}
    for item in sorted(pool, key=lambda p: p.id):
        by_section.setdefault(item.section, []).append(item)

    plans = list(blueprint.sections)
    if blueprint.shuffle_sections:
        stream.shuffle(plans)
    chosen: list[PoolItem] = []
    for plan in plans:
        chosen.extend(_select(plan, by_section.get(plan.id, []), stream))
    items = tuple(
        FormItem(
            item_id=item.id,
            section=item.section,
            option_order=_option_order(item, stream),
        )
        for item in chosen
    )
    return Form(bank_id, blueprint.id, blueprint.digest, seed, items)


def _option_order(item: PoolItem, stream: SeededStream) -> tuple[OptionLabel, ...]:
    labels = list(option_labels(item.option_count))
    if not item.keep_option_order:
        stream.shuffle(labels)
    return tuple(labels)


def _select(plan: SectionPlan, pool: list[PoolItem], stream: SeededStream) -> list[PoolItem]:
    _check_supply(plan, pool)
    shuffled = list(pool)
    stream.shuffle(shuffled)
    picked = _greedy(plan, shuffled)
    if picked is None:
        picked = _by_flow(plan, shuffled)
    if not plan.shuffle:  # keep the bank's order (by id) within the section
        picked.sort(key=lambda p: p.id)
    return picked


def _check_supply(plan: SectionPlan, pool: Sequence[PoolItem]) -> None:
    if len(pool) < plan.count:
        raise BlueprintError(
            f"section {plan.id}: the blueprint asks for {plan.count} items, the bank has "
            f"{len(pool)} ({plan.count - len(pool)} short)",
            constraint=f"{plan.id}.count",
            short=plan.count - len(pool),
        )
    for topic, need in plan.topics.items():
        have = sum(1 for p in pool if p.topic == topic)
        if have < need:
            raise BlueprintError(
                f"section {plan.id}, topic {topic!r}: the blueprint asks for {need} items, "
                f"the bank has {have} ({need - have} short)",
                constraint=f"{plan.id}.topics.{topic}",
                short=need - have,
            )
    for band, need in plan.difficulty.items():
        have = sum(1 for p in pool if p.difficulty is band)
        if have < need:
            raise BlueprintError(
                f"section {plan.id}, difficulty {band.value!r}: the blueprint asks for {need} "
                f"items, the bank has {have} ({need - have} short)",
                constraint=f"{plan.id}.difficulty.{band.value}",
                short=need - have,
            )


def _greedy(plan: SectionPlan, shuffled: Sequence[PoolItem]) -> list[PoolItem] | None:
    """Take items in shuffled order while quotas allow; exact when only one kind of
    quota is set, and None in the rare two-quota dead end (then the flow decides)."""
    topic_left = dict(plan.topics)
    topic_free = plan.count - sum(topic_left.values())
    band_left = dict(plan.difficulty)
    band_free = plan.count - sum(band_left.values())
    picked: list[PoolItem] = []
    for item in shuffled:
        if len(picked) == plan.count:
            break
        by_topic = topic_left.get(item.topic, 0) > 0
        by_band = band_left.get(item.difficulty, 0) > 0
        if (by_topic or topic_free > 0) and (by_band or band_free > 0):
            picked.append(item)
            if by_topic:
                topic_left[item.topic] -= 1
            else:
                topic_free -= 1
            if by_band:
                band_left[item.difficulty] -= 1
            else:
                band_free -= 1
    return picked if len(picked) == plan.count else None


def _by_flow(plan: SectionPlan, shuffled: Sequence[PoolItem]) -> list[PoolItem]:
    """Solve topic x difficulty quotas as a max flow; pick items per cell in shuffled order."""
    cells: dict[tuple[str, Difficulty], list[PoolItem]] = {}
    for item in shuffled:
        cells.setdefault((item.topic, item.difficulty), []).append(item)
    flow = _Flow()
    free_topic = plan.count - sum(plan.topics.values())
    free_band = plan.count - sum(plan.difficulty.values())
    for topic, need in plan.topics.items():
        flow.add("S", f"T:{topic}", need)
    flow.add("S", "T*", free_topic)
    for band, need in plan.difficulty.items():
        flow.add(f"D:{band.value}", "Z", need)
    flow.add("D*", "Z", free_band)
    for (topic, band), items in cells.items():
        cell = f"C:{topic}:{band.value}"
        if topic in plan.topics:
            flow.add(f"T:{topic}", cell + ">", plan.count)
        flow.add("T*", cell + ">", plan.count)
        flow.add(cell + ">", cell + "<", len(items))
        if band in plan.difficulty:
            flow.add(cell + "<", f"D:{band.value}", plan.count)
        flow.add(cell + "<", "D*", plan.count)
    total = flow.max_flow("S", "Z")
    if total < plan.count:
        raise BlueprintError(
            f"section {plan.id}: the topic and difficulty quotas cannot be met together "
            f"({plan.count - total} short)",
            constraint=f"{plan.id}.topics+difficulty",
            short=plan.count - total,
        )
    picked: list[PoolItem] = []
    for (topic, band), items in cells.items():
        cell = f"C:{topic}:{band.value}"
        picked.extend(items[: flow.used(cell + ">", cell + "<")])
    order = {item.id: n for n, item in enumerate(shuffled)}
    picked.sort(key=lambda p: order[p.id])
    return picked


class _Flow:
    """A tiny Edmonds-Karp max flow over named nodes (a few dozen at most)."""

    def __init__(self) -> None:
        self.capacity: dict[str, dict[str, int]] = {}
        self.original: dict[tuple[str, str], int] = {}

    def add(self, a: str, b: str, capacity: int) -> None:
        self.capacity.setdefault(a, {})
        self.capacity.setdefault(b, {})
        self.capacity[a][b] = self.capacity[a].get(b, 0) + capacity
        self.capacity[b].setdefault(a, 0)
        self.original[(a, b)] = self.original.get((a, b), 0) + capacity

    def max_flow(self, source: str, sink: str) -> int:
        total = 0
        while True:
            parent: dict[str, str] = {source: source}
            queue = [source]
            while queue and sink not in parent:
                node = queue.pop(0)
                for nxt, cap in self.capacity[node].items():
                    if cap > 0 and nxt not in parent:
                        parent[nxt] = node
                        queue.append(nxt)
            if sink not in parent:
                return total
            push = min(self.capacity[parent[n]][n] for n in _path(parent, sink))
            for n in _path(parent, sink):
                self.capacity[parent[n]][n] -= push
                self.capacity[n][parent[n]] += push
            total += push

    def used(self, a: str, b: str) -> int:
        return self.original[(a, b)] - self.capacity[a][b]


def _path(parent: Mapping[str, str], sink: str) -> list[str]:
    nodes = []
    node = sink
    while parent[node] != node:
        nodes.append(node)
        node = parent[node]
    return nodes
