"""Operating-system measures the app can take by itself, behind one interface.

``for_this_system()`` returns the implementation for the running platform:

* Windows (``windows.py``): a low-level keyboard hook on its own thread with a
  message loop (swallows the Windows keys, Alt+Tab, Alt+Esc, Ctrl+Esc and
  injected keys), screen-capture exclusion of every top-level window
  (``SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE)``), remote-session
  detection (``GetSystemMetrics(SM_REMOTESESSION)``) and whether the station is
  the kiosk user's Shell Launcher shell (best-effort, from the registry);
* Linux (``linux.py``): whether the station runs inside a kiosk compositor
  (cage under systemd, as ``packaging/`` installs it);
* anything else: nothing (``Hardening`` itself is the no-op).

The findings become incidents (``remote_session``, ``not_in_kiosk``) that the
session reports to the server. Nothing here imports Qt: windows are passed as
native handles (``int(widget.winId())``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from cbt_client.hardening.base import Finding, Hardening

__all__ = ["Finding", "Hardening", "for_this_system"]


def for_this_system(
    *, expect_kiosk: bool, platform: str = sys.platform, environ: Mapping[str, str] | None = None
) -> Hardening:
    env = os.environ if environ is None else environ
    if platform == "win32":
        from cbt_client.hardening.windows import WindowsHardening

        return WindowsHardening(expect_kiosk=expect_kiosk)
    if platform.startswith("linux"):
        from cbt_client.hardening.linux import LinuxHardening

        return LinuxHardening(expect_kiosk=expect_kiosk, environ=env)
    return Hardening()
