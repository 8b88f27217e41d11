"""Server-Sent Events: a snapshot first, then the live feed's frames, with keep-alives.

A display stays connected all day, and a site may have hundreds, so a connection
costs as little as we can make it: :class:`EventStream` is one coroutine per
connection (no task group, no per-wait task — a timer puts a keep-alive marker in
the subscription's queue), and a frame is encoded once for all its subscribers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import OrderedDict
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from cbt_server.api.errors import reply
from cbt_server.errors import ServerError
from cbt_server.services.live_feed import LiveFeed, Subscription

KEEPALIVE_S = 15
#: A marker the keep-alive timer puts in a subscription's queue.
KEEPALIVE: dict[str, object] = {}
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),
]

#: Recently encoded frames, by identity (the frame is kept, so its id is not reused):
#: every display of a channel is sent the same bytes.
_encoded: OrderedDict[int, tuple[dict[str, object], bytes]] = OrderedDict()
_ENCODED_KEPT = 256


def _event(name: str, data: object, event_id: int | None = None) -> bytes:
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode()


def _frame_bytes(frame: dict[str, object]) -> bytes:
    found = _encoded.get(id(frame))
    if found is not None and found[0] is frame:
        return found[1]
    seq = frame.get("seq")
    data = _event("frame", frame, seq if isinstance(seq, int) else None)
    _encoded[id(frame)] = (frame, data)
    if len(_encoded) > _ENCODED_KEPT:
        _encoded.popitem(last=False)
    return data


class EventStream(Response):
    """The stream of one channel of ``feed``, opened by ``snapshot``'s current state."""

    media_type = "text/event-stream"

    def __init__(self, feed: LiveFeed, channel: str, snapshot: Callable[[], object]) -> None:
        # Not Response.__init__: there is no body to render and no length to send.
        self.status_code = 200
        self.background = None
        self.raw_headers = list(HEADERS)
        self._feed, self._channel, self._snapshot = feed, channel, snapshot
        # Subscribe before taking the snapshot, so no frame falls between the two.
        self._sub = feed.subscribe(channel)

    def _opening(self) -> bytes:
        """The first bytes of the stream (shared by viewers joining together)."""
        return self._feed.opening(
            self._channel, lambda: b"retry: 2000\n\n" + _event("snapshot", self._snapshot())
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sub = self._sub
        loop = asyncio.get_running_loop()
        timer: asyncio.TimerHandle | None = None
        started = False
        try:
            try:  # off the loop, and before the 200: an unknown session is a 404
                opening = await asyncio.to_thread(self._opening)
            except ServerError as exc:
                await reply(exc)(scope, receive, send)
                return
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            started = True
            await _body(send, opening)
            del opening  # a full session's snapshot must not stay with every display all day
            while True:
                timer = loop.call_later(KEEPALIVE_S, _mark, sub)
                frame = await sub.queue.get()
                timer.cancel()
                if frame is KEEPALIVE:
                    if await _gone(receive):
                        return
                    await _body(send, b": keep-alive\n\n")
                elif frame is None:  # dropped (too slow) or shutting down: reconnect
                    return
                else:
                    await _body(send, _frame_bytes(frame))
        except asyncio.CancelledError:
            # Only the server cancels a stream: it is stopping, and the displays still
            # open when its grace period ran out end here (their pages reconnect to the
            # next server). An expected end, so no "Exception in ASGI application".
            return
        finally:
            if timer is not None:
                timer.cancel()
            self._feed.unsubscribe(sub)
            if started:
                with contextlib.suppress(Exception):  # the client may be gone already
                    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _mark(sub: Subscription) -> None:
    with contextlib.suppress(asyncio.QueueFull):  # a full queue is woken anyway
        sub.queue.put_nowait(KEEPALIVE)


async def _body(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _gone(receive: Receive) -> bool:
    """Whether the client hung up (the server then answers receive() at once)."""
    try:
        message = await asyncio.wait_for(receive(), timeout=0.01)
    except TimeoutError:
        return False
    return message.get("type") == "http.disconnect"


def stream(feed: LiveFeed, channel: str, snapshot: Callable[[], object]) -> EventStream:
    return EventStream(feed, channel, snapshot)
