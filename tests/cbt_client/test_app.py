"""Wiring the station: the kiosk window, practice mode, findings, the clipboard at start/exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cbt_client.cli import default_config_path
from cbt_client.config import StationConfig
from cbt_client.lockdown import Lockdown
from cbt_client.session import Phase
from cbt_client.ui.app import build_station
from cbt_client.ui.lockdown import ClipboardGuard
from cbt_client.ui.qt import QApplication, QClipboard, QGuiApplication, Qt
from tests.cbt_client.conftest import config_for, throwaway_ca
from tests.live_server import free_port


def _config(tmp_path: Path, *, kiosk: bool) -> StationConfig:
    pem, fp = throwaway_ca()
    return StationConfig.create(
        server_url="https://127.0.0.1:9",
        station_id="PC-01",
        ca_pem=pem,
        ca_fingerprint=fp,
        data_dir=tmp_path,
        exit_code="1234",
        expect_kiosk=kiosk,
    )


def test_a_real_station_is_a_fullscreen_frameless_window_on_top(qtbot, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = build_station(_config(tmp_path, kiosk=True), practice=False, app=app)
    qtbot.addWidget(window)
    try:
        assert window.lockdown.enforced
        window.enter_kiosk()
        flags = window.windowFlags()
        assert flags & Qt.WindowType.FramelessWindowHint
        assert flags & Qt.WindowType.WindowStaysOnTopHint
        assert window.isFullScreen()
        assert window.close() is False  # CONNECT: guarded like the exam
        # Not inside cage here: no real exam starts on this PC, and each login reports why.
        refusal = window.session.start_refusal
        assert refusal is not None
        assert refusal.kind == "not_in_kiosk"
        assert "cage" in refusal.detail
    finally:
        window.shutdown()
        window.session.close()


def test_practice_mode_is_windowed_and_unlocked(qtbot, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = build_station(_config(tmp_path, kiosk=True), practice=True, app=app)
    qtbot.addWidget(window)
    try:
        assert not window.lockdown.enforced
        assert window.session.practice
        assert window.login_page.practice_tag.text() == "MODE LATIHAN"
        window.enter_kiosk()
        assert not window.isFullScreen()
        assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert window.session.pending_incidents == ()
        assert window.session.start_refusal is None
        assert window.session.phase == Phase.CONNECT
        assert window.close() is True
    finally:
        window.shutdown()
        window.session.close()


def test_the_clipboard_is_emptied_at_start_and_at_exit(qapp) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("sebelum ujian")
    guard = ClipboardGuard(clipboard, Lockdown(enforced=True))
    guard.start()
    assert clipboard.text() == ""
    clipboard.blockSignals(True)
    clipboard.setText("ditempel diam-diam", QClipboard.Mode.Clipboard)
    clipboard.blockSignals(False)
    guard.stop()
    assert clipboard.text() == ""
    relaxed = ClipboardGuard(clipboard, Lockdown(enforced=False))
    clipboard.setText("latihan")
    relaxed.start()
    assert clipboard.text() == "latihan"  # practice mode leaves it alone
    relaxed.stop()
    clipboard.clear()


def test_the_config_is_found_where_the_installer_put_it() -> None:
    assert default_config_path({"CBT_CLIENT_CONFIG": "/x/s.toml"}) == Path("/x/s.toml")
    assert default_config_path({}, "linux") == Path("/etc/cbt-station/station.toml")
    assert default_config_path({"PROGRAMDATA": "D:/PD"}, "win32") == Path(
        "D:/PD/CBT Station/station.toml"
    )


def test_more_than_one_screen_at_start_is_reported(qapp, tmp_path: Path) -> None:
    from cbt_client.session import ExamSession
    from cbt_client.ui.lockdown import DesktopWatcher
    from cbt_client.ui.qt import QObject, Signal
    from tests.cbt_client.fakes import FakeServer

    class TwoScreens(QObject):
        applicationStateChanged = Signal(object)  # noqa: N815 - Qt's name
        screenAdded = Signal(object)  # noqa: N815 - Qt's name

        def screens(self) -> list[object]:
            return [object(), object()]

    session = ExamSession(FakeServer(), workstation="PC-01", data_dir=tmp_path)
    desktop = TwoScreens()
    watcher = DesktopWatcher(desktop, session, Lockdown(enforced=True))  # type: ignore[arg-type]
    watcher.start()
    watcher.stop()
    assert session.pending_incidents == (("multiple_screens", "2 screens at start"),)


def _smoke(config: StationConfig, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    config.save(path)
    return subprocess.run(
        [sys.executable, "-m", "cbt_client", "run", "--config", str(path), "--smoke-test", *extra],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_smoke_test_sees_the_login_screen_and_the_server(site, tmp_path: Path) -> None:
    config = config_for(site, tmp_path / "journal")
    done = _smoke(config, tmp_path / "station.toml", "--language", "en")
    assert (done.returncode, done.stdout) == (0, "login screen ready\n"), done.stderr


def test_the_smoke_test_says_what_is_missing(tmp_path: Path) -> None:
    pem, fp = throwaway_ca()
    config = StationConfig.create(
        server_url=f"https://127.0.0.1:{free_port()}",  # nobody there
        station_id="PC-01",
        ca_pem=pem,
        ca_fingerprint=fp,
        data_dir=tmp_path,
    )
    done = _smoke(config, tmp_path / "station.toml", "--smoke-timeout", "2")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "smoke test failed: the login screen is shown but https://127.0.0.1:" in done.stderr
