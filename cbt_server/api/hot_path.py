"""The hot requests, served straight from ASGI.

Saving answers is most of an exam day's traffic (a thousand stations, every
change), submitting comes all at once (a thousand candidates in the last
second), and the public live streams are held open all day by hundreds of
displays. This module is the one implementation of ``POST
/api/v1/candidate/answers`` (``save_answers``) and ``POST
/api/v1/candidate/submit`` (``submit_exam``); :class:`FastPath` serves them, and
the public event streams, without the framework's routing and dependency
machinery (which costs more than a save itself, and which a stream would hold
for its whole life). The FastAPI routes call the same functions and exist so the
endpoints are documented in the OpenAPI schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbt_server.api import public
from cbt_server.api.errors import error_body, reply
from cbt_server.api.models import AnswerBatch
from cbt_server.api.sse import EventStream
from cbt_server.errors import AuthenticationError, ServerError
from cbt_server.runtime import Runtime
from cbt_server.services.public_board import PublicBoard
from cbt_server.services.scoring_desk import ScoredAttempt

ANSWERS = "/api/v1/candidate/answers"
SUBMIT = "/api/v1/candidate/submit"


async def save_answers(rt: Runtime, token: str | None, batch: AnswerBatch) -> dict[str, object]:
    """Validate, queue and await the durable commit of a batch of answer changes.

    The attempt comes from a short-lived cache (a database read only on a miss,
    off the event loop); the writer re-checks the token in the committing
    transaction, so a released seat's token cannot save even while cached.
    """
    if not token:
        raise AuthenticationError("sign in first")
    ctx = await rt.candidates.writable_context(token)
    changes = rt.candidates.check_save(ctx, [c.model_dump() for c in batch.changes])
    acked = await rt.writer.save(ctx.attempt_id, changes, token_hash=ctx.token_hash)
    return {"acked_seq": acked}


async def submit_exam(rt: Runtime, token: str | None) -> dict[str, object]:
    """Score and store the candidate's attempt now; a repeat returns the same record.

    As for saves, the attempt may come from the cache: the submitter re-checks the
    token in its transaction.
    """
    if not token:
        raise AuthenticationError("sign in first")
    ctx = await rt.candidates.writable_context(token)
    scored = await rt.scoring.submit_async(
        ctx.attempt_id,
        by="candidate",
        actor=f"candidate:{ctx.number}",
        token_hash=ctx.token_hash,
    )
    return result_body(scored)


def result_body(scored: ScoredAttempt) -> dict[str, object]:
    """What the station is told of its scored attempt (submit and result)."""
    return {"slip": scored.slip_code, "scored_ms": scored.scored_ms, "report": scored.report}


async def _answers(rt: Runtime, token: str | None, body: bytes) -> dict[str, object]:
    return await save_answers(rt, token, AnswerBatch.model_validate_json(body))


async def _submit(rt: Runtime, token: str | None, _body: bytes) -> dict[str, object]:
    return await submit_exam(rt, token)


_Handler = Callable[[Runtime, "str | None", bytes], Awaitable[dict[str, object]]]
_POSTS: dict[str, _Handler] = {ANSWERS: _answers, SUBMIT: _submit}
_Stream = Callable[[Runtime, PublicBoard, "re.Match[str]"], EventStream]
_STREAMS: list[tuple[re.Pattern[str], _Stream]] = [
    (
        re.compile(r"/api/v1/public/sessions/([^/]+)/events"),
        lambda rt, board, m: public.session_stream(rt, board, m.group(1)),
    ),
    (
        re.compile(r"/api/v1/public/site/events"),
        lambda rt, board, _m: public.site_stream(rt, board),
    ),
]


class FastPath:
    """ASGI middleware answering saves, submits and the public live streams itself."""

    def __init__(self, app: ASGIApp, rt: Runtime, board: PublicBoard, limit: int) -> None:
        self.app, self.rt, self.board, self.limit = app, rt, board, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            for pattern, stream in _STREAMS:
                found = pattern.fullmatch(scope["path"])
                if found is not None:
                    await stream(self.rt, self.board, found)(scope, receive, send)
                    return
        handler = (
            _POSTS.get(scope["path"])
            if scope["type"] == "http" and scope["method"] == "POST"
            else None
        )
        if handler is None:
            await self.app(scope, receive, send)
            return
        token = None
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                token = value[7:].decode("latin-1").strip()
        body = bytearray()
        while True:
            message: Message = await receive()
            body += message.get("body", b"")
            if len(body) > self.limit:
                await _reply(
                    send,
                    413,
                    error_body("too_large", f"the request body is larger than {self.limit} bytes"),
                )
                return
            if not message.get("more_body"):
                break
        try:
            answer = await handler(self.rt, token, bytes(body))
        except ValidationError as exc:
            code, message_text = _invalid(exc)
            await _reply(send, code, error_body("invalid_input", message_text))
            return
        except ServerError as exc:
            await reply(exc)(scope, receive, send)
            return
        await _reply(send, 200, answer)


def _invalid(exc: ValidationError) -> tuple[int, str]:
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):
        return 400, "the request body is not valid JSON"
    problems = [
        f"{'.'.join(str(p) for p in err.get('loc', ())) or 'body'}: {err.get('msg', 'invalid')}"
        for err in errors[:10]
    ]
    return 422, "the request is not valid: " + "; ".join(problems)


async def _reply(send: Send, status: int, data: dict[str, object]) -> None:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
