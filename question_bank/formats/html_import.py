"""HTML from Moodle, GIFT and QTI turned into the bank's rich-text document.

Only what the rich-text subset can say survives: paragraphs and line breaks
(``p``, ``div``, headings, ``br``...), bold (``b``, ``strong``, headings),
italic (``i``, ``em``), lists (``ul``/``ol``/``li``; nested lists are
flattened into their outer list), tables (``table``/``tr``/``th``/``td``; the
first row is the header) and images (``img``, each becoming an image block of
its own). Text-level elements (``span``, ``font``, ``u``, ``a``, ``code``...)
give their text. ``sup``/``sub`` become Unicode superscript/subscript
characters when every character has one (``x²``, ``H₂O``), else ``^(...)`` /
``_(...)``. White space collapses as a browser collapses it; ``&nbsp;`` is a
space.

Anything active is refused with :class:`UnsupportedConstructError` naming it,
never dropped: ``script``, ``iframe``, ``object``, ``embed``, ``form`` and its
controls, ``style``, ``svg``, ``math`` (MathML), media elements, event-handler
attributes (``onclick``, ``onerror``...) and ``javascript:``/``vbscript:``
URLs in any attribute. So is any element not listed here, and what the subset
cannot hold (an image inside a list item or table cell, a table inside a table
or a list).
"""

from __future__ import annotations

import enum
import re
from html.parser import HTMLParser

from question_bank.errors import Location, SourceError, UnsupportedConstructError
from question_bank.formats.images import ImageResolver
from question_bank.richtext import (
    Block,
    Document,
    Image,
    Inline,
    Inlines,
    LineBreak,
    ListBlock,
    Paragraph,
    Table,
    Text,
    parse,
)


class TextFormat(enum.StrEnum):
    HTML = "html"
    #: Moodle's auto-format: HTML where a line break in the text is a line break.
    MOODLE = "moodle"
    PLAIN = "plain"
    MARKDOWN = "markdown"


def to_document(
    text: str, text_format: TextFormat, where: Location, image: ImageResolver | None
) -> Document:
    """Text of any of the formats the importers meet, as a document."""
    if text_format is TextFormat.PLAIN:
        return plain_to_document(text)
    if text_format is TextFormat.MARKDOWN:
        return _resolve_images(parse(text), where, image)
    if text_format is TextFormat.MOODLE:
        text = text.replace("\r\n", "\n").replace("\n", "<br>\n")
    return html_to_document(text, where, image)


def plain_to_document(text: str) -> Document:
    """Text taken literally: blank lines part paragraphs, line breaks stay line breaks."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        inlines: list[Inline] = []
        for n, line in enumerate(lines):
            if n:
                inlines.append(LineBreak())
            inlines.append(Text(line))
        blocks.append(Paragraph(tuple(inlines)))
    return tuple(blocks)


def html_to_document(markup: str, where: Location, image: ImageResolver | None) -> Document:
    """Convert HTML; raise :class:`UnsupportedConstructError` for anything active or unknown."""
    builder = _Builder(where, image)
    builder.feed(markup)
    builder.close()
    return builder.document()


def _resolve_images(document: Document, where: Location, image: ImageResolver | None) -> Document:
    blocks: list[Block] = []
    for block in document:
        if isinstance(block, Image):
            if image is None:
                raise UnsupportedConstructError(where, "image in this text")
            blocks.append(Image(image(block.source, where), block.alt))
        else:
            blocks.append(block)
    return tuple(blocks)


# ------------------------------------------------------------------ element classes

_REFUSED = {
    "script": "HTML <script> element",
    "noscript": "HTML <noscript> element",
    "iframe": "HTML <iframe> element",
    "frame": "HTML <frame> element",
    "frameset": "HTML <frameset> element",
    "object": "HTML <object> element",
    "embed": "HTML <embed> element",
    "applet": "HTML <applet> element",
    "param": "HTML <param> element",
    "form": "HTML <form> element",
    "input": "HTML <input> element",
    "button": "HTML <button> element",
    "select": "HTML <select> element",
    "option": "HTML <option> element",
    "textarea": "HTML <textarea> element",
    "style": "HTML <style> element",
    "link": "HTML <link> element",
    "meta": "HTML <meta> element",
    "base": "HTML <base> element",
    "svg": "SVG <svg> element",
    "math": "MathML <math> element",
    "video": "HTML <video> element",
    "audio": "HTML <audio> element",
    "source": "HTML <source> element",
    "track": "HTML <track> element",
    "canvas": "HTML <canvas> element",
    "template": "HTML <template> element",
    "map": "HTML image map (<map>)",
    "area": "HTML image map (<area>)",
}
_BLOCKS = frozenset(
    {
        "p", "div", "blockquote", "pre", "address", "center", "section", "article",
        "header", "footer", "main", "aside", "nav", "figure", "figcaption", "details",
        "summary", "dl", "dt", "dd", "hr", "legend", "fieldset",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em"})
_TEXT = frozenset(
    {
        "span", "font", "u", "s", "strike", "del", "ins", "small", "big", "tt", "code",
        "kbd", "samp", "var", "mark", "abbr", "acronym", "cite", "q", "dfn", "a", "label",
        "bdi", "bdo", "nobr", "wbr", "time", "data", "html", "body", "thead", "tbody",
        "tfoot", "colgroup", "col", "ruby", "rt", "rp",
    }
)  # fmt: skip
_SKIPPED = frozenset({"head", "title"})
_SCRIPTS = frozenset({"sup", "sub"})
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUPERSCRIPT_CHARS = frozenset("0123456789+-=()ni")
_SUBSCRIPT_CHARS = frozenset("0123456789+-=()")


def _scripted(text: str, kind: str) -> str:
    text = text.strip()
    if not text:
        return ""
    chars = _SUPERSCRIPT_CHARS if kind == "sup" else _SUBSCRIPT_CHARS
    if set(text) <= chars:
        return text.translate(_SUPERSCRIPT if kind == "sup" else _SUBSCRIPT)
    mark = "^" if kind == "sup" else "_"
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _active_url(value: str) -> str | None:
    compact = re.sub(r"[\x00-\x20]+", "", value).lower()
    for scheme in ("javascript:", "vbscript:", "livescript:"):
        if scheme in compact:
            return scheme
    return None


# ------------------------------------------------------------------ the builder


class _Builder(HTMLParser):
    def __init__(self, where: Location, image: ImageResolver | None) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.image = image
        self.blocks: list[Block] = []
        self.paragraph: list[Inline] = []
        self.bold = 0
        self.italic = 0
        self.pre = 0
        self.skip = 0
        self.script: tuple[str, list[str]] | None = None
        # lists
        self.list_depth = 0
        self.list_ordered = False
        self.list_items: list[Inlines] = []
        self.item: list[Inline] | None = None
        # tables
        self.in_table = False
        self.rows: list[list[Inlines]] = []
        self.row: list[Inlines] | None = None
        self.cell: list[Inline] | None = None
        self.caption: list[Inline] | None = None
        self.pending_break = False

    # ---------------------------------------------------------------- html.parser hooks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_attributes(tag, attrs)
        if tag in _REFUSED:
            raise UnsupportedConstructError(self.where, _REFUSED[tag])
        if tag in _SKIPPED:
            self.skip += 1
        elif tag == "br":
            self._line_break()
        elif tag == "img":
            self._image(dict(attrs))
        elif tag in _BOLD:
            self.bold += 1
        elif tag in _ITALIC:
            self.italic += 1
        elif tag in _SCRIPTS:
            self.script = (tag, [])
        elif tag in _HEADINGS:
            self._boundary()
            self.bold += 1
        elif tag in _BLOCKS:
            self._boundary()
            if tag == "pre":
                self.pre += 1
        elif tag in ("ul", "ol", "menu"):
            self._start_list(ordered=tag == "ol")
        elif tag == "li":
            self._start_list_item()
        elif tag == "table":
            self._start_table()
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self._end_row()
            self.row = [] if self.in_table else None
        elif tag in ("td", "th"):
            self._start_cell()
        elif tag in _TEXT or ":" in tag:
            pass  # text-level (and Office's <o:p>, <st1:...>): the text stays
        else:
            raise UnsupportedConstructError(self.where, f"HTML <{tag}> element")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr", "wbr", "col"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag in _ITALIC:
            self.italic = max(0, self.italic - 1)
        elif tag in _SCRIPTS:
            self._end_script()
        elif tag in _HEADINGS:
            self.bold = max(0, self.bold - 1)
            self._boundary()
        elif tag in _BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._boundary()
        elif tag in ("ul", "ol", "menu"):
            self._end_list()
        elif tag == "li":
            self._end_list_item()
        elif tag == "table":
            self._end_table()
        elif tag == "caption":
            self._end_caption()
        elif tag == "tr":
            self._end_row()
        elif tag in ("td", "th"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.script is not None:
            self.script[1].append(data)
            return
        self._text(data)

    def unknown_decl(self, data: str) -> None:
        # Browsers read "<![CDATA[...]]>" in HTML as a comment; say so rather than guess.
        raise UnsupportedConstructError(self.where, "CDATA section inside HTML")

    # comments, <!DOCTYPE> and processing instructions carry no content: the defaults ignore them

    def close(self) -> None:
        super().close()
        self._end_script()
        while self.list_depth:
            self._end_list()
        if self.in_table:
            self._end_table()
        self._flush_paragraph()

    def document(self) -> Document:
        return tuple(self.blocks)

    # ---------------------------------------------------------------- checks

    def _check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                raise UnsupportedConstructError(
                    self.where, f"HTML event-handler attribute '{name}' on <{tag}>"
                )
            scheme = _active_url(value or "")
            if scheme is not None:
                raise UnsupportedConstructError(self.where, f"{scheme} URL in <{tag} {name}>")
            if name in ("href", "action", "formaction", "xlink:href") and (
                value or ""
            ).strip().lower().startswith("data:"):
                raise UnsupportedConstructError(self.where, f"data: URL in <{tag} {name}>")

    # ---------------------------------------------------------------- inline content

    def _sink(self) -> list[Inline]:
        if self.caption is not None:
            return self.caption
        if self.in_table:
            if self.cell is None:
                self._start_cell()
            if self.cell is not None:
                return self.cell
        if self.list_depth:
            if self.item is None:
                self.item = []
            return self.item
        return self.paragraph

    def _text(self, data: str) -> None:
        if self.pre:
            lines = data.replace("\r\n", "\n").split("\n")
            for n, line in enumerate(lines):
                if n:
                    self._line_break()
                if line:
                    self._append(Text(line, self.bold > 0, self.italic > 0))
            return
        text = _SPACES.sub(" ", data)
        # White space only counts between words: not at the start of a block, cell or item.
        if text.strip() or self._open_inline_context():
            self._append(Text(text, self.bold > 0, self.italic > 0))

    def _open_inline_context(self) -> bool:
        if self.caption is not None:
            return bool(self.caption)
        if self.in_table:
            return bool(self.cell)
        if self.list_depth:
            return bool(self.item)
        return bool(self.paragraph)

    def _append(self, inline: Inline) -> None:
        sink = self._sink()
        if self.pending_break and sink and isinstance(inline, Text) and inline.text.strip():
            sink.append(LineBreak())
        if isinstance(inline, Text) and inline.text.strip():
            self.pending_break = False
        sink.append(inline)

    def _line_break(self) -> None:
        self._sink().append(LineBreak())

    def _end_script(self) -> None:
        if self.script is None:
            return
        kind, parts = self.script
        self.script = None
        text = _scripted(_SPACES.sub(" ", "".join(parts)), kind)
        if text:
            self._append(Text(text, self.bold > 0, self.italic > 0))

    def _image(self, attrs: dict[str, str | None]) -> None:
        src = (attrs.get("src") or "").strip()
        if not src:
            raise SourceError(self.where, "an image (<img>) without a src")
        if self.in_table or self.list_depth or self.caption is not None:
            raise UnsupportedConstructError(
                self.where, "image inside a list item or table cell (images stand alone)"
            )
        if self.image is None:
            raise UnsupportedConstructError(self.where, "image in this text")
        name = self.image(src, self.where)
        self._flush_paragraph()
        self.blocks.append(Image(name, (attrs.get("alt") or "").strip()))

    # ---------------------------------------------------------------- blocks

    def _boundary(self) -> None:
        if self.in_table or self.list_depth or self.caption is not None:
            self.pending_break = True
        else:
            self._flush_paragraph()

    def _flush_paragraph(self) -> None:
        for inlines in _paragraphs(self.paragraph):
            self.blocks.append(Paragraph(inlines))
        self.paragraph = []
        self.pending_break = False

    def _start_list(self, *, ordered: bool) -> None:
        if self.in_table or self.caption is not None:
            self._boundary()
            return
        if self.list_depth == 0:
            self._flush_paragraph()
            self.list_ordered = ordered
            self.list_items = []
        else:
            self._end_list_item()  # a nested list: its items join the outer list
        self.list_depth += 1

    def _end_list(self) -> None:
        if self.in_table or self.caption is not None:
            self._boundary()
            return
        if self.list_depth == 0:
            return
        self._end_list_item()
        self.list_depth -= 1
        if self.list_depth == 0:
            if self.list_items:
                self.blocks.append(ListBlock(self.list_ordered, tuple(self.list_items)))
            self.list_items = []

    def _start_list_item(self) -> None:
        if self.in_table or self.caption is not None or self.list_depth == 0:
            self._boundary()
            return
        self._end_list_item()
        self.item = []

    def _end_list_item(self) -> None:
        if self.in_table or self.caption is not None or self.list_depth == 0:
            self._boundary()
            return
        if self.item is not None:
            inlines = _single_line(self.item)
            if inlines:
                self.list_items.append(inlines)
        self.item = None
        self.pending_break = False

    def _start_table(self) -> None:
        if self.in_table:
            raise UnsupportedConstructError(self.where, "table inside a table")
        if self.list_depth:
            raise UnsupportedConstructError(self.where, "table inside a list")
        self._flush_paragraph()
        self.in_table = True
        self.rows = []
        self.row = None
        self.cell = None

    def _start_cell(self) -> None:
        if not self.in_table:
            self._boundary()
            return
        self._end_cell()
        if self.row is None:
            self.row = []
        self.cell = []
        self.pending_break = False

    def _end_cell(self) -> None:
        if not self.in_table:
            self._boundary()
            return
        if self.cell is not None and self.row is not None:
            self.row.append(_single_line(self.cell))
        self.cell = None
        self.pending_break = False

    def _end_row(self) -> None:
        if not self.in_table:
            return
        self._end_cell()
        if self.row:
            self.rows.append(self.row)
        self.row = None

    def _end_caption(self) -> None:
        if self.caption is None:
            return
        inlines = _single_line(self.caption)
        self.caption = None
        self.pending_break = False
        if inlines:
            self.blocks.append(Paragraph(inlines))

    def _end_table(self) -> None:
        if not self.in_table:
            return
        self._end_row()
        self.in_table = False
        if self.rows:
            self.blocks.append(
                Table(
                    header=tuple(self.rows[0]),
                    rows=tuple(tuple(row) for row in self.rows[1:]),
                )
            )
        self.rows = []


# ------------------------------------------------------------------ white space


def _lines(inlines: list[Inline]) -> list[list[Text]]:
    """Inlines cut at line breaks, white space collapsed and trimmed at each line's ends."""
    lines: list[list[Text]] = [[]]
    for inline in inlines:
        if isinstance(inline, LineBreak):
            lines.append([])
        else:
            lines[-1].append(inline)
    return [_trim(line) for line in lines]


def _trim(line: list[Text]) -> list[Text]:
    out: list[Text] = []
    space_before = True  # at the start of a line, leading space goes
    for text in line:
        value = text.text
        if space_before:
            value = value.lstrip(" ")
        if not value:
            continue
        space_before = value.endswith(" ")
        out.append(Text(value, text.bold, text.italic))
    while out:
        last = out[-1]
        value = last.text.rstrip(" ")
        if value:
            out[-1] = Text(value, last.bold, last.italic)
            break
        out.pop()
    return _merge(out)


def _merge(texts: list[Text]) -> list[Text]:
    merged: list[Text] = []
    for text in texts:
        if merged and (merged[-1].bold, merged[-1].italic) == (text.bold, text.italic):
            merged[-1] = Text(merged[-1].text + text.text, text.bold, text.italic)
        else:
            merged.append(text)
    return merged


def _join(lines: list[list[Text]]) -> Inlines:
    out: list[Inline] = []
    for n, line in enumerate(lines):
        if n:
            out.append(LineBreak())
        out.extend(line)
    return tuple(out)


def _paragraphs(inlines: list[Inline]) -> list[Inlines]:
    """A paragraph's content; an empty line (two breaks in a row) starts a new paragraph."""
    paragraphs: list[list[list[Text]]] = [[]]
    for line in _lines(inlines):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [_join(lines) for lines in paragraphs if lines]


def _single_line(inlines: list[Inline]) -> Inlines:
    """A list item's or cell's content: empty lines dropped, the rest joined by breaks."""
    return _join([line for line in _lines(inlines) if line])
