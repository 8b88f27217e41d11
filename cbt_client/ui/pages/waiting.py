"""The quiet screens: connecting, locked (unlock code), and time over while offline."""

from __future__ import annotations

from cbt_client.session import Link
from cbt_client.ui.error_dialogs import Notice
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.qt import QFrame, QHBoxLayout, QLineEdit, QPushButton, Qt, QVBoxLayout, Signal
from cbt_client.ui.widgets import Card, NoticeLabel, StatusPill, label


class ConnectPage(PageFrame):
    def __init__(self, *, station_id: str) -> None:
        super().__init__(560)
        self.station_id = station_id
        card = Card()
        column = QVBoxLayout(card)
        column.setContentsMargins(36, 32, 36, 32)
        self.heading = label(role="h2")
        self.text = label(role="lead", wrap=True)
        column.addWidget(self.heading)
        column.addWidget(self.text)
        self.body_layout.addWidget(card)
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("CBT Station  ·  Ujian Berbasis Komputer"))
        self.band.meta.setText(self.tr("Komputer %1").replace("%1", self.station_id))
        self.heading.setText(self.tr("Menghubungkan ke server ujian…"))
        self.text.setText(self.tr("Mohon tunggu sebentar."))


class LockPage(PageFrame):
    unlock_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__(620)
        panel = QFrame()
        panel.setObjectName("LockPanel")
        column = QVBoxLayout(panel)
        column.setContentsMargins(36, 32, 36, 32)
        column.setSpacing(12)
        self.heading = label(role="h2", wrap=True)
        self.reason_caption = label(role="caption")
        self.reason = label(role="value", wrap=True)
        self.text = label(role="lead", wrap=True)
        column.addWidget(self.heading)
        column.addWidget(self.reason_caption)
        column.addWidget(self.reason)
        column.addWidget(self.text)
        column.addSpacing(8)
        self.code_caption = label(role="caption")
        self.code = QLineEdit()
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setMaxLength(16)
        self.code.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.code.returnPressed.connect(self._on_unlock_clicked)
        self.code_caption.setBuddy(self.code)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        self.unlock = QPushButton()
        self.unlock.setProperty("kind", "primary")
        self.unlock.clicked.connect(self._on_unlock_clicked)
        row.addWidget(self.unlock)
        column.addWidget(self.code_caption)
        column.addLayout(row)
        self.notice = NoticeLabel()
        column.addWidget(self.notice)
        self.body_layout.addWidget(panel)
        self._reason = ""
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Ujian Dihentikan Sementara"))
        self.heading.setText(self.tr("Ujian di komputer ini dihentikan sementara"))
        self.text.setText(
            self.tr(
                "Angkat tangan dan tunggu pengawas. Pengawas akan memberikan kode buka. "
                "Jawaban Anda aman; waktu ujian tetap berjalan."
            )
        )
        self.code_caption.setText(self.tr("KODE BUKA DARI PENGAWAS"))
        self.reason_caption.setText(self.tr("ALASAN"))
        self.code.setAccessibleName(self.tr("Kode buka dari pengawas"))
        self.unlock.setText(self.tr("Buka") if not self._busy else self.tr("Memeriksa…"))
        self._render_reason()

    def show_lock(self, reason: str) -> None:
        self._reason = reason
        self.code.clear()
        self.notice.clear_notice()
        self.set_busy(False)
        self._render_reason()
        self.code.setFocus()

    def reason_words(self, reason: str) -> str:
        """Incident kinds and lock reasons, in words a candidate understands."""
        words = {
            "focus_lost": self.tr("Aplikasi ujian ditinggalkan (jendela lain dibuka)."),
            "screen_added": self.tr("Layar tambahan dipasang pada komputer ini."),
            "multiple_screens": self.tr("Komputer ini memakai lebih dari satu layar."),
            "remote_session": self.tr("Komputer ini dikendalikan dari jarak jauh."),
            "not_in_kiosk": self.tr("Aplikasi ujian tidak berjalan dalam mode kios."),
            "proctor": self.tr("Dikunci oleh pengawas."),
        }
        return words.get(reason, reason)

    def _render_reason(self) -> None:
        self.reason.setText(self.reason_words(self._reason) if self._reason else "")
        self.reason.setVisible(bool(self._reason))
        self.reason_caption.setVisible(bool(self._reason))

    def show_notice(self, notice: Notice) -> None:
        self.notice.show_notice(notice)
        self.code.selectAll()
        self.code.setFocus()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock.setEnabled(not busy)
        self.unlock.setText(self.tr("Buka") if not busy else self.tr("Memeriksa…"))

    def _on_unlock_clicked(self) -> None:
        code = self.code.text().strip()
        if code and not self._busy:
            self.unlock_requested.emit(code)


class TimeOverPage(PageFrame):
    def __init__(self) -> None:
        super().__init__(620)
        card = Card()
        column = QVBoxLayout(card)
        column.setContentsMargins(36, 32, 36, 32)
        column.setSpacing(12)
        self.heading = label(role="h1", wrap=True)
        self.text = label(role="lead", wrap=True)
        self.status = StatusPill()
        column.addWidget(self.heading)
        column.addWidget(self.text)
        column.addWidget(self.status, 0, Qt.AlignmentFlag.AlignLeft)
        self.body_layout.addWidget(card)
        self._link = Link.OFFLINE
        self._unsent = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Waktu Habis"))
        self.heading.setText(self.tr("Waktu ujian telah habis"))
        self.text.setText(
            self.tr(
                "Jawaban Anda tersimpan di komputer ini dan dikirim otomatis saat server "
                "tersambung kembali. Jangan matikan komputer; hasil akan tampil di layar ini."
            )
        )
        self.show_link(self._link, self._unsent)

    def show_link(self, link: Link, unsent: int) -> None:
        self._link, self._unsent = link, unsent
        if link == Link.OFFLINE and unsent:
            text = self.tr("Menunggu server… %1 jawaban belum terkirim").replace("%1", str(unsent))
        elif link == Link.OFFLINE:
            text = self.tr("Menunggu server…")
        else:
            text = self.tr("Tersambung — mengirim dan menyelesaikan…")
        self.status.show_link(link, text)
