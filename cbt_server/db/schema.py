"""The server's tables, as typed SQLAlchemy 2 models.

Times are integer milliseconds since the Unix epoch (UTC) so that SQLite and
PostgreSQL compare and sort them the same way. Secrets are never stored in
clear: PINs and passwords as argon2id hashes, candidate tokens as SHA-256.
No decrypted item text is ever stored: forms hold item ids and option orders.

There is no table of seats: a station names itself (``workstation``) at each login,
and the attempt keeps the name (``Attempt.workstation``); the room is the session's.
The proctor view and the minutes read them there.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Room(Base):
    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    __table_args__ = (UniqueConstraint("site_id", "code"),)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | proctor | observer
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffToken(Base):
    """A signed-in staff browser or tool; the token itself is kept only as a hash."""

    __tablename__ = "staff_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    expires_ms: Mapped[int] = mapped_column(BigInteger)


class Candidate(Base):
    __tablename__ = "candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # nomor peserta
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD
    formation: Mapped[str] = mapped_column(String(200))
    track: Mapped[str] = mapped_column(String(32))
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    photo_type: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Bank(Base):
    """An imported bank file; it stays encrypted on disk under the data directory."""

    __tablename__ = "banks"
    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(200))
    imported_ms: Mapped[int] = mapped_column(BigInteger)


class Exam(Base):
    __tablename__ = "exams"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    blueprint_json: Mapped[str] = mapped_column(Text)
    policy_toml: Mapped[str] = mapped_column(Text)  # the policy itself, not a name: results
    duration_minutes: Mapped[int] = mapped_column(Integer)  # never change under our feet
    show_topics: Mapped[bool] = mapped_column(Boolean, default=False)


class ExamSession(Base):
    __tablename__ = "exam_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    starts_ms: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))  # scheduled | open | running | closed
    privacy: Mapped[str] = mapped_column(String(16))  # full | masked | number
    token_secret: Mapped[bytes] = mapped_column(LargeBinary)
    token_period_s: Mapped[int] = mapped_column(Integer, default=900)
    lock_on_violation: Mapped[bool] = mapped_column(Boolean, default=False)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    closed_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class SessionProctor(Base):
    __tablename__ = "session_proctors"
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)


class Registration(Base):
    """A candidate registered in a session, with the PIN issued at check-in."""

    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (UniqueConstraint("session_id", "candidate_id"),)


class Attempt(Base):
    """One candidate's sitting: the recorded form, the clock, the seat, the state."""

    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), unique=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    form_json: Mapped[str] = mapped_column(Text)  # item ids and option orders; no content
    item_count: Mapped[int] = mapped_column(Integer)
    workstation: Mapped[str | None] = mapped_column(String(64), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    journal_key: Mapped[bytes] = mapped_column(LargeBinary)
    # identity -> in_progress -> submitted; locked is a flag, not a state
    state: Mapped[str] = mapped_column(String(16))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    unlock_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    started_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    duration_s: Mapped[int] = mapped_column(Integer)  # session duration + accommodation
    extended_s: Mapped[int] = mapped_column(Integer, default=0)
    deadline_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paused_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    submitted_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    max_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (Index("ix_attempts_state_deadline", "state", "deadline_ms"),)


class Response(Base):
    """The latest answer to one item of an attempt; ``seq`` orders changes."""

    __tablename__ = "responses"
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    choice: Mapped[str | None] = mapped_column(String(4), nullable=True)  # author's label
    doubtful: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    changed_ms: Mapped[int] = mapped_column(BigInteger)


class ScoreRecord(Base):
    """The committed score of an attempt: what every screen, slip and export reads."""

    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), unique=True)
    slip_code: Mapped[str] = mapped_column(String(16), unique=True)
    report_json: Mapped[str] = mapped_column(Text)
    total: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    signature: Mapped[str] = mapped_column(String(128))
    scored_ms: Mapped[int] = mapped_column(BigInteger)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class Annulment(Base):
    __tablename__ = "annulments"
    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"))
    item_id: Mapped[str] = mapped_column(String(64))
    how: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    at_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (UniqueConstraint("exam_id", "item_id"),)


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(64))
    at_ms: Mapped[int] = mapped_column(BigInteger)


class StationCommand(Base):
    """A command waiting for a station (pause, resume, extend, lock, message, ...)."""

    __tablename__ = "station_commands"
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    data_json: Mapped[str] = mapped_column(Text)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    delivered_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Complaint(Base):
    """A public report of an irregularity (pengaduan)."""

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    session_code: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # received | reviewing | closed
    answer: Mapped[str] = mapped_column(Text, default="")
    at_ms: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """Append-only, hash-chained log; ``hash`` = SHA-256 over the previous hash and the entry."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at_ms: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(64))
    data_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the chain's head. Updating it first serialises appenders on any database."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class ImportedResult(Base):
    """A result gathered from another site's signed export (the central office's copy)."""

    __tablename__ = "imported_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_code: Mapped[str] = mapped_column(String(64))
    site_key: Mapped[str] = mapped_column(String(64))  # fingerprint of the signing key
    session_code: Mapped[str] = mapped_column(String(64))
    candidate: Mapped[str] = mapped_column(String(32))
    track: Mapped[str] = mapped_column(String(32))
    formation: Mapped[str] = mapped_column(String(200))
    sections_json: Mapped[str] = mapped_column(Text)
    total: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    slip_code: Mapped[str] = mapped_column(String(16))
    export_digest: Mapped[str] = mapped_column(String(64))
    imported_ms: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (UniqueConstraint("site_code", "session_code", "candidate"),)
