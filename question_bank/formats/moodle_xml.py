"""Items from a Moodle XML question export (root ``<quiz>``).

Only single-answer ``multichoice`` questions are items; a ``category``
question sets the category of the questions after it. Every other question
type is refused by name. Elements that only drive Moodle's own quiz player
(``defaultgrade``, ``penalty``, ``hidden``, ``answernumbering``,
``showstandardinstruction``, the combined ``correctfeedback`` /
``partiallycorrectfeedback`` / ``incorrectfeedback`` and ``hint``) are not
carried; a ``tag`` that names a difficulty (easy/medium/hard,
mudah/sedang/sulit) sets the item's difficulty.
"""

from __future__ import annotations

import base64
import binascii
from fractions import Fraction
from urllib.parse import unquote

from question_bank.errors import Location, SourceError, UnsupportedConstructError
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
from question_bank.formats.html_import import TextFormat, to_document
from question_bank.formats.images import ImageResolver, ImageStore, data_uri, refuse_remote
from question_bank.formats.xml_tree import Node
from question_bank.model import Difficulty, option_labels
from question_bank.richtext import Document

PLUGINFILE = "@@PLUGINFILE@@/"
FORMATS = {
    "html": TextFormat.HTML,
    "moodle_auto_format": TextFormat.MOODLE,
    "plain_text": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
DIFFICULTY_TAGS = {
    "easy": Difficulty.EASY,
    "mudah": Difficulty.EASY,
    "medium": Difficulty.MEDIUM,
    "sedang": Difficulty.MEDIUM,
    "hard": Difficulty.HARD,
    "sulit": Difficulty.HARD,
}
#: Category path components that only say where Moodle keeps the bank.
CONTEXT_ROOTS = ("$course$", "$system$", "$module$", "$coursecategory$", "$cat1$", "$cat2$")


def category_path(text: str) -> tuple[str, ...]:
    """``$course$/top/SKD/TWK/pancasila`` -> ("SKD", "TWK", "pancasila")."""
    parts = [p.strip() for p in text.replace("//", "\x00").split("/")]
    parts = [p.replace("\x00", "/") for p in parts if p]
    if parts and (parts[0].lower() in CONTEXT_ROOTS or parts[0].startswith("$")):
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return tuple(parts)


def read_quiz(root: Node, file: str, intake: Intake) -> None:
    category: tuple[str, ...] = ()
    for element in root.elements():
        if element.tag != "question":
            intake.fail(Location(file, element.line), f"unexpected element <{element.tag}>")
            continue
        kind = element.attrs.get("type", "")
        if kind == "category":
            category = category_path(_text(element.first("category")))
            continue
        where = Location(file, element.line)
        try:
            draft = _question(element, kind, where, category, intake)
        except SourceError as exc:
            intake.refuse(exc)
            continue
        if draft is not None:
            intake.drafts.append(draft)


def _text(node: Node | None) -> str:
    """The ``<text>`` of a Moodle element (or its own text when it has none)."""
    if node is None:
        return ""
    inner = node.first("text")
    return (inner if inner is not None else node).text()


def _question(
    question: Node, kind: str, where: Location, category: tuple[str, ...], intake: Intake
) -> Draft | None:
    name = _text(question.first("name")).strip()
    idnumber = (question.child_text("idnumber") or "").strip()
    raw_id = idnumber or name
    where = at(where, item_id=slug(raw_id) or raw_id or None)
    if kind != "multichoice":
        raise UnsupportedConstructError(where, f"Moodle question type '{kind or '(none)'}'")
    if (question.child_text("single") or "true").strip().lower() in ("false", "0"):
        raise UnsupportedConstructError(where, "Moodle multichoice with multiple answers")
    if not raw_id:
        raise SourceError(at(where, "name"), "the question has neither a name nor an idnumber")
    before = len(intake.problems)
    resolver = _resolver(question, intake.images)

    def document(node: Node | None, field: str) -> Document:
        if node is None:
            return ()
        text_format = FORMATS.get(node.attrs.get("format", "html"), TextFormat.HTML)
        try:
            return to_document(_text(node), text_format, at(where, field), resolver)
        except SourceError as exc:
            intake.refuse(exc)
            return ()

    stem = document(question.first("questiontext"), "questiontext")
    answers = list(question.elements("answer"))
    labels = option_labels(min(len(answers), 10))
    if len(answers) > len(labels):
        intake.fail(at(where, "answer"), f"{len(answers)} answers; an item has at most 10")
    options: list[Document] = []
    fractions: list[Fraction] = []
    feedback: list[Document] = []
    for label, answer in zip(labels, answers, strict=False):
        options.append(document(answer, f"answer {label}"))
        value = percent(answer.attrs.get("fraction", "0"))
        if value is None or not -100 <= value <= 100:
            intake.fail(
                Location(where.file, answer.line, f"answer {label}", where.item_id),
                f"fraction {answer.attrs.get('fraction')!r} is not a percentage from -100 to 100",
            )
            value = Fraction(0)
        fractions.append(value)
        answer_feedback = document(answer.first("feedback"), f"feedback {label}")
        if answer_feedback:
            feedback.append(labelled(label, answer_feedback))
    explanation = document(question.first("generalfeedback"), "generalfeedback")
    for part in feedback:
        explanation = (*explanation, *part)
    shuffle = (question.child_text("shuffleanswers") or "1").strip().lower()
    complete = len(intake.problems) == before
    return Draft(
        id=raw_id,
        where=where,
        placement=Placement(path=category),
        stem=stem,
        options=tuple(options),
        score=Percentages(tuple(fractions)),
        difficulty=_difficulty(question),
        keep_option_order=shuffle in ("0", "false"),
        explanation=explanation,
        complete=complete,
    )


def _difficulty(question: Node) -> Difficulty:
    tags = question.first("tags")
    if tags is not None:
        for tag in tags.elements("tag"):
            found = DIFFICULTY_TAGS.get(_text(tag).strip().lower())
            if found is not None:
                return found
    return Difficulty.MEDIUM


def _resolver(question: Node, store: ImageStore) -> ImageResolver:
    """Images embedded in the question (``<file>``), referenced as ``@@PLUGINFILE@@/name``."""
    files: dict[str, Node] = {}
    for node in question.descendants():
        if node.tag == "file" and node.attrs.get("name"):
            folder = node.attrs.get("path", "/").strip("/")
            files[f"{folder}/{node.attrs['name']}".lstrip("/")] = node

    def resolve(src: str, where: Location) -> str:
        embedded = data_uri(src, where)
        if embedded is not None:
            return store.add(*embedded)
        if not src.startswith(PLUGINFILE):
            refuse_remote(src, where)
            raise SourceError(where, f"image {src!r} is not embedded in the question")
        name = unquote(src[len(PLUGINFILE) :].split("?", 1)[0])
        node = files.get(name)
        if node is None:
            raise SourceError(where, f"image {name!r} is referenced but not embedded (<file>)")
        if node.attrs.get("encoding", "base64") != "base64":
            raise SourceError(where, f"image {name!r} is not base64-encoded")
        try:
            data = base64.b64decode("".join(node.text().split()), validate=True)
        except (binascii.Error, ValueError):
            raise SourceError(where, f"image {name!r} is not valid base64") from None
        return store.add(name, data)

    return resolve
