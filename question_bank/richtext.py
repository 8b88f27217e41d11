"""The small, safe rich-text subset of stems, options and explanations.

Authors write a light markup (see docs/bank-format.md): paragraphs, line
breaks, ``**bold**``, ``*italic*``, ``-`` and ``1.`` lists, ``|`` tables and
``![alt](file)`` images on their own line. It is parsed into a tree of frozen
blocks; nothing else is interpreted, and every renderer escapes text, so no
markup or script can ride inside an item.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | LineBreak
Inlines = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: Inlines


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[Inlines, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]


@dataclass(frozen=True, slots=True)
class Image:
    source: str
    alt: str


Block = Paragraph | ListBlock | Table | Image
Document = tuple[Block, ...]

_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
_ORDERED = re.compile(r"^\d{1,3}[.)]\s+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def parse(markup: str) -> Document:
    """Parse markup into a document; any text is accepted (unknown syntax stays text)."""
    blocks: list[Block] = []
    lines = markup.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        kind = _kind(line)
        run: list[str] = []
        while i < len(lines) and lines[i].strip() and _kind(lines[i].strip()) == kind:
            run.append(lines[i].strip())
            i += 1
            if kind == "image":
                break
        blocks.append(_block(kind, run))
    return tuple(blocks)


def _kind(line: str) -> str:
    if line.startswith("\\"):  # an escaped line is text: "\- not a list"
        return "text"
    if _IMAGE.match(line):
        return "image"
    if line.startswith("- "):
        return "bullet"
    if _ORDERED.match(line):
        return "ordered"
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        return "table"
    return "text"


def _block(kind: str, run: list[str]) -> Block:
    if kind == "image":
        match = _IMAGE.match(run[0])
        if match is not None:  # always: _kind() matched the same pattern
            return Image(source=match.group(2), alt=match.group(1))
    if kind == "bullet":
        return ListBlock(False, tuple(parse_inline(line[2:].strip()) for line in run))
    if kind == "ordered":
        return ListBlock(True, tuple(parse_inline(_ORDERED.sub("", line)) for line in run))
    if kind == "table":
        rows = [_cells(line) for line in run if not _TABLE_RULE.match(line)]
        return Table(header=rows[0] if rows else (), rows=tuple(rows[1:]))
    inlines: list[Inline] = []
    for n, line in enumerate(run):
        if n:
            inlines.append(LineBreak())
        inlines.extend(parse_inline(_unescape_line(line)))
    return Paragraph(tuple(inlines))


def _unescape_line(line: str) -> str:
    """Drop the backslash that keeps a paragraph line from reading as another block."""
    rest = line[1:]
    if line.startswith("\\") and (_kind(rest) != "text" or rest.startswith("\\")):
        return rest
    return line


def _escape_line(line: str) -> str:
    stripped = line.strip()
    if stripped and (_kind(stripped) != "text" or stripped.startswith("\\")):
        return "\\" + line
    return line


def _cells(line: str) -> tuple[Inlines, ...]:
    return tuple(parse_inline(cell.strip()) for cell in line[1:-1].split("|"))


def parse_inline(text: str) -> Inlines:
    """``**bold**`` and ``*italic*`` (nestable once); ``\\*`` is a literal asterisk."""
    out: list[Inline] = []
    for chunk, bold, italic in _spans(text):
        if chunk:
            out.append(Text(chunk, bold, italic))
    return tuple(_merge(out))


def _spans(text: str) -> Iterator[tuple[str, bool, bool]]:
    bold = italic = False
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "*\\":
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i) and (bold or _closes(text, i + 2, "**")):
            yield "".join(buf), bold, italic
            buf, bold = [], not bold
            i += 2
            continue
        if ch == "*" and (italic or _closes(text, i + 1, "*")):
            yield "".join(buf), bold, italic
            buf, italic = [], not italic
            i += 1
            continue
        buf.append(ch)
        i += 1
    yield "".join(buf), bold, italic


def _closes(text: str, start: int, marker: str) -> bool:
    """Whether an opening marker at ``start`` has a closing one later (else it is text)."""
    j = start
    while True:
        j = text.find(marker, j)
        if j < 0:
            return False
        if j > start and text[j - 1] != "\\":
            if marker == "*" and text.startswith("**", j):
                j += 2
                continue
            return True
        j += len(marker)


def _merge(inlines: list[Inline]) -> Iterator[Inline]:
    pending: Text | None = None
    for inline in inlines:
        if (
            isinstance(inline, Text)
            and pending is not None
            and (pending.bold, pending.italic) == (inline.bold, inline.italic)
        ):
            pending = Text(pending.text + inline.text, inline.bold, inline.italic)
            continue
        if pending is not None:
            yield pending
        if isinstance(inline, Text):
            pending = inline
        else:
            pending = None
            yield inline
    if pending is not None:
        yield pending


# ------------------------------------------------------------------ queries


def images(document: Document) -> list[str]:
    """The image sources a document refers to, in order."""
    return [block.source for block in document if isinstance(block, Image)]


def plain_text(document: Document) -> str:
    """The document's words without markup (for search, scanning and exports)."""
    parts: list[str] = []
    for block in document:
        if isinstance(block, Paragraph):
            parts.append(_plain(block.inlines))
        elif isinstance(block, ListBlock):
            parts.extend(_plain(item) for item in block.items)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                parts.append(" | ".join(_plain(cell) for cell in row))
        else:
            parts.append(block.alt)
    return "\n".join(p for p in parts if p)


def _plain(inlines: Inlines) -> str:
    return "".join(i.text if isinstance(i, Text) else "\n" for i in inlines)


def is_empty(document: Document) -> bool:
    return not plain_text(document).strip() and not images(document)


# ------------------------------------------------------------------ renderers


def to_html(document: Document, image_url: Callable[[str], str] = lambda s: s) -> str:
    """Safe HTML (also valid XHTML) for Qt rich text, web pages and QTI export."""
    out: list[str] = []
    for block in document:
        if isinstance(block, Paragraph):
            out.append(f"<p>{_html_inlines(block.inlines)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_html_inlines(i)}</li>" for i in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{_html_inlines(c)}</th>" for c in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_html_inlines(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            out.append(f"<table><tr>{head}</tr>{body}</table>")
        else:
            src = html.escape(image_url(block.source), quote=True)
            alt = html.escape(block.alt, quote=True)
            out.append(f'<p><img src="{src}" alt="{alt}"/></p>')
    return "".join(out)


def _html_inlines(inlines: Inlines) -> str:
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            parts.append("<br/>")
            continue
        text = html.escape(inline.text, quote=False)
        if inline.italic:
            text = f"<i>{text}</i>"
        if inline.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def to_markup(document: Document) -> str:
    """Markup that :func:`parse` reads back to the same document."""
    blocks: list[str] = []
    for block in document:
        if isinstance(block, Paragraph):
            text = _markup_inlines(block.inlines, in_paragraph=True)
            blocks.append("\n".join(_escape_line(line) for line in text.split("\n")))
        elif isinstance(block, ListBlock):
            blocks.append(
                "\n".join(
                    (f"{n}. " if block.ordered else "- ") + _markup_inlines(item)
                    for n, item in enumerate(block.items, start=1)
                )
            )
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            lines = [
                "| " + " | ".join(_markup_inlines(c, in_table=True) for c in row) + " |"
                for row in rows
            ]
            if rows:
                lines.insert(1, "|" + "---|" * len(block.header))
            blocks.append("\n".join(lines))
        else:
            blocks.append(f"![{block.alt}]({block.source})")
    return "\n\n".join(blocks)


def _markup_inlines(inlines: Inlines, *, in_paragraph: bool = False, in_table: bool = False) -> str:
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            parts.append("\n" if in_paragraph else " ")
            continue
        text = inline.text.replace("\\", "\\\\").replace("*", "\\*")
        if in_table:  # a cell cannot hold the column separator
            text = text.replace("|", "/")
        if inline.italic:
            text = f"*{text}*"
        if inline.bold:
            text = f"**{text}**"
        parts.append(text)
    return "".join(parts)


# ------------------------------------------------------------------ JSON form


def to_json(document: Document) -> list[object]:
    """Compact JSON form used in bank records and delivery payloads."""
    out: list[object] = []
    for block in document:
        if isinstance(block, Paragraph):
            out.append({"p": _json_inlines(block.inlines)})
        elif isinstance(block, ListBlock):
            out.append({"ol" if block.ordered else "ul": [_json_inlines(i) for i in block.items]})
        elif isinstance(block, Table):
            out.append(
                {
                    "table": {
                        "head": [_json_inlines(c) for c in block.header],
                        "rows": [[_json_inlines(c) for c in row] for row in block.rows],
                    }
                }
            )
        else:
            out.append({"img": {"src": block.source, "alt": block.alt}})
    return out


def _json_inlines(inlines: Inlines) -> list[object]:
    out: list[object] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            out.append({"br": True})
        else:
            entry: dict[str, object] = {"t": inline.text}
            if inline.bold:
                entry["b"] = True
            if inline.italic:
                entry["i"] = True
            out.append(entry)
    return out


class RichTextFormatError(ValueError):
    """A JSON document that is not of the expected shape."""


def from_json(data: object) -> Document:
    """Read :func:`to_json` output back; raises :class:`RichTextFormatError` on bad shape."""
    if not isinstance(data, list):
        raise RichTextFormatError("a document is a list of blocks")
    blocks: list[Block] = []
    for raw in data:
        if not isinstance(raw, dict) or len(raw) != 1:
            raise RichTextFormatError("a block is an object with one entry")
        ((kind, value),) = raw.items()
        if kind == "p":
            blocks.append(Paragraph(_inlines_from_json(value)))
        elif kind in ("ul", "ol"):
            if not isinstance(value, list):
                raise RichTextFormatError("a list holds items")
            blocks.append(ListBlock(kind == "ol", tuple(_inlines_from_json(v) for v in value)))
        elif kind == "table":
            if not isinstance(value, dict):
                raise RichTextFormatError("a table is an object")
            head = value.get("head", [])
            rows = value.get("rows", [])
            if not isinstance(head, list) or not isinstance(rows, list):
                raise RichTextFormatError("a table has head and rows lists")
            blocks.append(
                Table(
                    tuple(_inlines_from_json(c) for c in head),
                    tuple(tuple(_inlines_from_json(c) for c in _as_list(r)) for r in rows),
                )
            )
        elif kind == "img":
            if not isinstance(value, dict) or not isinstance(value.get("src"), str):
                raise RichTextFormatError("an image has a src")
            blocks.append(Image(value["src"], str(value.get("alt", ""))))
        else:
            raise RichTextFormatError(f"unknown block {kind!r}")
    return tuple(blocks)


def _as_list(value: object) -> Sequence[object]:
    if not isinstance(value, list):
        raise RichTextFormatError("expected a list")
    return value


def _inlines_from_json(value: object) -> Inlines:
    out: list[Inline] = []
    for raw in _as_list(value):
        if not isinstance(raw, dict):
            raise RichTextFormatError("an inline is an object")
        if raw.get("br"):
            out.append(LineBreak())
        elif isinstance(raw.get("t"), str):
            out.append(Text(raw["t"], bool(raw.get("b")), bool(raw.get("i"))))
        else:
            raise RichTextFormatError("an inline is text or a line break")
    return tuple(out)
