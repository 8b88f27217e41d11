"""The station window: one page per phase, wired to the session through the bridge.

The window decides nothing about the exam: it shows the page the session's
phase names, hands what the person did to the session (local actions
directly, network ones through the courier), and applies the lockdown the
policy describes (fullscreen, on top, no closing, guarded keys and clipboard).
"""

from __future__ import annotations

import logging

from cbt_client import errors as e
from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.hardening import Hardening
from cbt_client.lockdown import Lockdown
from cbt_client.session import Event, EventKind, ExamSession, Link, Phase
from cbt_client.ui.bridge import SessionBridge
from cbt_client.ui.error_dialogs import describe, show_error
from cbt_client.ui.i18n import Languages
from cbt_client.ui.lockdown import ClipboardGuard, DesktopWatcher, KeyGuard
from cbt_client.ui.pages.exam import ExamPage
from cbt_client.ui.pages.finish import FinishPage
from cbt_client.ui.pages.identity import IdentityPage
from cbt_client.ui.pages.instructions import InstructionsPage
from cbt_client.ui.pages.login import LoginPage
from cbt_client.ui.pages.result import ResultPage
from cbt_client.ui.pages.waiting import ConnectPage, LockPage, TimeOverPage
from cbt_client.ui.qt import (
    QApplication,
    QCloseEvent,
    QDialog,
    QEvent,
    QFont,
    QFontDatabase,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QShowEvent,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from cbt_client.ui.theme import (
    CALM,
    FONT_FAMILIES,
    HIGH_CONTRAST,
    SCALES,
    pick_family,
    stylesheet,
)
from cbt_client.ui.widgets import NoticeLabel, label

log = logging.getLogger("cbt_client.ui")


class ExitCodeDialog(QDialog):
    """The proctor's way out: asks for the exit code; the window checks it."""

    def __init__(self, parent: QWidget, lockdown: Lockdown) -> None:
        super().__init__(parent)
        self.lockdown = lockdown
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setMinimumWidth(420)
        column = QVBoxLayout(self)
        column.setContentsMargins(28, 24, 28, 24)
        column.setSpacing(10)
        self.heading = label(self.tr("Keluar dari aplikasi ujian"), role="h2")
        self.caption = label(self.tr("KODE KELUAR PENGAWAS"), role="caption")
        self.code = QLineEdit()
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setAccessibleName(self.tr("Kode keluar pengawas"))
        self.caption.setBuddy(self.code)
        self.notice = NoticeLabel()
        row = QHBoxLayout()
        self.cancel = QPushButton(self.tr("Batal"))
        self.leave = QPushButton(self.tr("Keluar"))
        self.leave.setProperty("kind", "danger")
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.leave)
        for widget in (self.heading, self.caption, self.code, self.notice):
            column.addWidget(widget)
        column.addLayout(row)
        self.cancel.clicked.connect(self.reject)
        self.leave.clicked.connect(self._on_leave_clicked)
        self.code.returnPressed.connect(self._on_leave_clicked)
        if lockdown.exit_code_hash is None:
            self.code.setEnabled(False)
            self.leave.setEnabled(False)
            self.notice.show_notice(
                describe(e.ConfigError("no proctor exit code is configured on this station"))
            )

    def _on_leave_clicked(self) -> None:
        if self.lockdown.exit_code_matches(self.code.text()):
            self.accept()
            return
        self.code.clear()
        self.notice.show_notice(
            describe(e.WrongUnlockCodeError("wrong exit code", status=0, code="local"))
        )


class StationWindow(QWidget):
    """The candidate's whole screen."""

    closed = Signal()

    def __init__(
        self,
        session: ExamSession,
        courier: Courier,
        config: StationConfig,
        *,
        lockdown: Lockdown,
        hardening: Hardening | None = None,
        languages: Languages | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("StationWindow")
        self.setWindowTitle("CBT Station")
        self.session, self.courier, self.config = session, courier, config
        self.lockdown = lockdown
        self.hardening = hardening or Hardening()
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("StationWindow needs a QApplication")
        self.app = app
        self.languages = languages or Languages(app)
        self.bridge = SessionBridge(session, courier)
        self.bridge.event_arrived.connect(self._on_bridge_event_arrived)
        self.bridge.action_done.connect(self._on_bridge_action_done)
        self.bridge.action_failed.connect(self._on_bridge_action_failed)
        self.scale_index = SCALES.index(1.0)
        self.high_contrast = False
        self._exit_authorised = False
        self._shut = False
        self._loaded_form: object = None
        self.exit_dialog: ExitCodeDialog | None = None

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.banner = QFrame()
        self.banner.setObjectName("Banner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(20, 10, 12, 10)
        self.banner_text = label(role="value", wrap=True)
        self.banner_close = QPushButton()
        self.banner_close.clicked.connect(self.banner.hide)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.banner_close)
        self.banner.hide()
        column.addWidget(self.banner)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)

        practice = session.practice
        self.connect_page = ConnectPage(station_id=session.workstation)
        self.login_page = LoginPage(station_id=session.workstation, practice=practice)
        self.identity_page = IdentityPage()
        self.instructions_page = InstructionsPage()
        self.exam_page = ExamPage()
        self.finish_page = FinishPage()
        self.time_over_page = TimeOverPage()
        self.lock_page = LockPage()
        self.result_page = ResultPage()
        self.pages: dict[Phase, QWidget] = {
            Phase.CONNECT: self.connect_page,
            Phase.LOGIN: self.login_page,
            Phase.IDENTITY: self.identity_page,
            Phase.INSTRUCTIONS: self.instructions_page,
            Phase.EXAM: self.exam_page,
            Phase.FINISH: self.finish_page,
            Phase.TIME_OVER: self.time_over_page,
            Phase.LOCKED: self.lock_page,
            Phase.RESULT: self.result_page,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self._wire_pages()

        self.key_guard = KeyGuard(lockdown)
        self.key_guard.proctor_exit_requested.connect(self._on_key_guard_proctor_exit)
        self.clipboard_guard = ClipboardGuard(QApplication.clipboard(), lockdown)
        self.desktop = DesktopWatcher(app, session, lockdown)
        self.tick = QTimer(self)
        self.tick.setInterval(250)
        self.tick.timeout.connect(self._on_tick_timeout)

        self.family = pick_family(QFontDatabase.families())
        font = QFont()
        font.setFamilies([self.family, *FONT_FAMILIES] if self.family else FONT_FAMILIES)
        self.setFont(font)
        self.apply_theme()
        self._retranslate()
        self._render_phase()

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Install the guards and start listening; call once, after the window exists."""
        self.app.installEventFilter(self.key_guard)
        self.clipboard_guard.start()
        self.desktop.start()
        self.tick.start()
        if self.session.phase == Phase.CONNECT:
            self.courier.wake()

    def shutdown(self) -> None:
        """Stop the guards and the courier; clear the clipboard one last time."""
        if self._shut:
            return
        self._shut = True
        self.tick.stop()
        self.app.removeEventFilter(self.key_guard)
        self.desktop.stop()
        self.clipboard_guard.stop()
        self.bridge.close()
        self.courier.stop(timeout_s=3.0)  # a daemon thread: an in-flight request may linger
        self.hardening.stop()

    def enter_kiosk(self) -> None:
        """Frameless, on top, fullscreen (the lockdown look); windowed in practice mode."""
        if self.lockdown.enforced:
            self.setWindowFlags(
                Qt.WindowType.Window
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
            self.showFullScreen()
        else:
            self.resize(1366, 768)
            self.show()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.lockdown.enforced:
            self.hardening.protect_window(int(self.winId()))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._exit_authorised or self.lockdown.may_close(self.session.phase):
            self.shutdown()
            event.accept()
            self.closed.emit()
            return
        log.info("close refused in phase %s", self.session.phase.value)
        event.ignore()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ look

    @property
    def scale(self) -> float:
        return SCALES[self.scale_index]

    def apply_theme(self) -> None:
        palette = HIGH_CONTRAST if self.high_contrast else CALM
        self.setStyleSheet(stylesheet(palette, self.scale, self.family))
        self.exam_page.scale = self.scale
        if self.session.phase == Phase.EXAM and self.session.form is not None:
            self.exam_page.show_item(
                self.session.current, self.session.answer(self.session.current)
            )

    def step_font(self, step: int) -> None:
        index = max(0, min(len(SCALES) - 1, self.scale_index + step))
        if index != self.scale_index:
            self.scale_index = index
            self.apply_theme()

    def set_high_contrast(self, on: bool) -> None:
        if on != self.high_contrast:
            self.high_contrast = on
            self.apply_theme()

    def set_language(self, language: str) -> None:
        if self.languages.use(language):
            self.login_page.language = self.languages.current
            self.result_page.language = self.languages.current
            self._retranslate()

    def _retranslate(self) -> None:
        self.banner_close.setText(self.tr("Tutup"))
        for page in self.pages.values():
            retranslate = getattr(page, "retranslate", None)
            if callable(retranslate):
                retranslate()
        self._render_links()

    # ------------------------------------------------------------------ wiring

    def _wire_pages(self) -> None:
        s = self.session
        self.login_page.login_requested.connect(self._on_login_page_login_requested)
        self.login_page.language_requested.connect(self.set_language)
        self.identity_page.confirmed.connect(s.confirm_identity)
        self.identity_page.rejected.connect(lambda: s.sign_out())
        self.instructions_page.start_requested.connect(self._on_instructions_page_start)
        exam = self.exam_page
        exam.answer_chosen.connect(lambda label_: s.choose(label_))
        exam.doubt_toggled.connect(lambda: s.toggle_doubtful())
        exam.item_requested.connect(s.go_to)
        exam.next_requested.connect(s.next_item)
        exam.previous_requested.connect(s.previous_item)
        exam.finish_requested.connect(s.request_finish)
        exam.font_step.connect(self.step_font)
        exam.contrast_toggled.connect(self.set_high_contrast)
        self.finish_page.back_requested.connect(s.return_to_exam)
        self.finish_page.item_requested.connect(s.go_to)
        self.finish_page.submit_confirmed.connect(self._on_finish_page_submit)
        self.lock_page.unlock_requested.connect(self._on_lock_page_unlock)
        self.result_page.exit_requested.connect(self._on_result_page_exit)

    def _on_login_page_login_requested(self, number: str, pin: str, token: str) -> None:
        self.login_page.set_busy(True)
        self.bridge.run(
            "login", lambda: self.session.login(number=number, pin=pin, session_token=token)
        )

    def _on_instructions_page_start(self) -> None:
        self.instructions_page.set_busy(True)
        self.bridge.run("start", self.session.start)

    def _on_finish_page_submit(self) -> None:
        self.finish_page.set_busy(True)
        self.bridge.run("submit", self.session.submit)

    def _on_lock_page_unlock(self, code: str) -> None:
        self.lock_page.set_busy(True)
        self.bridge.run("unlock", lambda: self.session.unlock(code))

    def _on_result_page_exit(self) -> None:
        if self.session.practice:
            self.session.sign_out()
            return
        self.close()

    def _on_key_guard_proctor_exit(self) -> None:
        dialog = ExitCodeDialog(self, self.lockdown)
        dialog.setStyleSheet(self.styleSheet())
        dialog.show()
        if self.lockdown.enforced:
            self.hardening.protect_window(int(dialog.winId()))
        dialog.accepted.connect(self._on_exit_dialog_accepted)
        self.exit_dialog = dialog

    def _on_exit_dialog_accepted(self) -> None:
        log.warning("the proctor's exit code was entered: leaving")
        self._exit_authorised = True
        self.close()

    # ------------------------------------------------------------------ what the core said

    def _on_bridge_event_arrived(self, event: Event) -> None:
        kind = event.kind
        if kind == EventKind.PHASE:
            self._render_phase()
        elif kind == EventKind.ITEM:
            self._render_item()
        elif kind == EventKind.ANSWERS:
            self._render_answers()
        elif kind == EventKind.LINK:
            self._render_links()
        elif kind == EventKind.CLOCK:
            self._on_tick_timeout()
        elif kind == EventKind.MESSAGE:
            self._show_banner(event)
        elif kind == EventKind.SIGNED_OUT and event.error is not None:
            self.login_page.show_notice(describe(event.error))

    def _on_bridge_action_done(self, name: str, result: object) -> None:
        if name == "photo":
            self.identity_page.show_photo(result if isinstance(result, bytes) else None)
        elif name == "login":
            self.login_page.set_busy(False)
        elif name == "start":
            self.instructions_page.set_busy(False)
        elif name == "submit":
            self.finish_page.set_busy(False)
        elif name == "unlock":
            self.lock_page.set_busy(False)

    def _on_bridge_action_failed(self, name: str, error: object) -> None:
        if not isinstance(error, BaseException):
            return  # cancelled while closing
        notice = describe(error)
        if name == "login":
            self.login_page.set_busy(False)
            self.login_page.show_notice(notice)
            if isinstance(error, e.WrongPinError):
                self.login_page.pin.clear()
                self.login_page.pin.setFocus()
            elif isinstance(error, e.WrongSessionTokenError):
                self.login_page.token.clear()
                self.login_page.token.setFocus()
        elif name == "start":
            self.instructions_page.set_busy(False)
            self.instructions_page.show_notice(notice)
        elif name == "submit":
            self.finish_page.set_busy(False)
            self.finish_page.show_notice(notice)
        elif name == "unlock":
            self.lock_page.set_busy(False)
            self.lock_page.show_notice(notice)
        elif name != "photo":
            log.warning("action %s failed: %s", name, error)
        if not isinstance(error, e.ClientError):  # a bug: say so, calmly, and keep going
            box = show_error(self, error)
            if self.lockdown.enforced:
                self.hardening.protect_window(int(box.winId()))

    # ------------------------------------------------------------------ rendering

    def _render_phase(self) -> None:
        s = self.session
        phase = s.phase
        page = self.pages[phase]
        if phase == Phase.LOGIN:
            self.login_page.reset(keep_number=False)
            self._exit_from_exam()
        elif phase == Phase.IDENTITY and s.candidate and s.session_info:
            self.identity_page.show_candidate(s.candidate, s.session_info, s.workstation)
            self.bridge.run("photo", s.photo)
        elif phase == Phase.INSTRUCTIONS and s.session_info:
            self.instructions_page.show_session(s.session_info, resumed=s.started)
            refusal = s.start_refusal
            if refusal is not None:  # say it now, not only after "Mulai"
                self.instructions_page.show_notice(describe(refusal))
        elif phase == Phase.EXAM and s.form is not None:
            if self._loaded_form is not s.form:
                self._load_exam()
            self._render_item()
        elif phase == Phase.FINISH:
            self.finish_page.show_summary(
                s.tally(), s.numbers(answered=False), s.numbers(doubtful=True)
            )
            self.finish_page.show_remaining(s.remaining_s())
        elif phase == Phase.LOCKED:
            self.lock_page.show_lock(s.lock_reason)
        elif phase == Phase.RESULT and s.result is not None:
            self.result_page.show_result(s.result, s.candidate)
            self.clipboard_guard.clear()
        self.stack.setCurrentWidget(page)
        self._render_links()
        if phase == Phase.LOGIN:
            self.login_page.focus_first()

    def _exit_from_exam(self) -> None:
        self._loaded_form = None
        self.banner.hide()

    def _load_exam(self) -> None:
        s = self.session
        form = s.form
        if form is None:
            return
        images = {ref: data for ref in form.image_refs() if (data := s.image(ref)) is not None}
        who = ""
        if s.candidate is not None:
            who = f"{s.candidate.name}  ·  {s.candidate.number}"
        title = s.session_info.exam if s.session_info else form.title
        self.exam_page.load_form(form, images, title=title, who=who)
        self._loaded_form = form

    def _render_item(self) -> None:
        s = self.session
        if s.form is None or self._loaded_form is not s.form:
            return
        self.exam_page.show_item(s.current, s.answer(s.current))
        self._render_answers()

    def _render_answers(self) -> None:
        s = self.session
        if s.form is None or self._loaded_form is not s.form:
            return
        self.exam_page.show_answers(s.answers(), s.tally())
        self._render_links()

    def _render_links(self) -> None:
        link, unsent = self.session.link, self.session.unsent
        self.login_page.show_link(link)
        self.exam_page.show_link(link, unsent)
        self.time_over_page.show_link(link, unsent)

    def _show_banner(self, event: Event) -> None:
        if event.minutes:
            text = self.tr("Waktu ujian ditambah %1 menit oleh pengawas.").replace(
                "%1", str(event.minutes)
            )
        else:
            text = self.tr("Pesan dari pengawas: %1").replace("%1", event.text)
        self.banner_text.setText(text)
        self.banner.show()

    def _on_tick_timeout(self) -> None:
        s = self.session
        if s.phase in (Phase.EXAM, Phase.FINISH, Phase.TIME_OVER):
            remaining = s.remaining_s()
            self.exam_page.show_clock(remaining, s.urgency(), paused=s.paused)
            if s.phase == Phase.FINISH:
                self.finish_page.show_remaining(remaining)

    # ------------------------------------------------------------------ for tests and tools

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    @property
    def link(self) -> Link:
        return self.session.link
