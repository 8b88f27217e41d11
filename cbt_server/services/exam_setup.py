"""Setting up an exam day: exams, sessions, candidates and their PINs, staff.

Used by ``cbt-server`` subcommands and the admin API; every change is audited.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import ConflictError, InvalidInputError, NotFoundError
from cbt_server.services.audit import AuditLog
from cbt_server.services.passwords import hash_password, hash_pin, new_pin
from question_bank.blueprint import Blueprint, blueprint_from_dict
from scoring import PolicyError, policy_from_toml

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PRIVACY = ("full", "masked", "number")
ROLES = ("admin", "proctor", "observer")
MAX_PHOTO_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class IssuedPin:
    number: str
    name: str
    pin: str


@dataclass(frozen=True, slots=True)
class CandidateRow:
    number: str
    name: str
    birth_date: str
    formation: str
    track: str
    extra_minutes: int
    photo: bytes | None
    photo_type: str | None


def _code(value: str, what: str) -> str:
    if not CODE.match(value):
        raise InvalidInputError(f"the {what} code must be letters, digits, '.', '_' or '-'")
    return value


class ExamSetupService:
    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self.db, self.clock, self.audit = db, clock, audit

    def _audit(self, conn: Connection, actor: str, event: str, data: dict[str, object]) -> None:
        self.audit.append(conn, at_ms=self.clock.now_ms(), actor=actor, event=event, data=data)

    # ------------------------------------------------------------------ staff

    def create_user(
        self, *, username: str, full_name: str, role: str, password: str, actor: str
    ) -> int:
        if role not in ROLES:
            raise InvalidInputError(f"the role must be one of {', '.join(ROLES)}")
        if len(password) < 10:
            raise InvalidInputError("a staff password needs at least 10 characters")
        _code(username, "user")
        users = tables.staff_users
        with self.db.write() as conn:
            if conn.execute(select(users.c.id).where(users.c.username == username)).first():
                raise ConflictError(f"the user {username} already exists")
            user_id = conn.execute(
                insert(users)
                .values(
                    username=username,
                    full_name=full_name,
                    role=role,
                    password_hash=hash_password(password),
                    active=True,
                )
                .returning(users.c.id)
            ).scalar_one()
            self._audit(conn, actor, "staff_created", {"user": username, "role": role})
        return int(user_id)

    # ------------------------------------------------------------------ rooms

    def ensure_room(self, code: str, *, actor: str) -> int:
        rooms = tables.rooms
        _code(code, "room")
        with self.db.write() as conn:
            found = conn.execute(select(rooms.c.id).where(rooms.c.code == code)).scalar()
            if found is not None:
                return int(found)
            site_id = conn.execute(select(tables.sites.c.id)).scalar_one()
            room_id = conn.execute(
                insert(rooms)
                .values(site_id=site_id, code=code, name=f"Ruang {code}")
                .returning(rooms.c.id)
            ).scalar_one()
            self._audit(conn, actor, "room_created", {"room": code})
        return int(room_id)

    # ------------------------------------------------------------------ exams

    def create_exam(
        self,
        *,
        code: str,
        title: str,
        bank_digest: str,
        policy_toml: str,
        blueprint: Blueprint | None,
        bank_blueprint: dict[str, object] | None,
        show_topics: bool,
        actor: str,
    ) -> int:
        _code(code, "exam")
        try:
            policy = policy_from_toml(policy_toml, origin=f"exam {code}")
        except PolicyError as exc:
            raise InvalidInputError(str(exc)) from None
        if blueprint is None:
            if bank_blueprint is None:
                raise InvalidInputError("the bank stores no blueprint; give one")
            blueprint = blueprint_from_dict(bank_blueprint)
        policy_sections = {str(s) for s in policy.section_ids}
        for section in blueprint.sections:
            if str(section.id) not in policy_sections:
                raise InvalidInputError(
                    f"the blueprint's section {section.id} is not in policy {policy.id}"
                )
        duration = blueprint.duration_minutes or policy.duration_minutes
        if duration is None:
            raise InvalidInputError("neither the blueprint nor the policy sets a duration")
        exams, banks = tables.exams, tables.banks
        with self.db.write() as conn:
            bank_id = (
                conn.execute(select(banks.c.id).where(banks.c.digest.startswith(bank_digest)))
                .scalars()
                .all()
            )
            if len(bank_id) != 1:
                raise NotFoundError(f"no single imported bank matches {bank_digest!r}")
            if conn.execute(select(exams.c.id).where(exams.c.code == code)).first():
                raise ConflictError(f"the exam {code} already exists")
            exam_id = conn.execute(
                insert(exams)
                .values(
                    code=code,
                    title=title,
                    bank_id=bank_id[0],
                    blueprint_json=json.dumps(blueprint.to_dict(), sort_keys=True),
                    policy_toml=policy_toml,
                    duration_minutes=duration,
                    show_topics=show_topics,
                )
                .returning(exams.c.id)
            ).scalar_one()
            self._audit(
                conn,
                actor,
                "exam_created",
                {
                    "exam": code,
                    "bank": bank_digest,
                    "policy": policy.id,
                    "blueprint": blueprint.id,
                    "blueprint_digest": blueprint.digest,
                    "duration_minutes": duration,
                },
            )
        return int(exam_id)

    # ------------------------------------------------------------------ sessions

    def create_session(
        self,
        *,
        code: str,
        exam_code: str,
        room_code: str,
        starts_ms: int,
        privacy: str = "masked",
        token_period_s: int = 900,
        lock_on_violation: bool = False,
        practice: bool = False,
        actor: str,
    ) -> int:
        _code(code, "session")
        if privacy not in PRIVACY:
            raise InvalidInputError(f"privacy must be one of {', '.join(PRIVACY)}")
        if not 60 <= token_period_s <= 86400:
            raise InvalidInputError("the token period must be between 1 minute and a day")
        sessions, exams, rooms = tables.exam_sessions, tables.exams, tables.rooms
        with self.db.write() as conn:
            exam_id = conn.execute(select(exams.c.id).where(exams.c.code == exam_code)).scalar()
            if exam_id is None:
                raise NotFoundError(f"no exam {exam_code}")
            room_id = conn.execute(select(rooms.c.id).where(rooms.c.code == room_code)).scalar()
            if room_id is None:
                raise NotFoundError(f"no room {room_code}")
            if conn.execute(select(sessions.c.id).where(sessions.c.code == code)).first():
                raise ConflictError(f"the session {code} already exists")
            session_id = conn.execute(
                insert(sessions)
                .values(
                    code=code,
                    exam_id=exam_id,
                    room_id=room_id,
                    starts_ms=starts_ms,
                    state="scheduled",
                    privacy=privacy,
                    token_secret=secrets.token_bytes(32),
                    token_period_s=token_period_s,
                    lock_on_violation=lock_on_violation,
                    practice=practice,
                )
                .returning(sessions.c.id)
            ).scalar_one()
            self._audit(
                conn,
                actor,
                "session_created",
                {
                    "session": code,
                    "exam": exam_code,
                    "room": room_code,
                    "starts_ms": starts_ms,
                    "privacy": privacy,
                },
            )
        return int(session_id)

    def assign_proctor(self, *, session_code: str, username: str, actor: str) -> None:
        users, sessions = tables.staff_users, tables.exam_sessions
        with self.db.write() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
            session_id = conn.execute(
                select(sessions.c.id).where(sessions.c.code == session_code)
            ).scalar()
            if user_id is None or session_id is None:
                raise NotFoundError("no such user or session")
            conn.execute(
                insert(tables.session_proctors).values(session_id=session_id, user_id=user_id)
            )
            self._audit(
                conn, actor, "proctor_assigned", {"session": session_code, "user": username}
            )

    # ------------------------------------------------------------------ candidates

    def register(
        self,
        *,
        session_code: str,
        rows: Sequence[CandidateRow],
        actor: str,
        pins: dict[str, str] | None = None,
    ) -> list[IssuedPin]:
        """Add (or update) candidates and register them in the session with fresh PINs."""
        candidates, regs, sessions = (
            tables.candidates,
            tables.registrations,
            tables.exam_sessions,
        )
        issued: list[IssuedPin] = []
        with self.db.write() as conn:
            found = conn.execute(
                select(sessions.c.id, tables.exams.c.policy_toml)
                .join(tables.exams, tables.exams.c.id == sessions.c.exam_id)
                .where(sessions.c.code == session_code)
            ).one_or_none()
            if found is None:
                raise NotFoundError(f"no session {session_code}")
            session_id = found.id
            tracks = policy_from_toml(found.policy_toml, origin=session_code).tracks
            strangers = sorted({f"{r.number} ({r.track})" for r in rows if r.track not in tracks})
            if strangers:
                raise InvalidInputError(
                    f"track not in the exam's policy for: {', '.join(strangers)} "
                    f"(tracks: {', '.join(tracks)})"
                )
            for row in rows:
                existing = conn.execute(
                    select(candidates.c.id).where(candidates.c.number == row.number)
                ).scalar()
                values = {
                    "name": row.name,
                    "birth_date": row.birth_date,
                    "formation": row.formation,
                    "track": row.track,
                    "extra_minutes": row.extra_minutes,
                    "photo": row.photo,
                    "photo_type": row.photo_type,
                }
                if existing is None:
                    candidate_id = conn.execute(
                        insert(candidates)
                        .values(number=row.number, **values)
                        .returning(candidates.c.id)
                    ).scalar_one()
                else:
                    candidate_id = existing
                    conn.execute(
                        update(candidates).where(candidates.c.id == existing).values(**values)
                    )
                pin = (pins or {}).get(row.number) or new_pin()
                registered = conn.execute(
                    select(regs.c.id).where(
                        regs.c.session_id == session_id, regs.c.candidate_id == candidate_id
                    )
                ).scalar()
                if registered is None:
                    conn.execute(
                        insert(regs).values(
                            session_id=session_id,
                            candidate_id=candidate_id,
                            pin_hash=hash_pin(pin),
                            failed_pins=0,
                            locked_until_ms=0,
                        )
                    )
                else:
                    conn.execute(
                        update(regs)
                        .where(regs.c.id == registered)
                        .values(pin_hash=hash_pin(pin), failed_pins=0, locked_until_ms=0)
                    )
                issued.append(IssuedPin(row.number, row.name, pin))
            self._audit(
                conn, actor, "candidates_registered", {"session": session_code, "count": len(rows)}
            )
        return issued


def read_candidates_csv(path: Path) -> list[CandidateRow]:
    """Read the candidate list; every bad row is reported with its row number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror})") from None
    reader = csv.DictReader(io.StringIO(text))
    need = {"participant_number", "name", "birth_date", "formation", "track"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise InvalidInputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    rows: list[CandidateRow] = []
    problems: list[str] = []
    seen: set[str] = set()
    for n, raw in enumerate(reader, start=2):
        number = (raw.get("participant_number") or "").strip()
        if not CODE.match(number):
            problems.append(f"row {n}: participant_number {number!r} is not a valid number")
            continue
        if number in seen:
            problems.append(f"row {n}: participant {number} appears twice")
        seen.add(number)
        birth = (raw.get("birth_date") or "").strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
            problems.append(f"row {n}: birth_date must be YYYY-MM-DD")
        name = (raw.get("name") or "").strip()
        if not name or len(name) > 200:
            problems.append(f"row {n}: name is empty or too long")
        try:
            extra = int((raw.get("extra_minutes") or "0").strip() or "0")
            if not 0 <= extra <= 120:
                raise ValueError
        except ValueError:
            problems.append(f"row {n}: extra_minutes must be a whole number from 0 to 120")
            extra = 0
        photo, photo_type = None, None
        photo_name = (raw.get("photo") or "").strip()
        if photo_name:
            photo_path = (path.parent / photo_name).resolve()
            if path.parent.resolve() not in photo_path.parents:
                problems.append(f"row {n}: photo must be a file beside the list")
            elif not photo_path.is_file():
                problems.append(f"row {n}: photo {photo_name} not found")
            else:
                photo = photo_path.read_bytes()
                photo_type = _image_type(photo)
                if photo_type is None or len(photo) > MAX_PHOTO_BYTES:
                    problems.append(f"row {n}: photo must be a PNG or JPEG under 512 KiB")
        rows.append(
            CandidateRow(
                number,
                name,
                birth,
                (raw.get("formation") or "").strip(),
                (raw.get("track") or "general").strip() or "general",
                extra,
                photo,
                photo_type,
            )
        )
    if problems:
        raise InvalidInputError(f"{path}: " + "; ".join(problems))
    return rows


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None
