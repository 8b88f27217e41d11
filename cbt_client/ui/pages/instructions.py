"""Instructions: the exam's rules, duration and sections, then a deliberate start."""

from __future__ import annotations

from cbt_client import wire
from cbt_client.ui.error_dialogs import Notice
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.qt import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from cbt_client.ui.widgets import Card, NoticeLabel, Rule, clear_layout, label

#: Names of well-known sections (the form carries names too, but only after the start).
SECTION_NAMES = {
    "TWK": "Tes Wawasan Kebangsaan",
    "TIU": "Tes Intelegensia Umum",
    "TKP": "Tes Karakteristik Pribadi",
}


class InstructionsPage(PageFrame):
    start_requested = Signal()

    def __init__(self) -> None:
        super().__init__(880)
        card = Card()
        column = QVBoxLayout(card)
        column.setContentsMargins(36, 30, 36, 30)
        column.setSpacing(10)
        self.exam = label(role="h1", wrap=True)
        column.addWidget(self.exam)

        facts = QHBoxLayout()
        facts.setSpacing(40)
        self._fact_captions = [label(role="caption") for _ in range(3)]
        self._fact_values = [label(role="h2") for _ in range(3)]
        for caption, value in zip(self._fact_captions, self._fact_values, strict=True):
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(caption)
            cell.addWidget(value)
            facts.addLayout(cell)
        facts.addStretch(1)
        column.addLayout(facts)
        column.addSpacing(4)
        self.sections = QWidget()
        self.sections_grid = QGridLayout(self.sections)
        self.sections_grid.setContentsMargins(0, 0, 0, 0)
        self.sections_grid.setHorizontalSpacing(18)
        self.sections_grid.setVerticalSpacing(6)
        column.addWidget(self.sections)
        column.addSpacing(4)
        column.addWidget(Rule())
        column.addSpacing(4)
        self.rules_title = label(role="h3")
        column.addWidget(self.rules_title)
        self.rules = QLabel()
        self.rules.setTextFormat(Qt.TextFormat.RichText)
        self.rules.setWordWrap(True)
        column.addWidget(self.rules)
        self.body_layout.addWidget(card)

        self.notice = NoticeLabel()
        self.body_layout.addWidget(self.notice)
        row = QHBoxLayout()
        self.agree = QCheckBox()
        self.agree.toggled.connect(self._on_agree_toggled)
        self.start = QPushButton()
        self.start.setProperty("kind", "primary")
        self.start.setEnabled(False)
        self.start.clicked.connect(self._on_start_clicked)
        row.addWidget(self.agree, 1)
        row.addWidget(self.start)
        self.body_layout.addLayout(row)
        self._session: wire.SessionInfo | None = None
        self._resumed = False
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Petunjuk Ujian"))
        captions = [self.tr("WAKTU"), self.tr("JUMLAH SOAL"), self.tr("SUBTES")]
        for caption, text in zip(self._fact_captions, captions, strict=True):
            caption.setText(text)
        self.rules_title.setText(self.tr("Tata tertib"))
        rules = [
            self.tr(
                "Setiap soal memiliki satu jawaban. Pilih dengan mengeklik pilihan, atau tekan "
                "<b>A</b>–<b>E</b> pada papan ketik."
            ),
            self.tr(
                "Pindah soal dengan <b>Sebelumnya</b> / <b>Berikutnya</b> (tombol panah ← →, "
                "atau Enter), atau klik nomor soal di panel kanan."
            ),
            self.tr(
                "Tandai <b>Ragu-ragu</b> (tombol R) untuk soal yang ingin diperiksa lagi. "
                "Jawaban pada soal ragu-ragu tetap dinilai."
            ),
            self.tr(
                "Jawaban tersimpan otomatis setiap kali Anda memilih. Bila jaringan terputus, "
                "ujian tetap berjalan; jawaban disimpan di komputer ini dan dikirim saat "
                "tersambung kembali."
            ),
            self.tr(
                "Waktu dihitung oleh server dan mulai berjalan saat Anda menekan Mulai. Saat "
                "waktu habis, ujian selesai dengan sendirinya."
            ),
            self.tr(
                "Jangan meninggalkan aplikasi ujian atau memasang perangkat lain; setiap "
                "kejadian tercatat dan dilaporkan kepada pengawas."
            ),
            self.tr("Nilai Anda ditampilkan segera setelah ujian selesai."),
        ]
        self.rules.setText(
            "<ol style='margin-left:-20px'>"
            + "".join(f"<li style='margin-bottom:7px'>{r}</li>" for r in rules)
            + "</ol>"
        )
        self.agree.setText(self.tr("Saya telah membaca dan memahami petunjuk ujian."))
        self._render()

    def show_session(self, session: wire.SessionInfo, *, resumed: bool) -> None:
        self._session, self._resumed = session, resumed
        self.agree.setChecked(resumed)
        self.notice.clear_notice()
        self.set_busy(False)
        self._render()
        (self.start if resumed else self.agree).setFocus()

    def show_notice(self, notice: Notice) -> None:
        self.notice.show_notice(notice)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._render_start()

    def _render(self) -> None:
        s = self._session
        self._render_start()
        if s is None:
            return
        self.exam.setText(s.exam)
        items = sum(x.count for x in s.sections)
        self._fact_values[0].setText(self.tr("%1 menit").replace("%1", str(s.duration_minutes)))
        self._fact_values[1].setText(str(items))
        self._fact_values[2].setText(str(len(s.sections)))
        clear_layout(self.sections_grid)
        first = 1
        for row, section in enumerate(s.sections):
            tag = QLabel(section.id)
            tag.setObjectName("SectionTag")
            tag.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name = label(SECTION_NAMES.get(section.id, section.id))
            span = label(
                self.tr("soal %1–%2  ·  %3 soal")
                .replace("%1", str(first))
                .replace("%2", str(first + section.count - 1))
                .replace("%3", str(section.count)),
                role="muted",
            )
            span.setAlignment(Qt.AlignmentFlag.AlignRight)
            first += section.count
            self.sections_grid.addWidget(tag, row, 0)
            self.sections_grid.addWidget(name, row, 1)
            self.sections_grid.addWidget(span, row, 2)
        self.sections_grid.setColumnStretch(1, 1)

    def _render_start(self) -> None:
        if self._busy:
            self.start.setText(self.tr("Menyiapkan soal…"))
        elif self._resumed:
            self.start.setText(self.tr("Lanjutkan Ujian"))
        else:
            self.start.setText(self.tr("Mulai Ujian"))
        self.start.setEnabled(self.agree.isChecked() and not self._busy)

    def _on_agree_toggled(self, _checked: bool) -> None:
        self._render_start()

    def _on_start_clicked(self) -> None:
        if self.agree.isChecked() and not self._busy:
            self.notice.clear_notice()
            self.start_requested.emit()
