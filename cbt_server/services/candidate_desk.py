"""What a candidate's station does with the server: log in, get the form, answer, keep time.

A candidate logs in with participant number + personal PIN + the session's
current token from a named workstation. The first login creates the attempt:
a recorded seed, the form assembled from it, and a journal key for the
station. One workstation holds an attempt at a time; logging in elsewhere is
refused until a proctor releases the seat, and every login issues a new
token, so an older token (and a released seat's) stops working.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import (
    AuthenticationError,
    CandidateLockedError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    SeatInUseError,
    SessionNotOpenError,
    TimeOverError,
    WrongPinError,
    WrongSessionTokenError,
)
from cbt_server.services import session_token
from cbt_server.services.answers import Change
from cbt_server.services.audit import AuditLog
from cbt_server.services.exams import ExamRegistry
from cbt_server.services.passwords import check_pin
from cbt_server.services.presence import Presence
from cbt_server.services.timekeeping import AttemptClock
from question_bank.delivery import Payload, render_prepared
from question_bank.form import Form, assemble, form_from_json

CONTEXT_TTL_S = 5.0
FREE_TRIES = 3
FIRST_LOCK_S = 30
MAX_LOCK_S = 900
TOKEN_PREFIX = "cbta_"  # noqa: S105 - a marker on tokens, not a secret
#: Incident kinds that lock the station when the session's policy says so.
VIOLATIONS = frozenset(
    {"focus_lost", "screen_added", "multiple_screens", "remote_session", "not_in_kiosk"}
)
INCIDENT_KINDS = VIOLATIONS | {"station_restarted", "clock_skew", "other"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AttemptContext:
    """An authenticated candidate's attempt, as one request needs it."""

    attempt_id: int
    session_id: int
    session_code: str
    session_state: str
    lock_on_violation: bool
    exam_id: int
    candidate_id: int
    number: str
    name: str
    formation: str
    track: str
    workstation: str | None
    state: str
    locked: bool
    clock: AttemptClock
    form_json: str
    item_count: int
    max_seq: int
    #: Hash of the token this context was resolved from: writers re-check it in
    #: their transaction, so a cached context never outlives a released seat.
    token_hash: str


@dataclass(frozen=True, slots=True)
class LoginResult:
    token: str
    context: AttemptContext
    journal_key: bytes
    has_photo: bool


class CandidateDesk:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        exams: ExamRegistry,
        presence: Presence,
        *,
        grace_s: int,
    ) -> None:
        self.db, self.clock, self.audit, self.exams = db, clock, audit, exams
        self.presence, self.grace_s = presence, grace_s
        self._forms: OrderedDict[int, Form] = OrderedDict()
        #: token hash -> (context, time cached): saves skip the database lookup for a
        #: moment; the writer re-checks the token in its own transaction.
        self._contexts: dict[str, tuple[AttemptContext, float]] = {}
        self._payloads: OrderedDict[int, Payload] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ login

    def login(
        self, *, number: str, pin: str, typed_token: str, workstation: str, practice: bool = False
    ) -> LoginResult:
        """Sign a candidate in. A station in practice mode (windowed, no lockdown) may
        only join a practice session: it is refused before any seat is taken."""
        number, workstation = number.strip(), workstation.strip()
        if not number or not pin or not workstation:
            raise InvalidInputError("participant number, PIN and workstation are required")
        now = self.clock.now_ms()
        regs, sessions, cands = (tables.registrations, tables.exam_sessions, tables.candidates)
        with self.db.read() as conn:
            rows = conn.execute(
                select(
                    regs.c.id,
                    regs.c.pin_hash,
                    regs.c.failed_pins,
                    regs.c.locked_until_ms,
                    sessions.c.id.label("session_id"),
                    sessions.c.code,
                    sessions.c.state,
                    sessions.c.token_secret,
                    sessions.c.token_period_s,
                    sessions.c.exam_id,
                    sessions.c.practice,
                )
                .join(sessions, sessions.c.id == regs.c.session_id)
                .join(cands, cands.c.id == regs.c.candidate_id)
                .where(cands.c.number == number)
            ).all()
        if not rows:
            raise AuthenticationError("the participant number or PIN is not correct")
        live = [r for r in rows if r.state in ("open", "running")]
        if not live:
            raise SessionNotOpenError(
                "your session is not open for login yet; wait for the proctor's announcement"
            )
        matching = [
            r
            for r in live
            if session_token.accepts(r.token_secret, r.token_period_s, now, typed_token)
        ]
        if not matching:
            raise WrongSessionTokenError(
                "the session token is not correct; type the token the proctor shows now"
            )
        reg = matching[0]
        if practice and not reg.practice:
            raise ForbiddenError(
                "a practice station cannot join a real exam session; use a locked-down station"
            )
        if reg.locked_until_ms > now:
            raise CandidateLockedError(
                "too many wrong PINs; wait before trying again",
                retry_after_s=(reg.locked_until_ms - now + 999) // 1000,
            )
        if not check_pin(reg.pin_hash, pin.strip()):
            self._wrong_pin(reg.id, reg.failed_pins + 1, number, workstation, now)
        return self._admit(reg.id, reg.session_id, reg.exam_id, number, workstation, now)

    def _wrong_pin(
        self, reg_id: int, failures: int, number: str, workstation: str, now: int
    ) -> None:
        locked_until = 0
        if failures >= FREE_TRIES:
            lock_s = min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (failures - FREE_TRIES))
            locked_until = now + lock_s * 1000
        regs = tables.registrations
        with self.db.write() as conn:
            conn.execute(
                update(regs)
                .where(regs.c.id == reg_id)
                .values(failed_pins=failures, locked_until_ms=locked_until)
            )
            self.audit.append(
                conn,
                at_ms=now,
                actor=f"candidate:{number}",
                event="login_failed",
                data={"reason": "wrong_pin", "workstation": workstation, "failures": failures},
            )
        if locked_until:
            raise WrongPinError(
                "the PIN is not correct; login is locked for a while",
                retry_after_s=(locked_until - now) // 1000,
            )
        raise WrongPinError(
            "the participant number or PIN is not correct", attempts_left=FREE_TRIES - failures
        )

    def _admit(
        self, reg_id: int, session_id: int, exam_id: int, number: str, workstation: str, now: int
    ) -> LoginResult:
        attempts, regs = tables.attempts, tables.registrations
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        actor = f"candidate:{number}"
        with self.db.write() as conn:
            conn.execute(
                update(regs).where(regs.c.id == reg_id).values(failed_pins=0, locked_until_ms=0)
            )
            attempt = conn.execute(
                select(attempts).where(attempts.c.registration_id == reg_id)
            ).one_or_none()
            if attempt is None:
                exam = self.exams.get(exam_id)
                seed = secrets.randbits(63)
                form = assemble(exam.pool, exam.blueprint, bank_id=exam.bank.bank_id, seed=seed)
                candidate_extra = conn.execute(
                    select(tables.candidates.c.extra_minutes)
                    .join(regs, regs.c.candidate_id == tables.candidates.c.id)
                    .where(regs.c.id == reg_id)
                ).scalar_one()
                attempt_id = conn.execute(
                    insert(attempts)
                    .values(
                        registration_id=reg_id,
                        seed=seed,
                        form_json=form.to_json().decode(),
                        item_count=len(form.items),
                        workstation=workstation,
                        token_hash=token_hash(token),
                        journal_key=secrets.token_bytes(32),
                        state="identity",
                        locked=False,
                        created_ms=now,
                        duration_s=(exam.duration_minutes + candidate_extra) * 60,
                        extended_s=0,
                        max_seq=0,
                    )
                    .returning(attempts.c.id)
                ).scalar_one()
                self.audit.append(
                    conn,
                    at_ms=now,
                    actor=actor,
                    event="form_issued",
                    data={
                        "attempt": attempt_id,
                        "seed": seed,
                        "bank": exam.bank.digest,
                        "blueprint": exam.blueprint.digest,
                        "items": len(form.items),
                        "workstation": workstation,
                    },
                )
            else:
                attempt_id = attempt.id
                if attempt.state != "submitted" and attempt.workstation not in (
                    None,
                    workstation,
                ):
                    raise SeatInUseError(
                        f"this exam is already open on workstation {attempt.workstation}; "
                        "ask the proctor to release the seat before logging in here"
                    )
                # A finished attempt may sign in again, to see its result.
                conn.execute(
                    update(attempts)
                    .where(attempts.c.id == attempt_id)
                    .values(workstation=workstation, token_hash=token_hash(token))
                )
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="login",
                data={"attempt": attempt_id, "workstation": workstation},
            )
        context = self.resolve(token)
        with self.db.read() as conn:
            row = conn.execute(
                select(attempts.c.journal_key, tables.candidates.c.photo)
                .join(regs, regs.c.id == attempts.c.registration_id)
                .join(tables.candidates, tables.candidates.c.id == regs.c.candidate_id)
                .where(attempts.c.id == attempt_id)
            ).one()
        return LoginResult(token, context, row.journal_key, row.photo is not None)

    # ------------------------------------------------------------------ resolving

    def cached_context(self, token: str) -> AttemptContext | None:
        """The cached context for ``token`` if fresh, without touching the database."""
        with self._cache_lock:
            found = self._contexts.get(token_hash(token))
        if found is not None and time.monotonic() - found[1] < CONTEXT_TTL_S:
            return found[0]
        return None

    async def writable_context(self, token: str) -> AttemptContext:
        """The attempt behind ``token`` for a save or a submit, from a coroutine.

        Served from the short-lived cache when it can be (no thread, no database);
        a miss reads the database off the event loop. A cached context may be up to
        ``CONTEXT_TTL_S`` old; that is safe because the answer writer and the
        submitter both check token and state again inside their transactions.
        """
        found = self.cached_context(token)
        return found if found is not None else await asyncio.to_thread(self.context_for_save, token)

    def context_for_save(self, token: str) -> AttemptContext:
        """``resolve`` through the short in-memory cache (see :meth:`writable_context`)."""
        key = token_hash(token)
        now = time.monotonic()
        with self._cache_lock:
            found = self._contexts.get(key)
        if found is not None and now - found[1] < CONTEXT_TTL_S:
            return found[0]
        context = self.resolve(token)
        with self._cache_lock:
            if len(self._contexts) > 50_000:
                self._contexts.clear()
            self._contexts[key] = (context, now)
        return context

    def resolve(self, token: str) -> AttemptContext:
        """The attempt a bearer token belongs to; raise if it is unknown or superseded."""
        if not token.startswith(TOKEN_PREFIX):
            raise AuthenticationError("sign in again: this station's login is not valid")
        attempts, sessions, cands = tables.attempts, tables.exam_sessions, tables.candidates
        with self.db.read() as conn:
            row = conn.execute(
                select(
                    attempts.c.id,
                    attempts.c.workstation,
                    attempts.c.state,
                    attempts.c.locked,
                    attempts.c.started_ms,
                    attempts.c.deadline_ms,
                    attempts.c.paused_ms,
                    attempts.c.duration_s,
                    attempts.c.extended_s,
                    attempts.c.form_json,
                    attempts.c.item_count,
                    attempts.c.max_seq,
                    attempts.c.token_hash,
                    sessions.c.id.label("session_id"),
                    sessions.c.code.label("session_code"),
                    sessions.c.state.label("session_state"),
                    sessions.c.lock_on_violation,
                    sessions.c.exam_id,
                    cands.c.id.label("candidate_id"),
                    cands.c.number,
                    cands.c.name,
                    cands.c.formation,
                    cands.c.track,
                )
                .select_from(tables.attempt_people)
                .where(attempts.c.token_hash == token_hash(token))
            ).one_or_none()
        if row is None:
            raise AuthenticationError(
                "this login is no longer valid (logged in elsewhere, released, or finished); "
                "sign in again"
            )
        return AttemptContext(
            attempt_id=row.id,
            session_id=row.session_id,
            session_code=row.session_code,
            session_state=row.session_state,
            lock_on_violation=row.lock_on_violation,
            exam_id=row.exam_id,
            candidate_id=row.candidate_id,
            number=row.number,
            name=row.name,
            formation=row.formation,
            track=row.track,
            workstation=row.workstation,
            state=row.state,
            locked=row.locked,
            clock=AttemptClock(
                row.state,
                row.started_ms,
                row.deadline_ms,
                row.paused_ms,
                row.duration_s,
                row.extended_s,
            ),
            form_json=row.form_json,
            item_count=row.item_count,
            max_seq=row.max_seq,
            token_hash=row.token_hash,
        )

    # ------------------------------------------------------------------ the form

    def form(self, ctx: AttemptContext) -> Form:
        with self._cache_lock:
            found = self._forms.get(ctx.attempt_id)
            if found is not None:
                self._forms.move_to_end(ctx.attempt_id)
                return found
        form = form_from_json(ctx.form_json.encode())
        with self._cache_lock:
            self._forms[ctx.attempt_id] = form
            if len(self._forms) > 20_000:
                self._forms.popitem(last=False)
        return form

    def payload(self, ctx: AttemptContext) -> Payload:
        with self._cache_lock:
            found = self._payloads.get(ctx.attempt_id)
        if found is not None:
            return found
        exam = self.exams.get(ctx.exam_id)
        bank = exam.bank
        payload = render_prepared(
            self.form(ctx),
            bank.prepared,
            bank.manifest,
            include_topics=exam.show_topics,
            title=exam.title,
            duration_minutes=exam.duration_minutes,
        )
        with self._cache_lock:
            self._payloads[ctx.attempt_id] = payload
            if len(self._payloads) > 2_000:
                self._payloads.popitem(last=False)
        return payload

    def image(self, ctx: AttemptContext, ref: str) -> tuple[bytes, str] | None:
        return self.exams.get(ctx.exam_id).bank.images.get(ref)

    def journal_key(self, ctx: AttemptContext) -> bytes:
        with self.db.read() as conn:
            key: bytes = conn.execute(
                select(tables.attempts.c.journal_key).where(tables.attempts.c.id == ctx.attempt_id)
            ).scalar_one()
        return key

    # ------------------------------------------------------------------ the clock

    def start(self, ctx: AttemptContext) -> AttemptContext:
        """Start the attempt's clock (after identity and instructions); idempotent."""
        if ctx.state == "in_progress" or ctx.state == "submitted":
            return ctx
        if ctx.session_state not in ("open", "running"):
            raise SessionNotOpenError("the session is not open")
        now = self.clock.now_ms()
        attempts = tables.attempts
        with self.db.write() as conn:
            started = conn.execute(
                update(attempts)
                .where(attempts.c.id == ctx.attempt_id, attempts.c.state == "identity")
                .values(
                    state="in_progress",
                    started_ms=now,
                    deadline_ms=now + (ctx.clock.duration_s + ctx.clock.extended_s) * 1000,
                )
            ).rowcount
            if started:
                self.audit.append(
                    conn,
                    at_ms=now,
                    actor=f"candidate:{ctx.number}",
                    event="attempt_started",
                    data={"attempt": ctx.attempt_id},
                )
                sessions = tables.exam_sessions
                conn.execute(
                    update(sessions)
                    .where(sessions.c.id == ctx.session_id, sessions.c.state == "open")
                    .values(state="running")
                )
        return self._reload(ctx)

    def _reload(self, ctx: AttemptContext) -> AttemptContext:
        attempts = tables.attempts
        with self.db.read() as conn:
            row = conn.execute(select(attempts).where(attempts.c.id == ctx.attempt_id)).one()
        return AttemptContext(
            **{
                **{f: getattr(ctx, f) for f in ctx.__slots__},
                "state": row.state,
                "locked": row.locked,
                "max_seq": row.max_seq,
                "clock": AttemptClock(
                    row.state,
                    row.started_ms,
                    row.deadline_ms,
                    row.paused_ms,
                    row.duration_s,
                    row.extended_s,
                ),
            }
        )

    # ------------------------------------------------------------------ answers

    def check_save(self, ctx: AttemptContext, raw: list[dict[str, object]]) -> list[Change]:
        """Validate a batch of changes and map shown labels to the author's labels."""
        if ctx.state == "identity":
            raise ConflictError("the exam has not been started yet")
        if ctx.state == "submitted":
            raise ConflictError("this exam has already been submitted; no answer can change")
        now = self.clock.now_ms()
        if ctx.clock.time_over(now, self.grace_s):
            raise TimeOverError("the time is over; answers can no longer be changed")
        form = self.form(ctx)
        changes: list[Change] = []
        for entry in raw:
            number, choice, doubtful, seq = (
                entry.get("number"),
                entry.get("choice"),
                entry.get("doubtful", False),
                entry.get("seq"),
            )
            if not isinstance(number, int) or not 1 <= number <= len(form.items):
                raise InvalidInputError(f"item number {number!r} is not on this form")
            if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**53:
                raise InvalidInputError("every change needs a positive whole sequence number")
            if not isinstance(doubtful, bool):
                raise InvalidInputError("'doubtful' must be true or false")
            original = None
            if choice is not None:
                original = (
                    form.original_label(number, str(choice)) if isinstance(choice, str) else None
                )
                if original is None:
                    raise InvalidInputError(f"item {number} has no option {choice!r}")
            changes.append(Change(number, original, doubtful, seq))
        return changes

    def saved_answers(self, ctx: AttemptContext) -> dict[int, dict[str, object]]:
        """The server's answers in the candidate's labels, for resuming a station."""
        form = self.form(ctx)
        table = tables.responses
        with self.db.read() as conn:
            rows = conn.execute(
                select(table.c.number, table.c.choice, table.c.doubtful, table.c.seq).where(
                    table.c.attempt_id == ctx.attempt_id
                )
            ).all()
        out: dict[int, dict[str, object]] = {}
        for row in rows:
            shown = None
            if row.choice is not None:
                order = form.items[row.number - 1].option_order
                shown = "ABCDEFGHIJ"[order.index(row.choice)]
            out[row.number] = {"choice": shown, "doubtful": row.doubtful, "seq": row.seq}
        return out

    # ------------------------------------------------------------------ heartbeat

    def heartbeat(self, ctx: AttemptContext, *, answered: int) -> dict[str, object]:
        now = self.clock.now_ms()
        if ctx.workstation:
            self.presence.heard(ctx.attempt_id, now, ctx.workstation, answered)
        commands = tables.station_commands
        with self.db.read() as conn:
            pending = conn.execute(
                select(commands.c.id, commands.c.kind, commands.c.data_json)
                .where(commands.c.attempt_id == ctx.attempt_id, commands.c.delivered_ms.is_(None))
                .order_by(commands.c.id)
            ).all()
        if pending:
            with self.db.write() as conn:
                conn.execute(
                    update(commands)
                    .where(commands.c.id.in_([p.id for p in pending]))
                    .values(delivered_ms=now)
                )
        return {
            "server_time_ms": now,
            "state": ctx.state,
            "remaining_s": ctx.clock.remaining_s(now),
            "paused": ctx.clock.paused_ms is not None,
            "locked": ctx.locked,
            "acked_seq": ctx.max_seq,
            "commands": [{"id": p.id, "kind": p.kind, **json.loads(p.data_json)} for p in pending],
        }

    # ------------------------------------------------------------------ incidents

    def report_incident(self, ctx: AttemptContext, kind: str, detail: str) -> bool:
        """Record what the station saw; lock the station if the session says so."""
        if kind not in INCIDENT_KINDS:
            raise InvalidInputError(f"unknown incident kind {kind!r}")
        now = self.clock.now_ms()
        lock = ctx.lock_on_violation and kind in VIOLATIONS and ctx.state == "in_progress"
        with self.db.write() as conn:
            conn.execute(
                insert(tables.incidents).values(
                    session_id=ctx.session_id,
                    attempt_id=ctx.attempt_id,
                    kind=kind,
                    detail=detail[:2000],
                    reported_by=f"station:{ctx.workstation}",
                    at_ms=now,
                )
            )
            if lock:
                conn.execute(
                    update(tables.attempts)
                    .where(tables.attempts.c.id == ctx.attempt_id)
                    .values(locked=True)
                )
            self.audit.append(
                conn,
                at_ms=now,
                actor=f"station:{ctx.workstation}",
                event="incident_reported",
                data={
                    "attempt": ctx.attempt_id,
                    "candidate": ctx.number,
                    "kind": kind,
                    "locked": lock,
                },
            )
        return lock

    def unlock_with_code(self, ctx: AttemptContext, code: str) -> bool:
        attempts = tables.attempts
        with self.db.read() as conn:
            stored = conn.execute(
                select(attempts.c.unlock_code_hash).where(attempts.c.id == ctx.attempt_id)
            ).scalar()
        if not stored or not secrets.compare_digest(stored, token_hash(code.strip())):
            return False
        now = self.clock.now_ms()
        with self.db.write() as conn:
            conn.execute(
                update(attempts)
                .where(attempts.c.id == ctx.attempt_id)
                .values(locked=False, unlock_code_hash=None)
            )
            self.audit.append(
                conn,
                at_ms=now,
                actor=f"station:{ctx.workstation}",
                event="station_unlocked",
                data={"attempt": ctx.attempt_id},
            )
        return True


def journal_key_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")
