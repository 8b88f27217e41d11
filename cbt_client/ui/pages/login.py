"""Login: participant number, PIN and the session token; the server's state; every refusal."""

from __future__ import annotations

from cbt_client.session import Link
from cbt_client.ui.error_dialogs import Notice
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.qt import QHBoxLayout, QLineEdit, QPushButton, Qt, QVBoxLayout, Signal
from cbt_client.ui.widgets import Card, NoticeLabel, label

TOKEN_LENGTH = 6


class LoginPage(PageFrame):
    login_requested = Signal(str, str, str)  # number, PIN, session token
    language_requested = Signal(str)

    def __init__(self, *, station_id: str, practice: bool) -> None:
        super().__init__(480)
        self.station_id, self.practice = station_id, practice
        self.language = "id"
        self.band.status.show()

        card = Card()
        form = QVBoxLayout(card)
        form.setContentsMargins(36, 32, 36, 32)
        form.setSpacing(8)
        self.heading = label(role="h1")
        self.lead = label(role="lead", wrap=True)
        self.practice_tag = label(role="caption")
        self.practice_tag.setVisible(practice)
        form.addWidget(self.practice_tag)
        form.addWidget(self.heading)
        form.addWidget(self.lead)
        form.addSpacing(14)

        self.number_caption = label(role="caption")
        self.number = QLineEdit()
        self.number.setMaxLength(32)
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_caption = label(role="caption")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(16)
        self.token_caption = label(role="caption")
        self.token = QLineEdit()
        self.token.setMaxLength(TOKEN_LENGTH)
        self.token.textEdited.connect(self._on_token_edited)
        for caption, field in (
            (self.number_caption, self.number),
            (self.pin_caption, self.pin),
            (self.token_caption, self.token),
        ):
            caption.setBuddy(field)
            field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            field.setDragEnabled(False)
            form.addWidget(caption)
            form.addWidget(field)
            form.addSpacing(8)
        self.number.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.token.setFocus)
        self.token.returnPressed.connect(self._on_submit_clicked)

        self.notice = NoticeLabel()
        form.addWidget(self.notice)
        form.addSpacing(6)
        self.submit = QPushButton()
        self.submit.setProperty("kind", "primary")
        self.submit.clicked.connect(self._on_submit_clicked)
        form.addWidget(self.submit)
        self.body_layout.addWidget(card)

        foot = QHBoxLayout()
        self.help = label(role="muted", wrap=True)
        self.language_button = QPushButton()
        self.language_button.setProperty("kind", "link")
        self.language_button.clicked.connect(self._on_language_clicked)
        foot.addWidget(self.help, 1)
        foot.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body_layout.addLayout(foot)
        self.setTabOrder(self.number, self.pin)
        self.setTabOrder(self.pin, self.token)
        self.setTabOrder(self.token, self.submit)
        self.setTabOrder(self.submit, self.language_button)
        self._busy = False
        self._link = Link.OFFLINE
        self.retranslate()

    # ------------------------------------------------------------------ rendering

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("CBT Station  ·  Ujian Berbasis Komputer"))
        self.band.meta.setText(self.tr("Komputer %1").replace("%1", self.station_id))
        self.practice_tag.setText(self.tr("MODE LATIHAN"))
        self.heading.setText(self.tr("Masuk Ujian"))
        self.lead.setText(
            self.tr(
                "Ketik nomor peserta dan PIN dari kartu peserta Anda, lalu token sesi yang "
                "ditampilkan pengawas."
            )
        )
        self.number_caption.setText(self.tr("NOMOR PESERTA"))
        self.pin_caption.setText(self.tr("PIN"))
        self.token_caption.setText(self.tr("TOKEN SESI"))
        self.number.setAccessibleName(self.tr("Nomor peserta"))
        self.pin.setAccessibleName(self.tr("PIN"))
        self.token.setAccessibleName(self.tr("Token sesi"))
        self.number.setPlaceholderText(self.tr("contoh: 20260001"))
        self.token.setPlaceholderText(self.tr("6 huruf/angka"))
        self.help.setText(
            self.tr("Butuh bantuan? Angkat tangan; pengawas akan datang ke meja Anda.")
        )
        self.language_button.setText("English" if self.language == "id" else "Bahasa Indonesia")
        self.language_button.setAccessibleName(
            "Switch to English" if self.language == "id" else "Ganti ke Bahasa Indonesia"
        )
        self._render_submit()
        self.show_link(self._link)

    def _render_submit(self) -> None:
        self.submit.setText(self.tr("Memeriksa…") if self._busy else self.tr("Masuk"))
        self.submit.setEnabled(not self._busy)
        self.submit.setAccessibleName(self.tr("Masuk"))

    def show_link(self, link: Link) -> None:
        self._link = link
        text = (
            self.tr("Server tersambung")
            if link != Link.OFFLINE
            else self.tr("Server belum tersambung")
        )
        self.band.status.show_link(link, text)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for field in (self.number, self.pin, self.token):
            field.setReadOnly(busy)
        self._render_submit()

    def show_notice(self, notice: Notice) -> None:
        self.notice.show_notice(notice)

    def reset(self, *, keep_number: bool = False) -> None:
        if not keep_number:
            self.number.clear()
        self.pin.clear()
        self.token.clear()
        self.set_busy(False)
        (self.pin if keep_number and self.number.text() else self.number).setFocus()

    def focus_first(self) -> None:
        target: QLineEdit = self.number
        if self.number.text():
            target = self.pin if not self.pin.text() else self.token
        target.setFocus()

    # ------------------------------------------------------------------ what the person did

    def _on_token_edited(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            position = self.token.cursorPosition()
            self.token.setText(upper)
            self.token.setCursorPosition(position)

    def _on_submit_clicked(self) -> None:
        if self._busy:
            return
        number, pin, token = self.number.text().strip(), self.pin.text(), self.token.text()
        for field, value in ((self.number, number), (self.pin, pin), (self.token, token)):
            if not value.strip():
                self.notice.show_notice(
                    Notice(
                        self.tr("Data belum lengkap"),
                        self.tr("Isi nomor peserta, PIN dan token sesi."),
                        "info",
                    )
                )
                field.setFocus()
                return
        self.notice.clear_notice()
        self.login_requested.emit(number, pin, token.strip().upper())

    def _on_language_clicked(self) -> None:
        self.language_requested.emit("en" if self.language == "id" else "id")
