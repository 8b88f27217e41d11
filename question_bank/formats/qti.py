"""IMS QTI 2.1: items read from ``assessmentItem`` files and content packages, and written.

Reading takes an item with exactly one ``choiceInteraction`` (one choice per
response) scored by a response-processing template: ``match_correct`` (the
correct response is the right option) or ``map_response`` (each option's
``mappedValue``, relative to the largest, is its share of the section's points
scale). Other interactions, several choices per response, custom response
processing and template processing are refused by name.

Where an item goes: the package manifest's LOM metadata for the item's
resource may carry keywords ``cbt:section=TWK``, ``cbt:topic=pancasila``,
``cbt:difficulty=hard`` (``section``/``bagian``, ``topic``/``topik``,
``difficulty``/``tingkat`` with ``=`` or ``:`` are read too), and the LOM
``educational/difficulty``. Without a section keyword the item's folders in the
package (less a leading ``items/``) are read like a Moodle category path. A
single item file has no package and so no metadata: it goes to section "UMUM",
topic "umum".

Writing (:func:`export_qti`) makes a content package: ``imsmanifest.xml`` with
one ``imsqti_item_xmlv2p1`` resource per item (its item file and images, and
the keywords above plus ``cbt:id``, ``cbt:points`` and ``cbt:meta``), one
``items/<id>.xml`` per item and the images under ``images/``. Reading that
package with the same manifest gives the same items back.
"""

from __future__ import annotations

import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from fractions import Fraction
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from question_bank.errors import Location, SourceError, UnsupportedConstructError, ValidationError
from question_bank.formats.draft import (
    Draft,
    Intake,
    Percentages,
    Placement,
    at,
    labelled,
    percent,
    slug,
)
from question_bank.formats.html_import import html_to_document
from question_bank.formats.images import (
    MAX_READ_BYTES,
    ImageResolver,
    ImageStore,
    data_uri,
    folder_resolver,
    refuse_remote,
)
from question_bank.formats.xml_tree import Node, parse, to_html
from question_bank.model import BankSource, Difficulty, Item, option_labels
from question_bank.richtext import (
    Document,
    Image,
    Inlines,
    LineBreak,
    ListBlock,
    Paragraph,
    Table,
    images,
)
from question_bank.validation import problems as validation_problems

QTI_NAMESPACE = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
MD_NAMESPACE = "http://www.imsglobal.org/xsd/imsmd_v1p2"
QTI_MD_NAMESPACE = "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
ITEM_RESOURCE = "imsqti_item_xmlv2p1"
MANIFEST = "imsmanifest.xml"
#: Elements of QTI (not XHTML) that an item of this bank cannot hold.
QTI_ONLY = frozenset(
    {
        "printedVariable", "templateBlock", "templateInline", "include", "infoControl",
        "positionObjectStage", "gap", "hottext", "gapText", "gapImg", "associableHotspot",
        "hotspotChoice", "simpleAssociableChoice", "inlineChoice", "prompt", "simpleChoice",
    }
)  # fmt: skip
FEEDBACK = frozenset({"feedbackBlock", "feedbackInline"})
LOM_DIFFICULTY = {
    "very easy": Difficulty.EASY,
    "easy": Difficulty.EASY,
    "medium": Difficulty.MEDIUM,
    "difficult": Difficulty.HARD,
    "very difficult": Difficulty.HARD,
}
KEYWORD_FIELDS = {
    "id": "id",
    "section": "section",
    "bagian": "section",
    "topic": "topic",
    "topik": "topic",
    "difficulty": "difficulty",
    "tingkat": "difficulty",
    "points": "points",
    "meta": "meta",
}


# ------------------------------------------------------------------ reading


@dataclass
class _Metadata:
    """What a package's manifest says about one item."""

    values: dict[str, str] = field(default_factory=dict)
    lom_difficulty: str | None = None

    def difficulty(self) -> Difficulty:
        text = (self.values.get("difficulty") or self.lom_difficulty or "").strip().lower()
        known = {d.value: d for d in Difficulty} | LOM_DIFFICULTY
        known |= {"mudah": Difficulty.EASY, "sedang": Difficulty.MEDIUM, "sulit": Difficulty.HARD}
        return known.get(text, Difficulty.MEDIUM)


def is_item(root: Node) -> bool:
    return root.tag == "assessmentItem"


def read_item_file(path: Path, root: Node, intake: Intake) -> None:
    """A single item file; its images are read from beside it."""
    resolver = folder_resolver(path.parent, intake.images)
    _read(root, Location(str(path), root.line), resolver, _Metadata(), (), intake)


def read_package(path: Path, intake: Intake) -> None:
    """An IMS content package (zip) of QTI 2.1 items, listed in its imsmanifest.xml."""
    file = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(Location(file), f"not a readable zip file ({exc})") from None
    with archive:
        package = _Package(archive, file)
        manifest = parse(package.read(MANIFEST, Location(file)), f"{file}:{MANIFEST}")
        found = 0
        for resource in manifest.descendants():
            if resource.tag != "resource":
                continue
            kind = resource.attrs.get("type", "")
            where = Location(f"{file}:{MANIFEST}", resource.line)
            if kind.startswith("imsqti_") and kind != ITEM_RESOURCE:
                if "item" in kind or "xmlv1" in kind:
                    intake.refuse(UnsupportedConstructError(where, f"QTI resource type '{kind}'"))
                continue  # tests and sections: the items are resources of their own
            if kind != ITEM_RESOURCE:
                continue
            found += 1
            href = resource.attrs.get("href", "")
            try:
                _read_packaged_item(package, href, resource, where, intake)
            except SourceError as exc:
                intake.refuse(exc)
        if not found:
            intake.fail(
                Location(f"{file}:{MANIFEST}"), "the package lists no QTI 2.1 item resource"
            )


class _Package:
    def __init__(self, archive: zipfile.ZipFile, file: str) -> None:
        self.archive = archive
        self.file = file
        names = archive.namelist()
        self.prefix = ""
        if MANIFEST not in names:
            roots = {n.split("/", 1)[0] for n in names if n.endswith("/" + MANIFEST)}
            if len(roots) != 1:
                raise SourceError(Location(file), f"the package has no {MANIFEST}")
            self.prefix = roots.pop() + "/"

    def read(self, name: str, where: Location) -> bytes:
        try:
            info = self.archive.getinfo(self.prefix + name)
        except KeyError:
            raise SourceError(where, f"{name!r} is not in the package") from None
        if info.file_size > MAX_READ_BYTES:
            raise SourceError(where, f"{name!r} is {info.file_size:,} bytes; far too large")
        try:
            return self.archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SourceError(where, f"{name!r} cannot be read ({exc})") from None

    def resolver(self, item_path: PurePosixPath, store: ImageStore) -> ImageResolver:
        def resolve(src: str, where: Location) -> str:
            embedded = data_uri(src, where)
            if embedded is not None:
                return store.add(*embedded)
            refuse_remote(src, where)
            joined = posixpath.normpath(posixpath.join(str(item_path.parent), unquote(src)))
            if joined.startswith(("../", "/")) or joined == "..":
                raise SourceError(where, f"image {src!r} is outside the package")
            return store.add(joined, self.read(joined, where))

        return resolve


def _read_packaged_item(
    package: _Package, href: str, resource: Node, where: Location, intake: Intake
) -> None:
    clean = posixpath.normpath(unquote(href)) if href else ""
    if not clean or clean.startswith(("../", "/")):
        raise SourceError(at(where, "href"), f"item resource with a bad href {href!r}")
    label = f"{package.file}:{clean}"
    root = parse(package.read(clean, where), label)
    if not is_item(root):
        raise SourceError(Location(label, root.line), f"not a QTI assessmentItem (<{root.tag}>)")
    folders = [p for p in PurePosixPath(clean).parent.parts if p not in (".", "")]
    if folders and folders[0].lower() == "items":
        folders = folders[1:]
    resolver = package.resolver(PurePosixPath(clean), intake.images)
    _read(root, Location(label, root.line), resolver, _metadata(resource), tuple(folders), intake)


def _metadata(resource: Node) -> _Metadata:
    metadata = _Metadata()
    for node in resource.descendants():
        if node.tag == "keyword":
            strings = [c for c in node.elements() if c.tag in ("langstring", "string")]
            for text in [s.text() for s in strings] or [node.text()]:
                _keyword(text.strip(), metadata)
        elif node.tag == "difficulty":
            values = [c for c in node.descendants() if c.tag == "value"]
            if values:
                metadata.lom_difficulty = values[0].text().strip()
    return metadata


def _keyword(text: str, metadata: _Metadata) -> None:
    if text.lower().startswith("cbt:"):
        text = text[4:]
    separator = "=" if "=" in text else ":"
    name, found, value = text.partition(separator)
    key = KEYWORD_FIELDS.get(name.strip().lower())
    if found and key is not None and value.strip():
        metadata.values[key] = value.strip()


def _read(
    root: Node,
    where: Location,
    resolver: ImageResolver,
    metadata: _Metadata,
    folders: tuple[str, ...],
    intake: Intake,
) -> None:
    try:
        draft = _item(root, where, resolver, metadata, folders, intake)
    except SourceError as exc:
        intake.refuse(exc)
        return
    if draft is not None:
        intake.drafts.append(draft)


def _item(
    root: Node,
    where: Location,
    resolver: ImageResolver,
    metadata: _Metadata,
    folders: tuple[str, ...],
    intake: Intake,
) -> Draft | None:
    raw_id = metadata.values.get("id") or root.attrs.get("identifier", "").strip()
    where = at(where, item_id=slug(raw_id) or raw_id or None)
    if root.namespace != QTI_NAMESPACE:
        version = root.namespace.rsplit("/", 1)[-1] or "no namespace"
        raise UnsupportedConstructError(where, f"QTI version {version} (only QTI 2.1 is read)")
    if not raw_id:
        raise SourceError(at(where, "identifier"), "the item has no identifier")
    if root.attrs.get("adaptive", "false") == "true":
        raise UnsupportedConstructError(where, "QTI adaptive item")
    for tag in ("templateDeclaration", "templateProcessing"):
        if root.first(tag) is not None:
            raise UnsupportedConstructError(where, f"QTI {tag}")
    body = root.first("itemBody")
    if body is None:
        raise SourceError(at(where, "itemBody"), "the item has no itemBody")
    interaction = _interaction(body, where)
    declaration = _declaration(root, interaction, where)
    choices = list(interaction.elements("simpleChoice"))
    if not 1 <= len(choices) <= 10:
        raise SourceError(at(where, "choiceInteraction"), f"{len(choices)} choices; 1 to 10")
    identifiers = [c.attrs.get("identifier", "") for c in choices]
    labels = option_labels(len(choices))
    fractions = _fractions(root, declaration, identifiers, where)
    before = len(intake.problems)

    explanation_parts: list[tuple[str | None, list[Node | str]]] = []

    def document(nodes: list[Node | str], field: str) -> Document:
        try:
            return html_to_document(to_html(nodes), at(where, field), resolver)
        except SourceError as exc:
            intake.refuse(exc)
            return ()

    try:
        stem_nodes = _content(body.children, interaction, None, explanation_parts, where)
        option_nodes = [
            _content(choice.children, None, label, explanation_parts, where)
            for label, choice in zip(labels, choices, strict=True)
        ]
    except SourceError as exc:
        intake.refuse(exc)
        return None
    stem = document(stem_nodes, "itemBody")
    options = tuple(
        document(nodes, f"simpleChoice {label}")
        for label, nodes in zip(labels, option_nodes, strict=True)
    )
    for feedback in root.elements("modalFeedback"):
        explanation_parts.append((None, feedback.children))
    explanation: Document = ()
    for label, nodes in explanation_parts:
        part = document(nodes, "feedback")
        explanation = (*explanation, *(labelled(label, part) if label and part else part))

    shuffle = interaction.attrs.get("shuffle", "false") == "true"
    fixed = any(c.attrs.get("fixed", "false") == "true" for c in choices)
    native = _native_points(metadata, len(choices), where, intake)
    meta = _meta(metadata, where, intake)
    complete = len(intake.problems) == before
    section = metadata.values.get("section")
    placement = (
        Placement(section=section, topic=metadata.values.get("topic") or "umum")
        if section
        else Placement(topic=metadata.values.get("topic"), path=folders)
    )
    return Draft(
        id=raw_id,
        where=where,
        placement=placement,
        stem=stem,
        options=options,
        score=Percentages(fractions, native),
        difficulty=metadata.difficulty(),
        keep_option_order=not shuffle or fixed,
        explanation=explanation,
        meta=meta,
        complete=complete,
    )


def _interaction(body: Node, where: Location) -> Node:
    interactions = [
        n
        for n in body.descendants()
        if n.tag.endswith("Interaction") or n.tag == "positionObjectStage"
    ]
    others = sorted({n.tag for n in interactions} - {"choiceInteraction"})
    if others:
        raise UnsupportedConstructError(where, "QTI " + ", ".join(others))
    choices = [n for n in interactions if n.tag == "choiceInteraction"]
    if not choices:
        raise SourceError(at(where, "itemBody"), "the item has no choiceInteraction")
    if len(choices) > 1:
        raise UnsupportedConstructError(where, "QTI item with several choiceInteractions")
    interaction = choices[0]
    max_choices = interaction.attrs.get("maxChoices", "1").strip()
    if max_choices != "1":
        shown = "0 (any number)" if max_choices == "0" else max_choices
        raise UnsupportedConstructError(where, f"QTI choiceInteraction with maxChoices={shown}")
    return interaction


def _declaration(root: Node, interaction: Node, where: Location) -> Node:
    response = interaction.attrs.get("responseIdentifier", "")
    for declaration in root.elements("responseDeclaration"):
        if declaration.attrs.get("identifier") == response:
            cardinality = declaration.attrs.get("cardinality", "single")
            if cardinality != "single":
                raise UnsupportedConstructError(where, f"QTI response cardinality '{cardinality}'")
            return declaration
    raise SourceError(at(where, "responseDeclaration"), f"no responseDeclaration for {response!r}")


def _fractions(
    root: Node, declaration: Node, identifiers: list[str], where: Location
) -> tuple[Fraction, ...]:
    processing = root.first("responseProcessing")
    if processing is None:
        raise UnsupportedConstructError(where, "QTI item without responseProcessing")
    if any(True for _ in processing.elements()):
        raise UnsupportedConstructError(where, "QTI custom responseProcessing")
    template = processing.attrs.get("template") or processing.attrs.get("templateLocation", "")
    name = template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xml")
    here = at(where, "responseDeclaration")
    if name == "match_correct":
        correct = declaration.first("correctResponse")
        values = (
            [v.text().strip() for v in correct.elements("value")] if correct is not None else []
        )
        if len(values) != 1:
            raise SourceError(here, "match_correct needs exactly one correct response value")
        if values[0] not in identifiers:
            raise SourceError(here, f"the correct response {values[0]!r} is not a choice")
        return tuple(Fraction(100 if i == values[0] else 0) for i in identifiers)
    if name == "map_response":
        mapping = declaration.first("mapping")
        if mapping is None:
            raise SourceError(here, "map_response needs a <mapping>")
        default = percent(mapping.attrs.get("defaultValue", "0"))
        if default is None:
            raise SourceError(here, "the mapping's defaultValue is not a number")
        mapped: dict[str, Fraction] = {}
        for entry in mapping.elements("mapEntry"):
            key = entry.attrs.get("mapKey", "")
            value = percent(entry.attrs.get("mappedValue", ""))
            if value is None:
                raise SourceError(here, f"the mappedValue of {key!r} is not a number")
            if key not in identifiers:
                raise SourceError(here, f"the mapping names {key!r}, which is not a choice")
            mapped[key] = value
        values_by_choice = [mapped.get(i, default) for i in identifiers]
        top = max(values_by_choice)
        if top <= 0:
            raise SourceError(here, "no choice is mapped to a positive value")
        return tuple(v / top * 100 for v in values_by_choice)
    raise UnsupportedConstructError(where, f"QTI responseProcessing template '{name or template}'")


def _content(
    nodes: list[Node | str],
    interaction: Node | None,
    label: str | None,
    explanation: list[tuple[str | None, list[Node | str]]],
    where: Location,
) -> list[Node | str]:
    """XHTML content with the QTI parts taken out: the prompt stays, feedback goes aside."""
    out: list[Node | str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node is interaction:
            prompt = node.first("prompt")
            if prompt is not None:
                out.append(Node("div", "", {}, prompt.line, list(prompt.children)))
        elif node.tag in FEEDBACK:
            explanation.append((label, node.children))
        elif node.tag == "rubricBlock":
            if "candidate" in node.attrs.get("view", "").split():
                out.extend(_content(node.children, interaction, label, explanation, where))
            else:
                explanation.append((None, node.children))
        elif node.tag in QTI_ONLY:
            raise UnsupportedConstructError(at(where, "itemBody"), f"QTI {node.tag}")
        else:
            children = _content(node.children, interaction, label, explanation, where)
            out.append(Node(node.tag, node.namespace, node.attrs, node.line, children))
    return out


def _native_points(
    metadata: _Metadata, count: int, where: Location, intake: Intake
) -> tuple[int, ...] | None:
    text = metadata.values.get("points")
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(int(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != count:
        intake.fail(at(where, "cbt:points"), f"keyword cbt:points={text} does not fit the item")
        return None
    return values


def _meta(metadata: _Metadata, where: Location, intake: Intake) -> dict[str, str | int]:
    text = metadata.values.get("meta")
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in data.values()
    ):
        intake.fail(at(where, "cbt:meta"), "keyword cbt:meta is not a JSON object of texts")
        return {}
    return {str(k): v for k, v in data.items()}


# ------------------------------------------------------------------ writing


def export_qti(source: BankSource, out: Path) -> None:
    """Write the bank's items as an IMS content package of QTI 2.1 items (a zip at ``out``)."""
    found = validation_problems(source)
    if found:
        raise ValidationError(found)
    paths = _image_paths(source)
    entries: list[tuple[str, bytes]] = []
    resources: list[str] = []
    for item in source.items:
        href = f"items/{item.id}.xml"
        used = sorted(
            {paths[name] for doc in (item.stem, *item.options, item.explanation)
             for name in images(doc)}
        )  # fmt: skip
        entries.append((href, _item_xml(item, source, paths).encode("utf-8")))
        resources.append(_resource_xml(item, source, href, used))
    for name, path in sorted(paths.items(), key=lambda pair: pair[1]):
        entries.append((path, source.images[name]))
    entries.insert(0, (MANIFEST, _manifest_xml(source, resources).encode("utf-8")))
    temporary = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        temporary.replace(out)
    finally:
        temporary.unlink(missing_ok=True)


def _image_paths(source: BankSource) -> dict[str, str]:
    """Each image the items use -> its path in the package (``images/...``)."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for item in source.items:
        for document in (item.stem, *item.options, item.explanation):
            for name in images(document):
                if name in paths:
                    continue
                parts = PurePosixPath(name).parts
                inner = parts[1:] if len(parts) > 1 and parts[0] == "gambar" else parts
                path = "images/" + "/".join(inner)
                if path in taken:
                    path = "images/" + "/".join(parts)
                paths[name] = path
                taken.add(path)
    return paths


def _attr(value: str) -> str:
    return escape(_xml_chars(value), quote=True)


def _text(value: str) -> str:
    return escape(_xml_chars(value), quote=False)


def _xml_chars(value: str) -> str:
    """Only characters XML 1.0 allows (control characters would make the file unreadable)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)


def _item_xml(item: Item, source: BankSource, paths: dict[str, str]) -> str:
    labels = item.labels
    points = [item.points.get(label, 0) for label in labels]
    top = max(points)
    right = [label for label, p in zip(labels, points, strict=True) if p == top]
    match_correct = sum(1 for p in points if p != 0) == 1 and top > 0
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<assessmentItem xmlns="{QTI_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{QTI_NAMESPACE} '
        'http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" '
        f'identifier="{_attr(_qti_identifier(item.id))}" title="{_attr(item.id)}" '
        f'xml:lang="{_attr(source.manifest.language)}" '
        'adaptive="false" timeDependent="false">',
        '  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">',
        f"    <correctResponse><value>{right[0]}</value></correctResponse>",
    ]
    if not match_correct:
        lines.append('    <mapping defaultValue="0">')
        lines.extend(
            f'      <mapEntry mapKey="{label}" mappedValue="{p}"/>'
            for label, p in zip(labels, points, strict=True)
        )
        lines.append("    </mapping>")
    lines += [
        "  </responseDeclaration>",
        '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">',
        "    <defaultValue><value>0</value></defaultValue>",
        "  </outcomeDeclaration>",
        '  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">',
        f"    <defaultValue><value>{top if not match_correct else 1}</value></defaultValue>",
        "  </outcomeDeclaration>",
    ]
    if item.explanation:
        lines.append(
            '  <outcomeDeclaration identifier="FEEDBACK" cardinality="single" '
            'baseType="identifier"/>'
        )
    lines.append("  <itemBody>")
    lines.append("    " + _xhtml(item.stem, paths))
    shuffle = "false" if item.keep_option_order else "true"
    lines.append(
        f'    <choiceInteraction responseIdentifier="RESPONSE" shuffle="{shuffle}" maxChoices="1">'
    )
    for label, option in zip(labels, item.options, strict=True):
        lines.append(
            f'      <simpleChoice identifier="{label}">{_xhtml(option, paths)}</simpleChoice>'
        )
    lines += ["    </choiceInteraction>", "  </itemBody>"]
    template = "match_correct" if match_correct else "map_response"
    lines.append(f'  <responseProcessing template="{TEMPLATES}{template}"/>')
    if item.explanation:
        lines.append(
            '  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="PEMBAHASAN" '
            f'showHide="show">{_xhtml(item.explanation, paths)}</modalFeedback>'
        )
    lines.append("</assessmentItem>")
    return "\n".join(lines) + "\n"


def _qti_identifier(item_id: str) -> str:
    """QTI identifiers start with a letter or '_'; our ids may start with a digit."""
    return item_id if item_id[:1].isalpha() or item_id[:1] == "_" else f"item-{item_id}"


def _xhtml(document: Document, paths: dict[str, str]) -> str:
    out: list[str] = []
    for block in document:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_inlines(block.inlines)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            out.append(
                f"<{tag}>" + "".join(f"<li>{_inlines(i)}</li>" for i in block.items) + f"</{tag}>"
            )
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Image):
            src = "../" + paths[block.source]
            out.append(f'<p><img src="{_attr(src)}" alt="{_attr(block.alt)}"/></p>')
    return "".join(out)


def _table(table: Table) -> str:
    def row(cells: tuple[Inlines, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{_inlines(c)}</{tag}>" for c in cells) + "</tr>"

    if not table.rows:  # QTI wants at least one body row
        return f"<table><tbody>{row(table.header, 'th')}</tbody></table>"
    body = "".join(row(r, "td") for r in table.rows)
    return f"<table><thead>{row(table.header, 'th')}</thead><tbody>{body}</tbody></table>"


def _inlines(inlines: Inlines) -> str:
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            parts.append("<br/>")
            continue
        text = _text(inline.text)
        if inline.italic:
            text = f"<i>{text}</i>"
        if inline.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def _keyword_xml(value: str) -> str:
    return (
        f'<imsmd:keyword><imsmd:langstring xml:lang="x-none">{_text(value)}'
        "</imsmd:langstring></imsmd:keyword>"
    )


def _resource_xml(item: Item, source: BankSource, href: str, used: list[str]) -> str:
    language = _attr(source.manifest.language)
    keywords = [
        f"cbt:id={item.id}",
        f"cbt:section={item.section}",
        f"cbt:topic={item.topic}",
        f"cbt:difficulty={item.difficulty.value}",
        "cbt:points=" + ",".join(str(item.points.get(label, 0)) for label in item.labels),
    ]
    if item.meta:
        keywords.append("cbt:meta=" + json.dumps(dict(item.meta), ensure_ascii=False))
    lom_difficulty = {"easy": "easy", "medium": "medium", "hard": "difficult"}[
        item.difficulty.value
    ]
    files = "".join(f'<file href="{_attr(path)}"/>' for path in (href, *used))
    return (
        f'<resource identifier="{_attr("RES-" + item.id)}" type="{ITEM_RESOURCE}" '
        f'href="{_attr(href)}">'
        "<metadata><schema>IMS QTI Item</schema><schemaversion>2.1</schemaversion>"
        "<imsmd:lom><imsmd:general>"
        f"<imsmd:identifier>{_text(item.id)}</imsmd:identifier>"
        f'<imsmd:title><imsmd:langstring xml:lang="{language}">{_text(item.id)}'
        "</imsmd:langstring></imsmd:title>"
        + "".join(_keyword_xml(k) for k in keywords)
        + "</imsmd:general><imsmd:educational><imsmd:difficulty>"
        '<imsmd:source><imsmd:langstring xml:lang="x-none">LOMv1.0</imsmd:langstring>'
        '</imsmd:source><imsmd:value><imsmd:langstring xml:lang="x-none">'
        f"{lom_difficulty}</imsmd:langstring></imsmd:value></imsmd:difficulty>"
        "</imsmd:educational></imsmd:lom>"
        "<imsqti:qtiMetadata><imsqti:interactionType>choiceInteraction"
        "</imsqti:interactionType>"
        "<imsqti:toolName>CBT Station</imsqti:toolName>"
        "</imsqti:qtiMetadata></metadata>"
        f"{files}</resource>"
    )


def _manifest_xml(source: BankSource, resources: list[str]) -> str:
    manifest = source.manifest
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest xmlns="{CP_NAMESPACE}" xmlns:imsmd="{MD_NAMESPACE}" '
        f'xmlns:imsqti="{QTI_MD_NAMESPACE}" '
        f'identifier="{_attr("MANIFEST-" + manifest.bank_id)}">\n'
        "<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
        f'<imsmd:lom><imsmd:general><imsmd:title><imsmd:langstring xml:lang="'
        f'{_attr(manifest.language)}">{_text(manifest.title)}</imsmd:langstring>'
        "</imsmd:title></imsmd:general></imsmd:lom></metadata>\n"
        "<organizations/>\n<resources>\n" + "\n".join(resources) + "\n</resources>\n</manifest>\n"
    )
