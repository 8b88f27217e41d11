"""Errors of the candidate station; ``ui/error_dialogs.py`` turns them into words.

ClientError
├── ConfigError                   the station config is missing or wrong; ``path``, ``field``
│   └── FingerprintMismatchError  the CA is not the pinned one; ``expected``, ``actual``
├── JournalError                  the local journal cannot be written or read; ``path``
├── ServerUnreachableError        no answer from the server (network down, timeout); ``url``
├── UntrustedServerError          TLS refused: the server's certificate is not from the pinned CA
├── ProtocolError                 a reply this station does not understand; ``detail``
├── ServerRefusedError            an error reply; ``status``, ``code``, ``message``
│   ├── WrongPinError             ``attempts_left`` before a lockout; ``retry_after_s`` once locked
│   ├── CandidateLockedError      too many wrong PINs; ``retry_after_s``
│   ├── WrongSessionTokenError
│   ├── SeatInUseError            the exam is open on another workstation
│   ├── SessionNotOpenError
│   ├── SignedOutError            this station's login is no longer valid (released, elsewhere)
│   ├── TimeOverError             the deadline and its grace have passed
│   ├── WrongUnlockCodeError
│   └── ServerBusyError           503: nothing was saved, try again (``retry_after_s`` if given)
├── PracticeOnlyError             a practice station and a real exam session; ``session`` (the
│                                 code, when the station found out; None when the server refused
│                                 the login with ``forbidden``, before taking a seat)
├── StartRefusedError             this PC may not start a real exam (not inside the kiosk);
│                                 ``kind`` (the incident reported), ``detail``
├── DiscoveryError                no site server found on the LAN, or mDNS is not available
├── EnrolmentRefusedError         enrolment stopped: the CA was not vouched for (fingerprint
│                                 not confirmed or not matching) or no server was chosen
└── PhaseError                    an action the session's current phase does not allow; ``phase``

Every error carries a short English ``str()`` for logs; the words a candidate
reads come from the UI, chosen by class and fields (``ServerRefusedError``
falls back to the server's own message for codes this station does not know).
"""

from __future__ import annotations

from pathlib import Path


class ClientError(Exception):
    """Root of every error the station raises on purpose."""


class ConfigError(ClientError):
    def __init__(self, message: str, *, path: Path | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.path, self.field = path, field


class FingerprintMismatchError(ConfigError):
    def __init__(self, *, path: Path | None, expected: str, actual: str) -> None:
        super().__init__(
            f"the CA certificate's SHA-256 fingerprint is {actual}, not the pinned {expected}",
            path=path,
            field="ca_fingerprint",
        )
        self.expected, self.actual = expected, actual


class JournalError(ClientError):
    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ServerUnreachableError(ClientError):
    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class UntrustedServerError(ClientError):
    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class ProtocolError(ClientError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"unexpected reply from the server: {detail}")
        self.detail = detail


class ServerRefusedError(ClientError):
    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        attempts_left: int | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.attempts_left, self.retry_after_s = attempts_left, retry_after_s


class WrongPinError(ServerRefusedError):
    pass


class CandidateLockedError(ServerRefusedError):
    pass


class WrongSessionTokenError(ServerRefusedError):
    pass


class SeatInUseError(ServerRefusedError):
    pass


class SessionNotOpenError(ServerRefusedError):
    pass


class SignedOutError(ServerRefusedError):
    pass


class TimeOverError(ServerRefusedError):
    pass


class WrongUnlockCodeError(ServerRefusedError):
    pass


class ServerBusyError(ServerRefusedError):
    pass


class PracticeOnlyError(ClientError):
    def __init__(self, *, session: str | None) -> None:
        super().__init__(
            f"session {session} is a real exam; a practice station cannot sit it"
            if session
            else "the server refused a practice station for a real exam session"
        )
        self.session = session


class StartRefusedError(ClientError):
    def __init__(self, *, kind: str, detail: str) -> None:
        super().__init__(f"this station may not start a real exam ({kind}): {detail}")
        self.kind, self.detail = kind, detail


class DiscoveryError(ClientError):
    pass


class EnrolmentRefusedError(ClientError):
    pass


class PhaseError(ClientError):
    def __init__(self, message: str, *, phase: str) -> None:
        super().__init__(message)
        self.phase = phase


#: Server error codes -> the class that carries them (anything else: ServerRefusedError).
BY_CODE: dict[str, type[ServerRefusedError]] = {
    "wrong_pin": WrongPinError,
    "candidate_locked": CandidateLockedError,
    "wrong_session_token": WrongSessionTokenError,
    "seat_in_use": SeatInUseError,
    "session_not_open": SessionNotOpenError,
    "unauthenticated": SignedOutError,
    "time_over": TimeOverError,
    "wrong_unlock_code": WrongUnlockCodeError,
    "bank_locked": ServerBusyError,
    "storage_unavailable": ServerBusyError,
}
