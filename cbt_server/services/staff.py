"""Staff sign-in: administrators, proctors and observers.

A signed-in browser or tool holds a random token; the server keeps only its
SHA-256 and an expiry. Passwords are argon2id hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from cbt_server.clock import Clock
from cbt_server.db import tables
from cbt_server.db.engine import Database
from cbt_server.errors import AuthenticationError, ForbiddenError
from cbt_server.services.audit import AuditLog
from cbt_server.services.passwords import check_password

TOKEN_HOURS = 14
TOKEN_PREFIX = "cbts_"  # noqa: S105 - a marker on tokens, not a secret


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    username: str
    full_name: str
    role: str

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.username}"

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise ForbiddenError("your role does not allow this")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffDesk:
    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self.db, self.clock, self.audit = db, clock, audit

    def sign_in(self, username: str, password: str) -> tuple[str, StaffMember]:
        users = tables.staff_users
        with self.db.read() as conn:
            row = conn.execute(
                select(users).where(users.c.username == username.strip(), users.c.active.is_(True))
            ).one_or_none()
        now = self.clock.now_ms()
        if row is None or not check_password(row.password_hash, password):
            with self.db.write() as conn:
                self.audit.append(
                    conn,
                    at_ms=now,
                    actor=f"staff:{username[:64]}",
                    event="staff_login_failed",
                    data={},
                )
            raise AuthenticationError("the username or password is not correct")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as conn:
            conn.execute(delete(tables.staff_tokens).where(tables.staff_tokens.c.expires_ms < now))
            conn.execute(
                insert(tables.staff_tokens).values(
                    token_hash=_hash(token),
                    user_id=row.id,
                    expires_ms=now + TOKEN_HOURS * 3600 * 1000,
                )
            )
            self.audit.append(
                conn, at_ms=now, actor=f"{row.role}:{row.username}", event="staff_login", data={}
            )
        return token, StaffMember(row.id, row.username, row.full_name, row.role)

    def resolve(self, token: str) -> StaffMember:
        users, tokens = tables.staff_users, tables.staff_tokens
        with self.db.read() as conn:
            row = conn.execute(
                select(users.c.id, users.c.username, users.c.full_name, users.c.role)
                .join(tokens, tokens.c.user_id == users.c.id)
                .where(
                    tokens.c.token_hash == _hash(token),
                    tokens.c.expires_ms > self.clock.now_ms(),
                    users.c.active.is_(True),
                )
            ).one_or_none()
        if row is None:
            raise AuthenticationError("sign in first (or again: the sign-in has expired)")
        return StaffMember(row.id, row.username, row.full_name, row.role)

    def sign_out(self, token: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                delete(tables.staff_tokens).where(tables.staff_tokens.c.token_hash == _hash(token))
            )

    def sessions_of(self, member: StaffMember) -> list[int]:
        """Session ids the member may see: all for admins and observers, own for proctors."""
        sessions, links = tables.exam_sessions, tables.session_proctors
        with self.db.read() as conn:
            if member.role in ("admin", "observer"):
                return list(conn.execute(select(sessions.c.id)).scalars())
            return list(
                conn.execute(
                    select(links.c.session_id).where(links.c.user_id == member.id)
                ).scalars()
            )
