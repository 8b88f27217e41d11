"""What the station's app-level lockdown allows: the decisions, without Qt.

The Qt face (``ui/lockdown.py``) describes each key press as a ``KeyCombo``
and asks ``Lockdown.blocks``; it asks ``may_close`` before letting the window
close and ``incident_for`` when the desktop changes under it. What an app
cannot stop (Alt+Tab, Ctrl+Alt+Del, the Windows key, another program) is left
to the operating system's kiosk and to ``cbt_client.hardening``; see
docs/client.md for the layers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cbt_client.config import exit_code_matches
from cbt_client.session import Phase


@dataclass(frozen=True, slots=True)
class KeyCombo:
    """A key press: the key's name (``"C"``, ``"F4"``, ``"Escape"``, ``"Plus"``) and modifiers."""

    key: str
    ctrl: bool = False
    alt: bool = False
    shift: bool = False
    meta: bool = False

    def __str__(self) -> str:
        mods = [
            m
            for m, on in (
                ("Ctrl", self.ctrl),
                ("Alt", self.alt),
                ("Shift", self.shift),
                ("Meta", self.meta),
            )
            if on
        ]
        return "+".join([*mods, self.key])


#: Shortcuts the station swallows during lockdown: clipboard, select-all, print, find,
#: save, zoom (except our own font keys), window and application switching the app can see.
BLOCKED: frozenset[KeyCombo] = frozenset(
    {
        KeyCombo("C", ctrl=True),
        KeyCombo("C", ctrl=True, shift=True),
        KeyCombo("Insert", ctrl=True),
        KeyCombo("V", ctrl=True),
        KeyCombo("V", ctrl=True, shift=True),
        KeyCombo("Insert", shift=True),
        KeyCombo("X", ctrl=True),
        KeyCombo("Delete", shift=True),
        KeyCombo("A", ctrl=True),
        KeyCombo("P", ctrl=True),
        KeyCombo("P", ctrl=True, shift=True),
        KeyCombo("Print"),
        KeyCombo("Print", alt=True),
        KeyCombo("Print", shift=True),
        KeyCombo("Print", ctrl=True),
        KeyCombo("S", ctrl=True),
        KeyCombo("F", ctrl=True),
        KeyCombo("0", ctrl=True),
        KeyCombo("F4", alt=True),
        KeyCombo("F4", ctrl=True),
        KeyCombo("W", ctrl=True),
        KeyCombo("Q", ctrl=True),
        KeyCombo("Tab", alt=True),
        KeyCombo("Tab", alt=True, shift=True),
        KeyCombo("Escape", ctrl=True),
        KeyCombo("Escape", alt=True),
        KeyCombo("Escape"),
        KeyCombo("F11"),
        KeyCombo("Menu"),
        KeyCombo("F10", shift=True),
    }
)

#: Our own font-size keys (Ctrl + / Ctrl -), which pass even though they look like zoom.
OWN_ZOOM: frozenset[KeyCombo] = frozenset(
    {
        KeyCombo("Plus", ctrl=True),
        KeyCombo("Plus", ctrl=True, shift=True),
        KeyCombo("Equal", ctrl=True),
        KeyCombo("Minus", ctrl=True),
    }
)

#: The proctor's way out: opens the exit-code prompt at any phase.
PROCTOR_EXIT = KeyCombo("F12", ctrl=True, alt=True, shift=True)


class Incident(enum.Enum):
    """What the station reports to the server (the server's incident kinds)."""

    FOCUS_LOST = "focus_lost"
    SCREEN_ADDED = "screen_added"
    MULTIPLE_SCREENS = "multiple_screens"
    REMOTE_SESSION = "remote_session"
    NOT_IN_KIOSK = "not_in_kiosk"
    OTHER = "other"


#: Phases during which the desktop is watched and the window cannot be left.
GUARDED = frozenset(
    {
        Phase.CONNECT,
        Phase.LOGIN,
        Phase.IDENTITY,
        Phase.INSTRUCTIONS,
        Phase.EXAM,
        Phase.FINISH,
        Phase.TIME_OVER,
        Phase.LOCKED,
    }
)
#: Phases during which focus loss and new screens are violations worth reporting.
WATCHED = frozenset({Phase.EXAM, Phase.FINISH, Phase.LOCKED, Phase.TIME_OVER, Phase.INSTRUCTIONS})


@dataclass(frozen=True, slots=True)
class Lockdown:
    """The station's lockdown rules; ``enforced`` is False in practice mode."""

    enforced: bool = True
    exit_code_hash: str | None = None

    def blocks(self, combo: KeyCombo) -> bool:
        """Whether a key press is swallowed before any widget sees it."""
        if not self.enforced or combo in OWN_ZOOM or combo == PROCTOR_EXIT:
            return False
        if combo.meta:
            return True  # the Windows/Super key with anything: never ours
        return combo in BLOCKED

    def blocks_wheel_zoom(self, *, ctrl: bool) -> bool:
        return self.enforced and ctrl

    def may_close(self, phase: Phase) -> bool:
        """Whether the window may close now (without the proctor's exit code)."""
        return not self.enforced or phase not in GUARDED

    def exit_code_matches(self, code: str) -> bool:
        return self.exit_code_hash is not None and exit_code_matches(self.exit_code_hash, code)

    def clears_clipboard(self) -> bool:
        return self.enforced

    def incident_for_focus_loss(self, phase: Phase) -> Incident | None:
        return Incident.FOCUS_LOST if self.enforced and phase in WATCHED else None

    def incident_for_screens(self, count: int, *, added: bool) -> Incident | None:
        """A screen plugged in during the exam, or more than one at start."""
        if not self.enforced:
            return None
        if added:
            return Incident.SCREEN_ADDED
        return Incident.MULTIPLE_SCREENS if count > 1 else None
