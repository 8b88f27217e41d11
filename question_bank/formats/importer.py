"""Reading authoring files (spreadsheets, Moodle XML, GIFT, QTI) into one bank source.

All or nothing: every file is read, every problem is collected (with its file,
line or row, field and item) and, if there is any, raised together as one
:class:`ValidationError`; nothing is returned then. A file that cannot be read
or parsed at all raises :class:`SourceError` at once.

Placing an item (see docs/import-formats.md): a section named by the source
(a column, a keyword) is matched to the manifest's sections ignoring case; a
category path or folder is searched for a component equal to a section id,
the last component being the topic; without a match the section is the
second-to-last component ("UMUM" when there is none) and the topic the last
("umum"). A topic is matched to the section's closed topic list ignoring case
and treating spaces, '-' and '_' alike.

Points: the section's scale is ``key_rule.points`` (right/wrong),
``max(weights)`` (weighted) or 100 (free); an option's imported share f (in
percent) becomes f/100 × scale, which must be a whole number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from question_bank.errors import Location, Problem, SourceError, ValidationError
from question_bank.formats import gift, moodle_xml, qti, spreadsheet, xml_tree
from question_bank.formats.draft import Draft, Intake, Key, Percentages, Points, RowLocation, at
from question_bank.formats.draft import slug as make_id
from question_bank.model import (
    BankId,
    BankSource,
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
from question_bank.validation import problems as validation_problems

DEFAULT_SECTION = "UMUM"
DEFAULT_TOPIC = "umum"
FREE_SCALE = 100
#: Moodle writes thirds and sixths as 33.33333 and 16.66667: this much off a whole number is one.
TOLERANCE = Fraction(1, 1000)
SUFFIXES = ".csv, .xlsx, .gift, .txt, .xml, .zip"


def import_files(paths: Sequence[Path], manifest: Manifest | None = None) -> BankSource:
    """Read every file into one :class:`BankSource`; raise listing every problem found."""
    intake = Intake()
    for path in paths:
        _read_file(Path(path), intake)
    return _assemble(intake, [str(p) for p in paths], manifest)


def _read_file(path: Path, intake: Intake) -> None:
    here = Location(str(path))
    if path.is_dir():
        raise SourceError(here, "a folder, not a file; give the files inside it")
    if not path.is_file():
        raise SourceError(here, "no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        spreadsheet.read_csv(path, intake)
    elif suffix == ".xlsx":
        spreadsheet.read_xlsx(path, intake)
    elif suffix == ".xls":
        raise SourceError(here, "an old .xls workbook; save it as .xlsx (or CSV UTF-8)")
    elif suffix in (".gift", ".txt"):
        gift.read_gift(path, intake)
    elif suffix == ".xml":
        _read_xml(path, intake)
    elif suffix == ".zip":
        qti.read_package(path, intake)
    else:
        raise SourceError(here, f"a file type that cannot be imported (use {SUFFIXES})")


def _read_xml(path: Path, intake: Intake) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(Location(str(path)), f"cannot be read ({exc.strerror})") from None
    root = xml_tree.parse(data, str(path))
    if root.tag == "quiz":
        moodle_xml.read_quiz(root, str(path), intake)
    elif qti.is_item(root):
        qti.read_item_file(path, root, intake)
    else:
        raise SourceError(
            Location(str(path), root.line),
            f"neither a Moodle XML quiz (<quiz>) nor a QTI 2.1 item (<assessmentItem>), "
            f"but <{root.tag}>",
        )


# ------------------------------------------------------------------ assembling


def _assemble(intake: Intake, files: list[str], manifest: Manifest | None) -> BankSource:
    placed = [(draft, *_place(draft, manifest)) for draft in intake.drafts]
    if manifest is None:
        manifest, placed = _built_manifest(placed)
    items: list[Item] = []
    origins: list[ItemSource] = []
    drafts: dict[str, Draft] = {}
    seen: dict[str, Location] = {}
    for draft, section_id, topic in placed:
        item_id = make_id(draft.id)
        where = at(draft.where, item_id=item_id or draft.id)
        if not item_id:
            intake.fail(
                at(where, draft.fields.get("id", "id")),
                f"the id {draft.id!r} has no letters or digits to make an id of",
            )
            continue
        if item_id in seen:
            intake.fail(
                at(where, draft.fields.get("id", "id")),
                f"duplicate id {item_id} (first at {seen[item_id]})",
            )
            continue
        seen[item_id] = type(where)(where.file, where.line)
        points = _points(draft, manifest.section(section_id), where, intake)
        if points is None or not draft.complete:
            continue
        items.append(
            Item(
                id=ItemId(item_id),
                section=SectionId(section_id),
                topic=topic,
                difficulty=draft.difficulty,
                stem=draft.stem,
                options=draft.options,
                points=points,
                keep_option_order=draft.keep_option_order,
                explanation=draft.explanation,
                meta=dict(draft.meta),
            )
        )
        origins.append(ItemSource(where.file, where.line))
        drafts[item_id] = draft
    source = BankSource(manifest, tuple(items), intake.images.images, None, tuple(origins))
    found = list(intake.problems)
    found.extend(_as_written(p, drafts) for p in validation_problems(source))
    if not items and not found:
        found.append(Problem(Location(", ".join(files) or "-"), "no items found in the files"))
    if found:
        found.sort(key=lambda p: (_file_order(p.location.file, files), p.location.line or 0))
        raise ValidationError(found)
    return source


def _file_order(file: str, files: list[str]) -> int:
    for n, name in enumerate(files):
        if file == name or file.startswith(name + ":"):
            return n
    return len(files)


def _as_written(problem: Problem, drafts: dict[str, Draft]) -> Problem:
    """A validation problem of a spreadsheet row, told in rows and the sheet's column names."""
    location = problem.location
    draft = drafts.get(location.item_id or "")
    if draft is None or not isinstance(draft.where, RowLocation):
        return problem
    field = location.field
    if field == "key" and not isinstance(draft.score, Key):
        field = "points"
    if field is not None:
        field = draft.fields.get(field, field)
    return Problem(
        RowLocation(location.file, location.line, field, location.item_id), problem.reason
    )


# ------------------------------------------------------------------ placing


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def _match_section(name: str, manifest: Manifest | None) -> str | None:
    if manifest is None:
        return None
    for section in manifest.sections:
        if section.id.lower() == name.strip().lower():
            return section.id
    return None


def _place(draft: Draft, manifest: Manifest | None) -> tuple[str, str]:
    placement = draft.placement
    section_id: str | None = None
    topic: str | None = None
    if placement.section is not None:
        section_id = _match_section(placement.section, manifest) or placement.section.strip()
        topic = placement.topic or DEFAULT_TOPIC
    else:
        path = placement.path
        for n in range(len(path) - 1, -1, -1):
            matched = _match_section(path[n], manifest)
            if matched is not None:
                section_id = matched
                topic = path[-1] if n < len(path) - 1 else DEFAULT_TOPIC
                break
        if section_id is None:
            section_id = path[-2] if len(path) >= 2 else DEFAULT_SECTION
            topic = path[-1] if path else DEFAULT_TOPIC
        if placement.topic:
            topic = placement.topic
    topic = (topic or DEFAULT_TOPIC).strip()
    section = manifest.section(section_id) if manifest is not None else None
    if section is not None:
        for known in section.topics:
            if _key(known) == _key(topic):
                return section_id, known
    return section_id, topic


def _built_manifest(
    placed: list[tuple[Draft, str, str]],
) -> tuple[Manifest, list[tuple[Draft, str, str]]]:
    """One free section per section found (ids compared ignoring case), scale 100."""
    spelling: dict[str, str] = {}
    options: dict[str, int] = {}
    renamed: list[tuple[Draft, str, str]] = []
    for draft, section_id, topic in placed:
        canonical = spelling.setdefault(section_id.lower(), section_id)
        options[canonical] = max(options.get(canonical, 0), len(draft.options))
        renamed.append((draft, canonical, topic))
    manifest = Manifest(
        bank_id=BankId("imported"),
        title="Imported items",
        language="id",
        sections=tuple(
            Section(SectionId(sid), sid, count, KeyRule(KeyRuleKind.FREE))
            for sid, count in options.items()
        ),
    )
    return manifest, renamed


# ------------------------------------------------------------------ points


def scale(section: Section | None) -> int:
    """What 100% is worth in a section."""
    if section is None:
        return FREE_SCALE
    rule = section.key_rule
    if rule.kind is KeyRuleKind.RIGHT_WRONG:
        return rule.points
    if rule.kind is KeyRuleKind.WEIGHTED:
        return max(rule.weights, default=FREE_SCALE)
    return FREE_SCALE


def _points(
    draft: Draft, section: Section | None, where: Location, intake: Intake
) -> dict[OptionLabel, int] | None:
    labels = option_labels(len(draft.options))
    score = draft.score
    if score is None:
        return None
    kind = section.key_rule.kind if section is not None else KeyRuleKind.FREE
    if isinstance(score, Points):
        return dict(zip(labels, score.values, strict=True))
    if isinstance(score, Key):
        if section is not None and kind is KeyRuleKind.WEIGHTED:
            intake.fail(
                at(where, draft.fields.get("key", "key")),
                f"section {section.id} is weighted: give the points of every option "
                f"({draft.fields.get('points', 'points')}), not a key",
            )
            return None
        return {label: (scale(section) if label == score.label else 0) for label in labels}
    if kind is KeyRuleKind.FREE and score.native is not None:
        return dict(zip(labels, score.native, strict=True))
    return _scaled(score, labels, section, where, intake)


def _scaled(
    score: Percentages,
    labels: tuple[OptionLabel, ...],
    section: Section | None,
    where: Location,
    intake: Intake,
) -> dict[OptionLabel, int] | None:
    worth = scale(section)
    points: dict[OptionLabel, int] = {}
    ok = True
    for label, share in zip(labels, score.values, strict=True):
        value = share * worth / 100
        whole = round(value)
        if abs(value - whole) > TOLERANCE:
            named = f"section {section.id}" if section is not None else "the section"
            intake.fail(
                at(where, "points"),
                f"option {label}: {float(share):g}% of {worth} points ({named}) is "
                f"{float(value):g}, not a whole number",
            )
            ok = False
        points[label] = whole
    return points if ok else None
