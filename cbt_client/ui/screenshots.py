"""Render every screen of the station against a live site and save PNGs.

    python -m cbt_client.ui.screenshots --config station.toml --number 20260001 \\
        --pin-env PIN --token K7P2QX --out docs/screenshots

drives a real station window (1366x768 by default) through login, identity,
instructions, the exam, the finish check and the result, saving
``client-*.png``. Screens that need the site's cooperation (the proctor's
lock, the server going away, time running out offline) are rendered only when
the caller passes ``SiteHooks`` — ``python -m tests.cbt_client.screenshot_site``
does, with a throwaway site on loopback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.lockdown import Lockdown
from cbt_client.session import ExamSession, Link, Phase, SyncPolicy
from cbt_client.transport import RetryPolicy, Transport
from cbt_client.ui.i18n import Languages
from cbt_client.ui.qt import QApplication, QEvent, QKeyEvent, Qt
from cbt_client.ui.window import StationWindow
from question_bank.richtext import images


@dataclass(frozen=True, slots=True)
class Credentials:
    number: str
    pin: str
    token: str


class SiteHooks(Protocol):
    """What a throwaway site can do for the screenshots (none of it is needed)."""

    def lock_seat(self, number: str) -> str:
        """Lock the candidate's station as a proctor; return an unlock code."""
        ...

    def stop_server(self) -> None: ...
    def start_server(self) -> None: ...


class ManualClock:
    """A monotonic clock the screenshots can move forward (to show time running out)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 20) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the station did not get there in time")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def capture(
    app: QApplication,
    config: StationConfig,
    who: Credentials,
    out: Path,
    *,
    hooks: SiteHooks | None = None,
    size: tuple[int, int] = (1366, 768),
) -> list[Path]:
    """Drive a station through every screen and save them; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    clock = ManualClock()
    session = ExamSession(
        Transport(config, retry=RetryPolicy(attempts=1)),
        workstation=config.station_id,
        data_dir=config.data_dir,
        policy=SyncPolicy(heartbeat_s=1.0, probe_s=1.0, retry_min_s=0.3, retry_max_s=1.0),
        monotonic=clock,
    )
    courier = Courier(session)
    window = StationWindow(
        session, courier, config, lockdown=Lockdown(enforced=False), languages=Languages(app)
    )
    window.resize(*size)
    window.show()
    courier.start()
    window.start()
    written: list[Path] = []

    def shot(name: str) -> None:
        settle(app)
        path = out / f"client-{name}.png"
        window.grab().save(str(path))
        written.append(path)

    def press(key: Qt.Key, text: str = "") -> None:
        target = app.focusWidget() or window.exam_page
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            )

    try:
        wait_until(app, lambda: session.phase == Phase.LOGIN and session.link == Link.ONLINE)
        page = window.login_page
        page.number.setText(who.number)
        page.pin.setText("000000" if who.pin != "000000" else "999999")
        page.token.setText(who.token)
        page.submit.click()
        wait_until(app, lambda: page.notice.isVisible())
        shot("login-refused")
        page.notice.clear_notice()
        page.pin.setText(who.pin)
        shot("login")
        window.set_language("en")
        shot("login-en")
        window.set_language("id")

        page.submit.click()
        wait_until(app, lambda: session.phase == Phase.IDENTITY)
        settle(app, 0.6)
        shot("identity")
        window.identity_page.confirm_button.click()
        wait_until(app, lambda: session.phase == Phase.INSTRUCTIONS)
        window.instructions_page.agree.setChecked(True)
        shot("instructions")
        window.instructions_page.start.click()
        wait_until(app, lambda: session.phase == Phase.EXAM, 60)

        form = session.form
        if form is None:
            raise RuntimeError("no form after the start")
        for number in range(1, 24):
            session.go_to(number)
            session.choose(form.item(number).labels[(number * 7) % len(form.item(number).labels)])
            if number in (4, 9, 17):
                session.set_doubtful(True)
        session.go_to(5)
        wait_until(app, lambda: session.unsent == 0)
        shot("exam")
        figure = next(
            (i.number for i in form.items if any(images(o.content) for o in i.options)),
            None,
        )
        if figure is not None:
            session.go_to(figure)
            press(Qt.Key.Key_C, "c")
            wait_until(app, lambda: session.unsent == 0)
            shot("exam-figure")
        window.step_font(2)
        window.exam_page.bar.contrast.setChecked(True)
        session.go_to(9)
        shot("exam-contrast")
        window.exam_page.bar.contrast.setChecked(False)
        window.step_font(-2)
        session.go_to(24)

        if hooks is not None:
            hooks.stop_server()
            wait_until(app, lambda: session.link == Link.OFFLINE, 30)
            for number in range(24, 28):
                session.go_to(number)
                session.choose(form.item(number).labels[0])
            shot("exam-offline")
            hooks.start_server()
            wait_until(app, lambda: session.link == Link.ONLINE and session.unsent == 0, 30)

            code = hooks.lock_seat(who.number)
            wait_until(app, lambda: session.phase == Phase.LOCKED, 30)
            shot("locked")
            window.lock_page.code.setText(code)
            window.lock_page.unlock.click()
            wait_until(app, lambda: session.phase == Phase.EXAM, 30)

        session.request_finish()
        wait_until(app, lambda: session.phase == Phase.FINISH)
        window.finish_page.confirm.setChecked(True)
        shot("finish")

        if hooks is not None:
            window.finish_page.back.click()
            hooks.stop_server()
            wait_until(app, lambda: session.link == Link.OFFLINE, 30)
            clock.offset += session.remaining_s() + 1
            wait_until(app, lambda: session.phase == Phase.TIME_OVER, 30)
            shot("time-over")
            hooks.start_server()  # the server still has time on its clock: back to the exam
            wait_until(app, lambda: session.phase == Phase.EXAM, 30)
            session.request_finish()
            wait_until(app, lambda: session.phase == Phase.FINISH)
            window.finish_page.confirm.setChecked(True)

        window.finish_page.submit.click()
        wait_until(app, lambda: session.phase == Phase.RESULT, 60)
        shot("result")
        window.set_language("en")
        shot("result-en")
        window.set_language("id")
    finally:
        window.shutdown()
        window.hide()
        window.deleteLater()
        session.close()
        app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cbt_client.ui.screenshots")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--number", required=True)
    parser.add_argument("--pin-env", required=True, help="environment variable with the PIN")
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    app = QApplication(sys.argv[:1])
    who = Credentials(args.number, os.environ.get(args.pin_env, ""), args.token)
    for path in capture(
        app, StationConfig.load(args.config), who, args.out, size=(int(width), int(height))
    ):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
