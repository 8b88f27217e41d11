"""The candidate's keyless form, read from the server's payload (see question_bank.delivery).

Items are numbered 1..n, options are labelled in this candidate's order, and
the rich text is ``question_bank.richtext`` documents. Nothing here knows which
option is right: the payload does not say. The form lives in memory only; it
is never written to this PC's disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cbt_client.errors import ProtocolError
from cbt_client.wire import ItemNumber
from question_bank import richtext
from question_bank.richtext import Document, RichTextFormatError

PAYLOAD_VERSION = 1


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    name: str
    first: ItemNumber
    count: int

    @property
    def last(self) -> ItemNumber:
        return ItemNumber(self.first + self.count - 1)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.first <= number <= self.last


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    content: Document


@dataclass(frozen=True, slots=True)
class Item:
    number: ItemNumber
    section: str
    stem: Document
    options: tuple[Option, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options)


@dataclass(frozen=True, slots=True)
class ExamForm:
    title: str
    duration_minutes: int | None
    sections: tuple[Section, ...]
    items: tuple[Item, ...]

    def __len__(self) -> int:
        return len(self.items)

    def item(self, number: int) -> Item:
        if not 1 <= number <= len(self.items):
            raise KeyError(number)
        return self.items[number - 1]

    def section_of(self, number: int) -> Section:
        for section in self.sections:
            if number in section:
                return section
        raise KeyError(number)

    def image_refs(self) -> list[str]:
        """Every image the form shows, once each, in order of first use."""
        seen: dict[str, None] = {}
        for item in self.items:
            for doc in (item.stem, *(o.content for o in item.options)):
                for ref in richtext.images(doc):
                    seen.setdefault(ref, None)
        return list(seen)

    @classmethod
    def from_payload(cls, data: object) -> ExamForm:
        if not isinstance(data, dict):
            raise ProtocolError("the form is not an object")
        if data.get("payload_version") != PAYLOAD_VERSION:
            raise ProtocolError(f"form payload version {data.get('payload_version')!r}")
        try:
            items = tuple(_item(raw, n) for n, raw in enumerate(_list(data, "items"), start=1))
            sections = tuple(_section(raw) for raw in _list(data, "sections"))
        except RichTextFormatError as exc:
            raise ProtocolError(f"rich text: {exc}") from exc
        covered = sum(s.count for s in sections)
        if covered != len(items) or any(i.section != _owner(sections, i.number) for i in items):
            raise ProtocolError("the form's sections do not match its items")
        duration = data.get("duration_minutes")
        return cls(
            title=str(data.get("title") or ""),
            duration_minutes=duration if isinstance(duration, int) else None,
            sections=sections,
            items=items,
        )


def _owner(sections: tuple[Section, ...], number: int) -> str | None:
    return next((s.id for s in sections if number in s), None)


def _list(data: Mapping[str, object], name: str) -> list[object]:
    value = data.get(name)
    if not isinstance(value, list):
        raise ProtocolError(f"the form's {name} is not a list")
    return value


def _section(raw: object) -> Section:
    if not isinstance(raw, dict):
        raise ProtocolError("a section is not an object")
    first, count = raw.get("first"), raw.get("count")
    if not isinstance(first, int) or not isinstance(count, int) or first < 1 or count < 0:
        raise ProtocolError("a section's first/count are not numbers")
    name = str(raw.get("name") or raw.get("id"))
    return Section(str(raw.get("id")), name, ItemNumber(first), count)


def _item(raw: object, expected: int) -> Item:
    if not isinstance(raw, dict) or raw.get("number") != expected:
        raise ProtocolError(f"item {expected} is missing or out of order")
    options = raw.get("options")
    if not isinstance(options, list) or not options:
        raise ProtocolError(f"item {expected} has no options")
    parsed: list[Option] = []
    for entry in options:
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise ProtocolError(f"item {expected} has an option without a label")
        parsed.append(Option(entry["label"], richtext.from_json(entry.get("content", []))))
    return Item(
        number=ItemNumber(expected),
        section=str(raw.get("section")),
        stem=richtext.from_json(raw.get("stem", [])),
        options=tuple(parsed),
    )


def to_html(document: Document, image_url: Callable[[str], str]) -> str:
    """Safe HTML for Qt's rich text; every text is escaped by ``question_bank.richtext``."""
    return richtext.to_html(document, image_url)
