"""One place that turns errors into HTTP replies: ``{"error": {"code", "message", ...}}``.

Expected failures get a 4xx (or 503) with one sentence a person can act on;
anything else is a bug, logged with its traceback and answered with a plain
500 that reveals nothing.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cbt_server import errors as e
from question_bank.errors import QuestionBankError, WrongPassphraseError
from scoring import ScoringError

log = logging.getLogger("cbt_server.api")

STATUS: list[tuple[type[e.ServerError], int]] = [
    (e.WrongPinError, 401),
    (e.CandidateLockedError, 423),
    (e.WrongSessionTokenError, 403),
    (e.AuthenticationError, 401),
    (e.ForbiddenError, 403),
    (e.NotFoundError, 404),
    (e.SeatInUseError, 409),
    (e.SessionNotOpenError, 409),
    (e.TimeOverError, 409),
    (e.ConflictError, 409),
    (e.InvalidInputError, 422),
    (e.TooManyRequestsError, 429),
    (e.BankUnavailableError, 503),
    (e.StorageUnavailableError, 503),
    (e.ConfigurationError, 500),
]


def status_of(exc: e.ServerError) -> int:
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def reply(exc: e.ServerError) -> JSONResponse:
    extra: dict[str, object] = {}
    headers: dict[str, str] = {}
    for name in ("retry_after_s", "attempts_left"):
        value = getattr(exc, name, None)
        if value is not None:
            extra[name] = value
    if "retry_after_s" in extra:
        headers["Retry-After"] = str(extra["retry_after_s"])
    return JSONResponse(
        error_body(exc.code, exc.message, **extra), status_code=status_of(exc), headers=headers
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(e.ServerError)
    async def server_error(_request: Request, exc: e.ServerError) -> JSONResponse:
        return reply(exc)

    @app.exception_handler(WrongPassphraseError)
    async def wrong_passphrase(_request: Request, exc: WrongPassphraseError) -> JSONResponse:
        return JSONResponse(error_body("wrong_passphrase", str(exc)), status_code=403)

    @app.exception_handler(QuestionBankError)
    async def bank_error(_request: Request, exc: QuestionBankError) -> JSONResponse:
        return JSONResponse(error_body("bank_error", str(exc)), status_code=422)

    @app.exception_handler(ScoringError)
    async def scoring_error(_request: Request, exc: ScoringError) -> JSONResponse:
        return JSONResponse(error_body("scoring_error", str(exc)), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            body = error_body("invalid_input", "the request body is not valid JSON")
            return JSONResponse(body, status_code=400)
        for err in exc.errors()[:10]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
        return JSONResponse(
            error_body("invalid_input", "the request is not valid: " + "; ".join(problems)),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def bug(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            error_body("internal", "the server hit an unexpected problem; it has been logged"),
            status_code=500,
        )
