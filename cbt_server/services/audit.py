"""The audit log: append-only, hash-chained, verifiable by anyone holding a copy.

Each entry's hash is SHA-256 over the previous hash and the entry's canonical
JSON (sequence, time, actor, event, data). The head (last sequence and hash)
lives in a one-row table that every appender updates first, which serialises
appenders on SQLite and PostgreSQL alike. Editing, deleting or reordering any
entry breaks the chain at that entry, and ``verify`` names it.

Some entries are milestones (:data:`MILESTONES`): a session opened or closed (its
results published), a re-score, an import of another site's results. The head right
after each is what the public notes down and later finds again in a downloaded copy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import AuditChainError

GENESIS = "0" * 64

#: Events whose entry marks a head worth noting: the site's first entry, a session
#: opened, a session closed (its results are published then), a re-score, and an
#: import of another site's signed results.
MILESTONES = (
    "site_initialised",
    "session_opened",
    "session_closed",
    "rescored",
    "results_imported",
)


def entry_hash(prev_hash: str, seq: int, at_ms: int, actor: str, event: str, data_json: str) -> str:
    body = json.dumps(
        [seq, at_ms, actor, event, data_json], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int
    hash: str
    at_ms: int

    @property
    def short(self) -> str:
        return self.hash[:16]


@dataclass(frozen=True, slots=True)
class Milestone:
    """The head right after a milestone entry, and what the entry was about."""

    head: ChainHead
    event: str
    #: The session the entry names, if any (``results_imported``: the other site's code).
    session: str | None
    #: The site of imported results; None for entries about this site.
    site: str | None


class AuditLog:
    def append(
        self, conn: Connection, *, at_ms: int, actor: str, event: str, data: Mapping[str, object]
    ) -> ChainHead:
        """Append inside the caller's write transaction, so the entry commits with the act."""
        return self.append_many(conn, [(at_ms, actor, event, data)])

    def append_many(
        self, conn: Connection, entries: Sequence[tuple[int, str, str, Mapping[str, object]]]
    ) -> ChainHead:
        """Append several entries (time, actor, event, data) with one move of the head."""
        if not entries:
            raise ValueError("nothing to append")
        head_table = tables.audit_head
        bumped = conn.execute(
            update(head_table)
            .where(head_table.c.id == 1)
            .values(seq=head_table.c.seq + len(entries))
            .returning(head_table.c.seq, head_table.c.hash)
        ).one_or_none()
        if bumped is None:  # a database made before the head row existed
            conn.execute(insert(head_table).values(id=1, seq=len(entries), hash=GENESIS))
            last, prev = len(entries), GENESIS
        else:
            last, prev = bumped
        seq = last - len(entries)
        rows = []
        for at_ms, actor, event, data in entries:
            seq += 1
            data_json = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            digest = entry_hash(prev, seq, at_ms, actor, event, data_json)
            rows.append(
                {
                    "seq": seq,
                    "at_ms": at_ms,
                    "actor": actor,
                    "event": event,
                    "data_json": data_json,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        conn.execute(insert(tables.audit_log), rows)
        conn.execute(update(head_table).where(head_table.c.id == 1).values(hash=prev))
        return ChainHead(seq, prev, entries[-1][0])

    def head(self, db: Database) -> ChainHead:
        table = tables.audit_log
        with db.read() as conn:
            row = conn.execute(
                select(table.c.seq, table.c.hash, table.c.at_ms)
                .order_by(table.c.seq.desc())
                .limit(1)
            ).one_or_none()
        if row is None:
            return ChainHead(0, GENESIS, 0)
        return ChainHead(row.seq, row.hash, row.at_ms)

    def milestones(self, db: Database) -> list[Milestone]:
        """The entries of :data:`MILESTONES`, oldest first, each as the head it made."""
        table = tables.audit_log
        with db.read() as conn:
            rows = conn.execute(
                select(table.c.seq, table.c.hash, table.c.at_ms, table.c.event, table.c.data_json)
                .where(table.c.event.in_(MILESTONES))
                .order_by(table.c.seq)
            ).all()
        found = []
        for row in rows:
            data = json.loads(row.data_json)
            session, site = data.get("session"), data.get("site")
            found.append(
                Milestone(
                    ChainHead(row.seq, row.hash, row.at_ms),
                    row.event,
                    session if isinstance(session, str) else None,
                    site if row.event == "results_imported" and isinstance(site, str) else None,
                )
            )
        return found

    def entries(
        self, db: Database, *, after: int = 0, limit: int | None = None
    ) -> list[dict[str, object]]:
        table = tables.audit_log
        query = select(table).where(table.c.seq > after).order_by(table.c.seq)
        if limit is not None:
            query = query.limit(limit)
        with db.read() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def verify(self, db: Database) -> ChainHead:
        """Recompute the chain; raise :class:`AuditChainError` at the first broken entry."""
        table = tables.audit_log
        with db.read() as conn:
            rows = conn.execute(select(table).order_by(table.c.seq)).all()
            head = conn.execute(select(tables.audit_head)).one_or_none()
        last = verify_rows(dict(r._mapping) for r in rows)
        if head is not None and (head.seq != last.seq or head.hash != last.hash):
            raise AuditChainError(
                f"the chain ends at entry {last.seq}, but the head records entry {head.seq}: "
                "entries were removed from the end",
                seq=last.seq + 1,
            )
        return last


def verify_rows(rows: Iterable[Mapping[str, object]]) -> ChainHead:
    """Check a sequence of exported entries (as dicts); the same check as the database's."""
    prev, expected_seq, at = GENESIS, 1, 0
    for row in rows:
        seq = int(str(row["seq"]))
        if seq != expected_seq:
            raise AuditChainError(
                f"entry {expected_seq} is missing or out of order (found {seq} in its place)",
                seq=expected_seq,
            )
        if row["prev_hash"] != prev:
            raise AuditChainError(f"entry {seq} does not follow entry {seq - 1}", seq=seq)
        digest = entry_hash(
            prev,
            seq,
            int(str(row["at_ms"])),
            str(row["actor"]),
            str(row["event"]),
            str(row["data_json"]),
        )
        if digest != row["hash"]:
            raise AuditChainError(f"entry {seq} was altered (its hash does not match)", seq=seq)
        prev, expected_seq, at = digest, seq + 1, int(str(row["at_ms"]))
    return ChainHead(expected_seq - 1, prev, at)
