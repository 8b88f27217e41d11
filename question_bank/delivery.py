"""The keyless delivery payload: exactly what a candidate's station receives.

Items are numbered 1..n and options are labelled in the candidate's order; the
payload carries no item id, no original option label, no points, no key and
no explanation, so nothing in it tells which option is right. (The server keeps
the form and maps "item 7, option C" back to the author's item and label.)
Topics are included only when the exam's policy shows them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from question_bank.form import Form
from question_bank.model import Item, ItemId, Manifest, option_labels
from question_bank.richtext import Document, to_json

PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class Payload:
    data: dict[str, object]
    #: Image references used in the payload -> the bank's image name.
    images: Mapping[str, str]

    @functools.cached_property
    def body(self) -> bytes:
        """The JSON bytes, encoded once (a server sends them on every form request)."""
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode()

    def to_json(self) -> bytes:
        return self.body

    @functools.cached_property
    def etag(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class PreparedItem:
    """An item's documents already in payload form (JSON, images renamed): a server
    prepares each item once and serves thousands of forms from it."""

    section: str
    topic: str
    stem: list[object]
    options: tuple[list[object], ...]
    images: Mapping[str, str]  # reference -> the bank's image name


def prepare_item(item: Item, image_ref: Callable[[str], str]) -> PreparedItem:
    images: dict[str, str] = {}

    def doc(document: Document) -> list[object]:
        out: list[object] = []
        for block in to_json(document):
            if isinstance(block, dict) and "img" in block:
                image = block["img"]
                if isinstance(image, dict):
                    ref = image_ref(str(image["src"]))
                    images[ref] = str(image["src"])
                    block = {"img": {"src": ref, "alt": image.get("alt", "")}}
            out.append(block)
        return out

    return PreparedItem(
        item.section, item.topic, doc(item.stem), tuple(doc(o) for o in item.options), images
    )


def render_payload(
    form: Form,
    items: Mapping[ItemId, Item],
    manifest: Manifest,
    *,
    image_ref: Callable[[str], str],
    include_topics: bool = False,
    title: str = "",
    duration_minutes: int | None = None,
) -> Payload:
    """Render ``form`` for its candidate; ``image_ref`` names each image opaquely."""
    prepared = {f.item_id: prepare_item(items[f.item_id], image_ref) for f in form.items}
    return render_prepared(
        form,
        prepared,
        manifest,
        include_topics=include_topics,
        title=title,
        duration_minutes=duration_minutes,
    )


def render_prepared(
    form: Form,
    prepared: Mapping[ItemId, PreparedItem],
    manifest: Manifest,
    *,
    include_topics: bool = False,
    title: str = "",
    duration_minutes: int | None = None,
) -> Payload:
    """Render ``form`` from prepared items (the documents are shared, never mutated)."""
    used_images: dict[str, str] = {}
    sections: list[dict[str, object]] = []
    rendered: list[dict[str, object]] = []
    for number, form_item in enumerate(form.items, start=1):
        item = prepared[form_item.item_id]
        used_images.update(item.images)
        if not sections or sections[-1]["id"] != item.section:
            section = manifest.section(item.section)
            sections.append(
                {
                    "id": item.section,
                    "name": section.name if section else item.section,
                    "first": number,
                    "count": 0,
                }
            )
        count = sections[-1]["count"]
        sections[-1]["count"] = (count if isinstance(count, int) else 0) + 1
        shown = option_labels(len(form_item.option_order))
        entry: dict[str, object] = {
            "number": number,
            "section": item.section,
            "stem": item.stem,
            "options": [
                {"label": label, "content": item.options[_index(original)]}
                for label, original in zip(shown, form_item.option_order, strict=True)
            ],
        }
        if include_topics:
            entry["topic"] = item.topic
        rendered.append(entry)
    data: dict[str, object] = {
        "payload_version": PAYLOAD_VERSION,
        "title": title,
        "duration_minutes": duration_minutes,
        "sections": sections,
        "items": rendered,
    }
    return Payload(data, used_images)


def _index(label: str) -> int:
    return ord(label) - ord("A")
