"""Which stations were heard from when: live state kept in memory, never stored.

After a server restart every station is "not seen" until its next heartbeat,
a few seconds later; nothing of value is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Seen:
    at_ms: int
    workstation: str
    answered: int


class Presence:
    def __init__(self) -> None:
        self._seen: dict[int, Seen] = {}
        self._lock = threading.Lock()
        #: Sends each heartbeat to the other workers (see services/relay.py).
        self.relay: Callable[[int, Seen], None] | None = None

    def heard(self, attempt_id: int, at_ms: int, workstation: str, answered: int) -> None:
        seen = Seen(at_ms, workstation, answered)
        self.heard_elsewhere(attempt_id, seen)
        if self.relay is not None:
            self.relay(attempt_id, seen)

    def heard_elsewhere(self, attempt_id: int, seen: Seen) -> None:
        """Record a heartbeat another worker received."""
        with self._lock:
            current = self._seen.get(attempt_id)
            if current is None or current.at_ms <= seen.at_ms:
                self._seen[attempt_id] = seen

    def last(self, attempt_id: int) -> Seen | None:
        with self._lock:
            return self._seen.get(attempt_id)

    def forget(self, attempt_id: int) -> None:
        with self._lock:
            self._seen.pop(attempt_id, None)
