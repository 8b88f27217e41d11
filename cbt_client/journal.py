"""The local answer journal: every change is on this PC's disk before it is sent.

File layout (see docs/client.md)::

    magic   b"CBTJRNL1"                                   8 bytes
    record  length (u32, big-endian) | nonce (12) | AES-256-GCM(JSON) + tag (16)
    record  ...

Each record's plaintext is one JSON object: an answer change
``{"k": "a", "s": seq, "n": number, "c": "A"|null, "d": doubtful, "t": ms}`` or a
high-water mark ``{"k": "m", "s": seq}`` written when acknowledged changes are
trimmed, so sequence numbers never go backwards. The key is the attempt's
``journal_key`` from the server (given at every login, never stored here) and
the associated data is the magic plus the file's name, which is itself an HMAC
of the key: the file alone reveals neither the candidate nor the answers.

Appends are written, flushed and fsynced before ``append`` returns. A kill can
tear only the record being written; reading stops at a torn or truncated tail
and ignores it. Trimming rewrites the file to a temporary name, fsyncs it and
renames it over the old one, so a kill leaves the old or the new file, whole.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cbt_client.errors import JournalError

MAGIC = b"CBTJRNL1"
NONCE = 12
TAG = 16
MAX_RECORD = 64 * 1024
_LENGTH = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class Entry:
    """One answer change as the candidate made it."""

    seq: int
    number: int
    choice: str | None
    doubtful: bool
    at_ms: int = 0


@dataclass(frozen=True, slots=True)
class Contents:
    entries: tuple[Entry, ...]
    #: The highest sequence number this journal ever held.
    high_water: int
    #: Whole records that did not authenticate (tampering or a foreign write).
    damaged: int
    #: Whether the last record was torn (a kill while writing it).
    torn_tail: bool


def journal_name(key: bytes) -> str:
    return hmac.new(key, b"cbt-client journal file", hashlib.sha256).hexdigest()[:32] + ".cbtj"


class Journal:
    """The encrypted journal of one attempt on this PC; safe to use from several threads."""

    def __init__(self, folder: Path, key: bytes, *, durable: bool = True) -> None:
        if len(key) != 32:
            raise JournalError("the journal key is not 32 bytes", path=folder)
        self.path = folder / journal_name(key)
        self._aead = AESGCM(key)
        self._aad = MAGIC + self.path.name.encode()
        self._durable = durable
        self._lock = threading.Lock()
        self._checked = False
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(f"cannot create the journal folder: {exc}", path=folder) from exc

    # ------------------------------------------------------------------ writing

    def append(self, entry: Entry) -> None:
        record = self._seal(
            {
                "k": "a",
                "s": entry.seq,
                "n": entry.number,
                "c": entry.choice,
                "d": entry.doubtful,
                "t": entry.at_ms,
            }
        )
        with self._lock:
            if not self._checked:
                self._read()  # cuts a torn tail off, so this record follows a whole one
            try:
                fresh = not self.path.exists() or self.path.stat().st_size < len(MAGIC)
                with self.path.open("ab") as f:
                    if fresh:
                        f.truncate(0)
                        f.write(MAGIC)
                    f.write(record)
                    f.flush()
                    if self._durable:
                        os.fsync(f.fileno())
            except OSError as exc:
                raise JournalError(f"cannot write the journal: {exc}", path=self.path) from exc

    def trim(self, acked_seq: int) -> int:
        """Drop changes the server has acknowledged; return how many remain."""
        with self._lock:
            contents = self._read()
            keep = [e for e in contents.entries if e.seq > acked_seq]
            if len(keep) == len(contents.entries) and not contents.torn_tail:
                return len(keep)
            mark = max(contents.high_water, acked_seq)
            chunks = [MAGIC, self._seal({"k": "m", "s": mark})]
            chunks += [
                self._seal(
                    {
                        "k": "a",
                        "s": e.seq,
                        "n": e.number,
                        "c": e.choice,
                        "d": e.doubtful,
                        "t": e.at_ms,
                    }
                )
                for e in keep
            ]
            self._replace(b"".join(chunks))
            return len(keep)

    def discard(self) -> None:
        """Remove the journal (after the result is recorded on the server)."""
        with self._lock:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                raise JournalError(f"cannot remove the journal: {exc}", path=self.path) from exc

    # ------------------------------------------------------------------ reading

    def read(self) -> Contents:
        """What the journal holds; a torn tail is reported and cut off the file."""
        with self._lock:
            return self._read()

    def _read(self) -> Contents:
        self._checked = True
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Contents((), 0, 0, False)
        except OSError as exc:
            raise JournalError(f"cannot read the journal: {exc}", path=self.path) from exc
        if not data.startswith(MAGIC):
            if MAGIC.startswith(data):  # killed while writing the header
                self._cut(0)
                return Contents((), 0, 0, bool(data))
            raise JournalError("this file is not a CBT Station journal", path=self.path)
        entries: list[Entry] = []
        high, damaged, torn = 0, 0, False
        pos = whole = len(MAGIC)
        while pos < len(data):
            if pos + _LENGTH.size > len(data):
                torn = True
                break
            (length,) = _LENGTH.unpack_from(data, pos)
            end = pos + _LENGTH.size + length
            if not NONCE + TAG <= length <= MAX_RECORD or end > len(data):
                torn = True
                break
            body = data[pos + _LENGTH.size : end]
            pos = end
            try:
                plain = self._aead.decrypt(body[:NONCE], body[NONCE:], self._aad)
                record = json.loads(plain)
            except (InvalidTag, ValueError):
                if pos >= len(data):
                    torn = True
                else:
                    damaged += 1
                    whole = pos
                continue
            whole = pos
            entry = _entry(record)
            if isinstance(entry, Entry):
                entries.append(entry)
                high = max(high, entry.seq)
            elif entry is not None:
                high = max(high, entry)
            else:
                damaged += 1
        if torn:
            self._cut(whole)
        return Contents(tuple(entries), high, damaged, torn)

    def _cut(self, size: int) -> None:
        try:
            with self.path.open("r+b") as f:
                f.truncate(size)
                f.flush()
                if self._durable:
                    os.fsync(f.fileno())
        except OSError as exc:
            raise JournalError(f"cannot repair the journal: {exc}", path=self.path) from exc

    # ------------------------------------------------------------------ internals

    def _seal(self, record: dict[str, object]) -> bytes:
        nonce = os.urandom(NONCE)
        body = nonce + self._aead.encrypt(nonce, json.dumps(record).encode(), self._aad)
        return _LENGTH.pack(len(body)) + body

    def _replace(self, data: bytes) -> None:
        temporary = self.path.with_suffix(".tmp")
        try:
            with temporary.open("wb") as f:
                f.write(data)
                f.flush()
                if self._durable:
                    os.fsync(f.fileno())
            temporary.replace(self.path)
            if self._durable and sys.platform != "win32":
                folder = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
        except OSError as exc:
            raise JournalError(f"cannot rewrite the journal: {exc}", path=self.path) from exc


def _entry(record: object) -> Entry | int | None:
    """An answer change, a high-water mark (int), or None for a record of unknown shape."""
    if not isinstance(record, dict):
        return None
    seq = record.get("s")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return None
    if record.get("k") == "m":
        return seq
    number, choice, doubtful, at = (record.get(k) for k in ("n", "c", "d", "t"))
    if (
        record.get("k") != "a"
        or not isinstance(number, int)
        or not (choice is None or isinstance(choice, str))
        or not isinstance(doubtful, bool)
    ):
        return None
    return Entry(seq, number, choice, doubtful, at if isinstance(at, int) else 0)
