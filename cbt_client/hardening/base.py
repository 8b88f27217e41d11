"""The hardening interface; this class itself does nothing (other systems, practice mode)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about this PC the proctor should know: an incident ``kind`` and ``detail``.

    ``blocks_start``: the station must not start a real exam on this PC (it says why to
    the candidate and reports it to the proctor after the login); otherwise the finding
    is only reported.
    """

    kind: str
    detail: str
    blocks_start: bool = False


class Hardening:
    """No-op hardening: every method is safe to call anywhere."""

    name = "none"

    def start(self) -> None:
        """Install system hooks (Windows: the keyboard hook thread)."""

    def stop(self) -> None:
        """Remove them; safe to call twice."""

    def protect_window(self, handle: int) -> bool:
        """Keep a top-level window out of screen captures; True if the system did it."""
        return False

    def findings(self) -> list[Finding]:
        """What is wrong with this PC for an exam (remote session, no kiosk)."""
        return []
