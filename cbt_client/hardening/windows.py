"""Windows measures through ctypes: keyboard hook, capture exclusion, remote-session check.

The decisions (``hook_blocks``) are plain functions tested on every system;
the calls into user32/kernel32 run only on Windows (they are skipped by the
type checker and the tests elsewhere, and documented in docs/client.md).

The low-level keyboard hook lives on its own thread, which must pump messages
for Windows to call it: ``start`` spawns the thread, installs the hook there and
runs ``GetMessageW``; ``stop`` posts ``WM_QUIT`` to that thread and joins it. A
hook callback must return quickly (Windows drops slow hooks), so it only
looks at the key and the Ctrl state. Ctrl+Alt+Del is never seen by any hook;
the OS kiosk (Keyboard Filter) handles it.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from ctypes import wintypes

from cbt_client.hardening.base import Finding, Hardening

log = logging.getLogger("cbt_client.hardening")

WH_KEYBOARD_LL = 13
HC_ACTION = 0
WM_QUIT = 0x0012
LLKHF_INJECTED = 0x10
LLKHF_ALTDOWN = 0x20
VK_TAB = 0x09
VK_ESCAPE = 0x1B
VK_SNAPSHOT = 0x2C
VK_LWIN = 0x5B
VK_RWIN = 0x5C
VK_APPS = 0x5D
VK_F4 = 0x73
VK_CONTROL = 0x11
SM_REMOTESESSION = 0x1000
WDA_EXCLUDEFROMCAPTURE = 0x11
WDA_MONITOR = 0x01


def hook_blocks(vk: int, flags: int, *, ctrl_down: bool) -> bool:
    """Whether the keyboard hook swallows a key event.

    Injected keys (``SendInput`` from another program: remote tools, macro
    players) are refused; so are the Windows and menu keys, Alt+Tab, Alt+Esc,
    Alt+F4, Ctrl+Esc and Print Screen.
    """
    if flags & LLKHF_INJECTED:
        return True
    if vk in (VK_LWIN, VK_RWIN, VK_APPS, VK_SNAPSHOT):
        return True
    if flags & LLKHF_ALTDOWN and vk in (VK_TAB, VK_ESCAPE, VK_F4):
        return True
    return ctrl_down and vk == VK_ESCAPE


class KBDLLHOOKSTRUCT(ctypes.Structure):
    _fields_ = [
        ("vkCode", wintypes.DWORD),
        ("scanCode", wintypes.DWORD),
        ("flags", wintypes.DWORD),
        ("time", wintypes.DWORD),
        ("dwExtraInfo", ctypes.c_size_t),
    ]


class WindowsHardening(Hardening):
    name = "windows"

    def __init__(self, *, expect_kiosk: bool) -> None:
        self.expect_kiosk = expect_kiosk
        self._thread: threading.Thread | None = None
        self._thread_id = 0
        self._ready = threading.Event()
        self._hook_proc: object = None  # kept alive while the hook is installed

    def start(self) -> None:
        if sys.platform == "win32" and self._thread is None:
            self._thread = threading.Thread(
                target=self._pump, name="cbt-keyboard-hook", daemon=True
            )
            self._thread.start()
            self._ready.wait(5)

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if sys.platform == "win32" and thread is not None:
            ctypes.WinDLL("user32").PostThreadMessageW(self._thread_id, WM_QUIT, 0, 0)
            thread.join(5)

    def _pump(self) -> None:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32", use_last_error=True)
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            user32.CallNextHookEx.restype = ctypes.c_ssize_t
            user32.CallNextHookEx.argtypes = [
                wintypes.HHOOK,
                ctypes.c_int,
                wintypes.WPARAM,
                wintypes.LPARAM,
            ]
            user32.SetWindowsHookExW.restype = wintypes.HHOOK
            hook_type = ctypes.WINFUNCTYPE(
                ctypes.c_ssize_t, ctypes.c_int, wintypes.WPARAM, wintypes.LPARAM
            )

            def callback(code: int, wparam: int, lparam: int) -> int:
                if code == HC_ACTION:
                    key = ctypes.cast(lparam, ctypes.POINTER(KBDLLHOOKSTRUCT)).contents
                    ctrl = bool(user32.GetAsyncKeyState(VK_CONTROL) & 0x8000)
                    if hook_blocks(key.vkCode, key.flags, ctrl_down=ctrl):
                        return 1
                return int(user32.CallNextHookEx(None, code, wparam, lparam))

            proc = hook_type(callback)
            self._hook_proc = proc
            self._thread_id = kernel32.GetCurrentThreadId()
            module = kernel32.GetModuleHandleW(None)
            hook = user32.SetWindowsHookExW(WH_KEYBOARD_LL, proc, module, 0)
            self._ready.set()
            if not hook:
                log.error("keyboard hook refused (error %s)", ctypes.get_last_error())
                return
            msg = wintypes.MSG()
            try:
                while user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
                    user32.TranslateMessage(ctypes.byref(msg))
                    user32.DispatchMessageW(ctypes.byref(msg))
            finally:
                user32.UnhookWindowsHookEx(hook)
                self._hook_proc = None

    def protect_window(self, handle: int) -> bool:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32", use_last_error=True)
            hwnd = wintypes.HWND(handle)
            if user32.SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE):
                return True
            # Before Windows 10 2004 only WDA_MONITOR exists (the window is black in captures).
            return bool(user32.SetWindowDisplayAffinity(hwnd, WDA_MONITOR))
        return False

    def findings(self) -> list[Finding]:
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32")
            if user32.GetSystemMetrics(SM_REMOTESESSION):
                return [Finding("remote_session", "the station runs in a Remote Desktop session")]
        return []
