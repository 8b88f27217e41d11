"""Identity confirmation: who the server thinks is sitting here, with their photo."""

from __future__ import annotations

from cbt_client import wire
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.qt import QGridLayout, QHBoxLayout, QPushButton, QSize, Qt, QVBoxLayout, Signal
from cbt_client.ui.widgets import Card, PhotoView, Rule, label


class IdentityPage(PageFrame):
    confirmed = Signal()
    rejected = Signal()

    def __init__(self) -> None:
        super().__init__(820)
        card = Card()
        row = QHBoxLayout(card)
        row.setContentsMargins(32, 32, 32, 32)
        row.setSpacing(32)
        self.photo = PhotoView(QSize(180, 240))
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)

        column = QVBoxLayout()
        column.setSpacing(6)
        self.name_caption = label(role="caption")
        self.name = label(role="h1", wrap=True)
        column.addWidget(self.name_caption)
        column.addWidget(self.name)
        column.addSpacing(10)
        column.addWidget(Rule())
        column.addSpacing(10)
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(14)
        self._captions = [label(role="caption") for _ in range(6)]
        self._values = [label(role="value", wrap=True) for _ in range(6)]
        for i, (caption, value) in enumerate(zip(self._captions, self._values, strict=True)):
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(caption)
            cell.addWidget(value)
            grid.addLayout(cell, i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        row.addLayout(column, 1)
        self.body_layout.addWidget(card)

        self.hint = label(role="muted", wrap=True)
        self.body_layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(self.rejected.emit)
        self.confirm_button = QPushButton()
        self.confirm_button.setProperty("kind", "primary")
        self.confirm_button.clicked.connect(self.confirmed.emit)
        buttons.addWidget(self.reject_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.confirm_button)
        self.body_layout.addLayout(buttons)
        self.setTabOrder(self.confirm_button, self.reject_button)
        self._candidate: wire.Candidate | None = None
        self._session: wire.SessionInfo | None = None
        self._workstation = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Konfirmasi Identitas"))
        self.name_caption.setText(self.tr("NAMA PESERTA"))
        captions = [
            self.tr("NOMOR PESERTA"),
            self.tr("FORMASI"),
            self.tr("JALUR"),
            self.tr("UJIAN"),
            self.tr("SESI  ·  RUANG"),
            self.tr("KOMPUTER"),
        ]
        for caption, text in zip(self._captions, captions, strict=True):
            caption.setText(text)
        self.hint.setText(
            self.tr(
                "Pastikan nama, foto dan nomor peserta di atas adalah milik Anda. Jika ada yang "
                "tidak sesuai, pilih “Bukan saya” dan angkat tangan untuk memanggil pengawas."
            )
        )
        self.reject_button.setText(self.tr("Bukan saya"))
        self.confirm_button.setText(self.tr("Ya, ini saya"))
        self.confirm_button.setAccessibleName(self.tr("Ya, ini saya: lanjut ke petunjuk ujian"))
        self._render_values()

    def show_candidate(
        self, candidate: wire.Candidate, session: wire.SessionInfo, workstation: str
    ) -> None:
        self._candidate, self._session, self._workstation = candidate, session, workstation
        self.photo.show_photo(None)
        self._render_values()
        self.confirm_button.setFocus()

    def show_photo(self, data: bytes | None) -> None:
        self.photo.show_photo(data)

    def _render_values(self) -> None:
        c, s = self._candidate, self._session
        if c is None or s is None:
            return
        self.band.meta.setText(self.tr("Komputer %1").replace("%1", self._workstation))
        self.name.setText(c.name)
        values = [
            c.number,
            c.formation or "—",
            self.track_name(c.track),
            s.exam or "—",
            f"{s.code}  ·  {s.room}" if s.room else s.code,
            self._workstation,
        ]
        for widget, value in zip(self._values, values, strict=True):
            widget.setText(value)

    def track_name(self, track: str) -> str:
        names = {
            "general": self.tr("Umum"),
            "cumlaude": self.tr("Lulusan cumlaude"),
            "diaspora": self.tr("Diaspora"),
            "disability": self.tr("Penyandang disabilitas"),
            "papua": self.tr("Putra/putri Papua"),
            "disadvantaged": self.tr("Daerah tertinggal"),
        }
        return names.get(track, track or "—")
