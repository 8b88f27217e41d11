"""The answer-save hot path, served straight from ASGI.

Saving answers is most of an exam day's traffic (a thousand stations, every
change). This module is the one implementation of ``POST
/api/v1/candidate/answers``: ``save_answers`` does the work; ``AnswerFastPath``
serves it without the framework's routing and dependency machinery (which cost
more than the save itself); the FastAPI route in ``candidate.py`` calls the same
function and exists so the endpoint is documented in the OpenAPI schema.
"""

from __future__ import annotations

import asyncio
import json

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbt_server.api.errors import error_body, status_of
from cbt_server.api.models import AnswerBatch
from cbt_server.errors import AuthenticationError, ServerError
from cbt_server.runtime import Runtime
from cbt_server.services.candidate_desk import token_hash

PATH = "/api/v1/candidate/answers"


async def save_answers(rt: Runtime, token: str | None, batch: AnswerBatch) -> dict[str, object]:
    """Validate, queue and await the durable commit of a batch of answer changes.

    The attempt comes from a short-lived cache (a database read only on a miss,
    off the event loop); the writer re-checks the token in the committing
    transaction, so a released seat's token cannot save even while cached.
    """
    if not token:
        raise AuthenticationError("sign in first")
    ctx = rt.candidates.cached_context(token)
    if ctx is None:
        ctx = await asyncio.to_thread(rt.candidates.context_for_save, token)
    changes = rt.candidates.check_save(ctx, [c.model_dump() for c in batch.changes])
    acked = await rt.writer.save(ctx.attempt_id, changes, token_hash=token_hash(token))
    return {"acked_seq": acked}


class AnswerFastPath:
    """ASGI middleware answering ``POST /api/v1/candidate/answers`` itself."""

    def __init__(self, app: ASGIApp, rt: Runtime, limit: int) -> None:
        self.app, self.rt, self.limit = app, rt, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
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
            batch = AnswerBatch.model_validate_json(bytes(body))
        except ValidationError as exc:
            code, message_text = _invalid(exc)
            await _reply(send, code, error_body("invalid_input", message_text))
            return
        try:
            reply = await save_answers(self.rt, token, batch)
        except ServerError as exc:
            await _reply(send, status_of(exc), error_body(exc.code, exc.message))
            return
        await _reply(send, 200, reply)


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
