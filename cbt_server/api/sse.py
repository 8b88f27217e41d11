"""Server-Sent Events: a snapshot first, then the live feed's frames, with keep-alives."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

from fastapi import Request
from fastapi.responses import StreamingResponse

from cbt_server.services.live_feed import LiveFeed

KEEPALIVE_S = 15


def _event(name: str, data: object, event_id: int | None = None) -> bytes:
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode()


def stream(
    request: Request, feed: LiveFeed, channel: str, snapshot: Callable[[], object]
) -> StreamingResponse:
    # Subscribe before taking the snapshot, so no frame falls between the two.
    sub = feed.subscribe(channel)

    async def events() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 2000\n\n"
            yield _event("snapshot", await asyncio.to_thread(snapshot))
            while True:
                try:
                    frame = await asyncio.wait_for(sub.queue.get(), timeout=KEEPALIVE_S)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield b": keep-alive\n\n"
                    continue
                if frame is None:  # dropped (too slow) or shutting down: reconnect
                    return
                seq = frame.get("seq")
                yield _event("frame", frame, seq if isinstance(seq, int) else None)
        finally:
            feed.unsubscribe(sub)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
