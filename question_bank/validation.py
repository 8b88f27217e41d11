"""Checking a bank's items against its manifest, reporting every problem with its reason."""

from __future__ import annotations

from collections.abc import Iterable

from question_bank.errors import Location, Problem, ValidationError
from question_bank.model import ID_PATTERN, BankSource, Item, KeyRuleKind, Section, option_labels
from question_bank.richtext import images, is_empty

MAX_IMAGE_BYTES = 1024 * 1024
IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def media_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's first bytes; None for anything else."""
    for signature, kind in IMAGE_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def problems(source: BankSource) -> list[Problem]:
    """Every problem of the source, in item order; empty when the bank is sound."""
    found: list[Problem] = []
    manifest = source.manifest
    if not ID_PATTERN.match(manifest.bank_id):
        found.append(
            Problem(
                Location("bank.toml", field="id"),
                "the bank id must be letters, digits, '-', '_' or '.' (at most 64)",
            )
        )
    seen: dict[str, Location] = {}
    for index, item in enumerate(source.items):
        origin = source.origin(index)
        here = Location(
            origin.file if origin else "-", origin.line if origin else None, item_id=item.id
        )
        if item.id in seen:
            found.append(Problem(here, f"duplicate id (first at {seen[item.id]})"))
        else:
            seen[item.id] = here
        if not ID_PATTERN.match(item.id):
            found.append(Problem(_at(here, "id"), "ids are letters, digits, '-', '_', '.'"))
        section = manifest.section(item.section)
        if section is None:
            known = ", ".join(s.id for s in manifest.sections)
            found.append(
                Problem(
                    _at(here, "section"), f"unknown section {item.section!r} (sections: {known})"
                )
            )
            continue
        found.extend(_item_problems(item, section, here, source))
    return sorted(found, key=lambda p: (p.location.file, p.location.line or 0))


def validate(source: BankSource) -> None:
    """Raise :class:`ValidationError` listing every problem, or return quietly."""
    found = problems(source)
    if found:
        raise ValidationError(found)


def _at(location: Location, field: str) -> Location:
    return Location(location.file, location.line, field, location.item_id)


def _item_problems(
    item: Item, section: Section, here: Location, source: BankSource
) -> Iterable[Problem]:
    if section.topics and item.topic not in section.topics:
        yield Problem(
            _at(here, "topic"),
            f"topic {item.topic!r} is not one of section "
            f"{section.id}'s topics ({', '.join(section.topics)})",
        )
    if is_empty(item.stem):
        yield Problem(_at(here, "stem"), "the stem is empty")
    if len(item.options) != section.options:
        yield Problem(
            _at(here, "options"),
            f"section {section.id} items have "
            f"{section.options} options, this one has {len(item.options)}",
        )
    for label, option in zip(option_labels(len(item.options)), item.options, strict=True):
        if is_empty(option):
            yield Problem(_at(here, "options"), f"option {label} is empty")
    yield from _key_problems(item, section, here)
    for document in (item.stem, *item.options, item.explanation):
        for name in images(document):
            data = source.images.get(name)
            if data is None:
                yield Problem(_at(here, "image"), f"image {name!r} is missing")
            elif len(data) > MAX_IMAGE_BYTES:
                yield Problem(
                    _at(here, "image"),
                    f"image {name!r} is {len(data):,} bytes; the limit is {MAX_IMAGE_BYTES:,}",
                )
            elif media_type(data) is None:
                yield Problem(_at(here, "image"), f"image {name!r} is not a PNG or JPEG file")


def _key_problems(item: Item, section: Section, here: Location) -> Iterable[Problem]:
    where = _at(here, "key")
    labels = set(option_labels(len(item.options)))
    strangers = sorted(set(item.points) - labels)
    if strangers:
        yield Problem(where, f"the key names option(s) {', '.join(strangers)} that do not exist")
        return
    values = [item.points.get(label, 0) for label in sorted(labels)]
    if not values or max(values) <= 0:
        yield Problem(where, "no option earns points (no scoring option)")
        return
    rule = section.key_rule
    if rule.kind is KeyRuleKind.RIGHT_WRONG:
        right = [v for v in values if v != 0]
        if right != [rule.points]:
            yield Problem(
                where,
                f"section {section.id} needs exactly one right option worth "
                f"{rule.points} and the others 0",
            )
    elif rule.kind is KeyRuleKind.WEIGHTED and sorted(values) != sorted(rule.weights):
        weights = ", ".join(map(str, rule.weights))
        yield Problem(
            where,
            f"section {section.id} needs the option weights {weights} "
            f"in some order, not {', '.join(map(str, values))}",
        )
