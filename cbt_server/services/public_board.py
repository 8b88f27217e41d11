"""What the public sees: live sessions, results after closing, slip verification, complaints.

The live display reads the committed score records only — the same ones the
candidate's screen and the slip show — and names candidates only as far as
the session's privacy setting allows.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import (
    InvalidInputError,
    NotFoundError,
    TooManyRequestsError,
)
from cbt_server.runtime import Runtime, public_row
from cbt_server.services.audit import ChainHead
from cbt_server.services.proctor_desk import SessionInfo
from scoring.numbers import exact

COMPLAINTS_PER_WINDOW = 5
COMPLAINT_WINDOW_S = 600


def _sort_key(row: dict[str, object], order: tuple[str, ...]) -> tuple[object, ...]:
    sections = row["sections"] if isinstance(row["sections"], dict) else {}
    values = []
    for name in order:
        raw = row["total"] if name == "total" else sections.get(name, 0)
        try:
            values.append(-exact(raw, what=name))
        except ValueError:
            values.append(0)
    return (*values, str(row["number"]))


class PublicBoard:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def sessions(self) -> list[dict[str, object]]:
        return [self._header(info) for info in self.rt.proctors.sessions() if not info.practice]

    def _header(self, info: SessionInfo) -> dict[str, object]:
        return {
            "code": info.code,
            "exam": info.exam_title,
            "room": info.room,
            "site": self.rt.site.name,
            "state": info.state,
            "starts_ms": info.starts_ms,
            "duration_minutes": info.duration_minutes,
            "privacy": info.privacy,
        }

    def live(self, code: str) -> dict[str, object]:
        info = self._public(code)
        exam = self.rt.exams.get(info.exam_id)
        regs, att, scores, cands = (
            tables.registrations,
            tables.attempts,
            tables.scores,
            tables.candidates,
        )
        with self.rt.db.read() as conn:
            tally = self._tally(conn, info)
            rows = conn.execute(
                select(cands.c.number, cands.c.name, scores.c.report_json, scores.c.scored_ms)
                .join(regs, regs.c.candidate_id == cands.c.id)
                .join(att, att.c.registration_id == regs.c.id)
                .join(scores, scores.c.attempt_id == att.c.id)
                .where(regs.c.session_id == info.id)
            ).all()
        table = [
            public_row(r.number, r.name, info.privacy, json.loads(r.report_json), r.scored_ms)
            for r in rows
        ]
        table.sort(key=lambda row: _sort_key(row, exam.policy.ranking.order))
        latest = sorted(table, key=lambda row: -int(str(row["scored_ms"])))[:5]
        return {
            **self._header(info),
            **self._clock(info, tally.last_deadline),
            "sections": [
                {"id": s.id, "name": s.name_id, "name_en": s.name_en, "max": s.max}
                for s in exam.policy.sections
            ],
            "tracks": [
                {
                    "id": t.id,
                    "name": t.name_id,
                    "name_en": t.name_en,
                    "thresholds": {k: str(v) for k, v in t.thresholds.items()},
                }
                for t in exam.policy.tracks.values()
            ],
            "ranking": list(exam.policy.ranking.order),
            "counters": tally.counters(sum(1 for r in table if r["passed"] is True)),
            "rows": table,
            "latest": [r["number"] for r in latest],
            "audit_head": self._audit_head(),
        }

    def summary(self, code: str) -> dict[str, object]:
        """The live board without its rows: header, clock, counters and audit head.

        Cheap enough for a display to poll now and then: logins and starts are
        not published to the public channels, so this is how "present" and
        "answering" (and a deadline moved by an extension) reach the screen.
        """
        info = self._public(code)
        scores, att, regs = tables.scores, tables.attempts, tables.registrations
        with self.rt.db.read() as conn:
            tally = self._tally(conn, info)
            passed = conn.execute(
                select(func.count())
                .select_from(scores)
                .join(att, att.c.id == scores.c.attempt_id)
                .join(regs, regs.c.id == att.c.registration_id)
                .where(regs.c.session_id == info.id, scores.c.passed.is_(True))
            ).scalar_one()
        return {
            **self._header(info),
            **self._clock(info, tally.last_deadline),
            "counters": tally.counters(passed),
            "audit_head": self._audit_head(),
        }

    def _public(self, code: str) -> SessionInfo:
        info = self.rt.proctors.session(code)
        if info.practice:
            raise NotFoundError(f"no session {code}")
        return info

    @staticmethod
    def _tally(conn: Connection, info: SessionInfo) -> _Tally:
        regs, att = tables.registrations, tables.attempts
        counts: dict[str, int] = dict(
            conn.execute(
                select(att.c.state, func.count())
                .join(regs, regs.c.id == att.c.registration_id)
                .where(regs.c.session_id == info.id)
                .group_by(att.c.state)
            ).all()
        )
        registered = conn.execute(
            select(func.count()).select_from(regs).where(regs.c.session_id == info.id)
        ).scalar_one()
        last_deadline = conn.execute(
            select(func.max(att.c.deadline_ms))
            .join(regs, regs.c.id == att.c.registration_id)
            .where(regs.c.session_id == info.id, att.c.state == "in_progress")
        ).scalar()
        return _Tally(registered, counts, last_deadline)

    def _clock(self, info: SessionInfo, last_deadline: int | None) -> dict[str, object]:
        now = self.rt.clock.now_ms()
        ends = last_deadline or info.starts_ms + info.duration_minutes * 60_000
        return {
            "server_time_ms": now,
            "ends_ms": ends,
            "remaining_s": max(0, (ends - now) // 1000) if info.state != "closed" else 0,
        }

    def chain_history(self) -> list[dict[str, object]]:
        """The chain's milestone heads and its current head, newest first.

        Practice sessions are left out, as everywhere on the public side. The current
        head comes first, marked ``current`` (with ``event`` None unless its entry is
        itself a milestone). It is read after the milestones, so none is newer.
        """
        practice = {s.code for s in self.rt.proctors.sessions() if s.practice}
        marks = [
            m
            for m in self.rt.audit.milestones(self.rt.db)
            if m.site is not None or m.session not in practice
        ]
        head = self.rt.audit.head(self.rt.db)
        rows: list[dict[str, object]] = []
        if head.seq and (not marks or marks[-1].head.seq != head.seq):
            rows.append(_noted(head, None, None, None, current=True))
        for m in reversed(marks):
            rows.append(_noted(m.head, m.event, m.session, m.site, current=m.head == head))
        return rows

    def _audit_head(self) -> dict[str, object]:
        head = self.rt.audit.head(self.rt.db)
        return {"seq": head.seq, "hash": head.short, "at_ms": head.at_ms}

    def _running(self) -> list[SessionInfo]:
        return [
            s
            for s in self.rt.proctors.sessions()
            if s.state in ("open", "running") and not s.practice
        ]

    def site(self) -> dict[str, object]:
        return {
            "site": self.rt.site.name,
            "server_time_ms": self.rt.clock.now_ms(),
            "sessions": [self.live(s.code) for s in self._running()],
            "audit_head": self._audit_head(),
        }

    def site_summary(self) -> dict[str, object]:
        """``site()`` without the rows: what a site display polls between frames."""
        return {
            "site": self.rt.site.name,
            "server_time_ms": self.rt.clock.now_ms(),
            "sessions": [self.summary(s.code) for s in self._running()],
            "audit_head": self._audit_head(),
        }


def _noted(
    head: ChainHead, event: str | None, session: str | None, site: str | None, *, current: bool
) -> dict[str, object]:
    return {
        "seq": head.seq,
        "hash": head.hash,
        "short": head.short,
        "at_ms": head.at_ms,
        "event": event,
        "session": session,
        "site": site,
        "current": current,
    }


@dataclass(frozen=True, slots=True)
class _Tally:
    registered: int
    by_state: dict[str, int]
    last_deadline: int | None

    def counters(self, passed: int) -> dict[str, object]:
        return {
            "registered": self.registered,
            "present": sum(self.by_state.values()),
            "answering": self.by_state.get("in_progress", 0),
            "finished": self.by_state.get("submitted", 0),
            "passed": passed,
        }


class ComplaintDesk:
    """Reports of irregularities (pengaduan), rate limited per address."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock
        self._recent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _wait_s(self, address: str) -> int:
        """0 and counted if this address may report now, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            stamps = self._recent.setdefault(address, deque())
            while stamps and now - stamps[0] > COMPLAINT_WINDOW_S:
                stamps.popleft()
            if len(stamps) >= COMPLAINTS_PER_WINDOW:
                return max(1, math.ceil(COMPLAINT_WINDOW_S - (now - stamps[0])))
            stamps.append(now)
            return 0

    def submit(self, *, address: str, session: str, text: str, contact: str) -> str:
        text = text.strip()
        if len(text) < 10:  # refused before it counts against the address
            raise InvalidInputError("describe what happened in at least 10 characters")
        wait = self._wait_s(address)
        if wait:
            raise TooManyRequestsError(
                f"too many reports from this address; try again in {math.ceil(wait / 60)} "
                "minute(s)",
                retry_after_s=wait,
            )
        reference = "P-" + "".join(secrets.choice("ACDEFGHJKMNPQRTUVWXY34679") for _ in range(8))
        with self.db.write() as conn:
            conn.execute(
                insert(tables.complaints).values(
                    reference=reference,
                    session_code=session.strip()[:64],
                    text=text[:4000],
                    contact=contact.strip()[:200],
                    status="received",
                    answer="",
                    at_ms=self.clock.now_ms(),
                )
            )
        return reference

    def list(self) -> list[dict[str, object]]:
        table = tables.complaints
        with self.db.read() as conn:
            rows = conn.execute(select(table).order_by(table.c.at_ms.desc())).all()
        return [
            {
                "reference": r.reference,
                "session": r.session_code,
                "text": r.text,
                "contact": r.contact,
                "status": r.status,
                "answer": r.answer,
                "at_ms": r.at_ms,
            }
            for r in rows
        ]

    def status(self, reference: str) -> dict[str, object]:
        table = tables.complaints
        with self.db.read() as conn:
            row = conn.execute(select(table).where(table.c.reference == reference)).one_or_none()
        if row is None:
            raise NotFoundError("no report with that reference")
        return {
            "reference": row.reference,
            "status": row.status,
            "answer": row.answer,
            "at_ms": row.at_ms,
        }

    def update(self, reference: str, status: str, answer: str) -> None:
        table = tables.complaints
        with self.db.write() as conn:
            changed = conn.execute(
                update(table)
                .where(table.c.reference == reference)
                .values(status=status, answer=answer)
            ).rowcount
        if not changed:
            raise NotFoundError("no report with that reference")
