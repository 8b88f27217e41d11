r"""Windows measures through ctypes: keyboard hook, capture exclusion, remote-session
and kiosk checks.

The decisions (``hook_blocks``, ``kiosk_problem``) are plain functions tested on
every system; the calls into user32/kernel32/advapi32 and the registry run only
on Windows (they are skipped by the type checker and the tests elsewhere, and
documented in docs/client.md).

The kiosk check is best-effort. ``packaging/windows/kiosk.ps1`` records the kiosk
user under ``HKLM\SOFTWARE\CBT Station`` and makes this program that user's
Shell Launcher shell, which Windows keeps under ``HKLM\SOFTWARE\Microsoft\Windows
Embedded\Shell Launcher\<SID>`` (value ``Shell``; where the WMI provider stores
it, not a documented interface). The station is outside the kiosk when it runs
as another user, or when that user's Shell Launcher shell is missing or another
program. If the registry cannot be read at all, nothing is concluded.

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
import ntpath
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
TOKEN_QUERY = 0x0008
TOKEN_USER = 1

#: Written by packaging/windows/kiosk.ps1 (HKLM: only an administrator can change it).
STATION_KEY = r"SOFTWARE\CBT Station"
SHELL_LAUNCHER_KEY = r"SOFTWARE\Microsoft\Windows Embedded\Shell Launcher"
DEFAULT_KIOSK_USER = "cbt-kiosk"


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


def shell_program(command: str) -> str:
    """The program a Windows command line starts: its first word, quotes honoured.

    An unquoted path with spaces (``C:\\Program Files\\x.exe --flag``) runs up to
    its ``.exe``, as Windows itself would find it.
    """
    text = command.strip()
    if text.startswith('"'):
        end = text.find('"', 1)
        return text[1:] if end < 0 else text[1:end]
    exe = text.lower().find(".exe")
    if exe >= 0:
        return text[: exe + 4]
    return text.split(maxsplit=1)[0] if text else ""


def same_program(a: str, b: str) -> bool:
    """Whether two Windows paths name the same file (case and ``..`` aside)."""
    return ntpath.normcase(ntpath.normpath(a)) == ntpath.normcase(ntpath.normpath(b))


def kiosk_problem(
    *, username: str, kiosk_user: str, custom_shell: str | None, executable: str
) -> str | None:
    """Why this station is not running as the Shell Launcher kiosk, or None when it is.

    ``custom_shell`` is the Shell Launcher command line configured for the signed-in
    user (None: there is none); ``executable`` is this program.
    """
    if username.casefold() != kiosk_user.casefold():
        return f"the station runs as {username!r}, not as the kiosk user {kiosk_user!r}"
    if custom_shell is None:
        return f"Shell Launcher starts no custom shell for {username!r}"
    program = shell_program(custom_shell)
    if not same_program(program, executable):
        return f"the Shell Launcher shell of {username!r} is {program!r}, not {executable!r}"
    return None


def _registry_text(path: str, name: str) -> str | None:
    """A text value under HKLM (64-bit view), or None when the key or value is missing.

    Any other failure (access denied) raises ``OSError``.
    """
    if sys.platform == "win32":
        import winreg

        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, access) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return value if isinstance(value, str) else None
    raise OSError("the Windows registry exists only on Windows")


def _current_user() -> tuple[str, str]:
    """The signed-in user's name and SID (``S-1-5-21-…``), from this process's token."""
    if sys.platform == "win32":
        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        kernel32.LocalFree.argtypes = [ctypes.c_void_p]
        advapi32.OpenProcessToken.argtypes = [
            wintypes.HANDLE,
            wintypes.DWORD,
            ctypes.POINTER(wintypes.HANDLE),
        ]
        advapi32.GetTokenInformation.argtypes = [
            wintypes.HANDLE,
            ctypes.c_int,
            ctypes.c_void_p,
            wintypes.DWORD,
            ctypes.POINTER(wintypes.DWORD),
        ]
        advapi32.ConvertSidToStringSidW.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(wintypes.LPWSTR),
        ]
        size = wintypes.DWORD(257)
        name = ctypes.create_unicode_buffer(size.value)
        if not advapi32.GetUserNameW(name, ctypes.byref(size)):
            raise ctypes.WinError(ctypes.get_last_error())
        token = wintypes.HANDLE()
        if not advapi32.OpenProcessToken(
            kernel32.GetCurrentProcess(), TOKEN_QUERY, ctypes.byref(token)
        ):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            needed = wintypes.DWORD()
            advapi32.GetTokenInformation(token, TOKEN_USER, None, 0, ctypes.byref(needed))
            buffer = ctypes.create_string_buffer(needed.value)
            if not advapi32.GetTokenInformation(
                token, TOKEN_USER, buffer, needed, ctypes.byref(needed)
            ):
                raise ctypes.WinError(ctypes.get_last_error())
            # TOKEN_USER starts with SID_AND_ATTRIBUTES, which starts with the PSID.
            psid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p))[0]
            text = wintypes.LPWSTR()
            if not advapi32.ConvertSidToStringSidW(psid, ctypes.byref(text)):
                raise ctypes.WinError(ctypes.get_last_error())
            try:
                sid = text.value or ""
            finally:
                kernel32.LocalFree(ctypes.cast(text, ctypes.c_void_p))
        finally:
            kernel32.CloseHandle(token)
        return name.value, sid
    raise OSError("only on Windows")


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
        found: list[Finding] = []
        if sys.platform == "win32":
            user32 = ctypes.WinDLL("user32")
            if user32.GetSystemMetrics(SM_REMOTESESSION):
                found.append(
                    Finding("remote_session", "the station runs in a Remote Desktop session")
                )
            if self.expect_kiosk:
                problem = self._kiosk_problem()
                if problem is not None:
                    found.append(Finding("not_in_kiosk", problem, blocks_start=True))
        return found

    def _kiosk_problem(self) -> str | None:
        try:
            username, sid = _current_user()
            kiosk_user = _registry_text(STATION_KEY, "KioskUser") or DEFAULT_KIOSK_USER
            shell = _registry_text(f"{SHELL_LAUNCHER_KEY}\\{sid}", "Shell")
        except OSError as exc:
            log.warning("cannot read the Shell Launcher setup (%s); trusting the kiosk", exc)
            return None
        return kiosk_problem(
            username=username, kiosk_user=kiosk_user, custom_shell=shell, executable=sys.executable
        )
