"""Linux: is the station running inside a kiosk compositor?

``packaging/`` runs the station as the only client of ``cage`` (a Wayland
kiosk compositor) under systemd: no desktop, no other window, no way out.
The station checks that: a Wayland display must be set and ``cage`` (or
another known kiosk compositor) must be among its ancestor processes, or
named in ``XDG_CURRENT_DESKTOP``. Nothing else is done here: a kiosk
compositor already owns the keyboard and the screen.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from cbt_client.hardening.base import Finding, Hardening

KIOSK_COMPOSITORS = frozenset({"cage", "gamescope", "kiosk-shell", "phoc-kiosk"})


def ancestors(pid: int, proc: Path = Path("/proc"), limit: int = 32) -> list[str]:
    """Process names from ``pid``'s parent up to init (empty where /proc cannot tell)."""
    names: list[str] = []
    for _ in range(limit):
        try:
            stat = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            break
        # "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) < 2 or not fields[1].isdigit():
            break
        pid = int(fields[1])
        if pid <= 1:
            break
        try:
            names.append((proc / str(pid) / "comm").read_text(encoding="utf-8").strip())
        except OSError:
            break
    return names


def kiosk_compositor(
    environ: Mapping[str, str], *, pid: int | None = None, proc: Path = Path("/proc")
) -> str | None:
    """The kiosk compositor this process runs under, or None."""
    desktop = environ.get("XDG_CURRENT_DESKTOP", "").lower()
    for name in KIOSK_COMPOSITORS:
        if name in desktop.split(":"):
            return name
    if not environ.get("WAYLAND_DISPLAY"):
        return None
    for name in ancestors(os.getpid() if pid is None else pid, proc):
        if name in KIOSK_COMPOSITORS:
            return name
    return None


class LinuxHardening(Hardening):
    name = "linux"

    def __init__(
        self, *, expect_kiosk: bool, environ: Mapping[str, str], proc: Path = Path("/proc")
    ) -> None:
        self.expect_kiosk = expect_kiosk
        self.compositor = kiosk_compositor(environ, proc=proc)

    def findings(self) -> list[Finding]:
        if self.expect_kiosk and self.compositor is None:
            return [
                Finding(
                    "not_in_kiosk",
                    "the station is not running inside a kiosk compositor (cage)",
                    blocks_start=True,
                )
            ]
        return []
