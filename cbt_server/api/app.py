"""The ASGI application: ``create_app(runtime)`` builds it; nothing is built at import."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbt_server import web
from cbt_server.api import admin, candidate, errors, proctor, public, reports, web_data
from cbt_server.api.hot_path import FastPath
from cbt_server.runtime import Runtime
from cbt_server.services.public_board import ComplaintDesk, PublicBoard

#: Worker threads for the blocking (database) handlers.
THREADS = 8


class BodyLimit:
    """Refuse request bodies over the limit with 413 before they are read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await _too_large(send, self.limit)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeError:
            await _too_large(send, self.limit)


class _TooLargeError(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = (
        b'{"error":{"code":"too_large","message":"the request body is larger than '
        + str(limit).encode()
        + b' bytes"}}'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(rt: Runtime, *, background: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Few worker threads: the handlers are short and mostly CPU (GIL-bound), and
        # dozens of runnable threads only make each wait longer for the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        if background:
            rt.start_background()
        rt.feed.start()
        try:
            yield
        finally:
            await rt.feed.stop()
            if background:
                rt.stop_background()

    app = FastAPI(
        title="CBT Station server",
        version="1",
        description="The LAN server of a CBT Station test site. See docs/api.md.",
        lifespan=lifespan,
    )
    app.state.runtime = rt
    app.state.board = board = PublicBoard(rt)
    app.state.complaints = ComplaintDesk(rt.db, rt.clock)
    errors.install(app)

    @app.get("/api/v1/health", tags=["public"])
    async def health() -> dict[str, object]:
        """Cheap liveness check for stations and monitoring: no database, no data."""
        return {"ok": True, "server_time_ms": rt.clock.now_ms(), "worker": os.getpid()}

    for router in (
        candidate.router,
        proctor.router,
        public.router,
        admin.router,
        reports.router,
        web_data.router,
        web.router,
    ):
        app.include_router(router)
    app.mount("/static", web.static_files(), name="static")
    app.add_middleware(BodyLimit, limit=rt.settings.max_body_bytes)
    # Outermost: saves, submits and public live streams skip the framework (hot_path.py).
    app.add_middleware(FastPath, rt=rt, board=board, limit=rt.settings.max_body_bytes)
    return app
