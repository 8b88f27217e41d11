"""The PyInstaller one-folder station: built from the spec, started offscreen, at the login screen.

The same build as `make package-client`, into a temporary folder; the built
program (not this Python) runs `--smoke-test` against a real server over HTTPS,
once in each language (the English one proves the .qm travelled with it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cbt_client.conftest import config_for
from tests.live_server import LiveSite

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "packaging" / "pyinstaller" / "cbt-client.spec"


@pytest.mark.slow
def test_the_packaged_station_starts_and_reaches_the_login_screen(
    site: LiveSite, tmp_path: Path
) -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the dev extra")
    dist, work = tmp_path / "dist", tmp_path / "build"
    started = time.monotonic()
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    seconds = time.monotonic() - started
    assert built.returncode == 0, built.stderr[-4000:]
    folder = dist / "cbt-client"
    program = folder / ("cbt-client.exe" if sys.platform == "win32" else "cbt-client")
    try:
        assert program.is_file()
        internal = folder / "_internal"
        assert (internal / "cbt_client" / "ui" / "i18n" / "cbt_client_en.qm").is_file()
        assert (internal / "cbt_client" / "ui" / "assets" / "check.svg").is_file()
        names = {p.name for p in internal.rglob("*")}
        assert not {n for n in names if "WebEngine" in n or "Qt6Pdf" in n or "Qt6Quick" in n}
        files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"\nPyInstaller build: {seconds:.0f} s, {size_mb:.0f} MB in {folder.name}/")

        config = config_for(site, tmp_path / "journal", "PC-07")
        config.save(tmp_path / "station.toml")
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))}
        for language in ("id", "en"):
            run = subprocess.run(
                [
                    str(program),
                    "run",
                    "--config",
                    str(tmp_path / "station.toml"),
                    "--smoke-test",
                    "--language",
                    language,
                ],
                env={**clean, "QT_QPA_PLATFORM": "offscreen"},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert (run.returncode, run.stdout) == (0, "login screen ready\n"), run.stderr[-4000:]
    finally:
        shutil.rmtree(dist, ignore_errors=True)  # some 165 MB
        shutil.rmtree(work, ignore_errors=True)
