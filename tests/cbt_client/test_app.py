"""Wiring the station: the kiosk window, practice mode, findings, the clipboard at start/exit."""

from __future__ import annotations

from pathlib import Path

from cbt_client.cli import default_config_path
from cbt_client.config import StationConfig
from cbt_client.lockdown import Lockdown
from cbt_client.session import Phase
from cbt_client.ui.app import build_station
from cbt_client.ui.lockdown import ClipboardGuard
from cbt_client.ui.qt import QApplication, QClipboard, QGuiApplication, Qt
from tests.cbt_client.conftest import throwaway_ca


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
        # Not inside cage here: the finding waits in the queue for the first login.
        assert (
            "not_in_kiosk",
            "the station is not running inside a kiosk compositor (cage)",
        ) in window.session.pending_incidents
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
    assert default_config_path({}, "linux") == Path("/etc/cbt-client/station.toml")
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
