"""The countdown: the server's remaining time, carried forward on this PC's monotonic clock.

The server owns time. Each reply that carries ``remaining_s`` (login, status,
heartbeat) resets the countdown; between them, and while the network is gone,
it counts down on ``time.monotonic`` (which no one can set back). A pause from
the proctor stops it. Reaching zero here is a reason to ask the server, not a
verdict: ``ExamSession`` submits only when the server agrees the time is over.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from collections.abc import Callable

#: Under these many seconds the countdown turns amber, then red.
AMBER_S = 15 * 60
RED_S = 5 * 60


class Urgency(enum.Enum):
    CALM = "calm"
    AMBER = "amber"
    RED = "red"


class Countdown:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._lock = threading.Lock()
        self._remaining = 0.0
        self._at = monotonic()
        self._paused = False
        self._synced = False

    def sync(self, remaining_s: float, *, paused: bool = False) -> None:
        with self._lock:
            self._remaining = max(0.0, float(remaining_s))
            self._at = self._now()
            self._paused = paused
            self._synced = True

    @property
    def synced(self) -> bool:
        return self._synced

    @property
    def paused(self) -> bool:
        return self._paused

    def remaining_s(self) -> float:
        with self._lock:
            if self._paused:
                return self._remaining
            return max(0.0, self._remaining - (self._now() - self._at))

    def expired(self) -> bool:
        return self._synced and self.remaining_s() <= 0

    def urgency(self) -> Urgency:
        left = self.remaining_s()
        if left <= RED_S:
            return Urgency.RED
        if left <= AMBER_S:
            return Urgency.AMBER
        return Urgency.CALM


def hms(seconds: float) -> str:
    """``01:39:58`` (rounded up, so ``00:00:00`` shows only when time is truly over)."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
