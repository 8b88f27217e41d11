"""Keys and responses as plain data.

An item's key maps every option to the points it earns. That one shape covers
right/wrong items (``{"A": 0, "B": 5, ...}``), TKP-style weighted items (each
option 1..5), PPPK items (1..4) and negative marking (``{"A": 4, "B": -1}``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NewType

from scoring.errors import (
    DuplicateResponseError,
    KeyDataError,
    ResponseError,
    UnknownItemError,
    UnknownOptionError,
)
from scoring.numbers import Number, exact, to_json

ItemId = NewType("ItemId", str)
SectionId = NewType("SectionId", str)
OptionId = NewType("OptionId", str)

#: A candidate's response to one item: one option, a set of options for
#: multiple-response items, or ``None`` for blank.
Response = OptionId | frozenset[OptionId] | None


class ResponseMode(enum.StrEnum):
    """How an item's response is scored."""

    SINGLE = "single"
    #: Full credit only when exactly the options with positive points are chosen.
    ALL_OR_NOTHING = "all_or_nothing"
    #: The points of every chosen option are added, floored at zero.
    PARTIAL = "partial"


class Annulment(enum.StrEnum):
    """What an item cancelled after the fact (dianulir) does to everyone's score."""

    DROP = "drop"  # the item no longer counts: removed from scores and maxima
    AWARD = "award"  # everyone receives the item's full points, answered or not


@dataclass(frozen=True, slots=True)
class ItemKey:
    """The scoring data of one item; everything the scorer knows about it."""

    item_id: ItemId
    section: SectionId
    points: Mapping[OptionId, Number]
    topic: str | None = None
    mode: ResponseMode = ResponseMode.SINGLE
    weight: Number = 1
    blank_points: Number = 0
    annulled: Annulment | None = None
    options: tuple[OptionId, ...] = field(init=False)

    def __post_init__(self) -> None:
        if not self.points:
            raise KeyDataError(self.item_id, "the key lists no options")
        if self.weight <= 0:
            raise KeyDataError(self.item_id, "the weight must be positive")
        object.__setattr__(self, "options", tuple(self.points))
        if self.max_points <= self.blank_points:
            raise KeyDataError(
                self.item_id, "no option earns more than a blank answer (no scoring option)"
            )

    @property
    def max_points(self) -> Number:
        """The most this item can earn, weight included."""
        if self.mode is ResponseMode.SINGLE:
            best = max(self.points.values())
        else:
            best = sum((p for p in self.points.values() if p > 0), start=0)
        return best * self.weight

    @property
    def best_options(self) -> frozenset[OptionId]:
        """The option(s) that earn the most (the "key" in the everyday sense)."""
        if self.mode is ResponseMode.SINGLE:
            top = max(self.points.values())
            return frozenset(o for o, p in self.points.items() if p == top)
        return frozenset(o for o, p in self.points.items() if p > 0)


def key_from_dict(data: Mapping[str, object]) -> ItemKey:
    """Build an :class:`ItemKey` from its published JSON form (see docs/scoring.md)."""
    raw_id = data.get("id")
    if not isinstance(raw_id, str) or not raw_id:
        raise KeyDataError(str(raw_id), "every item needs a non-empty string 'id'")
    section = data.get("section")
    if not isinstance(section, str) or not section:
        raise KeyDataError(raw_id, "'section' must be a non-empty string")
    topic = data.get("topic")
    if topic is not None and not isinstance(topic, str):
        raise KeyDataError(raw_id, "'topic' must be a string")
    raw_points = data.get("points")
    if not isinstance(raw_points, Mapping) or not raw_points:
        raise KeyDataError(raw_id, "'points' must map each option to its points")
    try:
        points = {
            OptionId(str(option)): exact(value, what=f"points of option {option}")
            for option, value in raw_points.items()
        }
        weight = exact(data.get("weight", 1), what="'weight'")
        blank = exact(data.get("blank_points", 0), what="'blank_points'")
    except ValueError as exc:
        raise KeyDataError(raw_id, str(exc)) from None
    try:
        mode = ResponseMode(str(data.get("mode", ResponseMode.SINGLE.value)))
    except ValueError:
        modes = ", ".join(m.value for m in ResponseMode)
        raise KeyDataError(raw_id, f"'mode' must be one of {modes}") from None
    raw_annulled = data.get("annulled")
    try:
        annulled = None if raw_annulled is None else Annulment(str(raw_annulled))
    except ValueError:
        raise KeyDataError(raw_id, "'annulled' must be 'drop' or 'award'") from None
    return ItemKey(
        item_id=ItemId(raw_id),
        section=SectionId(section),
        topic=topic,
        points=points,
        mode=mode,
        weight=weight,
        blank_points=blank,
        annulled=annulled,
    )


def keys_from_dict(data: object) -> dict[ItemId, ItemKey]:
    """Read a whole KEY.json document: ``{"items": [ {...}, ... ]}``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise KeyDataError("-", "a key file must be an object with an 'items' list")
    keys: dict[ItemId, ItemKey] = {}
    for entry in data["items"]:
        if not isinstance(entry, Mapping):
            raise KeyDataError("-", "each entry of 'items' must be an object")
        key = key_from_dict(entry)
        if key.item_id in keys:
            raise KeyDataError(key.item_id, "the item appears twice in the key")
        keys[key.item_id] = key
    return keys


def key_to_dict(key: ItemKey) -> dict[str, object]:
    """The published JSON form of a key; :func:`key_from_dict` reads it back."""
    out: dict[str, object] = {"id": key.item_id, "section": key.section}
    if key.topic is not None:
        out["topic"] = key.topic
    out["points"] = {o: to_json(p) for o, p in key.points.items()}
    if key.mode is not ResponseMode.SINGLE:
        out["mode"] = key.mode.value
    if key.weight != 1:
        out["weight"] = to_json(key.weight)
    if key.blank_points != 0:
        out["blank_points"] = to_json(key.blank_points)
    if key.annulled is not None:
        out["annulled"] = key.annulled.value
    return out


def responses_from_dict(data: object, keys: Mapping[ItemId, ItemKey]) -> dict[ItemId, Response]:
    """Read a RESP.json document, ``{"responses": {"TWK-001": "B", ...}}``.

    A missing item is blank, as is ``null``; a list answers a multiple-response
    item. Every response is checked against ``keys``.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("responses"), Mapping):
        raise ResponseError("-", "a response file must be an object with a 'responses' object")
    responses: dict[ItemId, Response] = {}
    for raw_id, value in data["responses"].items():
        item_id = ItemId(str(raw_id))
        responses[item_id] = parse_response(item_id, value, keys)
    return responses


def parse_response(item_id: ItemId, value: object, keys: Mapping[ItemId, ItemKey]) -> Response:
    """Check one response against the item's key and return it in canonical form."""
    key = keys.get(item_id)
    if key is None:
        raise UnknownItemError(item_id)
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, str):
        chosen: list[object] = [value]
        if key.mode is not ResponseMode.SINGLE:
            return _check_options(key, chosen, as_set=True)
        return _check_options(key, chosen, as_set=False)
    if isinstance(value, list):
        if key.mode is ResponseMode.SINGLE:
            if len(value) != 1:
                raise ResponseError(item_id, "a single-response item takes one option, not a list")
            return _check_options(key, value, as_set=False)
        if len(set(map(str, value))) != len(value):
            raise DuplicateResponseError(item_id)
        return _check_options(key, value, as_set=True)
    raise ResponseError(item_id, f"a response must be an option letter or a list, not {value!r}")


def _check_options(key: ItemKey, chosen: list[object], *, as_set: bool) -> Response:
    options: list[OptionId] = []
    for raw in chosen:
        option = OptionId(str(raw))
        if not isinstance(raw, str) or option not in key.points:
            raise UnknownOptionError(key.item_id, str(raw), key.options)
        options.append(option)
    if as_set:
        return frozenset(options)
    return options[0]
