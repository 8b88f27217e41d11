"""Submitting and scoring an attempt: in one transaction, once, for good.

Submissions that arrive together (the end of an exam) are scored by one
thread and committed together in one transaction — group commit, as for
answers — so a thousand submits do not wait on a thousand disk syncs.

The report is computed with ``scoring`` from the saved answers, signed with the
site key, stored, and only then published: the candidate's screen, the live
display, the slip and every export read this one committed record.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, bindparam, insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ServerError,
    StorageUnavailableError,
)
from cbt_server.services.audit import AuditLog
from cbt_server.services.batching import next_batch
from cbt_server.services.exams import ExamRegistry, LoadedExam
from question_bank.form import form_item_ids
from scoring import ItemId, OptionId, report_to_dict, score
from scoring import Response as ScoringResponse

SLIP_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_slip_code() -> str:
    """Twelve characters from the unambiguous alphabet, about 56 bits, from one read of
    the OS generator (a thousand submits at once made per-character reads show)."""
    usable = 256 - 256 % len(SLIP_ALPHABET)  # reject the bytes that would bias the draw
    raw = ""
    while len(raw) < 12:
        raw += "".join(
            SLIP_ALPHABET[b % len(SLIP_ALPHABET)] for b in secrets.token_bytes(16) if b < usable
        )
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}"


def canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


SUPERSEDED_LOGIN = (
    "this login is no longer valid (logged in elsewhere or released); "
    "the exam was not submitted from this station"
)
#: Most submissions scored and committed in one transaction.
MAX_SUBMITS = 200
log = logging.getLogger("cbt_server.scoring")


@dataclass(frozen=True, slots=True)
class _Submit:
    attempt_id: int
    by: str
    actor: str
    done: Future[ScoredAttempt]
    #: When set, refused unless the attempt still belongs to this login (see submit_async).
    token_hash: str | None = None


@dataclass(frozen=True, slots=True)
class ScoredAttempt:
    attempt_id: int
    session_code: str
    candidate_number: str
    slip_code: str
    report: dict[str, object]
    signature: str
    scored_ms: int
    newly: bool
    candidate_name: str = ""
    privacy: str = "number"


def responses_for_scoring(
    item_ids: Sequence[str], rows: Mapping[int, str | None]
) -> dict[ItemId, ScoringResponse]:
    """Saved answers (by item number, author's labels) of a form with these items, in
    order, as the scorer's responses."""
    out: dict[ItemId, ScoringResponse] = {}
    for number, choice in rows.items():
        if choice is not None and 1 <= number <= len(item_ids):
            out[ItemId(item_ids[number - 1])] = OptionId(choice)
    return out


class ScoringDesk:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        exams: ExamRegistry,
        signing_key: Ed25519PrivateKey,
        publish: Callable[[ScoredAttempt], None] | None = None,
    ) -> None:
        self.db, self.clock, self.audit, self.exams = db, clock, audit, exams
        self.signing_key = signing_key
        self.publish = publish
        self._queue: queue.Queue[_Submit | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ submitting

    def start(self) -> None:
        """Run the submitter thread: submits arriving together commit together."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="submitter", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def submit(self, attempt_id: int, *, by: str, actor: str) -> ScoredAttempt:
        """Score and store the attempt; submitting twice returns the same record."""
        stored = self.stored(attempt_id)
        if stored is not None:
            return stored
        request = _Submit(attempt_id, by, actor, Future())
        if self._thread is None:  # tools and tests without the thread: commit here
            self._commit([request])
        else:
            self._queue.put(request)
        return request.done.result()

    def submit_many(
        self, attempt_ids: list[int], *, by: str, actor: str
    ) -> list[ScoredAttempt | ServerError]:
        """Submit several attempts together (the finaliser at a deadline, closing a session)."""
        requests = [_Submit(a, by, actor, Future()) for a in attempt_ids]
        if self._thread is None:
            for start in range(0, len(requests), MAX_SUBMITS):
                self._commit(requests[start : start + MAX_SUBMITS])
        else:
            for request in requests:
                self._queue.put(request)
        outcomes: list[ScoredAttempt | ServerError] = []
        for request in requests:
            error = request.done.exception()
            outcomes.append(error if isinstance(error, ServerError) else request.done.result())
        return outcomes

    async def submit_async(
        self, attempt_id: int, *, by: str, actor: str, token_hash: str | None = None
    ) -> ScoredAttempt:
        """:meth:`submit` for a coroutine: the event loop waits without a thread.

        A candidate's submit passes the hash of its login token: the submitter checks
        it inside its transaction, so the caller may have found the attempt in a cache.
        No read beforehand: a repeated submit is answered from the stored record by the
        submitter itself, and a thousand first submits cost no extra read each.
        """
        request = _Submit(attempt_id, by, actor, Future(), token_hash)
        if self._thread is None:
            await asyncio.to_thread(self._commit, [request])
        else:
            self._queue.put(request)
        return await asyncio.wrap_future(request.done)

    def _run(self) -> None:
        stop = False
        while not stop:
            batch, stop = next_batch(self._queue, MAX_SUBMITS)
            if not batch:
                continue
            try:
                self._commit(batch)
            except Exception as exc:
                log.exception("submitting a batch failed")
                failure = (
                    exc
                    if isinstance(exc, ServerError)
                    else StorageUnavailableError(
                        f"the submission could not be stored ({exc}); try again"
                    )
                )
                for request in batch:
                    if not request.done.done():
                        request.done.set_exception(failure)

    def _commit(self, batch: list[_Submit]) -> None:
        """Score every request of the batch and store them in one transaction."""
        attempts, sessions, cands = tables.attempts, tables.exam_sessions, tables.candidates
        ids = sorted({r.attempt_id for r in batch})
        outcomes: dict[int, ScoredAttempt | ServerError] = {}
        fresh: list[ScoredAttempt] = []
        with self.db.write() as conn:
            query = (
                select(
                    attempts.c.id,
                    attempts.c.state,
                    attempts.c.token_hash,
                    attempts.c.form_json,
                    sessions.c.exam_id,
                    sessions.c.code.label("session_code"),
                    sessions.c.privacy,
                    cands.c.number,
                    cands.c.name,
                    cands.c.track,
                )
                .select_from(tables.attempt_people)
                .where(attempts.c.id.in_(ids))
            )
            if not self.db.is_sqlite:  # SQLite's write transaction is already exclusive
                query = query.with_for_update(of=attempts)
            rows = {row.id: row for row in conn.execute(query)}
            answers = self._answers(conn, [i for i, r in rows.items() if r.state == "in_progress"])
            now = self.clock.now_ms()
            score_rows, audit_rows = [], []
            # A candidate's submit whose login was superseded (released seat, login
            # elsewhere) is refused; other requests for the same attempt still count.
            superseded = {
                id(r)
                for r in batch
                if r.token_hash is not None
                and r.attempt_id in rows
                and rows[r.attempt_id].token_hash != r.token_hash
            }
            admitted = [r for r in batch if id(r) not in superseded]
            first_request = {r.attempt_id: r for r in reversed(admitted)}
            for attempt_id in sorted(first_request):
                row = rows.get(attempt_id)
                if row is None:
                    outcomes[attempt_id] = NotFoundError(f"no attempt {attempt_id}")
                    continue
                if row.state == "submitted":
                    existing = self._stored_in(conn, attempt_id)
                    outcomes[attempt_id] = (
                        existing
                        if existing is not None
                        else ConflictError("the attempt is submitted but has no score yet")
                    )
                    continue
                if row.state != "in_progress":
                    outcomes[attempt_id] = ConflictError("the exam has not been started yet")
                    continue
                try:
                    exam = self.exams.get(row.exam_id)
                    result = self._score(
                        exam, row.form_json, answers.get(attempt_id, {}), row.track
                    )
                except ServerError as exc:
                    outcomes[attempt_id] = exc
                    continue
                request = first_request[attempt_id]
                slip = new_slip_code()
                signed = self._signed(slip, row.session_code, row.number, result, now)
                signature = self.signing_key.sign(canonical(signed)).hex()
                score_rows.append(
                    {
                        "attempt_id": attempt_id,
                        "slip_code": slip,
                        "report_json": json.dumps(result, ensure_ascii=False),
                        "total": str(result["total"]),
                        "passed": result["passed"],
                        "signature": signature,
                        "scored_ms": now,
                        "revision": 1,
                    }
                )
                audit_rows.append(
                    (
                        now,
                        request.actor,
                        "attempt_scored",
                        {
                            "attempt": attempt_id,
                            "candidate": row.number,
                            "session": row.session_code,
                            "by": request.by,
                            "slip": slip,
                            "total": result["total"],
                            "passed": result["passed"],
                        },
                    )
                )
                scored = ScoredAttempt(
                    attempt_id,
                    row.session_code,
                    row.number,
                    slip,
                    result,
                    signature,
                    now,
                    newly=True,
                    candidate_name=row.name,
                    privacy=row.privacy,
                )
                outcomes[attempt_id] = scored
                fresh.append(scored)
            if score_rows:
                conn.execute(insert(tables.scores), score_rows)
                conn.execute(
                    update(attempts)
                    .where(attempts.c.id == bindparam("aid"))
                    .values(state="submitted", submitted_ms=now, submitted_by=bindparam("by")),
                    [{"aid": s.attempt_id, "by": first_request[s.attempt_id].by} for s in fresh],
                )
                self.audit.append_many(conn, audit_rows)
        for request in batch:  # committed: now the world may know
            outcome = (
                AuthenticationError(SUPERSEDED_LOGIN)
                if id(request) in superseded
                else outcomes[request.attempt_id]
            )
            if isinstance(outcome, ServerError):
                request.done.set_exception(outcome)
            else:
                request.done.set_result(outcome)
        if self.publish is not None:
            for scored in fresh:
                self.publish(scored)

    @staticmethod
    def _answers(conn: Connection, ids: list[int]) -> dict[int, dict[int, str | None]]:
        table = tables.responses
        out: dict[int, dict[int, str | None]] = {}
        if ids:
            for r in conn.execute(
                select(table.c.attempt_id, table.c.number, table.c.choice).where(
                    table.c.attempt_id.in_(ids)
                )
            ):
                out.setdefault(r.attempt_id, {})[r.number] = r.choice
        return out

    @staticmethod
    def _score(
        exam: LoadedExam, form_json: str, saved: Mapping[int, str | None], track: str
    ) -> dict[str, object]:
        item_ids = form_item_ids(form_json)
        plan = exam.plan_for(item_ids)
        report = score(plan=plan, responses=responses_for_scoring(item_ids, saved), track=track)
        return report_to_dict(report)

    @staticmethod
    def _signed(
        slip: str, session: str, number: str, report: Mapping[str, object], at_ms: int
    ) -> dict[str, object]:
        return {
            "slip": slip,
            "session": session,
            "candidate": number,
            "report": report,
            "scored_ms": at_ms,
        }

    def stored(self, attempt_id: int) -> ScoredAttempt | None:
        with self.db.read() as conn:
            return self._stored_in(conn, attempt_id)

    def _stored_in(self, conn: Connection, attempt_id: int) -> ScoredAttempt | None:
        scores, attempts, sessions, cands = (
            tables.scores,
            tables.attempts,
            tables.exam_sessions,
            tables.candidates,
        )
        row = conn.execute(
            select(
                scores,
                sessions.c.code.label("session_code"),
                sessions.c.privacy,
                cands.c.number,
                cands.c.name,
            )
            .select_from(tables.attempt_people.join(scores, scores.c.attempt_id == attempts.c.id))
            .where(scores.c.attempt_id == attempt_id)
        ).one_or_none()
        if row is None:
            return None
        return ScoredAttempt(
            attempt_id,
            row.session_code,
            row.number,
            row.slip_code,
            json.loads(row.report_json),
            row.signature,
            row.scored_ms,
            newly=False,
            candidate_name=row.name,
            privacy=row.privacy,
        )

    def verify_slip(self, slip_code: str) -> tuple[ScoredAttempt, bool] | None:
        """The stored result for a slip code, and whether its signature holds."""
        scores = tables.scores
        with self.db.read() as conn:
            attempt_id = conn.execute(
                select(scores.c.attempt_id).where(scores.c.slip_code == slip_code.strip().upper())
            ).scalar()
            if attempt_id is None:
                return None
            stored = self._stored_in(conn, attempt_id)
        if stored is None:
            return None
        signed = self._signed(
            stored.slip_code,
            stored.session_code,
            stored.candidate_number,
            stored.report,
            stored.scored_ms,
        )
        try:
            self.signing_key.public_key().verify(bytes.fromhex(stored.signature), canonical(signed))
            valid = True
        except (InvalidSignature, ValueError):
            valid = False
        return stored, valid
