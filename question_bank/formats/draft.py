"""What a format reader hands to the importer: items not yet placed in a bank.

A reader knows what its file says (the item's own id, a category path or a
section column, the options and how much each is worth in the file's terms);
the importer decides where the item goes in the target bank and what its points
are there (see :mod:`question_bank.formats.importer`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from question_bank.errors import Location, Problem, SourceError
from question_bank.formats.images import ImageStore
from question_bank.model import Difficulty
from question_bank.richtext import Document, Paragraph, Text


@dataclass(frozen=True, slots=True)
class RowLocation(Location):
    """A place in a spreadsheet, said the way people read one: "soal.xlsx row 7, column 'kunci'"."""

    def __str__(self) -> str:
        head = self.file if self.line is None else f"{self.file} row {self.line}"
        parts = [head]
        if self.item_id is not None:
            parts.append(f"item {self.item_id}")
        if self.field is not None:
            parts.append(f"column '{self.field}'")
        return ", ".join(parts)


def at(where: Location, field: str | None = None, item_id: str | None = None) -> Location:
    """``where`` with a field (and item id) set, keeping its kind (line or row)."""
    return type(where)(
        where.file,
        where.line,
        field if field is not None else where.field,
        item_id if item_id is not None else where.item_id,
    )


@dataclass(frozen=True, slots=True)
class Percentages:
    """Each option's share of the section's points scale, in percent (Moodle, GIFT, QTI)."""

    values: tuple[Fraction, ...]
    #: Points written by CBT Station's own QTI export; used as they are in free sections.
    native: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Points:
    """Points per option as written (a spreadsheet's ``points`` column)."""

    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Key:
    """The letter of the one right option (a spreadsheet's ``key`` column)."""

    label: str


Score = Percentages | Points | Key


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the source says an item belongs.

    ``section``/``topic`` when the source names them (a column, a keyword);
    otherwise ``path``, the components of a category path or folder.
    """

    section: str | None = None
    topic: str | None = None
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    where: Location
    placement: Placement
    stem: Document
    options: tuple[Document, ...]
    #: None when the source's key could not be read (a problem says why).
    score: Score | None
    difficulty: Difficulty = Difficulty.MEDIUM
    keep_option_order: bool = False
    explanation: Document = ()
    meta: Mapping[str, str | int] = field(default_factory=dict)
    #: How the source names our fields (spreadsheet column headers), for messages.
    fields: Mapping[str, str] = field(default_factory=dict)
    #: False when reading it found problems: it is still checked (id, points), never kept.
    complete: bool = True


class Intake:
    """Everything read so far from all files: drafts, images and problems."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.images = ImageStore()
        self.problems: list[Problem] = []

    def fail(self, where: Location, reason: str) -> None:
        self.problems.append(Problem(where, reason))

    def refuse(self, exc: SourceError) -> None:
        """Record a construct or passage that stops one item (the file goes on)."""
        self.problems.append(Problem(exc.location, exc.reason))


_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """``text`` made into an id matching ``ID_PATTERN`` ("" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_ID.sub("-", ascii_text.strip()).lstrip("-._")
    return cleaned[:64].rstrip("-")


def labelled(label: str, document: Document) -> Document:
    """An answer's feedback for the explanation: "Umpan balik B: ..."."""
    prefix = Text(f"Umpan balik {label}: ")
    if document and isinstance(document[0], Paragraph):
        first = document[0]
        return (Paragraph((prefix, *first.inlines)), *document[1:])
    return (Paragraph((Text(f"Umpan balik {label}:"),)), *document)


def percent(text: str) -> Fraction | None:
    """A percentage or fraction as written ("50", "33.33333", "-25", "12,5"); None if not one."""
    cleaned = text.strip().replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    return Fraction(cleaned)
