"""Items from a GIFT file (Moodle's plain-text question format).

Questions are separated by blank lines (a blank line inside an unclosed
``{...}`` does not end the question). Lines starting with ``//`` are comments.
``$CATEGORY: a/b/SECTION/topic`` sets the category of the questions after it.

A question is ``::title:: [format] text {answers}``. Only multiple choice is an
item: ``=`` marks a right answer (100%), ``~`` a wrong one (0%), ``~%50%``
(or ``=%50%``) gives a percentage; ``#feedback`` after an answer and
``####general feedback`` at the end of the block go into the explanation. At
least one answer must earn 100% by itself: a block where no answer does
(``{~%50%a ~%50%b ~%-100%c}``) asks for several answers together, which an
item of this bank (one option per response) cannot say, and is refused as a
multiple-answer question. Every other kind of question is refused by name:
true/false, short answer, matching, numerical, essay, missing word (text after
the answer block) and description (no answer block).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

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
from question_bank.formats.images import ImageResolver, folder_resolver
from question_bank.formats.moodle_xml import category_path
from question_bank.model import option_labels
from question_bank.richtext import Document

#: Escaped characters are swapped for private-use characters while the structure is read.
_ESCAPED = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004",
            "}": "\ue005", ":": "\ue006", "n": "\ue007"}  # fmt: skip
_RESTORED = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _ESCAPED.items()})
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_WEIGHT = re.compile(r"^\s*%([^%]*)%")
_FORMATS = {
    "html": TextFormat.HTML,
    "markdown": TextFormat.MARKDOWN,
    "plain": TextFormat.PLAIN,
    "moodle": TextFormat.MOODLE,
}


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(0)), text)


def _restore(text: str) -> str:
    return text.translate(_RESTORED)


def read_gift(path: Path, intake: Intake) -> None:
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(Location(file), f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(Location(file, line), "not UTF-8 text") from None
    for n, text_line in enumerate(text.splitlines(), start=1):
        if any(ch in text_line for ch in _ESCAPED.values()):
            raise SourceError(Location(file, n), "private-use characters U+E000..U+E007")
    resolver = folder_resolver(path.parent, intake.images)
    category: tuple[str, ...] = ()
    number = 0
    for line, block in _blocks(text):
        if block.startswith("$CATEGORY:"):
            first, _, rest = block.partition("\n")
            category = category_path(_restore(first[len("$CATEGORY:") :]))
            if not rest.strip():
                continue
            block, line = rest.strip(), line + 1
        number += 1
        fallback_id = f"{slug(path.stem) or 'gift'}-{number:03d}"
        try:
            draft = _question(block, Location(file, line), fallback_id, category, resolver, intake)
        except SourceError as exc:
            intake.refuse(exc)
            continue
        if draft is not None:
            intake.drafts.append(draft)


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line, protected text) of each question; comments dropped."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    open_braces = 0
    blank_inside = False
    for n, raw_line in enumerate(text.splitlines(), start=1):
        if raw_line.lstrip().startswith("//"):
            continue
        line = _protect(raw_line)
        if not line.strip():
            if open_braces <= 0 and current:
                blocks.append((start, current))
                current = []
            blank_inside = bool(current)
            continue
        if current and blank_inside and line.lstrip().startswith(("::", "$CATEGORY:")):
            # An unclosed block does not swallow the next question.
            blocks.append((start, current))
            current = []
        blank_inside = False
        if not current:
            start = n
            open_braces = 0
        current.append(line)
        open_braces += line.count("{") - line.count("}")
    if current:
        blocks.append((start, current))
    return [(start, "\n".join(lines).strip()) for start, lines in blocks]


def _question(
    block: str,
    where: Location,
    fallback_id: str,
    category: tuple[str, ...],
    resolver: ImageResolver,
    intake: Intake,
) -> Draft | None:
    text = block
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise SourceError(where, "the title is not closed with '::'")
        title = _restore(text[2:end]).strip()
        text = text[end + 2 :].strip()
    raw_id = title or fallback_id
    where = at(where, item_id=slug(raw_id) or raw_id)
    text_format = TextFormat.MOODLE
    marker = _FORMAT.match(text)
    if marker is not None:
        text_format = _FORMATS[marker.group(1).lower()]
        text = text[marker.end() :]
    opening = text.find("{")
    if opening < 0:
        raise UnsupportedConstructError(where, "GIFT description (text without an answer block)")
    closing = text.find("}", opening)
    if closing < 0:
        raise SourceError(where, "the answer block has no closing '}'")
    if text[closing + 1 :].strip():
        raise UnsupportedConstructError(
            where, "GIFT missing-word question (text after the answer block)"
        )
    stem_text = text[:opening].strip()
    answers = _answers(text[opening + 1 : closing], where)
    before = len(intake.problems)

    def document(raw: str, field: str, default: TextFormat) -> Document:
        chosen = default
        marker = _FORMAT.match(raw)
        if marker is not None:
            chosen = _FORMATS[marker.group(1).lower()]
            raw = raw[marker.end() :]
        try:
            return to_document(_restore(raw).strip(), chosen, at(where, field), resolver)
        except SourceError as exc:
            intake.refuse(exc)
            return ()

    stem = document(stem_text, "stem", text_format)
    options: list[Document] = []
    fractions: list[Fraction] = []
    feedback: list[Document] = []
    labels = option_labels(10)
    if len(answers.choices) > len(labels):
        raise SourceError(at(where, "answers"), "more than 10 answers")
    for label, (answer_text, fraction, answer_feedback) in zip(
        labels, answers.choices, strict=False
    ):
        options.append(document(answer_text, f"answer {label}", text_format))
        fractions.append(fraction)
        if answer_feedback.strip():
            part = document(answer_feedback, f"feedback {label}", text_format)
            if part:
                feedback.append(labelled(label, part))
    explanation = document(answers.general, "general feedback", text_format)
    for part in feedback:
        explanation = (*explanation, *part)
    complete = len(intake.problems) == before
    return Draft(
        id=raw_id,
        where=where,
        placement=Placement(path=category),
        stem=stem,
        options=tuple(options),
        score=Percentages(tuple(fractions)),
        explanation=explanation,
        complete=complete,
    )


class _Answers:
    def __init__(self) -> None:
        self.choices: list[tuple[str, Fraction, str]] = []
        self.general = ""


def _answers(block: str, where: Location) -> _Answers:
    content = block.strip()
    if not content:
        raise UnsupportedConstructError(where, "GIFT essay question ({})")
    if content.startswith("#"):
        raise UnsupportedConstructError(where, "GIFT numerical question ({#...})")
    if _TRUE_FALSE.match(content):
        raise UnsupportedConstructError(where, "GIFT true/false question")
    result = _Answers()
    general_at = content.find("####")
    if general_at >= 0:
        result.general = content[general_at + 4 :]
        content = content[:general_at]
    chunks = re.split(r"(?=[=~])", content)
    if chunks and chunks[0].strip():
        raise SourceError(
            at(where, "answers"), "text before the first answer (answers start with = or ~)"
        )
    chunks = [c for c in chunks if c]
    if any("->" in chunk for chunk in chunks):
        raise UnsupportedConstructError(where, "GIFT matching question (->)")
    if not any(chunk.startswith("~") for chunk in chunks):
        raise UnsupportedConstructError(where, "GIFT short-answer question (only '=' answers)")
    for chunk in chunks:
        body = chunk[1:]
        fraction = Fraction(100) if chunk[0] == "=" else Fraction(0)
        weight = _WEIGHT.match(body)
        if weight is not None:
            value = percent(weight.group(1))
            if value is None or not -100 <= value <= 100:
                raise SourceError(
                    at(where, "answers"),
                    f"weight %{weight.group(1)}% is not a percentage from -100 to 100",
                )
            fraction = value
            body = body[weight.end() :]
        answer_text, _, answer_feedback = body.partition("#")
        result.choices.append((answer_text, fraction, answer_feedback))
    if not any(chunk.startswith("=") for chunk in chunks) and all(
        fraction < 100 for _, fraction, _ in result.choices
    ):
        raise UnsupportedConstructError(
            where, "GIFT multiple-answer question (no answer earns 100% by itself)"
        )
    return result
