"""Images met while importing: where their bytes come from and the names items use.

Every imported image is stored as ``gambar/<name>`` (the native source's
folder). Two different images that arrive under the same name (Moodle calls
many of them ``image.png``) are kept apart: the later one gets the first hex
digits of its SHA-256 added to its name. The same bytes under the same name
are stored once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from question_bank.errors import Location, SourceError, UnsupportedConstructError

IMAGE_FOLDER = "gambar"
#: Larger files are not read at all (the bank's own limit, 1 MiB, is checked later).
MAX_READ_BYTES = 8 * 1024 * 1024

#: Turns an image reference found in an item into the name the item uses; raises SourceError.
ImageResolver = Callable[[str, Location], str]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DATA_URI = re.compile(r"^data:image/([a-z0-9.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)
_EXTENSIONS = {"jpeg": "jpg", "svg+xml": "svg"}


class ImageStore:
    """The images of the bank being imported, by the name items use."""

    def __init__(self) -> None:
        self._images: dict[str, bytes] = {}

    @property
    def images(self) -> dict[str, bytes]:
        return dict(self._images)

    def add(self, wanted: str, data: bytes) -> str:
        """Store ``data`` as ``gambar/<wanted>`` (made safe) and return the name to use."""
        name = image_name(wanted)
        known = self._images.get(name)
        if known is None or known == data:
            self._images[name] = data
            return name
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        unique = f"{stem}-{hashlib.sha256(data).hexdigest()[:10]}" + (
            f".{extension}" if extension else ""
        )
        self._images[unique] = data
        return unique


def image_name(wanted: str) -> str:
    """``gambar/`` plus the path made of safe characters; a leading images folder is dropped."""
    parts = [p for p in PurePosixPath(wanted.replace("\\", "/")).parts if p not in ("/", ".")]
    if parts and parts[0].lower() in (IMAGE_FOLDER, "images", "image", "img"):
        parts = parts[1:]
    safe = [_safe_part(p) for p in parts] or ["gambar"]
    return "/".join([IMAGE_FOLDER, *safe])


def _safe_part(part: str) -> str:
    ascii_part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_part).strip("-.") or "gambar"


def relative_path(reference: str) -> PurePosixPath | None:
    """A reference as a path that stays inside its folder, or None for one that would leave it."""
    path = PurePosixPath(reference.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts or ":" in path.parts[0]:
        return None
    return path


def data_uri(src: str, where: Location) -> tuple[str, bytes] | None:
    """``data:image/png;base64,...`` as (name, bytes); None when ``src`` is not a data URI."""
    match = _DATA_URI.match(src.strip())
    if match is None:
        return None
    try:
        data = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        raise SourceError(where, "an embedded image (data: URI) is not valid base64") from None
    subtype = match.group(1).lower()
    extension = _EXTENSIONS.get(subtype, subtype)
    return f"gambar-{hashlib.sha256(data).hexdigest()[:12]}.{extension}", data


def refuse_remote(src: str, where: Location) -> None:
    """Images on the web are not fetched: the bank must carry its own images."""
    lowered = src.strip().lower()
    if lowered.startswith(("http:", "https:", "ftp:", "//", "file:")):
        raise UnsupportedConstructError(where, f"image from outside the file ({src.strip()})")


def folder_resolver(folder: Path, store: ImageStore) -> ImageResolver:
    """Images beside a source file (or in its ``gambar/`` folder), and data URIs."""
    root = folder.resolve()

    def resolve(src: str, where: Location) -> str:
        embedded = data_uri(src, where)
        if embedded is not None:
            return store.add(*embedded)
        refuse_remote(src, where)
        relative = relative_path(src)
        if relative is None:
            raise SourceError(where, f"image {src!r} is outside the file's folder")
        for candidate in (root / relative, root / IMAGE_FOLDER / relative):
            target = candidate.resolve()
            if target.is_relative_to(root) and target.is_file():
                size = target.stat().st_size
                if size > MAX_READ_BYTES:
                    raise SourceError(where, f"image {src!r} is {size:,} bytes; far too large")
                try:
                    data = target.read_bytes()
                except OSError as exc:
                    raise SourceError(where, f"image {src!r} cannot be read ({exc})") from None
                return store.add(str(relative), data)
        raise SourceError(where, f"image {src!r} not found beside the file (looked in {folder})")

    return resolve
