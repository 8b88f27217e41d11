"""Banks held on this server: imported sealed, unlocked only into memory.

Importing copies the ``.cbtbank`` file into the data directory after its
signature has been checked against the trusted author keys. Unlocking
decrypts every item into this process's memory; no decrypted item is ever
written to the database, a log or a temporary file.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import insert, select

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import BankUnavailableError, ConflictError, NotFoundError
from cbt_server.services.audit import AuditLog
from cbt_server.services.site import SitePaths
from question_bank.container import SealedBank
from question_bank.delivery import PreparedItem, prepare_item
from question_bank.model import Item, ItemId, Manifest


@dataclass(frozen=True, slots=True)
class OpenBank:
    """A bank's decrypted content, in memory only."""

    digest: str
    bank_id: str
    manifest: Manifest
    sealed: SealedBank
    items: Mapping[ItemId, Item]
    #: Image bytes and media type by opaque reference (SHA-256 of the bytes).
    images: Mapping[str, tuple[bytes, str]]
    #: The bank's image name -> opaque reference.
    image_refs: Mapping[str, str]
    #: Every item in payload form, prepared once at unlock.
    prepared: Mapping[ItemId, PreparedItem]


@dataclass(frozen=True, slots=True)
class BankRecord:
    id: int
    bank_id: str
    digest: str
    title: str
    author: str
    path: Path


class BankVault:
    def __init__(self, db: Database, paths: SitePaths, clock: Clock, audit: AuditLog) -> None:
        self.db, self.paths, self.clock, self.audit = db, paths, clock, audit
        self._open: dict[str, OpenBank] = {}
        self._lock = threading.Lock()

    def import_bank(
        self, source: Path, trusted: Sequence[Ed25519PublicKey], *, actor: str
    ) -> BankRecord:
        sealed = SealedBank.open(source, trusted)  # the signature is checked first
        sealed.verify_records()
        info = sealed.info
        with self.db.read() as conn:
            known = conn.execute(
                select(tables.banks.c.id).where(tables.banks.c.digest == info.digest)
            ).scalar_one_or_none()
        if known is not None:
            raise ConflictError(f"bank {info.bank_id} ({info.digest[:16]}) is already imported")
        name = f"{info.digest}.cbtbank"
        target = self.paths.banks / name
        partial = target.with_suffix(".partial")
        shutil.copyfile(source, partial)
        if (
            hashlib.sha256(partial.read_bytes()).digest()
            != hashlib.sha256(source.read_bytes()).digest()
        ):
            partial.unlink()
            raise ConflictError("the bank changed while it was being copied; try again")
        partial.replace(target)
        now = self.clock.now_ms()
        with self.db.write() as conn:
            row_id = conn.execute(
                insert(tables.banks)
                .values(
                    bank_id=info.bank_id,
                    digest=info.digest,
                    title=info.title,
                    author=info.author,
                    file_name=name,
                    imported_ms=now,
                )
                .returning(tables.banks.c.id)
            ).scalar_one()
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="bank_imported",
                data={
                    "bank": info.bank_id,
                    "digest": info.digest,
                    "author": info.author,
                    "items": len(sealed.items),
                },
            )
        return BankRecord(row_id, info.bank_id, info.digest, info.title, info.author, target)

    def records(self) -> list[BankRecord]:
        table = tables.banks
        with self.db.read() as conn:
            rows = conn.execute(select(table).order_by(table.c.id)).all()
        return [
            BankRecord(r.id, r.bank_id, r.digest, r.title, r.author, self.paths.banks / r.file_name)
            for r in rows
        ]

    def record(self, bank_row_id: int) -> BankRecord:
        for record in self.records():
            if record.id == bank_row_id:
                return record
        raise NotFoundError(f"no bank {bank_row_id}")

    def unlock(
        self,
        record: BankRecord,
        *,
        passphrase: str | None = None,
        recipient_key: X25519PrivateKey | None = None,
        actor: str,
    ) -> OpenBank:
        """Decrypt the bank into memory (once); raises the bank's own errors."""
        with self._lock:
            if record.digest in self._open:
                return self._open[record.digest]
        sealed = SealedBank.open(record.path, None)
        if sealed.info.digest != record.digest:
            raise ConflictError(f"{record.path} is not the bank that was imported")
        unlocked = sealed.unlock(passphrase=passphrase, recipient_key=recipient_key)
        items = {item.id: item for item in unlocked.items()}
        images: dict[str, tuple[bytes, str]] = {}
        refs: dict[str, str] = {}
        for name in sealed.image_refs:
            data, kind = unlocked.image(name)
            ref = hashlib.sha256(data).hexdigest()[:32]
            images[ref] = (data, kind)
            refs[name] = ref
        prepared = {i: prepare_item(item, refs.__getitem__) for i, item in items.items()}
        bank = OpenBank(
            record.digest,
            sealed.info.bank_id,
            sealed.info.manifest,
            sealed,
            items,
            images,
            refs,
            prepared,
        )
        now = self.clock.now_ms()
        with self.db.write() as conn:
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="bank_unlocked",
                data={
                    "bank": bank.bank_id,
                    "digest": record.digest,
                    "by": "recipient key" if recipient_key else "passphrase",
                },
            )
        with self._lock:
            self._open.setdefault(record.digest, bank)
            return self._open[record.digest]

    def opened(self, digest: str) -> OpenBank:
        with self._lock:
            bank = self._open.get(digest)
        if bank is None:
            raise BankUnavailableError(
                "the exam's question bank is not unlocked on this server; an administrator "
                "must unlock it before candidates can start"
            )
        return bank

    def is_open(self, digest: str) -> bool:
        with self._lock:
            return digest in self._open
