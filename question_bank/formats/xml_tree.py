"""A small XML tree with line numbers, read safely with expat.

Moodle XML and QTI files come from other systems, so they are treated as
hostile: a document type declaration (the only way to declare entities, and so
to build an entity-expansion bomb or reach an external file) is refused before
anything in it is read, and external entities are never fetched.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from question_bank.errors import Location, SourceError


@dataclass(eq=False, slots=True)
class Node:
    """An element: its local name, namespace, attributes (by local name) and mixed content."""

    tag: str
    namespace: str
    attrs: dict[str, str]
    line: int
    children: list[Node | str] = field(default_factory=list)

    def elements(self, tag: str | None = None) -> Iterator[Node]:
        """The child elements, or those with the local name ``tag``."""
        for child in self.children:
            if isinstance(child, Node) and (tag is None or child.tag == tag):
                yield child

    def first(self, tag: str) -> Node | None:
        return next(self.elements(tag), None)

    def descendants(self) -> Iterator[Node]:
        for child in self.elements():
            yield child
            yield from child.descendants()

    def text(self) -> str:
        """All the text inside, markup removed."""
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def child_text(self, tag: str) -> str | None:
        """The text of the first child ``tag`` (None when there is no such child)."""
        child = self.first(tag)
        return None if child is None else child.text()


class _DeclarationRefusedError(Exception):
    """Raised inside expat's callbacks to stop at a document type declaration."""


def parse(data: bytes, file: str) -> Node:
    """Parse an XML document; raise :class:`SourceError` (with the line) if it is not sound."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    stack: list[Node] = []
    roots: list[Node] = []

    def refuse_doctype(
        _name: str, _system: str | None, _public: str | None, _internal: bool
    ) -> None:
        raise _DeclarationRefusedError

    def refuse_entity(
        _name: str,
        _parameter: bool,
        _value: str | None,
        _base: str | None,
        _system: str,
        _public: str | None,
        _notation: str | None,
    ) -> None:
        raise _DeclarationRefusedError

    def refuse_external(
        _context: str, _base: str | None, _system: str | None, _public: str | None
    ) -> int:
        raise _DeclarationRefusedError

    def start(name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition("}")
        node = Node(
            tag=local,
            namespace=namespace,
            attrs={key.rpartition("}")[2]: value for key, value in attrs.items()},
            line=parser.CurrentLineNumber,
        )
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def characters(text: str) -> None:
        if stack:
            stack[-1].children.append(text)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except _DeclarationRefusedError:
        raise SourceError(
            Location(file, parser.CurrentLineNumber),
            "XML with a document type declaration (<!DOCTYPE ...>) is refused: "
            "it can declare entities that expand without bound or read other files",
        ) from None
    except expat.ExpatError as exc:
        raise SourceError(
            Location(file, exc.lineno), f"not well-formed XML ({expat.errors.messages[exc.code]})"
        ) from None
    if not roots:
        raise SourceError(Location(file), "the XML document has no root element")
    return roots[0]


_VOID = frozenset({"br", "img", "hr", "col"})


def to_html(nodes: list[Node | str]) -> str:
    """Mixed content written back as HTML text (local names only) for the HTML reader."""
    parts: list[str] = []
    for child in nodes:
        if isinstance(child, str):
            parts.append(html.escape(child, quote=False))
            continue
        attrs = "".join(
            f' {name}="{html.escape(value, quote=True)}"' for name, value in child.attrs.items()
        )
        if child.tag in _VOID and not child.children:
            parts.append(f"<{child.tag}{attrs}/>")
        else:
            parts.append(f"<{child.tag}{attrs}>{to_html(child.children)}</{child.tag}>")
    return "".join(parts)
