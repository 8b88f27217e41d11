"""Every screen and transition, keyboard operation, refusals and the lockdown, offscreen."""

from __future__ import annotations

import pytest

from cbt_client import errors as e
from cbt_client.lockdown import PROCTOR_EXIT
from cbt_client.session import Link, Phase
from cbt_client.ui.qt import (
    QApplication,
    QClipboard,
    QContextMenuEvent,
    QGuiApplication,
    QLineEdit,
    QPoint,
    QPushButton,
    Qt,
)
from cbt_client.ui.window import ExitCodeDialog, StationWindow
from cbt_client.wire import Command
from tests.cbt_client.conftest import Monotonic
from tests.cbt_client.fakes import FakeServer

TIMEOUT = 5000


def at(qtbot, station: StationWindow, phase: Phase) -> None:
    qtbot.waitUntil(
        lambda: station.session.phase == phase and station.current_page() is station.pages[phase],
        timeout=TIMEOUT,
    )


def login(
    qtbot,
    station: StationWindow,
    fake: FakeServer,
    *,
    pin: str | None = None,
    token: str | None = None,
) -> None:
    at(qtbot, station, Phase.LOGIN)
    page = station.login_page
    page.number.setText("20260001")
    page.pin.setText(fake.pin if pin is None else pin)
    page.token.setText(fake.session_token if token is None else token)
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)


def to_exam(qtbot, station: StationWindow, fake: FakeServer) -> None:
    login(qtbot, station, fake)
    at(qtbot, station, Phase.IDENTITY)
    qtbot.mouseClick(station.identity_page.confirm_button, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.INSTRUCTIONS)
    station.instructions_page.agree.setChecked(True)
    qtbot.mouseClick(station.instructions_page.start, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.EXAM)


def visible_text(widget) -> str:
    from cbt_client.ui.qt import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


# ---------------------------------------------------------------------- login


def test_the_station_connects_then_asks_for_a_login(qtbot, station: StationWindow) -> None:
    at(qtbot, station, Phase.LOGIN)
    qtbot.waitUntil(lambda: "Server tersambung" in station.login_page.band.status.text())
    qtbot.waitUntil(station.login_page.number.hasFocus, timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("refusal", "words"),
    [
        (e.WrongPinError("x", status=401, code="wrong_pin", attempts_left=2), "Sisa percobaan: 2"),
        (e.WrongPinError("x", status=401, code="wrong_pin", retry_after_s=90), "1 menit 30 detik"),
        (
            e.CandidateLockedError("x", status=423, code="candidate_locked", retry_after_s=600),
            "10 menit",
        ),
        (e.WrongSessionTokenError("x", status=403, code="wrong_session_token"), "Token sesi salah"),
        (e.SeatInUseError("x", status=409, code="seat_in_use"), "komputer lain"),
        (e.SessionNotOpenError("x", status=409, code="session_not_open"), "belum dibuka"),
        (e.ServerRefusedError("Server says no.", status=409, code="new"), "Server says no."),
        (e.ServerUnreachableError("down", url="https://x"), "tidak dapat dihubungi"),
        (
            e.PracticeOnlyError(session=None),
            "Stasiun latihan tidak dapat dipakai untuk sesi ujian sebenarnya",
        ),
    ],
)
def test_every_refusal_is_said_plainly(
    qtbot, station: StationWindow, fake: FakeServer, refusal: e.ClientError, words: str
) -> None:
    fake.refuse_login = refusal
    login(qtbot, station, fake)
    notice = station.login_page.notice
    qtbot.waitUntil(notice.isVisible, timeout=TIMEOUT)
    assert words in notice.text()
    assert station.login_page.submit.isEnabled()
    assert station.session.phase == Phase.LOGIN


def test_a_wrong_pin_clears_the_pin_and_keeps_the_number(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    login(qtbot, station, fake, pin="999999")
    qtbot.waitUntil(station.login_page.notice.isVisible, timeout=TIMEOUT)
    assert station.login_page.pin.text() == ""
    assert station.login_page.number.text() == "20260001"


def test_an_incomplete_login_is_not_sent(qtbot, station: StationWindow, fake: FakeServer) -> None:
    at(qtbot, station, Phase.LOGIN)
    qtbot.mouseClick(station.login_page.submit, Qt.MouseButton.LeftButton)
    assert "Data belum lengkap" in station.login_page.notice.text()
    assert fake.token is None


def test_the_token_is_typed_in_capitals(qtbot, station: StationWindow) -> None:
    at(qtbot, station, Phase.LOGIN)
    qtbot.keyClicks(station.login_page.token, "k7p2qx")
    assert station.login_page.token.text() == "K7P2QX"


def test_a_practice_station_refused_by_a_real_session_says_so_in_english_too(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    fake.refuse_login = e.PracticeOnlyError(session=None)
    station.set_language("en")
    login(qtbot, station, fake)
    qtbot.waitUntil(station.login_page.notice.isVisible, timeout=TIMEOUT)
    assert (
        "A practice station cannot be used for a real exam session"
        in station.login_page.notice.text()
    )
    station.set_language("id")


# ---------------------------------------------------------------------- identity, instructions


def test_outside_the_kiosk_the_instructions_say_why_the_exam_cannot_start(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    station.session.refuse_start("not_in_kiosk", "not inside cage")
    login(qtbot, station, fake)
    at(qtbot, station, Phase.IDENTITY)
    qtbot.mouseClick(station.identity_page.confirm_button, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.INSTRUCTIONS)
    notice = station.instructions_page.notice
    assert notice.isVisible()
    assert "mode kios" in notice.text()
    qtbot.waitUntil(lambda: [k for k, _ in fake.incidents] == ["not_in_kiosk"], timeout=TIMEOUT)
    station.instructions_page.agree.setChecked(True)
    qtbot.mouseClick(station.instructions_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(notice.isVisible, timeout=TIMEOUT)
    assert "Angkat tangan" in notice.text()
    assert station.session.phase == Phase.INSTRUCTIONS
    assert fake.state == "identity"


def test_identity_shows_who_and_not_me_goes_back(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    login(qtbot, station, fake)
    at(qtbot, station, Phase.IDENTITY)
    text = visible_text(station.identity_page)
    for words in ("Budi Santoso", "20260001", "Analis Kebijakan", "Umum", "S1", "PC-01"):
        assert words in text
    qtbot.waitUntil(
        lambda: station.identity_page.photo.accessibleName() == "Foto peserta", timeout=TIMEOUT
    )
    qtbot.mouseClick(station.identity_page.reject_button, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.LOGIN)


def test_a_missing_photo_shows_a_placeholder(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    fake.photo_bytes = None
    login(qtbot, station, fake)
    at(qtbot, station, Phase.IDENTITY)
    assert station.identity_page.photo.accessibleName() == "Foto tidak tersedia"
    assert not station.identity_page.photo.pixmap().isNull()


def test_instructions_need_a_deliberate_start(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    login(qtbot, station, fake)
    at(qtbot, station, Phase.IDENTITY)
    station.identity_page.confirm_button.click()
    at(qtbot, station, Phase.INSTRUCTIONS)
    page = station.instructions_page
    text = visible_text(page)
    assert "100 menit" in text
    assert "Tes Wawasan Kebangsaan" in text
    assert "soal 1–4" in text
    assert not page.start.isEnabled()
    page.agree.setChecked(True)
    assert page.start.isEnabled()
    assert page.start.text() == "Mulai Ujian"
    qtbot.mouseClick(page.start, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.EXAM)
    assert fake.state == "in_progress"


# ---------------------------------------------------------------------- the exam


def test_the_exam_by_keyboard(qtbot, station: StationWindow, fake: FakeServer) -> None:
    to_exam(qtbot, station, fake)
    s, page = station.session, station.exam_page
    qtbot.keyClick(page, Qt.Key.Key_B)
    assert s.answer(1).choice == "B"
    assert page.question.cards[1].property("selected") == "true"
    qtbot.keyClick(page, Qt.Key.Key_Right)
    assert s.current == 2
    qtbot.keyClick(page, Qt.Key.Key_R)
    assert s.answer(2).doubtful
    assert page.doubt.isChecked()
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert s.current == 3
    qtbot.keyClick(page, Qt.Key.Key_Left)
    assert s.current == 2
    qtbot.keyClick(page, Qt.Key.Key_Down)
    qtbot.keyClick(page, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.question.cards[1]
    qtbot.keyClick(page.question.cards[1], Qt.Key.Key_Space)
    assert s.answer(2).choice == "B"
    qtbot.keyClick(page, Qt.Key.Key_End)
    assert s.current == 10
    qtbot.keyClick(page, Qt.Key.Key_Home)
    assert s.current == 1
    qtbot.keyClick(page, Qt.Key.Key_PageDown)
    assert s.current == 5  # the first TIU item
    assert "Tes Intelegensia Umum" in page.question.section_name.text()
    qtbot.keyClick(page, Qt.Key.Key_PageUp)
    assert s.current == 1
    qtbot.keyClick(page, Qt.Key.Key_Z)  # not an option: nothing happens
    assert s.answer(1).choice == "B"
    qtbot.waitUntil(
        lambda: fake.answers.get(2) is not None and fake.answers[2].choice == "B", timeout=TIMEOUT
    )


def test_clicks_the_grid_and_the_colours(qtbot, station: StationWindow, fake: FakeServer) -> None:
    to_exam(qtbot, station, fake)
    page = station.exam_page
    qtbot.mouseClick(page.question.cards[3], Qt.MouseButton.LeftButton)
    assert station.session.answer(1).choice == "D"
    qtbot.mouseClick(page.navigator.cells[5], Qt.MouseButton.LeftButton)
    assert station.session.current == 5
    qtbot.mouseClick(page.doubt, Qt.MouseButton.LeftButton)
    cells = page.navigator.cells
    assert cells[1].property("state") == "answered"
    assert cells[5].property("state") == "doubtful"
    assert cells[5].property("current") == "true"
    assert cells[2].property("state") == "blank"
    assert "Dijawab  (1)" in visible_text(page.navigator)
    # The table and the pictures of item 5 are rendered from the payload.
    assert "<table" in page.question.stem.text()
    assert "data:image/png;base64," in (page.question.stem.text())
    assert page.question.cards[0].compact  # picture-only options side by side
    qtbot.mouseClick(page.previous, Qt.MouseButton.LeftButton)
    assert station.session.current == 4
    assert not page.question.cards[0].compact


def test_save_status_goes_offline_and_back(
    qtbot, station: StationWindow, fake: FakeServer, clock: Monotonic
) -> None:
    to_exam(qtbot, station, fake)
    status = station.exam_page.bar.status
    qtbot.waitUntil(lambda: status.text().endswith("Tersimpan"), timeout=TIMEOUT)
    fake.down = True
    station.session.choose("A")
    qtbot.waitUntil(lambda: "Offline" in status.text(), timeout=TIMEOUT)
    assert "disimpan di PC ini" in status.text()
    assert status.property("state") == "offline"
    station.session.next_item()
    station.session.choose("C")  # the exam goes on offline
    assert station.session.unsent == 2
    fake.down = False
    qtbot.waitUntil(lambda: status.text().endswith("Tersimpan"), timeout=TIMEOUT)
    assert fake.answers[2].choice == "C"


def test_the_countdown_turns_amber_then_red(
    qtbot, station: StationWindow, fake: FakeServer, clock: Monotonic
) -> None:
    to_exam(qtbot, station, fake)
    clock_label = station.exam_page.bar.clock
    qtbot.waitUntil(lambda: clock_label.property("urgency") == "calm", timeout=TIMEOUT)
    fake.remaining_s = 10 * 60
    qtbot.waitUntil(lambda: clock_label.property("urgency") == "amber", timeout=TIMEOUT)
    assert clock_label.text().startswith("00:1") or clock_label.text().startswith("00:09")
    fake.remaining_s = 60
    qtbot.waitUntil(lambda: clock_label.property("urgency") == "red", timeout=TIMEOUT)


def test_time_over_offline_then_the_result(
    qtbot, station: StationWindow, fake: FakeServer, clock: Monotonic
) -> None:
    to_exam(qtbot, station, fake)
    fake.down = True
    station.session.choose("E")
    clock.advance(fake.remaining_s + 5)
    at(qtbot, station, Phase.TIME_OVER)
    assert "Waktu ujian telah habis" in visible_text(station.time_over_page)
    fake.down, fake.remaining_s = False, 0
    at(qtbot, station, Phase.RESULT)
    assert fake.answers[1].choice == "E"


def test_pause_message_and_extension_from_the_proctor(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    fake.commands = [
        Command(1, "message", text="Periksa nomor 7"),
        Command(2, "extend", minutes=10),
    ]
    qtbot.waitUntil(station.banner.isVisible, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "10 menit" in station.banner_text.text(), timeout=TIMEOUT)
    fake.paused = True
    page = station.exam_page
    qtbot.waitUntil(lambda: page.main.currentWidget() is page.paused_panel, timeout=TIMEOUT)
    qtbot.keyClick(page, Qt.Key.Key_A)
    assert station.session.answer(1).choice is None
    fake.paused = False
    qtbot.waitUntil(lambda: page.main.currentWidget() is page.work, timeout=TIMEOUT)


def test_finish_lists_what_is_left_and_needs_confirmation(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    s = station.session
    s.choose("A")
    s.go_to(3)
    s.choose("B")
    s.toggle_doubtful()
    qtbot.mouseClick(station.exam_page.navigator.finish, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.FINISH)
    page = station.finish_page
    assert [v.text() for v in page.tile_values] == ["2", "1", "8"]
    chips = [b.text() for b in page.blank_grid_holder.findChildren(QPushButton)]
    assert sorted(map(int, chips)) == [2, 4, 5, 6, 7, 8, 9, 10]
    assert not page.submit.isEnabled()
    chip = next(b for b in page.blank_grid_holder.findChildren(QPushButton) if b.text() == "7")
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.EXAM)
    assert s.current == 7
    s.request_finish()
    at(qtbot, station, Phase.FINISH)
    fake.down = True
    page.confirm.setChecked(True)
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.notice.isVisible, timeout=TIMEOUT)
    assert "tidak dapat dihubungi" in page.notice.text()
    assert s.phase == Phase.FINISH
    fake.down = False
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    at(qtbot, station, Phase.RESULT)


def test_the_result_shows_the_servers_numbers_and_reasons(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    station.session.choose("A")
    station.session.request_finish()
    at(qtbot, station, Phase.FINISH)
    station.finish_page.confirm.setChecked(True)
    station.finish_page.submit.click()
    at(qtbot, station, Phase.RESULT)
    text = visible_text(station.result_page)
    expected = fake.result_record()
    assert f"{expected.total} / 550" in text
    assert "TIDAK MEMENUHI AMBANG BATAS" in text
    assert "TWK di bawah ambang batas 65" in station.result_page.reasons.text()
    assert "ABCD-EFGH-JKLM" in station.result_page.recorded.text()
    assert "tercatat" in station.result_page.recorded.text()
    assert "Memenuhi" in text
    assert "Tidak memenuhi" in text


# ---------------------------------------------------------------------- lockdown


def test_a_copy_shortcut_is_swallowed_and_the_clipboard_kept_empty(
    qtbot, station: StationWindow
) -> None:
    at(qtbot, station, Phase.LOGIN)
    clipboard = QGuiApplication.clipboard()
    field = station.login_page.number
    field.setText("20260001")
    field.setFocus()
    with qtbot.waitSignal(station.key_guard.swallowed, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["Ctrl+A"]
    field.selectAll()
    with qtbot.waitSignal(station.key_guard.swallowed, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["Ctrl+C"]
    assert clipboard.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)  # paste
    assert field.text() == "20260001"
    # Something else puts text on the clipboard: it is cleared at once.
    with qtbot.waitSignal(station.clipboard_guard.cleared, timeout=TIMEOUT):
        clipboard.setText("contekan", QClipboard.Mode.Clipboard)
    assert clipboard.text() == ""
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(2, 2), QPoint(2, 2))
    assert station.key_guard.eventFilter(field, menu) is True  # no context menu, anywhere
    QApplication.sendEvent(field, menu)
    assert not any(
        w.isVisible()
        for w in QApplication.topLevelWidgets()
        if w.metaObject().className() == "QMenu"
    )


def test_escape_alt_f4_and_close_do_not_leave_the_exam(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    with qtbot.waitSignal(station.key_guard.swallowed, timeout=TIMEOUT):
        qtbot.keyClick(station.exam_page, Qt.Key.Key_Escape)
    with qtbot.waitSignal(station.key_guard.swallowed, timeout=TIMEOUT):
        qtbot.keyClick(station.exam_page, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert station.close() is False
    assert station.isVisible()
    assert station.session.phase == Phase.EXAM


def test_the_proctor_exit_code_opens_the_way_out(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    mods = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    assert PROCTOR_EXIT.key == "F12"
    qtbot.keyClick(station.exam_page, Qt.Key.Key_F12, mods)
    dialog = station.exit_dialog
    assert isinstance(dialog, ExitCodeDialog)
    assert dialog.isVisible()
    dialog.code.setText("000000")
    dialog.leave.click()
    assert dialog.notice.isVisible()
    assert station.isVisible()
    dialog.code.setText("271828")
    with qtbot.waitSignal(station.closed, timeout=TIMEOUT):
        dialog.leave.click()
    assert not station.isVisible()


def test_leaving_is_allowed_after_the_result(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    station.session.request_finish()
    at(qtbot, station, Phase.FINISH)
    station.finish_page.confirm.setChecked(True)
    station.finish_page.submit.click()
    at(qtbot, station, Phase.RESULT)
    with qtbot.waitSignal(station.closed, timeout=TIMEOUT):
        qtbot.mouseClick(station.result_page.exit, Qt.MouseButton.LeftButton)


def test_focus_loss_is_reported_at_once_and_the_server_can_lock(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    fake.lock_on_incident = True
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    with qtbot.waitSignal(station.desktop.reported, timeout=TIMEOUT) as blocker:
        app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert blocker.args == ["focus_lost"]
    qtbot.waitUntil(lambda: [k for k, _ in fake.incidents] == ["focus_lost"], timeout=TIMEOUT)
    at(qtbot, station, Phase.LOCKED)
    lock = station.lock_page
    assert "ditinggalkan" in lock.reason.text()
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    lock.code.setText("111111")
    qtbot.mouseClick(lock.unlock, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lock.notice.isVisible, timeout=TIMEOUT)
    assert "Kode buka salah" in lock.notice.text()
    lock.code.setText(fake.unlock_code)
    qtbot.keyClick(lock.code, Qt.Key.Key_Return)
    at(qtbot, station, Phase.EXAM)


def test_a_screen_plugged_in_is_reported(qtbot, station: StationWindow, fake: FakeServer) -> None:
    to_exam(qtbot, station, fake)
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.screenAdded.emit(app.primaryScreen())
    qtbot.waitUntil(lambda: [k for k, _ in fake.incidents] == ["screen_added"], timeout=TIMEOUT)


def test_a_released_seat_returns_to_login_with_a_reason(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    to_exam(qtbot, station, fake)
    fake.token = None
    at(qtbot, station, Phase.LOGIN)
    qtbot.waitUntil(station.login_page.notice.isVisible, timeout=TIMEOUT)
    assert "tidak berlaku lagi" in station.login_page.notice.text()


# ---------------------------------------------------------------------- look and access


def test_font_size_and_high_contrast(qtbot, station: StationWindow, fake: FakeServer) -> None:
    to_exam(qtbot, station, fake)
    page = station.exam_page
    before = station.styleSheet()
    qtbot.keyClick(page, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert station.scale > 1.0
    assert station.styleSheet() != before
    qtbot.mouseClick(page.bar.smaller, Qt.MouseButton.LeftButton)
    assert station.scale == 1.0
    qtbot.mouseClick(page.bar.contrast, Qt.MouseButton.LeftButton)
    assert station.high_contrast
    assert "#000000" in station.styleSheet()


@pytest.mark.parametrize("size", [(1024, 768), (3840, 2160)])
def test_the_exam_fits_small_and_large_screens(
    qtbot, station: StationWindow, fake: FakeServer, size: tuple[int, int]
) -> None:
    to_exam(qtbot, station, fake)
    station.resize(*size)
    qtbot.waitUntil(lambda: station.size().width() == size[0], timeout=TIMEOUT)
    page = station.exam_page
    for widget in (page.next, page.previous, page.doubt, page.navigator.finish, page.bar.clock):
        corner = widget.mapTo(station, widget.rect().bottomRight())
        assert widget.isVisible()
        assert corner.x() <= size[0]
        assert corner.y() <= size[1]


def test_every_control_has_a_name(qtbot, station: StationWindow, fake: FakeServer) -> None:
    to_exam(qtbot, station, fake)
    station.session.request_finish()
    at(qtbot, station, Phase.FINISH)
    for page in station.pages.values():
        for control in page.findChildren(QPushButton) + page.findChildren(QLineEdit):
            name = control.accessibleName() or (
                control.text() if isinstance(control, QPushButton) else ""
            )
            assert name, f"{type(page).__name__}: a control without a name"
    for card in station.exam_page.question.cards:
        assert card.accessibleName().startswith(card.label)


def test_link_state_is_reported_on_the_login_page(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    at(qtbot, station, Phase.LOGIN)
    fake.down = True
    qtbot.waitUntil(lambda: station.session.link == Link.OFFLINE, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: "belum tersambung" in station.login_page.band.status.text(), timeout=TIMEOUT
    )


def test_from_login_to_the_result_by_keyboard_only(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    at(qtbot, station, Phase.LOGIN)
    qtbot.waitUntil(station.login_page.number.hasFocus, timeout=TIMEOUT)

    def type_into_focus(text: str) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    type_into_focus("20260001")
    assert station.login_page.pin.hasFocus()
    type_into_focus(fake.pin)
    type_into_focus(fake.session_token.lower())
    at(qtbot, station, Phase.IDENTITY)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(QApplication.focusWidget(), key)

    qtbot.waitUntil(station.identity_page.confirm_button.hasFocus, timeout=TIMEOUT)
    press(Qt.Key.Key_Space)
    at(qtbot, station, Phase.INSTRUCTIONS)
    qtbot.waitUntil(station.instructions_page.agree.hasFocus, timeout=TIMEOUT)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Tab)
    assert station.instructions_page.start.hasFocus()
    press(Qt.Key.Key_Space)
    at(qtbot, station, Phase.EXAM)
    for letter in (Qt.Key.Key_A, Qt.Key.Key_B, Qt.Key.Key_C):
        qtbot.keyClick(station.exam_page, letter)
        qtbot.keyClick(station.exam_page, Qt.Key.Key_Return)
    assert [station.session.answer(n).choice for n in (1, 2, 3)] == ["A", "B", "C"]
    station.exam_page.navigator.finish.setFocus()
    qtbot.keyClick(station.exam_page.navigator.finish, Qt.Key.Key_Return)  # Enter activates
    at(qtbot, station, Phase.FINISH)
    qtbot.waitUntil(station.finish_page.back.hasFocus, timeout=TIMEOUT)
    station.finish_page.confirm.setFocus()
    press(Qt.Key.Key_Space)
    assert station.finish_page.confirm.isChecked()
    for _ in range(10):
        press(Qt.Key.Key_Tab)
        if QApplication.focusWidget() is station.finish_page.submit:
            break
    assert QApplication.focusWidget() is station.finish_page.submit
    press(Qt.Key.Key_Space)
    at(qtbot, station, Phase.RESULT)


def test_a_bug_in_an_action_is_shown_calmly(
    qtbot, station: StationWindow, fake: FakeServer
) -> None:
    from cbt_client.ui.qt import QMessageBox

    at(qtbot, station, Phase.LOGIN)
    fake.refuse_login = ValueError("a bug")  # type: ignore[assignment]
    login(qtbot, station, fake)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=TIMEOUT,
    )
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
    assert "Terjadi kesalahan" in box.text()
    assert "tidak terduga" in station.login_page.notice.text()
    box.accept()
