"""Which stations were heard from when: live state kept in memory, never stored.

After a server restart every station is "not seen" until its next heartbeat,
a few seconds later; nothing of value is lost.
"""

from __future__ import annotations

import threading
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

    def heard(self, attempt_id: int, at_ms: int, workstation: str, answered: int) -> None:
        with self._lock:
            self._seen[attempt_id] = Seen(at_ms, workstation, answered)

    def last(self, attempt_id: int) -> Seen | None:
        with self._lock:
            return self._seen.get(attempt_id)

    def forget(self, attempt_id: int) -> None:
        with self._lock:
            self._seen.pop(attempt_id, None)
