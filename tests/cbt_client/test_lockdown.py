"""The lockdown policy (Qt-free) and the platform measures' logic and no-op paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbt_client.config import hash_exit_code
from cbt_client.hardening import Hardening, for_this_system
from cbt_client.hardening.linux import LinuxHardening, ancestors, kiosk_compositor
from cbt_client.hardening.windows import (
    LLKHF_ALTDOWN,
    LLKHF_INJECTED,
    VK_ESCAPE,
    VK_F4,
    VK_LWIN,
    VK_SNAPSHOT,
    VK_TAB,
    WindowsHardening,
    hook_blocks,
    kiosk_problem,
    shell_program,
)
from cbt_client.lockdown import PROCTOR_EXIT, Incident, KeyCombo, Lockdown
from cbt_client.session import Phase

ON = Lockdown(enforced=True, exit_code_hash=hash_exit_code("9999"))
PRACTICE = Lockdown(enforced=False)


@pytest.mark.parametrize(
    "combo",
    [
        KeyCombo("C", ctrl=True),
        KeyCombo("V", ctrl=True),
        KeyCombo("X", ctrl=True),
        KeyCombo("A", ctrl=True),
        KeyCombo("P", ctrl=True),
        KeyCombo("Insert", shift=True),
        KeyCombo("Insert", ctrl=True),
        KeyCombo("Delete", shift=True),
        KeyCombo("Print"),
        KeyCombo("0", ctrl=True),
        KeyCombo("F4", alt=True),
        KeyCombo("Escape"),
        KeyCombo("Tab", alt=True),
        KeyCombo("L", meta=True),
        KeyCombo("Super", meta=True),
    ],
)
def test_clipboard_print_zoom_and_escape_shortcuts_are_blocked(combo: KeyCombo) -> None:
    assert ON.blocks(combo)
    assert not PRACTICE.blocks(combo)


@pytest.mark.parametrize(
    "combo",
    [
        KeyCombo("A"),
        KeyCombo("E"),
        KeyCombo("R"),
        KeyCombo("Return"),
        KeyCombo("Tab"),
        KeyCombo("Tab", shift=True),
        KeyCombo("Plus", ctrl=True),
        KeyCombo("Minus", ctrl=True),
        KeyCombo("Equal", ctrl=True),
        PROCTOR_EXIT,
    ],
)
def test_our_own_keys_pass(combo: KeyCombo) -> None:
    assert not ON.blocks(combo)


def test_leaving_needs_the_result_or_the_proctor_code() -> None:
    for phase in (Phase.LOGIN, Phase.EXAM, Phase.FINISH, Phase.LOCKED, Phase.TIME_OVER):
        assert not ON.may_close(phase)
        assert PRACTICE.may_close(phase)
    assert ON.may_close(Phase.RESULT)
    assert ON.exit_code_matches("9999")
    assert not ON.exit_code_matches("0000")
    assert not Lockdown(enforced=True).exit_code_matches("")


def test_incidents_for_focus_and_screens() -> None:
    assert ON.incident_for_focus_loss(Phase.EXAM) == Incident.FOCUS_LOST
    assert ON.incident_for_focus_loss(Phase.LOGIN) is None
    assert PRACTICE.incident_for_focus_loss(Phase.EXAM) is None
    assert ON.incident_for_screens(2, added=False) == Incident.MULTIPLE_SCREENS
    assert ON.incident_for_screens(1, added=False) is None
    assert ON.incident_for_screens(2, added=True) == Incident.SCREEN_ADDED
    assert ON.blocks_wheel_zoom(ctrl=True)
    assert not ON.blocks_wheel_zoom(ctrl=False)


def test_the_windows_hook_decision() -> None:
    assert hook_blocks(VK_LWIN, 0, ctrl_down=False)
    assert hook_blocks(VK_TAB, LLKHF_ALTDOWN, ctrl_down=False)
    assert hook_blocks(VK_F4, LLKHF_ALTDOWN, ctrl_down=False)
    assert hook_blocks(VK_ESCAPE, 0, ctrl_down=True)
    assert hook_blocks(VK_SNAPSHOT, 0, ctrl_down=False)
    assert hook_blocks(ord("A"), LLKHF_INJECTED, ctrl_down=False)
    assert not hook_blocks(ord("A"), 0, ctrl_down=False)
    assert not hook_blocks(VK_TAB, 0, ctrl_down=False)
    assert not hook_blocks(VK_ESCAPE, 0, ctrl_down=False)


def test_windows_measures_are_no_ops_elsewhere() -> None:
    windows = WindowsHardening(expect_kiosk=True)
    windows.start()
    assert windows.protect_window(1234) is False
    assert windows.findings() == []
    windows.stop()
    assert isinstance(for_this_system(expect_kiosk=True, platform="darwin"), Hardening)
    assert for_this_system(expect_kiosk=True, platform="darwin").findings() == []


STATION_EXE = r"C:\Program Files\CBT Station\cbt-client.exe"


def test_the_windows_shell_launcher_command_names_a_program() -> None:
    assert shell_program(f'"{STATION_EXE}" --config "C:\\x\\station.toml"') == STATION_EXE
    assert shell_program(f"{STATION_EXE} --config x") == STATION_EXE
    assert shell_program("explorer.exe") == "explorer.exe"
    assert shell_program("cmd /c start") == "cmd"
    assert shell_program("   ") == ""


@pytest.mark.parametrize(
    ("username", "shell", "executable", "problem"),
    [
        ("cbt-kiosk", f'"{STATION_EXE}" --config c.toml', STATION_EXE, None),
        # Windows paths: case and ".." do not matter.
        ("CBT-Kiosk", f'"{STATION_EXE.upper()}"', STATION_EXE, None),
        (
            "cbt-kiosk",
            r"C:\Program Files\CBT Station\..\CBT Station\cbt-client.exe",
            STATION_EXE,
            None,
        ),
        ("guru", f'"{STATION_EXE}"', STATION_EXE, "not as the kiosk user 'cbt-kiosk'"),
        ("cbt-kiosk", None, STATION_EXE, "no custom shell"),
        ("cbt-kiosk", "explorer.exe", STATION_EXE, "is 'explorer.exe'"),
        # Started by hand from Python rather than as the packaged station.
        ("cbt-kiosk", f'"{STATION_EXE}"', r"C:\Python311\python.exe", "not 'C:"),
    ],
)
def test_the_windows_kiosk_decision(
    username: str, shell: str | None, executable: str, problem: str | None
) -> None:
    found = kiosk_problem(
        username=username, kiosk_user="cbt-kiosk", custom_shell=shell, executable=executable
    )
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


def _proc(root: Path, chain: list[tuple[int, int, str]]) -> None:
    for pid, ppid, comm in chain:
        folder = root / str(pid)
        folder.mkdir(parents=True)
        (folder / "stat").write_text(f"{pid} ({comm}) S {ppid} 1 1 0\n")
        (folder / "comm").write_text(comm + "\n")


def test_linux_kiosk_detection(tmp_path: Path) -> None:
    _proc(tmp_path, [(300, 200, "python3"), (200, 100, "cage"), (100, 1, "systemd")])
    assert ancestors(300, tmp_path) == ["cage", "systemd"]
    assert kiosk_compositor({"WAYLAND_DISPLAY": "wayland-0"}, pid=300, proc=tmp_path) == "cage"
    assert kiosk_compositor({}, pid=300, proc=tmp_path) is None  # no Wayland display
    assert kiosk_compositor({"XDG_CURRENT_DESKTOP": "cage"}, pid=1, proc=tmp_path) == "cage"
    desktop = {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "GNOME"}
    assert kiosk_compositor(desktop, pid=999, proc=tmp_path) is None


def test_linux_reports_not_in_kiosk_only_when_expected(tmp_path: Path) -> None:
    outside = LinuxHardening(expect_kiosk=True, environ={}, proc=tmp_path)
    assert [f.kind for f in outside.findings()] == ["not_in_kiosk"]
    assert LinuxHardening(expect_kiosk=False, environ={}, proc=tmp_path).findings() == []
    inside = LinuxHardening(
        expect_kiosk=True, environ={"XDG_CURRENT_DESKTOP": "cage"}, proc=tmp_path
    )
    assert inside.findings() == []
    assert inside.compositor == "cage"
