"""What proctors see and do: the seat grid and the actions of an exam room.

Every action is audited with the proctor's name and, where it matters, a
reason; station-facing actions also queue a command that the station picks
up at its next heartbeat.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from cbt_server.services import session_token
from cbt_server.services.audit import AuditLog
from cbt_server.services.candidate_desk import INCIDENT_KINDS, token_hash
from cbt_server.services.presence import Presence
from cbt_server.services.scoring_desk import ScoringDesk
from cbt_server.services.staff import StaffDesk, StaffMember
from cbt_server.services.timekeeping import AttemptClock

#: A station not heard from for this long shows as offline.
OFFLINE_AFTER_S = 20
MAX_EXTENSION_MIN = 120


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    code: str
    state: str
    exam_id: int
    exam_code: str
    exam_title: str
    room: str
    starts_ms: int
    privacy: str
    token_secret: bytes
    token_period_s: int
    duration_minutes: int
    practice: bool


class ProctorDesk:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        presence: Presence,
        staff: StaffDesk,
        scoring: ScoringDesk,
        notify: Callable[[str, dict[str, object]], None],
    ) -> None:
        self.db, self.clock, self.audit, self.presence = db, clock, audit, presence
        self.staff, self.scoring, self.notify = staff, scoring, notify

    # ------------------------------------------------------------------ access

    def session(self, code: str) -> SessionInfo:
        s, e, r = tables.exam_sessions, tables.exams, tables.rooms
        with self.db.read() as conn:
            row = conn.execute(
                select(
                    s,
                    e.c.code.label("exam_code"),
                    e.c.title,
                    e.c.duration_minutes,
                    r.c.code.label("room_code"),
                )
                .join(e, e.c.id == s.c.exam_id)
                .join(r, r.c.id == s.c.room_id)
                .where(s.c.code == code)
            ).one_or_none()
        if row is None:
            raise NotFoundError(f"no session {code}")
        return SessionInfo(
            row.id,
            row.code,
            row.state,
            row.exam_id,
            row.exam_code,
            row.title,
            row.room_code,
            row.starts_ms,
            row.privacy,
            row.token_secret,
            row.token_period_s,
            row.duration_minutes,
            row.practice,
        )

    def sessions(self) -> list[SessionInfo]:
        with self.db.read() as conn:
            codes = list(
                conn.execute(
                    select(tables.exam_sessions.c.code).order_by(tables.exam_sessions.c.starts_ms)
                ).scalars()
            )
        return [self.session(c) for c in codes]

    def authorise(self, member: StaffMember, code: str, *, act: bool) -> SessionInfo:
        """The session, if ``member`` may see it (and act in it, when ``act``)."""
        info = self.session(code)
        if act and member.role == "observer":
            raise ForbiddenError("observers can watch but not act")
        if info.id not in self.staff.sessions_of(member):
            raise NotFoundError(f"no session {code}")  # not yours: as if it did not exist
        return info

    # ------------------------------------------------------------------ reading

    def token(self, info: SessionInfo) -> dict[str, object]:
        now = session_token.current(info.token_secret, info.token_period_s, self.clock.now_ms())
        return {
            "token": now.token,
            "rotates_in_s": now.rotates_in_s,
            "period_s": info.token_period_s,
        }

    def seats(self, info: SessionInfo) -> list[dict[str, object]]:
        regs, cands, att, resp, inc, scores = (
            tables.registrations,
            tables.candidates,
            tables.attempts,
            tables.responses,
            tables.incidents,
            tables.scores,
        )
        answered = (
            select(resp.c.attempt_id, func.count().label("answered"))
            .where(resp.c.choice.is_not(None))
            .group_by(resp.c.attempt_id)
            .subquery()
        )
        incidents = (
            select(inc.c.attempt_id, func.count().label("incidents"))
            .where(inc.c.session_id == info.id)
            .group_by(inc.c.attempt_id)
            .subquery()
        )
        now = self.clock.now_ms()
        with self.db.read() as conn:
            rows = conn.execute(
                select(
                    cands.c.number,
                    cands.c.name,
                    cands.c.formation,
                    cands.c.track,
                    cands.c.photo.is_not(None).label("has_photo"),
                    att.c.id.label("attempt"),
                    att.c.state,
                    att.c.locked,
                    att.c.workstation,
                    att.c.started_ms,
                    att.c.deadline_ms,
                    att.c.paused_ms,
                    att.c.duration_s,
                    att.c.extended_s,
                    att.c.item_count,
                    answered.c.answered,
                    incidents.c.incidents,
                    scores.c.total,
                    scores.c.passed,
                    scores.c.slip_code,
                )
                .select_from(regs)
                .join(cands, cands.c.id == regs.c.candidate_id)
                .outerjoin(att, att.c.registration_id == regs.c.id)
                .outerjoin(answered, answered.c.attempt_id == att.c.id)
                .outerjoin(incidents, incidents.c.attempt_id == att.c.id)
                .outerjoin(scores, scores.c.attempt_id == att.c.id)
                .where(regs.c.session_id == info.id)
                .order_by(cands.c.number)
            ).all()
        seats: list[dict[str, object]] = []
        for r in rows:
            seat: dict[str, object] = {
                "number": r.number,
                "name": r.name,
                "formation": r.formation,
                "track": r.track,
                "has_photo": bool(r.has_photo),
                "attempt": r.attempt,
                "workstation": r.workstation,
                "answered": r.answered or 0,
                "items": r.item_count or 0,
                "incidents": r.incidents or 0,
                "locked": bool(r.locked),
                "paused": r.paused_ms is not None,
                "total": r.total,
                "passed": r.passed,
                "slip": r.slip_code,
            }
            if r.attempt is None:
                seat["state"], seat["remaining_s"] = "not_arrived", None
            else:
                clock = AttemptClock(
                    r.state, r.started_ms, r.deadline_ms, r.paused_ms, r.duration_s, r.extended_s
                )
                seat["remaining_s"] = clock.remaining_s(now)
                seat["state"], seat["offline_s"] = self._state(
                    r.attempt, r.state, r.locked, r.workstation, now
                )
            seats.append(seat)
        return seats

    def _state(
        self, attempt: int, state: str, locked: bool, workstation: str | None, now: int
    ) -> tuple[str, int | None]:
        if state == "submitted":
            return "submitted", None
        if locked:
            return "locked", None
        if state == "identity":
            return "logged_in", None
        if workstation is None:
            return "released", None
        seen = self.presence.last(attempt)
        if seen is None:
            return "offline", None
        quiet = (now - seen.at_ms) // 1000
        return ("offline", quiet) if quiet > OFFLINE_AFTER_S else ("answering", None)

    def photo(self, info: SessionInfo, number: str) -> tuple[bytes, str] | None:
        regs, cands = tables.registrations, tables.candidates
        with self.db.read() as conn:
            row = conn.execute(
                select(cands.c.photo, cands.c.photo_type)
                .join(regs, regs.c.candidate_id == cands.c.id)
                .where(regs.c.session_id == info.id, cands.c.number == number)
            ).one_or_none()
        if row is None or row.photo is None:
            return None
        return row.photo, row.photo_type or "image/jpeg"

    def activity(self, info: SessionInfo, limit: int = 100) -> list[dict[str, object]]:
        log = tables.audit_log
        with self.db.read() as conn:
            rows = conn.execute(
                select(log)
                .where(log.c.data_json.like(f'%"session":"{info.code}"%'))
                .order_by(log.c.seq.desc())
                .limit(limit)
            ).all()
        return [
            {
                "seq": r.seq,
                "at_ms": r.at_ms,
                "actor": r.actor,
                "event": r.event,
                "data": json.loads(r.data_json),
            }
            for r in rows
        ]

    # ------------------------------------------------------------------ acting

    def _attempt(self, conn: Connection, info: SessionInfo, number: str) -> tuple[int, str]:
        att, regs, cands = tables.attempts, tables.registrations, tables.candidates
        row = conn.execute(
            select(att.c.id, att.c.state)
            .join(regs, regs.c.id == att.c.registration_id)
            .join(cands, cands.c.id == regs.c.candidate_id)
            .where(regs.c.session_id == info.id, cands.c.number == number)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"candidate {number} has no attempt in this session")
        return row.id, row.state

    def _optional_attempt(self, conn: Connection, info: SessionInfo, number: str) -> int | None:
        """The candidate's attempt if they have one; refuse a stranger to the session."""
        regs, cands, att = tables.registrations, tables.candidates, tables.attempts
        row = conn.execute(
            select(regs.c.id, att.c.id.label("attempt"))
            .join(cands, cands.c.id == regs.c.candidate_id)
            .outerjoin(att, att.c.registration_id == regs.c.id)
            .where(regs.c.session_id == info.id, cands.c.number == number)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"candidate {number} is not registered in this session")
        return int(row.attempt) if row.attempt is not None else None

    def _targets(self, conn: Connection, info: SessionInfo, number: str | None) -> list[int]:
        """One candidate's attempt, or every unfinished attempt of the session."""
        if number is not None:
            attempt, state = self._attempt(conn, info, number)
            if state == "submitted":
                raise ConflictError(f"candidate {number} has already submitted")
            return [attempt]
        att, regs = tables.attempts, tables.registrations
        return list(
            conn.execute(
                select(att.c.id)
                .join(regs, regs.c.id == att.c.registration_id)
                .where(regs.c.session_id == info.id, att.c.state != "submitted")
            ).scalars()
        )

    def _command(self, conn: Connection, attempt: int, kind: str, data: dict[str, object]) -> None:
        conn.execute(
            insert(tables.station_commands).values(
                attempt_id=attempt,
                kind=kind,
                data_json=json.dumps(data, ensure_ascii=False),
                created_ms=self.clock.now_ms(),
            )
        )

    def _log(
        self, conn: Connection, member: StaffMember, event: str, data: dict[str, object]
    ) -> None:
        self.audit.append(
            conn, at_ms=self.clock.now_ms(), actor=member.actor, event=event, data=data
        )

    def _changed(self, info: SessionInfo, what: str, number: str | None = None) -> None:
        self.notify(f"proctor:{info.code}", {"type": what, "number": number})

    @staticmethod
    def _reason(reason: str, what: str) -> str:
        reason = reason.strip()
        if len(reason) < 3:
            raise InvalidInputError(f"give a reason for {what}")
        return reason[:500]

    def set_state(self, member: StaffMember, info: SessionInfo, target: str) -> None:
        order = {"scheduled": 0, "open": 1, "running": 2, "closed": 3}
        if target not in ("open", "closed"):
            raise InvalidInputError("a session can be opened or closed")
        if order[info.state] >= order[target]:
            raise ConflictError(f"the session is already {info.state}")
        now = self.clock.now_ms()
        if target == "closed":  # nobody is left unscored: finish what is still open
            att = tables.attempts
            with self.db.read() as conn:
                running = [
                    a
                    for a in self._targets(conn, info, None)
                    if conn.execute(select(att.c.state).where(att.c.id == a)).scalar_one()
                    == "in_progress"
                ]
            self.scoring.submit_many(running, by="session_closed", actor=member.actor)
        sessions = tables.exam_sessions
        with self.db.write() as conn:
            values: dict[str, object] = {"state": target}
            values["opened_ms" if target == "open" else "closed_ms"] = now
            conn.execute(update(sessions).where(sessions.c.id == info.id).values(**values))
            self._log(
                conn,
                member,
                f"session_{'opened' if target == 'open' else 'closed'}",
                {"session": info.code},
            )
        self._changed(info, "session")

    def release(self, member: StaffMember, info: SessionInfo, number: str, reason: str) -> None:
        why = self._reason(reason, "releasing a seat")
        with self.db.write() as conn:
            attempt, state = self._attempt(conn, info, number)
            if state == "submitted":
                raise ConflictError(f"candidate {number} has already submitted")
            conn.execute(
                update(tables.attempts)
                .where(tables.attempts.c.id == attempt)
                .values(workstation=None, token_hash=None)
            )
            self._log(
                conn,
                member,
                "seat_released",
                {"session": info.code, "candidate": number, "reason": why},
            )
        self.presence.forget(attempt)
        self._changed(info, "seat", number)

    def extend(
        self, member: StaffMember, info: SessionInfo, number: str | None, minutes: int, reason: str
    ) -> int:
        if not 1 <= minutes <= MAX_EXTENSION_MIN:
            raise InvalidInputError(f"extend by 1 to {MAX_EXTENSION_MIN} minutes")
        why = self._reason(reason, "an extension")
        att = tables.attempts
        with self.db.write() as conn:
            targets = self._targets(conn, info, number)
            for attempt in targets:
                conn.execute(
                    update(att)
                    .where(att.c.id == attempt)
                    .values(
                        extended_s=att.c.extended_s + minutes * 60,
                        deadline_ms=att.c.deadline_ms + minutes * 60_000,
                    )
                )
                self._command(conn, attempt, "extend", {"minutes": minutes})
            self._log(
                conn,
                member,
                "time_extended",
                {
                    "session": info.code,
                    "candidate": number or "*",
                    "minutes": minutes,
                    "reason": why,
                    "attempts": len(targets),
                },
            )
        self._changed(info, "seat", number)
        return len(targets)

    def pause(
        self,
        member: StaffMember,
        info: SessionInfo,
        number: str | None,
        reason: str,
        *,
        resume: bool,
    ) -> int:
        why = self._reason(reason, "resuming" if resume else "a pause")
        att = tables.attempts
        now = self.clock.now_ms()
        changed = 0
        with self.db.write() as conn:
            for attempt in self._targets(conn, info, number):
                if resume:
                    changed += conn.execute(
                        update(att)
                        .where(att.c.id == attempt, att.c.paused_ms.is_not(None))
                        .values(
                            deadline_ms=att.c.deadline_ms + (now - att.c.paused_ms), paused_ms=None
                        )
                    ).rowcount
                else:
                    changed += conn.execute(
                        update(att)
                        .where(
                            att.c.id == attempt,
                            att.c.paused_ms.is_(None),
                            att.c.state == "in_progress",
                        )
                        .values(paused_ms=now)
                    ).rowcount
                self._command(conn, attempt, "resume" if resume else "pause", {"reason": why})
            self._log(
                conn,
                member,
                "resumed" if resume else "paused",
                {
                    "session": info.code,
                    "candidate": number or "*",
                    "reason": why,
                    "attempts": changed,
                },
            )
        self._changed(info, "seat", number)
        return changed

    def lock(self, member: StaffMember, info: SessionInfo, number: str, reason: str) -> None:
        why = self._reason(reason, "locking a station")
        with self.db.write() as conn:
            attempt, state = self._attempt(conn, info, number)
            if state == "submitted":
                raise ConflictError(f"candidate {number} has already submitted")
            conn.execute(
                update(tables.attempts).where(tables.attempts.c.id == attempt).values(locked=True)
            )
            self._command(conn, attempt, "lock", {"reason": why})
            self._log(
                conn,
                member,
                "station_locked",
                {"session": info.code, "candidate": number, "reason": why},
            )
        self._changed(info, "seat", number)

    def unlock_code(self, member: StaffMember, info: SessionInfo, number: str) -> str:
        """A fresh code to read to the candidate; typed at the station, it unlocks it."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self.db.write() as conn:
            attempt, _ = self._attempt(conn, info, number)
            conn.execute(
                update(tables.attempts)
                .where(tables.attempts.c.id == attempt)
                .values(unlock_code_hash=token_hash(code))
            )
            self._log(
                conn, member, "unlock_code_issued", {"session": info.code, "candidate": number}
            )
        return code

    def force_submit(
        self, member: StaffMember, info: SessionInfo, number: str, reason: str
    ) -> dict[str, object]:
        why = self._reason(reason, "a forced submission")
        with self.db.write() as conn:
            attempt, state = self._attempt(conn, info, number)
            if state == "identity":
                conn.execute(
                    update(tables.attempts)
                    .where(tables.attempts.c.id == attempt)
                    .values(
                        state="in_progress",
                        started_ms=self.clock.now_ms(),
                        deadline_ms=self.clock.now_ms(),
                    )
                )
            self._command(conn, attempt, "force_submit", {"reason": why})
            self._log(
                conn,
                member,
                "force_submitted",
                {"session": info.code, "candidate": number, "reason": why},
            )
        scored = self.scoring.submit(attempt, by="proctor", actor=member.actor)
        self._changed(info, "seat", number)
        return scored.report

    def message(self, member: StaffMember, info: SessionInfo, number: str | None, text: str) -> int:
        text = text.strip()
        if not 1 <= len(text) <= 500:
            raise InvalidInputError("a message has 1 to 500 characters")
        with self.db.write() as conn:
            targets = self._targets(conn, info, number)
            for attempt in targets:
                self._command(conn, attempt, "message", {"text": text})
            self._log(
                conn,
                member,
                "message_sent",
                {"session": info.code, "candidate": number or "*", "text": text},
            )
        return len(targets)

    def incident(
        self, member: StaffMember, info: SessionInfo, number: str | None, kind: str, detail: str
    ) -> None:
        if kind not in INCIDENT_KINDS:
            raise InvalidInputError(
                f"the incident kind is one of {', '.join(sorted(INCIDENT_KINDS))}"
            )
        detail = self._reason(detail, "an incident")
        with self.db.write() as conn:
            attempt = self._optional_attempt(conn, info, number) if number else None
            conn.execute(
                insert(tables.incidents).values(
                    session_id=info.id,
                    attempt_id=attempt,
                    kind=kind,
                    detail=detail,
                    reported_by=member.actor,
                    at_ms=self.clock.now_ms(),
                )
            )
            self._log(
                conn,
                member,
                "incident_recorded",
                {"session": info.code, "candidate": number or "*", "kind": kind, "detail": detail},
            )
        self._changed(info, "incident", number)
