"""Live events across server workers through PostgreSQL LISTEN/NOTIFY.

With several workers over one PostgreSQL database, a score committed in one
worker must reach display connections held by another, and a heartbeat
received by one must show on a proctor console served by another. Each worker
NOTIFYs what it publishes on one channel and LISTENs on a connection of its
own; it ignores its own messages and hands the rest to its local live feed
and presence registry. SQLite sites run one worker and need none of this.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid

import psycopg

from cbt_server.services.live_feed import LiveFeed
from cbt_server.services.presence import Presence, Seen

log = logging.getLogger("cbt_server.relay")
CHANNEL = "cbt_live"
#: PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more.
MAX_PAYLOAD = 7900


def libpq_dsn(url: str) -> str:
    """A psycopg connection string from a SQLAlchemy URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class PgRelay:
    def __init__(self, url: str, feed: LiveFeed, presence: Presence) -> None:
        self.dsn = libpq_dsn(url)
        self.feed, self.presence = feed, presence
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._send_lock = threading.Lock()
        self._sender: psycopg.Connection[tuple[object, ...]] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.received = 0

    def start(self) -> None:
        """Listen in a thread of its own and route this worker's publications out."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, args=(ready,), name="pg-relay", daemon=True
        )
        self._thread.start()
        ready.wait(timeout=10)
        self.feed.relay = self._send_event
        self.presence.relay = self._send_presence

    def stop(self) -> None:
        self.feed.relay = None
        self.presence.relay = None
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._send_lock:
            if self._sender is not None:
                self._sender.close()
                self._sender = None

    def _send_event(self, channel: str, event: dict[str, object]) -> None:
        self._send({"kind": "event", "channel": channel, "event": event})

    def _send_presence(self, attempt_id: int, seen: Seen) -> None:
        self._send(
            {
                "kind": "presence",
                "attempt": attempt_id,
                "at_ms": seen.at_ms,
                "workstation": seen.workstation,
                "answered": seen.answered,
            }
        )

    def _send(self, message: dict[str, object]) -> None:
        payload = json.dumps(
            {"origin": self.origin, **message}, ensure_ascii=False, separators=(",", ":")
        )
        if len(payload.encode()) > MAX_PAYLOAD:
            log.warning("a live event too large to relay was kept to this worker")
            return
        try:
            with self._send_lock:
                if self._sender is None or self._sender.closed:
                    self._sender = psycopg.connect(self.dsn, autocommit=True)
                self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        except psycopg.Error as exc:  # the local viewers still got it; log and go on
            log.warning("relaying a live event failed: %s", exc)
            with self._send_lock:
                self._sender = None

    def _listen(self, ready: threading.Event) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5, stop_after=1000):
                            self._deliver(note.payload)
            except psycopg.Error as exc:
                log.warning("the live relay lost its database connection: %s", exc)
                ready.set()
                self._stop.wait(1.0)

    def _deliver(self, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("origin") == self.origin:
            return
        self.received += 1
        if message.get("kind") == "event" and isinstance(message.get("event"), dict):
            self.feed.publish_local(str(message["channel"]), message["event"])
        elif message.get("kind") == "presence":
            self.presence.heard_elsewhere(
                int(message["attempt"]),
                Seen(int(message["at_ms"]), str(message["workstation"]), int(message["answered"])),
            )
