"""Submitting and scoring an attempt: in one transaction, once, for good.

The report is computed with ``scoring`` from the saved answers, signed with the
site key, stored, and only then published: the candidate's screen, the live
display, the slip and every export read this one committed record.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import ConflictError, NotFoundError
from cbt_server.services.audit import AuditLog
from cbt_server.services.exams import ExamRegistry, LoadedExam
from question_bank.form import Form, form_from_json
from scoring import ItemId, OptionId, report_to_dict, score
from scoring import Response as ScoringResponse

SLIP_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_slip_code() -> str:
    raw = "".join(secrets.choice(SLIP_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


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


def responses_for_scoring(
    form: Form, rows: Mapping[int, str | None]
) -> dict[ItemId, ScoringResponse]:
    """Saved answers (by item number, author's labels) as the scorer's responses."""
    out: dict[ItemId, ScoringResponse] = {}
    for number, choice in rows.items():
        if choice is not None and 1 <= number <= len(form.items):
            out[ItemId(form.items[number - 1].item_id)] = OptionId(choice)
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

    def submit(self, attempt_id: int, *, by: str, actor: str) -> ScoredAttempt:
        """Score and store the attempt; submitting twice returns the same record."""
        stored = self.stored(attempt_id)
        if stored is not None:
            return stored
        attempts, regs, sessions, cands = (
            tables.attempts,
            tables.registrations,
            tables.exam_sessions,
            tables.candidates,
        )
        with self.db.write() as conn:
            query = (
                select(
                    attempts.c.state,
                    attempts.c.form_json,
                    sessions.c.exam_id,
                    sessions.c.code.label("session_code"),
                    cands.c.number,
                    cands.c.track,
                )
                .join(regs, regs.c.id == attempts.c.registration_id)
                .join(sessions, sessions.c.id == regs.c.session_id)
                .join(cands, cands.c.id == regs.c.candidate_id)
                .where(attempts.c.id == attempt_id)
            )
            if not self.db.is_sqlite:  # SQLite's write transaction is already exclusive
                query = query.with_for_update(of=attempts)
            row = conn.execute(query).one_or_none()
            if row is None:
                raise NotFoundError(f"no attempt {attempt_id}")
            if row.state == "submitted":
                existing = self._stored_in(conn, attempt_id)
                if existing is not None:
                    return existing
            if row.state != "in_progress":
                raise ConflictError("the exam has not been started yet")
            exam = self.exams.get(row.exam_id)
            result = self._score(conn, exam, attempt_id, row.form_json, row.track)
            now = self.clock.now_ms()
            slip = new_slip_code()
            signed = self._signed(slip, row.session_code, row.number, result, now)
            signature = self.signing_key.sign(canonical(signed)).hex()
            conn.execute(
                insert(tables.scores).values(
                    attempt_id=attempt_id,
                    slip_code=slip,
                    report_json=json.dumps(result, ensure_ascii=False),
                    total=str(result["total"]),
                    passed=result["passed"],
                    signature=signature,
                    scored_ms=now,
                    revision=1,
                )
            )
            conn.execute(
                update(attempts)
                .where(attempts.c.id == attempt_id)
                .values(state="submitted", submitted_ms=now, submitted_by=by)
            )
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="attempt_scored",
                data={
                    "attempt": attempt_id,
                    "candidate": row.number,
                    "session": row.session_code,
                    "by": by,
                    "slip": slip,
                    "total": result["total"],
                    "passed": result["passed"],
                },
            )
        scored = ScoredAttempt(
            attempt_id, row.session_code, row.number, slip, result, signature, now, newly=True
        )
        if self.publish is not None:
            self.publish(scored)
        return scored

    def _score(
        self, conn: Connection, exam: LoadedExam, attempt_id: int, form_json: str, track: str
    ) -> dict[str, object]:
        form = form_from_json(form_json.encode())
        table = tables.responses
        saved = {
            r.number: r.choice
            for r in conn.execute(
                select(table.c.number, table.c.choice).where(table.c.attempt_id == attempt_id)
            )
        }
        plan = exam.plan_for([i.item_id for i in form.items])
        report = score(plan=plan, responses=responses_for_scoring(form, saved), track=track)
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
        scores, attempts, regs, sessions, cands = (
            tables.scores,
            tables.attempts,
            tables.registrations,
            tables.exam_sessions,
            tables.candidates,
        )
        row = conn.execute(
            select(scores, sessions.c.code.label("session_code"), cands.c.number)
            .join(attempts, attempts.c.id == scores.c.attempt_id)
            .join(regs, regs.c.id == attempts.c.registration_id)
            .join(sessions, sessions.c.id == regs.c.session_id)
            .join(cands, cands.c.id == regs.c.candidate_id)
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
