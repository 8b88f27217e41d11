"""HTTPS to the site server, trusting only the site CA, with retries and readable refusals.

``ssl_context`` builds a context whose only trust root is the CA certificate
stored in the station config (its fingerprint checked when the config loaded):
no system store, hostname checking on. ``Transport`` retries what is safe to
retry — every candidate call is idempotent on the server (answers by
sequence, start/submit by state) — when the network fails or the server says
503, with exponential backoff, then raises ``ServerUnreachableError`` (the
session goes offline and keeps working). A refusal becomes the
``ServerRefusedError`` subclass for its code, carrying the server's message
and fields (``attempts_left``, ``retry_after_s``).
"""

from __future__ import annotations

import base64
import binascii
import json
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

from cbt_client import wire
from cbt_client.config import StationConfig
from cbt_client.errors import (
    BY_CODE,
    PracticeOnlyError,
    ProtocolError,
    ServerBusyError,
    ServerRefusedError,
    ServerUnreachableError,
    SignedOutError,
    UntrustedServerError,
    WrongPinError,
)
from cbt_client.journal import Entry

API = "/api/v1/candidate"
HEALTH = "/api/v1/health"


def ssl_context(config: StationConfig) -> ssl.SSLContext:
    """A client TLS context that trusts the site CA from the config and nothing else."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cadata=config.ca_certificate)
    return context


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently one call is retried before the server counts as gone."""

    attempts: int = 3
    first_delay_s: float = 0.25
    factor: float = 2.0
    max_delay_s: float = 2.0

    def delays(self) -> list[float]:
        out, delay = [], self.first_delay_s
        for _ in range(max(0, self.attempts - 1)):
            out.append(min(delay, self.max_delay_s))
            delay *= self.factor
        return out


class ServerApi(Protocol):
    """What a session needs from the server (``Transport`` is the real one)."""

    token: str | None

    def ping(self) -> None: ...
    def login(
        self, *, number: str, pin: str, session_token: str, workstation: str, practice: bool = False
    ) -> wire.Login: ...
    def status(self) -> tuple[wire.AttemptStatus, dict[wire.ItemNumber, wire.SavedAnswer]]: ...
    def photo(self) -> bytes | None: ...
    def start(self) -> wire.AttemptStatus: ...
    def form(self) -> object: ...
    def image(self, ref: str) -> bytes: ...
    def save(self, entries: Sequence[Entry]) -> int: ...
    def heartbeat(self, *, answered: int, client_time_ms: int) -> wire.Beat: ...
    def incident(self, kind: str, detail: str) -> bool: ...
    def unlock(self, code: str) -> None: ...
    def submit(self) -> wire.Result: ...
    def result(self) -> wire.Result: ...
    def close(self) -> None: ...


class Transport:
    """The real ``ServerApi``: httpx over TLS pinned to the site CA.

    ``client`` may be shared by many transports (the bot runner does, so 200
    candidates share one connection pool); a shared client is not closed here.
    ``stop`` (which may be shared too), when set, cuts retry waits short.
    """

    def __init__(
        self,
        config: StationConfig,
        *,
        client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout_s: float = 10.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.base_url = config.server_url
        self._owned = client is None
        self._client = client or httpx.Client(
            base_url=config.server_url,
            verify=ssl_context(config),
            timeout=timeout_s,
            headers={"User-Agent": "cbt-client/1"},
        )
        self._retry = retry or RetryPolicy()
        self._stop = stop
        self._closed = threading.Event()
        self.token: str | None = None

    def close(self) -> None:
        self._closed.set()
        if self._owned:
            self._client.close()

    # ------------------------------------------------------------------ the calls

    def ping(self) -> None:
        """The server's health check: no database, no data (and, over TLS, the pinned CA)."""
        self._request("GET", HEALTH, auth=False)

    def login(
        self, *, number: str, pin: str, session_token: str, workstation: str, practice: bool = False
    ) -> wire.Login:
        """Sign in; a practice station says so, and a real session refuses it before
        taking the seat (``PracticeOnlyError``)."""
        body: dict[str, object] = {
            "participant_number": number.strip(),
            "pin": pin.strip(),
            "session_token": session_token.strip().upper(),
            "workstation": workstation,
        }
        if practice:
            body["practice"] = True
        try:
            data = self._json("POST", f"{API}/login", body=body, auth=False)
        except SignedOutError as exc:  # at login, "unauthenticated" means an unknown number
            raise WrongPinError(exc.message, status=exc.status, code="wrong_pin") from exc
        except ServerRefusedError as exc:
            if practice and exc.code == "forbidden":
                raise PracticeOnlyError(session=None) from exc
            raise
        if not isinstance(data, dict):
            raise ProtocolError("the login reply is not an object")
        try:
            key = base64.b64decode(str(data.get("journal_key", "")), validate=True)
        except binascii.Error as exc:
            raise ProtocolError("the journal key is not base64") from exc
        if len(key) != 32:
            raise ProtocolError("the journal key is not 32 bytes")
        login = wire.login(data, key)
        self.token = login.token
        return login

    def status(self) -> tuple[wire.AttemptStatus, dict[wire.ItemNumber, wire.SavedAnswer]]:
        data = self._json("GET", f"{API}/status")
        return wire.status(data), wire.saved_answers(data)

    def photo(self) -> bytes | None:
        response = self._request("GET", f"{API}/photo", missing_ok=True)
        return None if response.status_code == 404 else response.content

    def start(self) -> wire.AttemptStatus:
        return wire.status(self._json("POST", f"{API}/start"))

    def form(self) -> object:
        return self._json("GET", f"{API}/form")

    def image(self, ref: str) -> bytes:
        return self._request("GET", f"{API}/images/{ref}").content

    def save(self, entries: Sequence[Entry]) -> int:
        changes = [
            {"number": e.number, "choice": e.choice, "doubtful": e.doubtful, "seq": e.seq}
            for e in entries
        ]
        data = self._json("POST", f"{API}/answers", body={"changes": changes})
        if not isinstance(data, dict) or not isinstance(data.get("acked_seq"), int):
            raise ProtocolError("the answers reply has no acked_seq")
        return int(data["acked_seq"])

    def heartbeat(self, *, answered: int, client_time_ms: int) -> wire.Beat:
        body = {"answered": answered, "client_time_ms": client_time_ms}
        return wire.beat(self._json("POST", f"{API}/heartbeat", body=body))

    def incident(self, kind: str, detail: str) -> bool:
        data = self._json("POST", f"{API}/incidents", body={"kind": kind, "detail": detail[:2000]})
        return isinstance(data, dict) and data.get("locked") is True

    def unlock(self, code: str) -> None:
        self._json("POST", f"{API}/unlock", body={"code": code.strip()}, retry=False)

    def submit(self) -> wire.Result:
        return wire.result(self._json("POST", f"{API}/submit"))

    def result(self) -> wire.Result:
        return wire.result(self._json("GET", f"{API}/result"))

    # ------------------------------------------------------------------ plumbing

    def _json(
        self, method: str, path: str, *, body: object = None, auth: bool = True, retry: bool = True
    ) -> object:
        response = self._request(method, path, body=body, auth=auth, retry=retry)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ProtocolError(f"{path} did not answer JSON") from exc

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: object = None,
        auth: bool = True,
        retry: bool = True,
        missing_ok: bool = False,
    ) -> httpx.Response:
        headers = {}
        if auth:
            if not self.token:
                raise SignedOutError(
                    "this station is not signed in", status=401, code="unauthenticated"
                )
            headers["Authorization"] = f"Bearer {self.token}"
        delays = self._retry.delays() if retry else []
        while True:
            try:
                response = self._client.request(method, path, json=body, headers=headers)
            except httpx.HTTPError as exc:
                failure: ServerUnreachableError | ServerBusyError = self._unreachable(exc)
            else:
                if response.status_code < 400 or (missing_ok and response.status_code == 404):
                    return response
                refusal = _refusal(response)
                if not isinstance(refusal, ServerBusyError):
                    raise refusal
                failure = refusal
            if not delays or self._interrupted_during(delays.pop(0)):
                raise failure

    def _interrupted_during(self, seconds: float) -> bool:
        """Wait before a retry; True if the transport closed or the caller stopped meanwhile."""
        end = time.monotonic() + seconds
        while not (self._closed.is_set() or (self._stop is not None and self._stop.is_set())):
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._closed.wait(min(left, 0.05))
        return True

    def _unreachable(self, exc: httpx.HTTPError) -> ServerUnreachableError:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLCertVerificationError):
                raise UntrustedServerError(
                    f"the server's certificate is not from this site's CA: {cause.verify_message}",
                    url=self.base_url,
                ) from exc
            cause = cause.__cause__ or cause.__context__
        error = ServerUnreachableError(
            f"no answer from {self.base_url}: {type(exc).__name__}", url=self.base_url
        )
        error.__cause__ = exc
        return error


def _refusal(response: httpx.Response) -> ServerRefusedError:
    code, message = "http_error", f"the server answered {response.status_code}"
    extra: dict[str, int] = {}
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        code = str(error.get("code") or code)
        message = str(error.get("message") or message)
        for name in ("attempts_left", "retry_after_s"):
            value = error.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                extra[name] = value
    kind = BY_CODE.get(code)
    if kind is None:
        kind = ServerBusyError if response.status_code == 503 else ServerRefusedError
    return kind(message, status=response.status_code, code=code, **extra)
