"""The ``.cbtbank`` file: a versioned, encrypted, signed container of items.

Layout (all integers big-endian)::

    "CBTBANK\\0" | version u16 | records ... | header JSON | footer | signature
    footer    = header offset u64 | header length u32 | "CBTF"
    signature = "SIG1" | author Ed25519 public key (32) | signature (64)

* Each item is two records, content and key, and each image one record:
  ``nonce (12) | AES-256-GCM ciphertext + tag`` under a random data key, with
  associated data binding the format version, the bank id, the record kind and
  the item id (or image name), so records cannot be swapped or replayed.
* The header (plain JSON) lists every record's offset, length and SHA-256,
  the public metadata (ids, sections, topics, counts, the default blueprint)
  and the data key wrapped for a passphrase (scrypt) and/or X25519 recipients.
* The author signs magic, version, header and footer. Opening a bank checks the
  signature first; every record is then checked against its digest before it
  is decrypted, so nothing unsigned is ever decrypted.
* Records are read one at a time by offset: opening a bank reads only the
  header, whatever the bank's size.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from question_bank.errors import (
    BankFormatError,
    BankIntegrityError,
    MissingSignatureError,
    QuestionBankError,
    UntrustedSignerError,
    WeakKeyDerivationError,
    WrongPassphraseError,
)
from question_bank.form import PoolItem
from question_bank.keys import fingerprint, raw_public
from question_bank.model import (
    BankId,
    BankSource,
    Difficulty,
    Item,
    ItemId,
    KeyRule,
    KeyRuleKind,
    Manifest,
    OptionLabel,
    Section,
    SectionId,
)
from question_bank.richtext import RichTextFormatError, from_json, images, to_json
from question_bank.validation import media_type, validate

MAGIC = b"CBTBANK\x00"
VERSION = 1
FOOTER = struct.Struct(">QI4s")
FOOTER_MARK = b"CBTF"
SIG_MARK = b"SIG1"
SIG_BLOCK = 4 + 32 + 64
PREFIX = len(MAGIC) + 2
NONCE = 12
MAX_HEADER = 64 * 1024 * 1024
#: scrypt cost for passphrase-wrapped keys: 2^17 x 8 x 128 B = 128 MiB of memory.
KDF_N = 2**17
#: The costs a bank may be sealed with and opened with; nothing cheaper, either way.
KDF_N_RANGE = (2**17, 2**20)


def _canonical(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise BankFormatError(f"bank header: {what} is not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise BankFormatError(f"bank header: {what} is not base64 text") from None


def _aad(bank_id: str, kind: str, name: str) -> bytes:
    return f"cbtbank|v{VERSION}|{bank_id}|{kind}|{name}".encode()


def _signed_message(prefix: bytes, header: bytes, footer: bytes) -> bytes:
    return b"cbtbank-signature-v1\x00" + hashlib.sha512(prefix + header + footer).digest()


# ------------------------------------------------------------------ sealing


@dataclass(frozen=True, slots=True)
class Recipient:
    public_key: X25519PublicKey


def seal(
    source: BankSource,
    out: Path,
    *,
    signing_key: Ed25519PrivateKey,
    passphrase: str | None = None,
    recipients: Sequence[X25519PublicKey] = (),
    kdf_n: int = KDF_N,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Encrypt, sign and write the bank; return the bank's header digest (its identity).

    At least one way to open it is required: a passphrase or a recipient key.
    The file is written beside ``out`` and renamed into place when complete.
    """
    validate(source)
    if not passphrase and not recipients:
        raise QuestionBankError("a bank needs a passphrase or at least one recipient key")
    if not KDF_N_RANGE[0] <= kdf_n <= KDF_N_RANGE[1] or kdf_n & (kdf_n - 1):
        raise QuestionBankError("the scrypt cost must be a power of two from 2^17 to 2^20")
    bank_id = source.manifest.bank_id
    data_key = AESGCM.generate_key(bit_length=256)
    aead = AESGCM(data_key)
    partial = out.with_name(out.name + ".partial")
    index: list[dict[str, object]] = []
    image_index: dict[str, object] = {}
    with partial.open("wb") as f:
        f.write(MAGIC + struct.pack(">H", VERSION))

        def put(kind: str, name: str, plaintext: bytes) -> list[object]:
            nonce = os.urandom(NONCE)
            record = nonce + aead.encrypt(nonce, plaintext, _aad(bank_id, kind, name))
            offset = f.tell()
            f.write(record)
            return [offset, len(record), hashlib.sha256(record).hexdigest()]

        total = len(source.items)
        for n, item in enumerate(source.items, start=1):
            refs = sorted(
                {r for d in (item.stem, *item.options, item.explanation) for r in images(d)}
            )
            for ref in refs:
                if ref not in image_index:
                    data = source.images[ref]
                    image_index[ref] = [*put("image", ref, data), media_type(data)]
            content = {
                "stem": to_json(item.stem),
                "options": [to_json(o) for o in item.options],
                "explanation": to_json(item.explanation),
                "meta": dict(item.meta),
            }
            index.append(
                {
                    "id": item.id,
                    "section": item.section,
                    "topic": item.topic,
                    "difficulty": item.difficulty.value,
                    "options": len(item.options),
                    "keep_option_order": item.keep_option_order,
                    "images": refs,
                    "content": put("content", item.id, _canonical(content)),
                    "key": put("key", item.id, _canonical({"points": dict(item.points)})),
                }
            )
            if progress is not None:
                progress(n, total)
        header = {
            "format": "cbtbank",
            "version": VERSION,
            "bank": {
                "id": bank_id,
                "title": source.manifest.title,
                "language": source.manifest.language,
                "policy": source.manifest.policy,
                "description": source.manifest.description,
            },
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "author": fingerprint(signing_key.public_key()),
            "sections": [_section_json(s) for s in source.manifest.sections],
            "blueprint": source.blueprint,
            "items": index,
            "images": image_index,
            "wraps": _wraps(bank_id, data_key, passphrase, recipients, kdf_n),
        }
        header_bytes = _canonical(header)
        header_offset = f.tell()
        f.write(header_bytes)
        footer = FOOTER.pack(header_offset, len(header_bytes), FOOTER_MARK)
        f.write(footer)
        prefix = MAGIC + struct.pack(">H", VERSION)
        signature = signing_key.sign(_signed_message(prefix, header_bytes, footer))
        f.write(SIG_MARK + raw_public(signing_key.public_key()) + signature)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(out)
    return hashlib.sha256(header_bytes).hexdigest()


def _section_json(section: Section) -> dict[str, object]:
    return {
        "id": section.id,
        "name": section.name,
        "options": section.options,
        "key_rule": {
            "kind": section.key_rule.kind.value,
            "points": section.key_rule.points,
            "weights": list(section.key_rule.weights),
        },
        "topics": list(section.topics),
    }


def _wraps(
    bank_id: str,
    data_key: bytes,
    passphrase: str | None,
    recipients: Sequence[X25519PublicKey],
    kdf_n: int,
) -> list[dict[str, object]]:
    wraps: list[dict[str, object]] = []
    if passphrase:
        salt = os.urandom(16)
        kek = Scrypt(salt=salt, length=32, n=kdf_n, r=8, p=1).derive(passphrase.encode("utf-8"))
        nonce = os.urandom(NONCE)
        wrapped = AESGCM(kek).encrypt(nonce, data_key, _aad(bank_id, "wrap", "passphrase"))
        wraps.append(
            {
                "type": "passphrase",
                "kdf": "scrypt",
                "n": kdf_n,
                "r": 8,
                "p": 1,
                "salt": _b64(salt),
                "nonce": _b64(nonce),
                "data": _b64(wrapped),
            }
        )
    for recipient in recipients:
        ephemeral = X25519PrivateKey.generate()
        kek = _recipient_kek(
            ephemeral.exchange(recipient), raw_public(ephemeral.public_key()), raw_public(recipient)
        )
        nonce = os.urandom(NONCE)
        who = fingerprint(recipient)
        wrapped = AESGCM(kek).encrypt(nonce, data_key, _aad(bank_id, "wrap", who))
        wraps.append(
            {
                "type": "x25519",
                "recipient": who,
                "ephemeral": _b64(raw_public(ephemeral.public_key())),
                "nonce": _b64(nonce),
                "data": _b64(wrapped),
            }
        )
    return wraps


def _recipient_kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral + recipient,
        info=b"cbtbank v1 recipient wrap",
    ).derive(shared)


# ------------------------------------------------------------------ opening


@dataclass(frozen=True, slots=True)
class RecordRef:
    offset: int
    length: int
    digest: str


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the header says of one item: enough to assemble forms without decrypting."""

    id: ItemId
    section: SectionId
    topic: str
    difficulty: Difficulty
    options: int
    keep_option_order: bool
    images: tuple[str, ...]
    content: RecordRef
    key: RecordRef

    def pool_item(self) -> PoolItem:
        return PoolItem(
            self.id, self.section, self.topic, self.difficulty, self.options, self.keep_option_order
        )


@dataclass(frozen=True, slots=True)
class BankInfo:
    bank_id: BankId
    title: str
    language: str
    policy: str | None
    description: str
    created: str
    author: str
    signed_by: str  # fingerprint of the key that signed (equals author when sound)
    digest: str  # SHA-256 of the signed header: the bank's identity
    manifest: Manifest
    blueprint: Mapping[str, object] | None
    wraps: tuple[Mapping[str, object], ...]


class SealedBank:
    """A bank whose signature has been checked; its records are still encrypted."""

    def __init__(
        self,
        path: Path,
        info: BankInfo,
        items: tuple[IndexEntry, ...],
        image_refs: Mapping[str, tuple[RecordRef, str]],
        size: int,
    ) -> None:
        self.path = path
        self.info = info
        self.items = items
        self.image_refs = image_refs
        self.size = size
        self.by_id = {e.id: e for e in items}

    @classmethod
    def open(cls, path: Path, trusted: Sequence[Ed25519PublicKey] | None) -> SealedBank:
        """Read the header and check the signature against ``trusted`` keys.

        With ``trusted=None`` the signature is checked for soundness only (for
        ``inspect``); the signer's fingerprint is reported in ``info.signed_by``.
        """
        try:
            with path.open("rb") as f:
                return cls._read(f, path, trusted)
        except FileNotFoundError:
            raise BankFormatError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise BankFormatError(f"{path}: is a folder, not a bank file") from None

    @classmethod
    def _read(
        cls, f: BinaryIO, path: Path, trusted: Sequence[Ed25519PublicKey] | None
    ) -> SealedBank:
        size = f.seek(0, os.SEEK_END)
        f.seek(0)
        prefix = f.read(PREFIX)
        if len(prefix) < len(MAGIC) or prefix[: len(MAGIC)] != MAGIC:
            raise BankFormatError(f"{path}: not a CBT Station bank file")
        if len(prefix) < PREFIX:
            raise BankFormatError(f"{path}: the bank is truncated")
        (version,) = struct.unpack(">H", prefix[len(MAGIC) :])
        if version != VERSION:
            raise BankFormatError(
                f"{path}: bank format version {version} is not supported "
                f"(this program reads version {VERSION})"
            )
        if size < PREFIX + FOOTER.size:
            raise BankFormatError(f"{path}: the bank is truncated")
        f.seek(size - SIG_BLOCK if size >= PREFIX + FOOTER.size + SIG_BLOCK else 0)
        tail = f.read(SIG_BLOCK)
        signed = size >= PREFIX + FOOTER.size + SIG_BLOCK and tail[:4] == SIG_MARK
        footer_end = size - SIG_BLOCK if signed else size
        f.seek(footer_end - FOOTER.size)
        footer = f.read(FOOTER.size)
        header_offset, header_length, mark = FOOTER.unpack(footer)
        if mark != FOOTER_MARK:
            raise BankFormatError(f"{path}: the bank is truncated or damaged (no footer)")
        if not signed:
            raise MissingSignatureError()
        if (
            header_length > MAX_HEADER
            or header_offset < PREFIX
            or header_offset + header_length != footer_end - FOOTER.size
        ):
            raise BankIntegrityError("footer", "the header's position is inconsistent")
        f.seek(header_offset)
        header_bytes = f.read(header_length)
        signer_raw, signature = tail[4:36], tail[36:]
        signer = Ed25519PublicKey.from_public_bytes(signer_raw)
        try:
            signer.verify(signature, _signed_message(prefix, header_bytes, footer))
        except InvalidSignature:
            raise BankIntegrityError("header", "the signature does not match") from None
        signed_by = fingerprint(signer_raw)
        if trusted is not None and signed_by not in {fingerprint(k) for k in trusted}:
            raise UntrustedSignerError(signed_by)
        # From here on the header is exactly what the signer wrote.
        info, items, image_refs = _parse_header(header_bytes, signed_by, header_offset)
        if info.author != signed_by:
            raise BankIntegrityError("header", "the author named in the header did not sign it")
        for wrap in info.wraps:
            if wrap.get("type") == "passphrase":
                _scrypt_cost(wrap)  # a weak wrap exposes the data key, however one unlocks
        return cls(path, info, items, image_refs, size)

    def records(self) -> Iterator[tuple[str, RecordRef]]:
        for entry in self.items:
            yield f"{entry.id}/content", entry.content
            yield f"{entry.id}/key", entry.key
        for name, (ref, _) in self.image_refs.items():
            yield f"image {name}", ref

    def verify_records(self) -> int:
        """Check every record against its signed digest; return how many were checked."""
        count = 0
        with self.path.open("rb") as f:
            for name, ref in self.records():
                _read_record(f, ref, name)
                count += 1
        return count

    def unlock(
        self,
        *,
        passphrase: str | None = None,
        recipient_key: X25519PrivateKey | None = None,
    ) -> UnlockedBank:
        """Unwrap the data key; raise :class:`WrongPassphraseError` when it does not open."""
        bank_id = self.info.bank_id
        if recipient_key is not None:
            me = fingerprint(recipient_key.public_key())
            for wrap in self.info.wraps:
                if wrap.get("type") == "x25519" and wrap.get("recipient") == me:
                    ephemeral = _unb64(wrap.get("ephemeral"), "ephemeral key")
                    try:
                        peer = X25519PublicKey.from_public_bytes(ephemeral)
                        kek = _recipient_kek(
                            recipient_key.exchange(peer),
                            ephemeral,
                            raw_public(recipient_key.public_key()),
                        )
                    except ValueError:
                        raise BankFormatError(
                            "bank header: a recipient wrap is malformed"
                        ) from None
                    return self._unwrap(kek, wrap, me, "recipient key")
            raise WrongPassphraseError("recipient key")
        if passphrase is not None:
            for wrap in self.info.wraps:
                if wrap.get("type") == "passphrase":
                    n, r, p = _scrypt_cost(wrap)
                    salt = _unb64(wrap.get("salt"), "salt")
                    kek = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(
                        passphrase.encode("utf-8")
                    )
                    return self._unwrap(kek, wrap, "passphrase", "passphrase")
            raise WrongPassphraseError()
        raise QuestionBankError(f"bank {bank_id}: give a passphrase or a recipient key")

    def _unwrap(self, kek: bytes, wrap: Mapping[str, object], name: str, what: str) -> UnlockedBank:
        nonce = _unb64(wrap.get("nonce"), "nonce")
        data = _unb64(wrap.get("data"), "wrapped key")
        try:
            data_key = AESGCM(kek).decrypt(nonce, data, _aad(self.info.bank_id, "wrap", name))
        except (InvalidTag, ValueError):
            raise WrongPassphraseError(what) from None
        return UnlockedBank(self, data_key)


def _scrypt_cost(wrap: Mapping[str, object]) -> tuple[int, int, int]:
    """The (n, r, p) of a passphrase wrap; :class:`WeakKeyDerivationError` below 2^17."""
    n, r, p = wrap.get("n"), wrap.get("r"), wrap.get("p")
    if not (
        wrap.get("kdf") == "scrypt"
        and isinstance(n, int)
        and isinstance(r, int)
        and isinstance(p, int)
        and 1 < n <= KDF_N_RANGE[1]
        and n & (n - 1) == 0
        and 1 <= r <= 16
        and 1 <= p <= 4
    ):
        raise BankFormatError("bank header: unusable scrypt parameters")
    if n < KDF_N_RANGE[0]:
        raise WeakKeyDerivationError(n, KDF_N_RANGE[0])
    return n, r, p


def _read_record(f: BinaryIO, ref: RecordRef, name: str) -> bytes:
    f.seek(ref.offset)
    record = f.read(ref.length)
    if len(record) != ref.length or hashlib.sha256(record).hexdigest() != ref.digest:
        raise BankIntegrityError(name)
    return record


class UnlockedBank:
    """A bank whose data key is known: items are decrypted on request, never to disk."""

    def __init__(self, sealed: SealedBank, data_key: bytes) -> None:
        self.sealed = sealed
        self._aead = AESGCM(data_key)

    @property
    def info(self) -> BankInfo:
        return self.sealed.info

    def _open(self, f: BinaryIO, ref: RecordRef, kind: str, name: str) -> bytes:
        record = _read_record(f, ref, f"{name}/{kind}" if kind != "image" else f"image {name}")
        try:
            return self._aead.decrypt(
                record[:NONCE], record[NONCE:], _aad(self.info.bank_id, kind, name)
            )
        except InvalidTag:
            raise BankIntegrityError(f"{name}/{kind}", "it does not decrypt") from None

    def items(self, ids: Sequence[ItemId] | None = None) -> Iterator[Item]:
        """Decrypt items (all, or ``ids`` in that order), reading one record at a time."""
        entries = self.sealed.items if ids is None else [self._entry(i) for i in ids]
        with self.sealed.path.open("rb") as f:
            for entry in entries:
                yield self._item(f, entry)

    def item(self, item_id: ItemId) -> Item:
        return next(self.items([item_id]))

    def _entry(self, item_id: ItemId) -> IndexEntry:
        entry = self.sealed.by_id.get(item_id)
        if entry is None:
            raise QuestionBankError(f"bank {self.info.bank_id} has no item {item_id!r}")
        return entry

    def _item(self, f: BinaryIO, entry: IndexEntry) -> Item:
        content = _json_record(self._open(f, entry.content, "content", entry.id), entry.id)
        key = _json_record(self._open(f, entry.key, "key", entry.id), entry.id)
        try:
            meta = {
                k: v for k, v in _obj(content.get("meta", {})).items() if isinstance(v, str | int)
            }
            return Item(
                id=entry.id,
                section=entry.section,
                topic=entry.topic,
                difficulty=entry.difficulty,
                stem=from_json(content["stem"]),
                options=tuple(from_json(o) for o in _arr(content["options"])),
                points=_points(key["points"]),
                keep_option_order=entry.keep_option_order,
                explanation=from_json(content.get("explanation", [])),
                meta=meta,
            )
        except (_ShapeError, KeyError, ValueError, RichTextFormatError):
            raise BankFormatError(f"item {entry.id}: the record has an unexpected shape") from None

    def keys(self) -> dict[ItemId, dict[OptionLabel, int]]:
        """Every item's points, reading only the key records."""
        out: dict[ItemId, dict[OptionLabel, int]] = {}
        with self.sealed.path.open("rb") as f:
            for entry in self.sealed.items:
                data = _json_record(self._open(f, entry.key, "key", entry.id), entry.id)
                try:
                    out[entry.id] = _points(data["points"])
                except (_ShapeError, KeyError):
                    raise BankFormatError(
                        f"item {entry.id}: the key record has no points"
                    ) from None
        return out

    def image(self, name: str) -> tuple[bytes, str]:
        """An image's bytes and media type."""
        found = self.sealed.image_refs.get(name)
        if found is None:
            raise QuestionBankError(f"bank {self.info.bank_id} has no image {name!r}")
        ref, kind = found
        with self.sealed.path.open("rb") as f:
            return self._open(f, ref, "image", name), kind

    def source(self) -> BankSource:
        """The whole bank as source material (for export); decrypted in memory only."""
        items = tuple(self.items())
        return BankSource(
            manifest=self.info.manifest,
            items=items,
            images={name: self.image(name)[0] for name in self.sealed.image_refs},
            blueprint=self.info.blueprint,
        )


class _ShapeError(Exception):
    """A header or record field is not of the shape this version writes."""


# Typed accessors for parsed JSON; they raise _ShapeError rather than ``assert``
# (which ``python -O`` removes) and tell mypy what they found.
def _obj(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _ShapeError
    return value


def _arr(value: object) -> list[object]:
    if not isinstance(value, list):
        raise _ShapeError
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _ShapeError
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _ShapeError
    return value


def _points(value: object) -> dict[OptionLabel, int]:
    return {OptionLabel(k): _int(v) for k, v in _obj(value).items()}


def _json_record(data: bytes, item_id: str) -> dict[str, object]:
    try:
        return _obj(json.loads(data))
    except (ValueError, _ShapeError):
        raise BankFormatError(f"item {item_id}: a record is not a JSON object") from None


def _parse_header(
    data: bytes, signed_by: str, limit: int
) -> tuple[BankInfo, tuple[IndexEntry, ...], dict[str, tuple[RecordRef, str]]]:
    try:
        header = _obj(json.loads(data))
        if header.get("format") != "cbtbank" or header.get("version") != VERSION:
            raise BankFormatError("the header does not describe a version 1 bank")
        bank = _obj(header["bank"])
        policy = bank.get("policy")
        manifest = Manifest(
            bank_id=BankId(_text(bank["id"])),
            title=_text(bank["title"]),
            language=_text(bank["language"]),
            sections=tuple(_section_from_json(_obj(s)) for s in _arr(header["sections"])),
            policy=None if policy is None else _text(policy),
            description=_text(bank.get("description", "")),
        )
        items = tuple(_entry_from_json(_obj(e), limit) for e in _arr(header["items"]))
        image_refs: dict[str, tuple[RecordRef, str]] = {}
        for name, value in _obj(header["images"]).items():
            parts = _arr(value)
            if len(parts) != 4:
                raise _ShapeError
            image_refs[name] = (_ref(parts[:3], limit), _text(parts[3]))
        blueprint = header.get("blueprint")
        info = BankInfo(
            bank_id=manifest.bank_id,
            title=manifest.title,
            language=manifest.language,
            policy=manifest.policy,
            description=manifest.description,
            created=_text(header["created"]),
            author=_text(header["author"]),
            signed_by=signed_by,
            digest=hashlib.sha256(data).hexdigest(),
            manifest=manifest,
            blueprint=None if blueprint is None else _obj(blueprint),
            wraps=tuple(_obj(w) for w in _arr(header["wraps"])),
        )
        return info, items, image_refs
    except (_ShapeError, KeyError, ValueError):
        raise BankFormatError("the bank header has an unexpected shape") from None


def _ref(value: object, limit: int) -> RecordRef:
    parts = _arr(value)
    if len(parts) != 3:
        raise _ShapeError
    offset, length, digest = _int(parts[0]), _int(parts[1]), _text(parts[2])
    if offset < PREFIX or length < NONCE + 16 or offset + length > limit:
        raise _ShapeError
    return RecordRef(offset, length, digest)


def _section_from_json(raw: dict[str, object]) -> Section:
    rule = _obj(raw["key_rule"])
    return Section(
        id=SectionId(_text(raw["id"])),
        name=_text(raw["name"]),
        options=_int(raw["options"]),
        key_rule=KeyRule(
            KeyRuleKind(_text(rule["kind"])),
            _int(rule.get("points", 0)),
            tuple(_int(w) for w in _arr(rule.get("weights", []))),
        ),
        topics=tuple(_text(t) for t in _arr(raw.get("topics", []))),
    )


def _entry_from_json(raw: dict[str, object], limit: int) -> IndexEntry:
    options = _int(raw["options"])
    if not 2 <= options <= 10:
        raise _ShapeError
    keep = raw["keep_option_order"]
    if not isinstance(keep, bool):
        raise _ShapeError
    return IndexEntry(
        id=ItemId(_text(raw["id"])),
        section=SectionId(_text(raw["section"])),
        topic=_text(raw["topic"]),
        difficulty=Difficulty(_text(raw["difficulty"])),
        options=options,
        keep_option_order=keep,
        images=tuple(_text(r) for r in _arr(raw.get("images", []))),
        content=_ref(raw["content"], limit),
        key=_ref(raw["key"], limit),
    )
