"""Starts the station: the QApplication, the session, the courier and the window."""

from __future__ import annotations

import logging
import sys
import time

from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.hardening import for_this_system
from cbt_client.lockdown import Lockdown
from cbt_client.session import ExamSession, Link, Phase
from cbt_client.transport import Transport
from cbt_client.ui.i18n import Languages
from cbt_client.ui.qt import QApplication, QGuiApplication, Qt, QTimer
from cbt_client.ui.window import StationWindow

log = logging.getLogger("cbt_client.ui")

#: What ``--smoke-test`` prints once the login screen is up and the server answered.
SMOKE_READY = "login screen ready"


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
            if finding.blocks_start:
                # No real exam here; said to the candidate, and to the proctor after a login.
                session.refuse_start(finding.kind, finding.detail)
            else:
                session.report(finding.kind, finding.detail)  # sent once a candidate signs in
    return window


def run_station(
    config: StationConfig,
    *,
    practice: bool = False,
    language: str | None = None,
    smoke_test_s: float | None = None,
) -> int:
    """Run the station until it is closed; ``smoke_test_s``: see ``watch_for_login_screen``."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv[:1])
    app.setApplicationName("CBT Station")
    app.setQuitOnLastWindowClosed(True)
    window = build_station(config, practice=practice, app=app)
    wanted = language or config.language
    window.set_language(wanted)
    if not practice:
        window.hardening.start()
    window.courier.start()
    window.start()
    window.enter_kiosk()
    if smoke_test_s is not None:
        watch_for_login_screen(app, window, timeout_s=smoke_test_s, language=wanted)
    try:
        return app.exec()
    finally:
        window.shutdown()
        window.session.close()


def login_screen_ready(window: StationWindow) -> bool:
    """The login page is on screen and the server answered the station's probe."""
    return (
        window.session.phase == Phase.LOGIN
        and window.current_page() is window.login_page
        and window.login_page.isVisible()
        and window.session.link == Link.ONLINE
    )


def watch_for_login_screen(
    app: QApplication, window: StationWindow, *, timeout_s: float, language: str = "id"
) -> None:
    """``cbt-client run --smoke-test``: prove headlessly that an installed station works.

    Once the login page is shown in ``language`` and the server's health check
    answered over the pinned TLS, print ``login screen ready`` and leave with 0;
    otherwise say which part is missing and leave with 1 (after ``timeout_s`` at most).
    """
    deadline = time.monotonic() + timeout_s
    timer = QTimer(window)
    timer.setInterval(100)

    def fail(why: str) -> None:
        timer.stop()
        print(f"cbt-client: smoke test failed: {why}", file=sys.stderr, flush=True)
        app.exit(1)

    def check() -> None:
        if window.languages.current != language:
            fail(f"the {language!r} translation could not be loaded")
        elif login_screen_ready(window):
            timer.stop()
            print(SMOKE_READY, flush=True)
            app.exit(0)
        elif time.monotonic() > deadline:
            if window.session.phase == Phase.LOGIN:
                url = window.config.server_url
                fail(f"the login screen is shown but {url} did not answer within {timeout_s:g} s")
            else:
                fail(f"the login screen did not appear within {timeout_s:g} s")

    timer.timeout.connect(check)
    timer.start()
