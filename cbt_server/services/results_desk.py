"""After the exam: exports anyone can re-check, rankings, and annulling an item.

The JSON exports are exactly the files ``cbt-score`` reads: RESULTS.json for
``rank``, KEY.json and one RESP.json per candidate (or RESPONSES.jsonl) for
``score`` and ``analyse``, so a committee, an auditor or a candidate can
recompute every published number.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import ConflictError, InvalidInputError, NotFoundError
from cbt_server.services.audit import AuditLog
from cbt_server.services.exams import ExamRegistry, LoadedExam
from cbt_server.services.live_feed import shown_name
from cbt_server.services.proctor_desk import SessionInfo
from cbt_server.services.scoring_desk import ScoringDesk, canonical, responses_for_scoring
from question_bank.form import form_item_ids
from scoring import (
    Annulment,
    CandidateResult,
    Policy,
    key_to_dict,
    policy_from_toml,
    rank,
    report_to_dict,
    result_from_dict,
    score,
)
from scoring.ranking import ranking_to_dict


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    attempt_id: int
    number: str
    name: str
    formation: str
    track: str
    birth_date: str
    form_json: str
    answers: dict[int, str | None]
    report: dict[str, object] | None
    slip: str | None
    revision: int


@dataclass(frozen=True, slots=True)
class Sitting:
    """One registered candidate's day: whether they came, and when and how they finished."""

    number: str
    name: str
    state: str | None  # None: never logged in (absent)
    workstation: str | None
    started_ms: int | None
    submitted_ms: int | None
    submitted_by: str | None
    scored_ms: int | None


@dataclass(frozen=True, slots=True)
class IncidentEntry:
    at_ms: int
    number: str | None
    kind: str
    detail: str
    reported_by: str


@dataclass(frozen=True, slots=True)
class LogEntry:
    seq: int
    at_ms: int
    actor: str
    event: str
    data: dict[str, object]
    hash: str


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """What the minutes of a session state: its times, its staff, who came, what happened."""

    opened_ms: int | None
    closed_ms: int | None
    room_name: str
    #: (username, full name) of the proctors assigned to the session.
    proctors: tuple[tuple[str, str], ...]
    sittings: tuple[Sitting, ...]
    incidents: tuple[IncidentEntry, ...]
    #: Audit entries naming the session, oldest first.
    log: tuple[LogEntry, ...]


class ResultsDesk:
    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, exams: ExamRegistry, scoring: ScoringDesk
    ) -> None:
        self.db, self.clock, self.audit, self.exams, self.scoring = (
            db,
            clock,
            audit,
            exams,
            scoring,
        )

    def attempts(self, info: SessionInfo) -> list[AttemptRecord]:
        regs, cands, att, resp, scores = (
            tables.registrations,
            tables.candidates,
            tables.attempts,
            tables.responses,
            tables.scores,
        )
        with self.db.read() as conn:
            rows = conn.execute(
                select(
                    att.c.id,
                    att.c.form_json,
                    cands.c.number,
                    cands.c.name,
                    cands.c.formation,
                    cands.c.track,
                    cands.c.birth_date,
                    scores.c.report_json,
                    scores.c.slip_code,
                    scores.c.revision,
                )
                .join(regs, regs.c.id == att.c.registration_id)
                .join(cands, cands.c.id == regs.c.candidate_id)
                .outerjoin(scores, scores.c.attempt_id == att.c.id)
                .where(regs.c.session_id == info.id)
                .order_by(cands.c.number)
            ).all()
            answers: dict[int, dict[int, str | None]] = {}
            for r in conn.execute(
                select(resp.c.attempt_id, resp.c.number, resp.c.choice)
                .join(att, att.c.id == resp.c.attempt_id)
                .join(regs, regs.c.id == att.c.registration_id)
                .where(regs.c.session_id == info.id)
            ):
                answers.setdefault(r.attempt_id, {})[r.number] = r.choice
        return [
            AttemptRecord(
                r.id,
                r.number,
                r.name,
                r.formation,
                r.track,
                r.birth_date,
                r.form_json,
                answers.get(r.id, {}),
                json.loads(r.report_json) if r.report_json else None,
                r.slip_code,
                r.revision or 0,
            )
            for r in rows
        ]

    def policy(self, info: SessionInfo) -> Policy:
        """The exam's policy as stored with it (readable while the bank stays locked)."""
        exams = tables.exams
        with self.db.read() as conn:
            text = conn.execute(
                select(exams.c.policy_toml).where(exams.c.id == info.exam_id)
            ).scalar_one()
        return policy_from_toml(text, origin=f"exam {info.exam_code}")

    def exam(self, info: SessionInfo) -> LoadedExam:
        """The session's exam with the annulments stored now (its bank must be unlocked).

        Another process may have annulled an item since this one loaded the exam:
        ``cbt-server annul`` beside the running server, or another worker.
        """
        exam = self.exams.get(info.exam_id)
        table = tables.annulments
        with self.db.read() as conn:
            stored = set(
                conn.execute(
                    select(table.c.item_id).where(table.c.exam_id == info.exam_id)
                ).scalars()
            )
        if stored != exam.annulled:
            self.exams.forget(info.exam_id)
            exam = self.exams.get(info.exam_id)
        return exam

    def session_record(self, info: SessionInfo) -> SessionRecord:
        """The session's times, proctors, sittings, incidents and audit entries (read only)."""
        s, rooms, links, users = (
            tables.exam_sessions,
            tables.rooms,
            tables.session_proctors,
            tables.staff_users,
        )
        regs, cands, att, scores, inc, log = (
            tables.registrations,
            tables.candidates,
            tables.attempts,
            tables.scores,
            tables.incidents,
            tables.audit_log,
        )
        with self.db.read() as conn:
            session = conn.execute(
                select(s.c.opened_ms, s.c.closed_ms, rooms.c.name.label("room_name"))
                .join(rooms, rooms.c.id == s.c.room_id)
                .where(s.c.id == info.id)
            ).one()
            proctors = conn.execute(
                select(users.c.username, users.c.full_name)
                .join(links, links.c.user_id == users.c.id)
                .where(links.c.session_id == info.id)
                .order_by(users.c.full_name)
            ).all()
            sittings = conn.execute(
                select(
                    cands.c.number,
                    cands.c.name,
                    att.c.id.label("attempt"),
                    att.c.state,
                    att.c.workstation,
                    att.c.started_ms,
                    att.c.submitted_ms,
                    att.c.submitted_by,
                    scores.c.scored_ms,
                )
                .select_from(regs)
                .join(cands, cands.c.id == regs.c.candidate_id)
                .outerjoin(att, att.c.registration_id == regs.c.id)
                .outerjoin(scores, scores.c.attempt_id == att.c.id)
                .where(regs.c.session_id == info.id)
                .order_by(cands.c.number)
            ).all()
            numbers = {r.attempt: r.number for r in sittings if r.attempt is not None}
            incidents = conn.execute(
                select(inc).where(inc.c.session_id == info.id).order_by(inc.c.at_ms, inc.c.id)
            ).all()
            entries = conn.execute(
                select(log)
                .where(log.c.data_json.like(f'%"session":"{info.code}"%'))
                .order_by(log.c.seq)
            ).all()
        return SessionRecord(
            opened_ms=session.opened_ms,
            closed_ms=session.closed_ms,
            room_name=session.room_name,
            proctors=tuple((p.username, p.full_name) for p in proctors),
            sittings=tuple(
                Sitting(
                    r.number,
                    r.name,
                    r.state,
                    r.workstation,
                    r.started_ms,
                    r.submitted_ms,
                    r.submitted_by,
                    r.scored_ms,
                )
                for r in sittings
            ),
            incidents=tuple(
                IncidentEntry(r.at_ms, numbers.get(r.attempt_id), r.kind, r.detail, r.reported_by)
                for r in incidents
            ),
            log=tuple(
                LogEntry(r.seq, r.at_ms, r.actor, r.event, data, r.hash)
                for r, data in ((r, json.loads(r.data_json)) for r in entries)
                if data.get("session") == info.code  # the LIKE is a coarse filter
            ),
        )

    # ------------------------------------------------------------------ exports

    def results_json(self, info: SessionInfo, *, public: bool = False) -> dict[str, object]:
        """RESULTS.json: what ``cbt-score rank`` reads (scored candidates only).

        ``public``: names as the session's privacy setting shows them (the public
        endpoints); otherwise in full (the site's own exports). Needs no bank.
        """
        results = []
        for a in self.attempts(info):
            if a.report is None:
                continue
            sections = a.report["sections"]
            by_section = sections if isinstance(sections, dict) else {}
            results.append(
                {
                    "candidate": a.number,
                    "name": shown_name(a.name, info.privacy) if public else a.name,
                    "formation": a.formation,
                    "track": a.track,
                    "slip": a.slip,
                    "sections": {s: v["score"] for s, v in by_section.items()},
                    "total": a.report["total"],
                    "passed": a.report["passed"],
                }
            )
        return {
            "session": info.code,
            "exam": info.exam_code,
            "policy": self.policy(info).id,
            "results": results,
        }

    def results_csv(self, info: SessionInfo, *, public: bool = False) -> str:
        """The rows of :meth:`results_json` (names masked alike) as CSV for spreadsheets."""
        data = self.results_json(info, public=public)
        out = io.StringIO()
        writer = csv.writer(out)
        sections = list(self.policy(info).section_ids)
        writer.writerow(
            [
                "participant_number",
                "name",
                "formation",
                "track",
                *sections,
                "total",
                "passed",
                "slip",
            ]
        )
        for r in data["results"]:  # type: ignore[attr-defined]
            writer.writerow(
                [
                    r["candidate"],
                    r["name"],
                    r["formation"],
                    r["track"],
                    *[r["sections"][s] for s in sections],
                    r["total"],
                    {True: "lulus", False: "tidak lulus", None: "-"}[r["passed"]],
                    r["slip"],
                ]
            )
        return out.getvalue()

    def key_json(self, info: SessionInfo) -> dict[str, object]:
        """KEY.json for the exam's bank, annulments marked (publish after the session)."""
        if info.state != "closed":
            raise ConflictError("the key is published only after the session is closed")
        exam = self.exam(info)
        return {"items": [key_to_dict(k) for k in exam.keys]}

    def responses_jsonl(self, info: SessionInfo) -> str:
        """RESPONSES.jsonl: one scored candidate per line, with the items they were given."""
        lines = []
        for a in self.attempts(info):
            if a.report is None:
                continue
            presented = form_item_ids(a.form_json)
            responses = {str(k): v for k, v in responses_for_scoring(presented, a.answers).items()}
            lines.append(
                json.dumps(
                    {
                        "candidate": a.number,
                        "track": a.track,
                        "responses": responses,
                        "presented": list(presented),
                    },
                    ensure_ascii=False,
                )
            )
        return "\n".join(lines) + ("\n" if lines else "")

    def ranking(
        self, info: SessionInfo, *, formation: str | None, vacancies: int | None
    ) -> dict[str, object]:
        policy = self.policy(info)
        data = self.results_json(info)
        rows = [
            r
            for r in data["results"]  # type: ignore[attr-defined]
            if formation is None or r["formation"] == formation
        ]
        results: list[CandidateResult] = [result_from_dict(r, policy) for r in rows]
        return {
            "formation": formation,
            **ranking_to_dict(rank(policy=policy, results=results, vacancies=vacancies)),
        }

    # ------------------------------------------------------------------ annulment

    def annul(
        self, info: SessionInfo, item_id: str, reason: str, *, actor: str
    ) -> list[dict[str, object]]:
        """Annul an item for the exam per its policy and re-score every scored attempt."""
        exam = self.exam(info)
        if item_id not in exam.bank.items:
            raise NotFoundError(f"the exam's bank has no item {item_id}")
        if item_id in exam.annulled:
            raise ConflictError(f"item {item_id} is already annulled")
        if len(reason.strip()) < 3:
            raise InvalidInputError("give the reason for annulling the item")
        how: Annulment = exam.policy.annulment
        now = self.clock.now_ms()
        with self.db.write() as conn:
            conn.execute(
                insert(tables.annulments).values(
                    exam_id=exam.id,
                    item_id=item_id,
                    how=how.value,
                    reason=reason.strip(),
                    at_ms=now,
                )
            )
        self.exams.forget(exam.id)
        after = self.exams.get(exam.id)
        return self._rescore(
            info, after, actor=actor, why=f"annulled {item_id} ({how.value})", item=item_id
        )

    def _rescore(
        self, info: SessionInfo, exam: LoadedExam, *, actor: str, why: str, item: str
    ) -> list[dict[str, object]]:
        changes: list[dict[str, object]] = []
        now = self.clock.now_ms()
        scores = tables.scores
        with self.db.write() as conn:
            for a in self.attempts(info):
                if a.report is None:
                    continue
                presented = form_item_ids(a.form_json)
                report = report_to_dict(
                    score(
                        plan=exam.plan_for(presented),
                        responses=responses_for_scoring(presented, a.answers),
                        track=a.track,
                    )
                )
                if report == a.report:
                    continue
                signed = {
                    "slip": a.slip,
                    "session": info.code,
                    "candidate": a.number,
                    "report": report,
                    "scored_ms": now,
                }
                signature = self.scoring.signing_key.sign(canonical(signed)).hex()
                conn.execute(
                    update(scores)
                    .where(scores.c.attempt_id == a.attempt_id)
                    .values(
                        report_json=json.dumps(report, ensure_ascii=False),
                        total=str(report["total"]),
                        passed=report["passed"],
                        signature=signature,
                        scored_ms=now,
                        revision=a.revision + 1,
                    )
                )
                changes.append(
                    {
                        "candidate": a.number,
                        "before": a.report["total"],
                        "after": report["total"],
                        "passed_before": a.report["passed"],
                        "passed_after": report["passed"],
                    }
                )
            self.audit.append(
                conn,
                at_ms=now,
                actor=actor,
                event="rescored",
                data={"session": info.code, "item": item, "why": why, "changed": changes},
            )
        return changes
