"""The live feed: changes coalesced into frames, a few per second, for every viewer.

Publishers (any thread) add events to a channel's pending list; one task per
process turns each channel's pending events into a single frame every
``1 / frames_per_s`` seconds and hands it to every subscriber's queue. A
viewer that falls behind (its queue full) is dropped; its browser reconnects
by itself and starts again from a fresh snapshot, so nothing is ever shown
out of order. Channels: ``session:<code>`` and ``site`` (public), and
``proctor:<code>`` (staff only).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

QUEUE_FRAMES = 64
#: How long viewers joining together may share one opening snapshot (its clock and
#: counters are at most this old; any published event ends the sharing at once).
OPENING_MAX_AGE_S = 1.0
Frame = dict[str, object]


class FrameQueue:
    """A bounded queue with one reader, for the event loop's thread only.

    Hundreds of displays each hold one all day: an ``asyncio.Queue`` costs four
    deques and an Event (about 3 KiB) where a list and one future will do.
    """

    __slots__ = ("_items", "_waiter", "maxsize")

    def __init__(self, maxsize: int = QUEUE_FRAMES) -> None:
        self._items: list[Frame | None] = []
        self._waiter: asyncio.Future[None] | None = None
        self.maxsize = maxsize

    def put_nowait(self, item: Frame | None) -> None:
        if len(self._items) >= self.maxsize:
            raise asyncio.QueueFull
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def close(self) -> None:
        """End the stream now: the reader's next ``get`` returns None (reconnect).

        Frames still queued are discarded: a viewer that reconnects starts from a
        fresh snapshot, and a full queue must still be able to say it has ended.
        """
        self._items = [None]
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def get_nowait(self) -> Frame | None:
        if not self._items:
            raise asyncio.QueueEmpty
        return self._items.pop(0)

    async def get(self) -> Frame | None:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items


@dataclass(eq=False, slots=True)
class Subscription:
    channel: str
    queue: FrameQueue = field(default_factory=FrameQueue)
    dropped: bool = False


class LiveFeed:
    def __init__(self, frames_per_s: float = 4.0) -> None:
        self.interval = 1.0 / frames_per_s
        self._pending: dict[str, list[dict[str, object]]] = {}
        self._subscribers: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._seq = 0
        self._task: asyncio.Task[None] | None = None
        #: Called with (channel, events) as frames go out (benchmarks watch it).
        self.on_frame: Callable[[str, list[dict[str, object]]], None] | None = None
        #: Sends each published event to the other workers (see services/relay.py).
        self.relay: Callable[[str, dict[str, object]], None] | None = None
        self.frames_sent = 0
        #: Events published per channel, and each channel's last opening snapshot
        #: with the count it was taken at (see :meth:`opening`).
        self._versions: dict[str, int] = {}
        self._openings: dict[str, tuple[int, float, bytes]] = {}
        self.opening_max_age_s = OPENING_MAX_AGE_S

    # publishers -----------------------------------------------------------

    def publish(self, channel: str, event: dict[str, object]) -> None:
        event.setdefault("at_ms", time.time_ns() // 1_000_000)
        self.publish_local(channel, event)
        if self.relay is not None:  # other server workers' viewers see it too
            self.relay(channel, event)

    def publish_local(self, channel: str, event: dict[str, object]) -> None:
        """Queue an event for this process's viewers only (what a relay delivers)."""
        with self._lock:
            self._pending.setdefault(channel, []).append(event)
            self._versions[channel] = self._versions.get(channel, 0) + 1

    # subscribers ----------------------------------------------------------

    def subscribe(self, channel: str) -> Subscription:
        sub = Subscription(channel)
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subscribers.get(sub.channel, set()).discard(sub)

    def opening(self, channel: str, make: Callable[[], bytes]) -> bytes:
        """What a new viewer of ``channel`` is sent first (call after subscribing).

        ``make()`` reads and encodes the snapshot. Viewers who join within
        ``opening_max_age_s`` of each other while nothing was published on the channel
        share one: after a server restart every display reconnects at once, and five
        hundred identical snapshots would be five hundred database reads. Sharing is
        safe because an event published after the shared snapshot was begun changes
        the count, so the next viewer takes a fresh one; anything later reaches the
        viewer's queue, as it subscribed first.
        """
        with self._lock:
            version = self._versions.get(channel, 0)
            cached = self._openings.get(channel)
        now = time.monotonic()
        if cached is not None and cached[0] == version and now - cached[1] < self.opening_max_age_s:
            return cached[2]
        data = make()
        with self._lock:
            self._openings[channel] = (version, now, data)
        return data

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subscribers.values())

    # the frame loop ---------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="live-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with self._lock:
            subs = [s for group in self._subscribers.values() for s in group]
        for sub in subs:
            self._close(sub)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.flush()

    def flush(self) -> None:
        """Send one frame per channel with pending events (the loop calls this)."""
        with self._lock:
            pending, self._pending = self._pending, {}
            targets = {ch: list(self._subscribers.get(ch, ())) for ch in pending}
        for channel, events in pending.items():
            self._seq += 1
            frame: dict[str, object] = {"seq": self._seq, "channel": channel, "events": events}
            for sub in targets[channel]:
                try:
                    sub.queue.put_nowait(frame)
                except asyncio.QueueFull:
                    sub.dropped = True
                    self.unsubscribe(sub)
                    self._close(sub)
            self.frames_sent += 1
            if self.on_frame is not None:
                self.on_frame(channel, events)

    @staticmethod
    def _close(sub: Subscription) -> None:
        sub.queue.close()


def masked_name(name: str) -> str:
    """ "Budi Santoso" -> "B*** S******": enough to recognise oneself, not to identify."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)


def shown_name(name: str, privacy: str) -> str | None:
    if privacy == "full":
        return name
    if privacy == "masked":
        return masked_name(name)
    return None
