"""The server's clock rules for an attempt.

deadline = start + duration (with the candidate's accommodation) + extensions,
and while paused the clock stands still: resuming pushes the deadline by the
length of the pause. A station's own clock never enters these sums.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AttemptClock:
    state: str
    started_ms: int | None
    deadline_ms: int | None
    paused_ms: int | None
    duration_s: int
    extended_s: int

    def effective_deadline(self, now_ms: int) -> int | None:
        if self.deadline_ms is None:
            return None
        if self.paused_ms is not None:
            return self.deadline_ms + (now_ms - self.paused_ms)
        return self.deadline_ms

    def remaining_s(self, now_ms: int) -> int:
        if self.state == "submitted":
            return 0
        deadline = self.effective_deadline(now_ms)
        if deadline is None:  # not started: the whole time is ahead
            return self.duration_s + self.extended_s
        return max(0, (deadline - now_ms) // 1000)

    def time_over(self, now_ms: int, grace_s: int) -> bool:
        deadline = self.effective_deadline(now_ms)
        return deadline is not None and now_ms > deadline + grace_s * 1000
