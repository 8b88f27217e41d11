"""The native source format: a folder (or zip) with bank.toml, items/*.toml and images.

Reading is all-or-nothing: every problem is collected with its file, line and
field and raised together as one :class:`ValidationError`.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from question_bank import toml_writer
from question_bank.blueprint import blueprint_from_dict
from question_bank.errors import BlueprintError, Location, Problem, SourceError, ValidationError
from question_bank.model import (
    BankId,
    BankSource,
    Difficulty,
    Item,
    ItemId,
    ItemSource,
    KeyRule,
    KeyRuleKind,
    Manifest,
    OptionLabel,
    Section,
    SectionId,
    option_labels,
)
from question_bank.richtext import Document, images, parse, to_markup
from question_bank.validation import problems as validation_problems

MANIFEST = "bank.toml"
BLUEPRINT = "blueprint.toml"
ITEMS_DIR = "items"


class _Files:
    """Read access to a source folder or zip, confined to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise SourceError(
                    Location(str(path)), f"not a folder or zip file ({exc})"
                ) from None
            names = self.zip.namelist()
            # Accept a zip of the folder itself ("my-bank/bank.toml") as well as of its contents.
            if MANIFEST not in names:
                roots = {n.split("/", 1)[0] for n in names if n.endswith("/" + MANIFEST)}
                if len(roots) == 1:
                    self.prefix = roots.pop() + "/"
        elif not path.is_dir():
            raise SourceError(Location(str(path)), "no such folder or zip file")

    def read(self, name: str) -> bytes | None:
        clean = _safe_name(name)
        if clean is None:
            return None
        if self.zip is not None:
            try:
                return self.zip.read(self.prefix + clean)
            except KeyError:
                return None
        target = self.path / clean
        return target.read_bytes() if target.is_file() else None

    def item_files(self) -> list[str]:
        if self.zip is not None:
            start = self.prefix + ITEMS_DIR + "/"
            return sorted(
                n[len(self.prefix) :]
                for n in self.zip.namelist()
                if n.startswith(start) and n.endswith(".toml")
            )
        folder = self.path / ITEMS_DIR
        if not folder.is_dir():
            return []
        return sorted(f"{ITEMS_DIR}/{p.name}" for p in folder.glob("*.toml"))


def _safe_name(name: str) -> str | None:
    """A relative path inside the source, or None for anything that would leave it."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return str(path)


def read_source(path: Path) -> BankSource:
    """Read and validate a bank's source; raise :class:`ValidationError` listing every problem."""
    files = _Files(path)
    found: list[Problem] = []
    manifest_data = _toml(files, MANIFEST, required=True)
    manifest = _manifest(manifest_data, found)
    items: list[Item] = []
    origins: list[ItemSource] = []
    for name in files.item_files():
        text = (files.read(name) or b"").decode("utf-8", errors="replace")
        data = _parse_toml(text, name)
        lines = _item_lines(text)
        raw_items = data.get("item", [])
        if not isinstance(raw_items, list):
            found.append(Problem(Location(name), "items are written as [[item]] tables"))
            continue
        for n, raw in enumerate(raw_items):
            line = lines[n] if n < len(lines) else None
            item = _item(raw, Location(name, line), manifest, found)
            if item is not None:
                items.append(item)
                origins.append(ItemSource(name, line))
    if not items and not found:
        found.append(Problem(Location(ITEMS_DIR), "the bank has no items (items/*.toml)"))
    blueprint = _toml(files, BLUEPRINT, required=False) or None
    image_data: dict[str, bytes] = {}
    for item in items:
        for document in (item.stem, *item.options, item.explanation):
            for ref in images(document):
                image = files.read(ref)
                if image is not None:
                    image_data[ref] = image
    source = BankSource(manifest, tuple(items), image_data, blueprint, tuple(origins))
    found.extend(validation_problems(source))
    found.extend(_blueprint_problems(source))
    if found:
        raise ValidationError(sorted(found, key=lambda p: (p.location.file, p.location.line or 0)))
    return source


def _blueprint_problems(source: BankSource) -> list[Problem]:
    """A blueprint beside the bank must parse and name only the bank's sections."""
    if source.blueprint is None:
        return []
    here = Location(BLUEPRINT)
    try:
        blueprint = blueprint_from_dict(source.blueprint, origin=BLUEPRINT)
    except BlueprintError as exc:
        return [Problem(here, str(exc))]
    known = {s.id for s in source.manifest.sections}
    return [
        Problem(Location(BLUEPRINT, field=f"sections.{s.id}"), f"unknown section {s.id!r}")
        for s in blueprint.sections
        if s.id not in known
    ]


def _toml(files: _Files, name: str, *, required: bool) -> dict[str, object]:
    data = files.read(name)
    if data is None:
        if required:
            raise SourceError(Location(name), f"the source has no {name}")
        return {}
    return _parse_toml(data.decode("utf-8", errors="replace"), name)


def _parse_toml(text: str, name: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's message ends "(at line N, column M)"; later versions add .lineno.
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise SourceError(Location(name, line), f"not valid TOML: {exc}") from None


def _item_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[item]]"]


def _manifest(data: Mapping[str, object], found: list[Problem]) -> Manifest:
    bank = data.get("bank")
    here = Location(MANIFEST)
    if not isinstance(bank, Mapping):
        raise SourceError(here, "bank.toml needs a [bank] table")
    bank_id = bank.get("id")
    if not isinstance(bank_id, str):
        raise SourceError(Location(MANIFEST, field="id"), "the bank needs a string id")
    sections: list[Section] = []
    raw_sections = data.get("sections", [])
    if not isinstance(raw_sections, list) or not raw_sections:
        raise SourceError(here, "bank.toml needs at least one [[sections]] table")
    for raw in raw_sections:
        section = _section(raw, found)
        if section is not None:
            sections.append(section)
    return Manifest(
        bank_id=BankId(bank_id),
        title=str(bank.get("title", bank_id)),
        language=str(bank.get("language", "id")),
        sections=tuple(sections),
        policy=str(bank["policy"]) if "policy" in bank else None,
        description=str(bank.get("description", "")),
    )


def _section(raw: object, found: list[Problem]) -> Section | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        found.append(Problem(Location(MANIFEST, field="sections"), "each section needs an id"))
        return None
    sid = raw["id"]
    here = Location(MANIFEST, field=f"sections.{sid}")
    options = raw.get("options", 5)
    if not isinstance(options, int) or not 2 <= options <= 10:
        found.append(Problem(here, "'options' must be a whole number from 2 to 10"))
        return None
    rule_data = raw.get("key_rule", {"kind": "free"})
    rule = _key_rule(rule_data, options)
    if rule is None:
        found.append(
            Problem(
                here,
                'key_rule must be {kind = "right_wrong", points = N}, '
                '{kind = "weighted", weights = [one per option]} or '
                '{kind = "free"}',
            )
        )
        return None
    topics = raw.get("topics", [])
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        found.append(Problem(here, "'topics' must be a list of names"))
        return None
    return Section(SectionId(sid), str(raw.get("name", sid)), options, rule, tuple(topics))


def _key_rule(data: object, options: int) -> KeyRule | None:
    if not isinstance(data, Mapping):
        return None
    try:
        kind = KeyRuleKind(str(data.get("kind")))
    except ValueError:
        return None
    points = data.get("points", 0)
    weights = data.get("weights", [])
    if not isinstance(points, int) or not isinstance(weights, list):
        return None
    if not all(isinstance(w, int) for w in weights):
        return None
    if kind is KeyRuleKind.RIGHT_WRONG and points <= 0:
        return None
    if kind is KeyRuleKind.WEIGHTED and len(weights) != options:
        return None
    return KeyRule(kind, points=points, weights=tuple(weights))


def _item(raw: object, here: Location, manifest: Manifest, found: list[Problem]) -> Item | None:
    if not isinstance(raw, Mapping):
        found.append(Problem(here, "an item must be a table"))
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not item_id:
        found.append(Problem(Location(here.file, here.line, "id"), "every item needs an id"))
        return None
    at = Location(here.file, here.line, item_id=item_id)
    before = len(found)

    def fail(field: str, reason: str) -> None:
        found.append(Problem(Location(at.file, at.line, field, item_id), reason))

    def text(field: str, *, required: bool) -> str:
        value = raw.get(field, "")
        if not isinstance(value, str):
            fail(field, "must be text")
            return ""
        if required and not value.strip():
            fail(field, "must not be empty")
        return value

    section_id = text("section", required=True)
    topic = text("topic", required=True)
    stem = text("stem", required=True)
    try:
        difficulty = Difficulty(str(raw.get("difficulty", "medium")))
    except ValueError:
        fail("difficulty", "must be easy, medium or hard")
        difficulty = Difficulty.MEDIUM
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or not all(isinstance(o, str) for o in raw_options):
        fail("options", "must be a list of option texts")
        raw_options = []
    keep = raw.get("keep_option_order", False)
    if not isinstance(keep, bool):
        fail("keep_option_order", "must be true or false")
        keep = False
    section = manifest.section(section_id)
    points = _points(raw, len(raw_options), section, fail)
    meta_raw = raw.get("meta", {})
    meta = (
        {str(k): v for k, v in meta_raw.items() if isinstance(v, str | int)}
        if isinstance(meta_raw, Mapping)
        else {}
    )
    if len(found) > before:
        return None
    return Item(
        id=ItemId(item_id),
        section=SectionId(section_id),
        topic=topic,
        difficulty=difficulty,
        stem=parse(stem),
        options=tuple(parse(o) for o in raw_options),
        points=points,
        keep_option_order=keep,
        explanation=parse(text("explanation", required=False)),
        meta=meta,
    )


def _points(
    raw: Mapping[str, object],
    count: int,
    section: Section | None,
    fail: Callable[[str, str], None],
) -> dict[OptionLabel, int]:
    labels = option_labels(count)
    key = raw.get("key")
    points = raw.get("points")
    if key is not None and points is not None:
        fail("key", "give either 'key' or 'points', not both")
        return {}
    if key is not None:
        if not isinstance(key, str):
            fail("key", "must be an option letter")
            return {}
        worth = 1
        if section is not None and section.key_rule.kind is KeyRuleKind.RIGHT_WRONG:
            worth = section.key_rule.points
        elif section is not None and section.key_rule.kind is KeyRuleKind.WEIGHTED:
            fail("key", f"section {section.id} is weighted: give 'points' for every option")
            return {}
        result = dict.fromkeys(labels, 0)
        result[OptionLabel(key.strip().upper())] = worth
        return result
    if isinstance(points, list):
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in points):
            fail("points", "must be whole numbers")
            return {}
        if len(points) != count:
            fail("points", f"{len(points)} points for {count} options")
            return {}
        return dict(zip(labels, points, strict=True))
    if isinstance(points, Mapping):
        result = {}
        for label, value in points.items():
            if not isinstance(value, int) or isinstance(value, bool):
                fail("points", f"points of {label} must be a whole number")
                return {}
            result[OptionLabel(str(label).upper())] = value
        return result
    fail("key", "the item needs a 'key' (right option) or 'points' (per option)")
    return {}


# ------------------------------------------------------------------ writing


def write_source(source: BankSource, folder: Path) -> None:
    """Write a source folder that :func:`read_source` reads back to the same bank."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ITEMS_DIR).mkdir(exist_ok=True)
    m = source.manifest
    parts = ["[bank]\n", toml_writer.table(_bank_table(m))]
    for section in m.sections:
        entries: dict[str, toml_writer.Value] = {
            "id": section.id,
            "name": section.name,
            "options": section.options,
            "key_rule": _rule_table(section.key_rule),
        }
        if section.topics:
            entries["topics"] = list(section.topics)
        parts.append("\n[[sections]]\n" + toml_writer.table(entries))
    (folder / MANIFEST).write_text("".join(parts), encoding="utf-8")
    if source.blueprint is not None:
        blueprint = blueprint_from_dict(source.blueprint, origin=BLUEPRINT)
        (folder / BLUEPRINT).write_text(blueprint.to_toml(), encoding="utf-8")

    by_section: dict[str, list[Item]] = {}
    for item in source.items:
        by_section.setdefault(item.section, []).append(item)
    # Files are read in name order; the number keeps the sections' order.
    for n, (section_id, items) in enumerate(by_section.items(), start=1):
        blocks = [_item_toml(item, m.section(item.section)) for item in items]
        (folder / ITEMS_DIR / f"{n:02d}-{section_id.lower()}.toml").write_text(
            "\n".join(blocks), encoding="utf-8"
        )
    for name, data in source.images.items():
        target = folder / (_safe_name(name) or "")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _bank_table(m: Manifest) -> dict[str, toml_writer.Value]:
    table: dict[str, toml_writer.Value] = {
        "id": m.bank_id,
        "title": m.title,
        "language": m.language,
    }
    if m.policy:
        table["policy"] = m.policy
    if m.description:
        table["description"] = m.description
    return table


def _rule_table(rule: KeyRule) -> dict[str, toml_writer.Value]:
    if rule.kind is KeyRuleKind.RIGHT_WRONG:
        return {"kind": rule.kind.value, "points": rule.points}
    if rule.kind is KeyRuleKind.WEIGHTED:
        return {"kind": rule.kind.value, "weights": list(rule.weights)}
    return {"kind": rule.kind.value}


def _item_toml(item: Item, section: Section | None) -> str:
    entries: dict[str, toml_writer.Value] = {
        "id": item.id,
        "section": item.section,
        "topic": item.topic,
        "difficulty": item.difficulty.value,
        "stem": _markup(item.stem),
        "options": [_markup(o) for o in item.options],
    }
    right = [label for label, p in item.points.items() if p != 0]
    if section is not None and section.key_rule.kind is KeyRuleKind.RIGHT_WRONG and len(right) == 1:
        entries["key"] = right[0]
    else:
        entries["points"] = [item.points.get(label, 0) for label in item.labels]
    entries["keep_option_order"] = item.keep_option_order
    if item.explanation:
        entries["explanation"] = _markup(item.explanation)
    text = "[[item]]\n" + toml_writer.table(entries)
    if item.meta:
        text += "\n[item.meta]\n" + toml_writer.table(dict(item.meta))
    return text


def _markup(document: Document) -> str:
    return to_markup(document)
