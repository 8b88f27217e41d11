"""Durable answers: one writer thread commits queued saves in batches (group commit).

A save is acknowledged only after the transaction holding it has committed, so
an acknowledged answer survives a crash. Saves are idempotent by (attempt,
item number, sequence): a change is written only if its sequence is newer than
the stored one, so re-sent or out-of-order batches never go backwards.
The hot path uses SQLAlchemy Core statements, not ORM objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import (
    AuthenticationError,
    ConflictError,
    ServerError,
    StorageUnavailableError,
)
from cbt_server.services.batching import next_batch

#: Most saves committed in one transaction.
MAX_BATCH = 500


@dataclass(frozen=True, slots=True)
class Change:
    number: int
    choice: str | None  # the author's option label, or None when cleared
    doubtful: bool
    seq: int


@dataclass(frozen=True, slots=True)
class _Save:
    attempt_id: int
    changes: Sequence[Change]
    #: Settled with the acknowledged sequence or the error: a thread's future, or an
    #: asyncio future with its loop (settled in one hop per batch, not one per save).
    done: Future[int] | tuple[asyncio.AbstractEventLoop, asyncio.Future[int]]
    #: The bearer token's hash, re-checked in the transaction (None: trusted caller).
    token_hash: str | None = None


Outcome = tuple[_Save, int | BaseException]


def _settle(outcomes: list[Outcome]) -> None:
    """Give every save its result; asyncio futures are settled on their own loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[int], int | BaseException]]]
    by_loop = {}
    for save, result in outcomes:
        if isinstance(save.done, Future):
            if isinstance(result, BaseException):
                save.done.set_exception(result)
            else:
                save.done.set_result(result)
        else:
            loop, future = save.done
            by_loop.setdefault(loop, []).append((future, result))
    for loop, pending in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_settle_on_loop, pending)


def _settle_on_loop(pending: list[tuple[asyncio.Future[int], int | BaseException]]) -> None:
    for future, result in pending:
        if future.done():
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)


class AnswerWriter:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock
        self._queue: queue.Queue[_Save | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        table = tables.responses
        insert = sqlite.insert if db.is_sqlite else postgresql.insert
        statement = insert(table)
        excluded = statement.excluded
        self._upsert = statement.on_conflict_do_update(
            index_elements=[table.c.attempt_id, table.c.number],
            set_={
                "choice": excluded.choice,
                "doubtful": excluded.doubtful,
                "seq": excluded.seq,
                "changed_ms": excluded.changed_ms,
            },
            where=excluded.seq > table.c.seq,
        )
        attempts = tables.attempts
        self._bump = (
            update(attempts)
            .where(attempts.c.id == bindparam("aid"))
            .values(
                max_seq=func.max(attempts.c.max_seq, bindparam("seq"))
                if db.is_sqlite
                else func.greatest(attempts.c.max_seq, bindparam("seq"))
            )
        )
        self.batches = 0
        self.saves = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="answer-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def submit(
        self, attempt_id: int, changes: Sequence[Change], *, token_hash: str | None = None
    ) -> Future[int]:
        """Queue a batch; the future gives the highest sequence now durable.

        With ``token_hash``, the save is refused (not written) unless the attempt is
        still in progress under that token when the batch commits.
        """
        done: Future[int] = Future()
        if not changes:
            done.set_result(0)
            return done
        self._queue.put(_Save(attempt_id, changes, done, token_hash))
        return done

    def save(
        self, attempt_id: int, changes: Sequence[Change], *, token_hash: str | None = None
    ) -> asyncio.Future[int]:
        """Like :meth:`submit`, for a coroutine: await the result on the running loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        if not changes:
            future.set_result(0)
            return future
        self._queue.put(_Save(attempt_id, changes, (loop, future), token_hash))
        return future

    def save_now(self, attempt_id: int, changes: Sequence[Change]) -> int:
        """Commit in the caller's thread (tools and tests without the writer running)."""
        with self.db.write() as conn:
            return self._write(conn, [_Save(attempt_id, changes, Future())])[0]

    def _run(self) -> None:
        stop = False
        while not stop:
            batch, stop = next_batch(self._queue, MAX_BATCH)
            if batch:
                self._commit(batch)

    def _commit(self, batch: list[_Save]) -> None:
        refused: list[Outcome] = []
        try:
            with self.db.write() as conn:
                kept, refused = self._admitted(conn, batch)
                acks = self._write(conn, kept) if kept else []
        except StorageUnavailableError as exc:
            _settle([(save, exc) for save in batch])
            return
        except Exception as exc:  # noqa: BLE001 - the writer thread's top: surface, never die
            failure = StorageUnavailableError(f"the answers could not be saved ({exc})")
            _settle([(save, failure) for save in batch])
            return
        self.batches += 1
        self.saves += sum(len(s.changes) for s in kept)
        _settle([*zip(kept, acks, strict=True), *refused])

    def _admitted(self, conn: Connection, batch: list[_Save]) -> tuple[list[_Save], list[Outcome]]:
        """Split off saves whose token was superseded or whose attempt is over."""
        checked = {s.attempt_id for s in batch if s.token_hash is not None}
        if not checked:
            return batch, []
        attempts = tables.attempts
        found = {
            row.id: (row.token_hash, row.state)
            for row in conn.execute(
                select(attempts.c.id, attempts.c.token_hash, attempts.c.state).where(
                    attempts.c.id.in_(checked)
                )
            )
        }
        kept: list[_Save] = []
        refused: list[Outcome] = []
        for save in batch:
            token, state = found.get(save.attempt_id, (None, None))
            if save.token_hash is not None and token != save.token_hash:
                refused.append(
                    (
                        save,
                        AuthenticationError(
                            "this login is no longer valid (logged in elsewhere or released); "
                            "nothing was saved"
                        ),
                    )
                )
            elif save.token_hash is not None and state != "in_progress":
                refused.append(
                    (
                        save,
                        ConflictError("this exam has already been submitted; no answer can change"),
                    )
                )
            else:
                kept.append(save)
        return kept, refused

    def _write(self, conn: Connection, batch: list[_Save]) -> list[int]:
        now = self.clock.now_ms()
        # One row per (attempt, number) per statement: keep the newest of duplicates.
        newest: dict[tuple[int, int], tuple[int, Change]] = {}
        for save in batch:
            for change in save.changes:
                key = (save.attempt_id, change.number)
                if key not in newest or change.seq > newest[key][1].seq:
                    newest[key] = (save.attempt_id, change)
        rows = [
            {
                "attempt_id": attempt_id,
                "number": c.number,
                "choice": c.choice,
                "doubtful": c.doubtful,
                "seq": c.seq,
                "changed_ms": now,
            }
            for attempt_id, c in newest.values()
        ]
        conn.execute(self._upsert, rows)
        acks = [max(c.seq for c in s.changes) for s in batch]
        bumps: dict[int, int] = {}
        for save, ack in zip(batch, acks, strict=True):
            bumps[save.attempt_id] = max(bumps.get(save.attempt_id, 0), ack)
        conn.execute(self._bump, [{"aid": a, "seq": q} for a, q in bumps.items()])
        return acks


def error_of(future: Future[int]) -> ServerError | None:
    exc = future.exception()
    return exc if isinstance(exc, ServerError) else None
