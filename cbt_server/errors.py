"""Errors raised by the server; ``api/errors.py`` maps them to HTTP statuses.

ServerError
├── ConfigurationError        bad settings or data directory
├── NotFoundError             an id that does not exist (or is not yours to see)
├── InvalidInputError         a request that is well-formed JSON but makes no sense
├── AuthenticationError       no or bad credentials
│   ├── WrongPinError         wrong PIN; ``retry_after_s`` when now locked
│   ├── CandidateLockedError  too many wrong PINs; ``retry_after_s``
│   └── WrongSessionTokenError
├── ForbiddenError            authenticated, but not allowed
├── ConflictError             the state does not allow it now
│   ├── SeatInUseError        the attempt is active on another workstation
│   ├── SessionNotOpenError
│   └── TimeOverError         past the deadline and its grace
├── BankUnavailableError      the exam's bank is not unlocked on this server
├── StorageUnavailableError   the database refused to commit (disk full, locked)
└── AuditChainError           ``audit verify`` found a broken link
"""

from __future__ import annotations


class ServerError(Exception):
    """Root of every error the server raises on purpose."""

    code = "server_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(ServerError):
    code = "configuration"


class NotFoundError(ServerError):
    code = "not_found"


class InvalidInputError(ServerError):
    code = "invalid_input"


class AuthenticationError(ServerError):
    code = "unauthenticated"


class WrongPinError(AuthenticationError):
    code = "wrong_pin"

    def __init__(
        self, message: str, *, attempts_left: int | None = None, retry_after_s: int | None = None
    ) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left
        self.retry_after_s = retry_after_s


class CandidateLockedError(AuthenticationError):
    code = "candidate_locked"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class WrongSessionTokenError(AuthenticationError):
    code = "wrong_session_token"


class ForbiddenError(ServerError):
    code = "forbidden"


class ConflictError(ServerError):
    code = "conflict"


class SeatInUseError(ConflictError):
    code = "seat_in_use"


class SessionNotOpenError(ConflictError):
    code = "session_not_open"


class TimeOverError(ConflictError):
    code = "time_over"


class TooManyRequestsError(ServerError):
    """A public form used too often from one address; says how long to wait."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class BankUnavailableError(ServerError):
    code = "bank_locked"


class StorageUnavailableError(ServerError):
    code = "storage_unavailable"


class AuditChainError(ServerError):
    code = "audit_broken"

    def __init__(self, message: str, *, seq: int) -> None:
        super().__init__(message)
        self.seq = seq
