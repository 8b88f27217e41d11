"""Starts the station: the QApplication, the session, the courier and the window."""

from __future__ import annotations

import logging
import sys

from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.hardening import for_this_system
from cbt_client.lockdown import Lockdown
from cbt_client.session import ExamSession
from cbt_client.transport import Transport
from cbt_client.ui.i18n import Languages
from cbt_client.ui.qt import QApplication, QGuiApplication, Qt
from cbt_client.ui.window import StationWindow

log = logging.getLogger("cbt_client.ui")


def build_station(config: StationConfig, *, practice: bool, app: QApplication) -> StationWindow:
    """Everything a station is, wired; nothing shown or started yet."""
    transport = Transport(config)
    session = ExamSession(
        transport, workstation=config.station_id, data_dir=config.data_dir, practice=practice
    )
    courier = Courier(session)
    lockdown = Lockdown(enforced=not practice, exit_code_hash=config.exit_code_hash)
    hardening = for_this_system(expect_kiosk=config.expect_kiosk and not practice)
    window = StationWindow(
        session, courier, config, lockdown=lockdown, hardening=hardening, languages=Languages(app)
    )
    if lockdown.enforced:
        for finding in hardening.findings():
            session.report(finding.kind, finding.detail)  # sent once a candidate signs in
    return window


def run_station(
    config: StationConfig, *, practice: bool = False, language: str | None = None
) -> int:
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv[:1])
    app.setApplicationName("CBT Station")
    app.setQuitOnLastWindowClosed(True)
    window = build_station(config, practice=practice, app=app)
    window.set_language(language or config.language)
    if not practice:
        window.hardening.start()
    window.courier.start()
    window.start()
    window.enter_kiosk()
    try:
        return app.exec()
    finally:
        window.shutdown()
        window.session.close()
