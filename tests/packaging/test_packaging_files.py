"""The files in packaging/linux are what systemd, sh and sysctl will accept.

The units are checked with ``systemd-analyze verify`` on copies. The programs
they start (``/opt/cbt-station/...``, ``/usr/bin/cage``) are not installed
here, so exactly one complaint per unit is expected and let through: that its
``ExecStart`` program is missing. Anything else it says (an unknown key or
section, a bad value) fails the test.
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

LINUX = Path(__file__).parents[2] / "packaging" / "linux"
UNITS = sorted(LINUX.glob("*.service"))
MISSING_PROGRAM = re.compile(
    r"^(?P<unit>[\w@.-]+): Command (?P<path>\S+) is not executable: No such file or directory$"
)

needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (apt install systemd)",
)


def _exec_start(unit: Path) -> str:
    """The program of a unit's ExecStart= (without systemd's @-+!: prefixes)."""
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("ExecStart="):
            return shlex.split(line.removeprefix("ExecStart="))[0].lstrip("@-+!:")
    raise AssertionError(f"{unit.name} has no ExecStart=")


def _verify(units: list[Path], folder: Path) -> list[str]:
    """What systemd-analyze finds wrong with copies of ``units``, minus missing programs."""
    copies = []
    for unit in units:
        copy = folder / unit.name
        shutil.copy(unit, copy)
        copies.append(copy)
    done = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            "--recursive-errors=no",  # our units only, not whatever else this host has
            *map(str, copies),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SYSTEMD_LOG_COLOR": "0", "LC_ALL": "C"},
    )
    programs = {copy.name: _exec_start(copy) for copy in copies}
    problems = []
    for line in (done.stdout + done.stderr).splitlines():
        missing = MISSING_PROGRAM.match(line.strip())
        if (
            missing
            and programs.get(missing["unit"]) == missing["path"]
            and not Path(missing["path"]).exists()
        ):
            continue
        if line.strip():
            problems.append(line.strip())
    return problems


def test_there_are_units_to_check() -> None:
    assert {u.name for u in UNITS} == {"cbt-server.service", "cbt-station-kiosk.service"}


@needs_systemd_analyze
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    assert _verify(UNITS, tmp_path) == []


@needs_systemd_analyze
def test_the_check_catches_an_unknown_key(tmp_path: Path) -> None:
    broken = tmp_path / "src" / "cbt-broken.service"
    broken.parent.mkdir()
    text = (LINUX / "cbt-station-kiosk.service").read_text(encoding="utf-8")
    broken.write_text(text.replace("[Service]\n", "[Service]\nUtempPath=/run/utmp\n"))
    (tmp_path / "out").mkdir()
    problems = _verify([broken], tmp_path / "out")
    assert any("Unknown key 'UtempPath'" in p for p in problems), problems


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(LINUX / name, encoding="utf-8")
    return parser


def test_the_server_may_list_network_interfaces_for_mdns() -> None:
    # zeroconf -> ifaddr -> getifaddrs() needs a netlink socket.
    families = _unit("cbt-server.service")["Service"]["RestrictAddressFamilies"].split()
    assert {"AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"} <= set(families)


def test_the_shell_scripts_parse() -> None:
    scripts = sorted(LINUX.parent.rglob("*.sh"))
    assert scripts
    for script in scripts:
        done = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, f"{script.name}: {done.stderr}"
        assert script.read_text(encoding="utf-8").startswith("#!/bin/sh\n")


def test_the_sysctl_file_sets_known_keys() -> None:
    settings: dict[str, str] = {}
    for number, line in enumerate(
        (LINUX / "90-cbt-station.conf").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"line {number} is not 'key = value': {line!r}"
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key.strip()), line
        assert value.strip(), line
        settings[key.strip()] = value.strip()
    assert settings == {
        "kernel.sysrq": "0",
        "fs.suid_dumpable": "0",
        "kernel.core_pattern": "|/bin/false",
    }


@pytest.mark.parametrize(
    ("name", "section"), [("logind-kiosk.conf", "Login"), ("journald-cbt.conf", "Journal")]
)
def test_the_systemd_drop_ins_parse(name: str, section: str) -> None:
    parser = _unit(name)
    assert parser.sections() == [section]
    assert parser[section]
    for key, value in parser[section].items():
        assert re.fullmatch(r"[A-Z][A-Za-z]+", key), key
        assert value, key
