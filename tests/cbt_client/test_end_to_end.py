"""A station against a real server over HTTPS on loopback: the server dies, the station dies.

1. The whole exam through the screens: 110 items, the server stopped mid-exam,
   answering offline, the server back, everything flushed, the server's score on screen.
2. The station killed with unsent answers, restarted on the same PC: nothing lost.
3. The station killed, the proctor releases the seat, a new PC: every answer in place.
4. A station outside its kiosk: signed in, the exam not started, the proctor told why.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from cbt_client import errors as e
from cbt_client.courier import Courier
from cbt_client.lockdown import Lockdown
from cbt_client.session import ExamSession, Link, Phase
from cbt_client.transport import RetryPolicy, Transport
from cbt_client.ui.qt import Qt
from cbt_client.ui.window import StationWindow
from cbt_server.db import tables
from cbt_server.runtime import Runtime
from tests.cbt_client.conftest import FAST, config_for
from tests.cbt_client.test_screens import at
from tests.live_server import PROCTOR, LiveSite, build, free_port, proctor_client, serve

QUICK_RETRY = RetryPolicy(attempts=2, first_delay_s=0.05, max_delay_s=0.1)
TIMEOUT = 20_000


class Site:
    """A site whose server can be stopped and started again on the same port."""

    def __init__(self, root: Path) -> None:
        self.rt: Runtime
        self.rt, self.pins = build(root, count=3)
        self.port = free_port()
        self._stack = ExitStack()
        self.live: LiveSite = self._stack.enter_context(
            serve(self.rt, self.pins, tls=True, port=self.port)
        )

    def stop(self) -> None:
        self._stack.close()  # should_exit, then the uvicorn thread is joined
        # serve() closes every server-side socket before its loop ends; a socket left for
        # the garbage collector would raise its ResourceWarning here, in this test.
        gc.collect()

    def start(self) -> None:
        self._stack = ExitStack()
        self.live = self._stack.enter_context(serve(self.rt, self.pins, tls=True, port=self.port))

    def proctor(self, method: str, path: str, body: object = None) -> httpx.Response:
        with httpx.Client(
            base_url=self.live.base_url, verify=self.live.verify(), timeout=10
        ) as client:
            token = client.post(
                "/api/v1/proctor/login", json={"username": PROCTOR[0], "password": PROCTOR[1]}
            ).json()["token"]
            reply = client.request(
                method,
                f"/api/v1/proctor{path}",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
        reply.raise_for_status()
        return reply

    def seat(self, number: str) -> dict[str, object]:
        seats = self.proctor("GET", "/sessions/S1/seats").json()
        return next(s for s in seats if s["number"] == number)

    def close(self) -> None:
        self.stop()
        self.rt.close()


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Site]:
    site = Site(tmp_path)
    try:
        yield site
    finally:
        site.close()


def _station(qtbot, site: Site, data_dir: Path, workstation: str) -> StationWindow:
    config = config_for(site.live, data_dir, workstation)
    session = ExamSession(
        Transport(config, retry=QUICK_RETRY),
        workstation=workstation,
        data_dir=data_dir,
        policy=FAST,
    )
    window = StationWindow(session, Courier(session), config, lockdown=Lockdown(enforced=True))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.courier.start()
    window.start()
    return window


def _sign_in(qtbot, window: StationWindow, site: Site, number: str) -> None:
    at(qtbot, window, Phase.LOGIN)
    page = window.login_page
    for field in (page.number, page.pin, page.token):
        field.clear()
    qtbot.keyClicks(page.number, number)
    qtbot.keyClicks(page.pin, site.pins[number])
    qtbot.keyClicks(page.token, site.live.token().lower())
    qtbot.keyClick(page.token, Qt.Key.Key_Return)
    at(qtbot, window, Phase.IDENTITY)
    qtbot.mouseClick(window.identity_page.confirm_button, Qt.MouseButton.LeftButton)
    at(qtbot, window, Phase.INSTRUCTIONS)


def _answer(qtbot, window: StationWindow, numbers: range) -> dict[int, str]:
    """Answer by keyboard: the letter, then Enter for the next item."""
    chosen = {}
    form = window.session.form
    assert form is not None
    for number in numbers:
        window.session.go_to(number)
        labels = form.item(number).labels
        letter = labels[(number * 3) % len(labels)]
        qtbot.keyClick(window.exam_page, getattr(Qt.Key, f"Key_{letter}"))
        chosen[number] = letter
    return chosen


def test_a_whole_exam_through_a_server_restart(qtbot, restartable: Site, tmp_path: Path) -> None:
    site, number = restartable, "20260001"
    window = _station(qtbot, site, tmp_path / "pc-01", "PC-01")
    try:
        _sign_in(qtbot, window, site, number)
        window.instructions_page.agree.setChecked(True)
        qtbot.mouseClick(window.instructions_page.start, Qt.MouseButton.LeftButton)
        at(qtbot, window, Phase.EXAM)
        s, status = window.session, window.exam_page.bar.status
        chosen = _answer(qtbot, window, range(1, 51))
        qtbot.waitUntil(lambda: s.unsent == 0, timeout=TIMEOUT)

        site.stop()
        chosen |= _answer(qtbot, window, range(51, 81))
        s.toggle_doubtful(77)
        qtbot.waitUntil(lambda: s.link == Link.OFFLINE, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: "Offline" in status.text(), timeout=TIMEOUT)
        assert s.unsent == 30
        assert s.phase == Phase.EXAM
        assert window.exam_page.navigator.cells[80].property("state") == "answered"

        site.start()
        chosen |= _answer(qtbot, window, range(81, 111))
        qtbot.waitUntil(lambda: s.link == Link.ONLINE and s.unsent == 0, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: status.text().endswith("Tersimpan"), timeout=TIMEOUT)
        status_now, saved = s.api.status()
        assert {n: a.choice for n, a in saved.items()} == chosen
        assert saved[77].doubtful
        assert status_now.acked_seq == s.acked_seq
        assert site.seat(number)["answered"] == 110

        qtbot.mouseClick(window.exam_page.navigator.finish, Qt.MouseButton.LeftButton)
        at(qtbot, window, Phase.FINISH)
        assert [v.text() for v in window.finish_page.tile_values] == ["110", "1", "0"]
        window.finish_page.confirm.setChecked(True)
        qtbot.mouseClick(window.finish_page.submit, Qt.MouseButton.LeftButton)
        at(qtbot, window, Phase.RESULT)
        seat = site.seat(number)
        assert seat["state"] == "submitted"
        result = s.result
        assert result is not None
        assert seat["slip"] == result.slip
        assert window.result_page.total.text() == f"{seat['total']} / 550"
        assert result.slip in window.result_page.recorded.text()
        verified = httpx.get(
            f"{site.live.base_url}/api/v1/public/verify/{result.slip}",
            verify=site.live.verify(),
            timeout=10,
        ).json()
        assert verified["signature_valid"] is True
    finally:
        window.shutdown()
        window.session.close()


def test_a_killed_station_resumes_on_the_same_pc_with_its_unsent_answers(
    restartable: Site, tmp_path: Path
) -> None:
    site, number, data = restartable, "20260002", tmp_path / "pc-02"
    config = config_for(site.live, data, "PC-02")
    first = ExamSession(
        Transport(config, retry=QUICK_RETRY), workstation="PC-02", data_dir=data, policy=FAST
    )
    first.login(number=number, pin=site.pins[number], session_token=site.live.token())
    first.confirm_identity()
    first.start()
    form = first.form
    assert form is not None
    for n in range(1, 31):
        first.go_to(n)
        first.choose(form.item(n).labels[n % 5])
    first.sync()
    assert first.unsent == 0
    site.stop()
    for n in range(31, 41):
        first.go_to(n)
        first.choose(form.item(n).labels[n % 5])
    first.set_doubtful(True, 40)
    first.sync()
    assert first.unsent == 10
    assert first.link == Link.OFFLINE
    first.api.close()  # the power goes: no flush, no goodbye; the journal is on disk
    del first

    site.start()
    again = ExamSession(
        Transport(config, retry=QUICK_RETRY), workstation="PC-02", data_dir=data, policy=FAST
    )
    try:
        again.login(number=number, pin=site.pins[number], session_token=site.live.token())
        assert again.resumed_unsent == 10
        assert again.started
        again.sync()
        assert again.unsent == 0
        _, saved = again.api.status()
        assert {n: a.choice for n, a in saved.items()} == {
            n: form.item(n).labels[n % 5] for n in range(1, 41)
        }
        assert saved[40].doubtful
        assert site.seat(number)["incidents"] == 1  # the station said it restarted
    finally:
        again.close()


def test_a_new_pc_after_the_proctor_releases_the_seat(
    qtbot, restartable: Site, tmp_path: Path
) -> None:
    site, number = restartable, "20260003"
    config = config_for(site.live, tmp_path / "pc-03", "PC-03")
    old = ExamSession(
        Transport(config, retry=QUICK_RETRY),
        workstation="PC-03",
        data_dir=tmp_path / "pc-03",
        policy=FAST,
    )
    old.login(number=number, pin=site.pins[number], session_token=site.live.token())
    old.confirm_identity()
    old.start()
    form = old.form
    assert form is not None
    for n in range(1, 26):
        old.go_to(n)
        old.choose(form.item(n).labels[(n + 1) % 5])
    old.set_doubtful(True, 12)
    old.sync()
    assert old.unsent == 0
    old.api.close()  # PC-03 dies

    window = _station(qtbot, site, tmp_path / "pc-04", "PC-04")
    try:
        at(qtbot, window, Phase.LOGIN)
        page = window.login_page
        page.number.setText(number)
        page.pin.setText(site.pins[number])
        page.token.setText(site.live.token())
        page.submit.click()
        qtbot.waitUntil(page.notice.isVisible, timeout=TIMEOUT)
        assert "komputer lain" in page.notice.text()  # not until the proctor releases it

        site.proctor(
            "POST",
            f"/sessions/S1/seats/{number}/release",
            {"reason": "PC-03 mati, pindah ke PC-04"},
        )
        _sign_in(qtbot, window, site, number)
        assert window.instructions_page.start.text() == "Lanjutkan Ujian"
        qtbot.mouseClick(window.instructions_page.start, Qt.MouseButton.LeftButton)
        at(qtbot, window, Phase.EXAM)
        s = window.session
        assert s.current == 26  # the first unanswered item
        assert {n: s.answer(n).choice for n in range(1, 26)} == {
            n: form.item(n).labels[(n + 1) % 5] for n in range(1, 26)
        }
        assert s.answer(12).doubtful
        cells = window.exam_page.navigator.cells
        assert cells[12].property("state") == "doubtful"
        assert cells[25].property("state") == "answered"
        assert cells[26].property("current") == "true"
        assert 0 < s.remaining_s() < 6000  # the clock ran on the server meanwhile
    finally:
        window.shutdown()
        window.session.close()


def test_outside_the_kiosk_the_proctor_console_shows_why_the_exam_did_not_start(
    site: LiveSite, tmp_path: Path
) -> None:
    number = "20260004"
    config = config_for(site, tmp_path / "pc-05", "PC-05")
    station = ExamSession(
        Transport(config, retry=QUICK_RETRY),
        workstation="PC-05",
        data_dir=tmp_path / "pc-05",
        policy=FAST,
    )
    try:
        station.refuse_start("not_in_kiosk", "not inside cage")
        station.login(number=number, pin=site.pins[number], session_token=site.token())
        station.confirm_identity()
        station.sync()  # after the login, before the start
        with pytest.raises(e.StartRefusedError):
            station.start()
        with proctor_client(site) as proctor:
            seats = proctor.get("/api/v1/proctor/sessions/S1/seats").json()
        seat = next(s for s in seats if s["number"] == number)
        assert (seat["incidents"], seat["workstation"]) == (1, "PC-05")
        assert seat["state"] == "logged_in"  # the clock never started
        with site.rt.db.read() as conn:
            kind, detail = conn.execute(
                select(tables.incidents.c.kind, tables.incidents.c.detail)
            ).one()
        assert kind == "not_in_kiosk"
        assert detail == "not inside cage; the station refuses to start the exam"
    finally:
        station.close()
