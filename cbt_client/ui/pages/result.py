"""Result: the server's scores per section, thresholds, the outcome and why, and the slip code."""

from __future__ import annotations

from cbt_client import wire
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.pages.instructions import SECTION_NAMES
from cbt_client.ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from cbt_client.ui.widgets import Card, Rule, clear_layout, label, restyle


class ResultPage(PageFrame):
    exit_requested = Signal()

    def __init__(self) -> None:
        super().__init__(900)
        card = Card()
        column = QVBoxLayout(card)
        column.setContentsMargins(36, 30, 36, 30)
        column.setSpacing(14)
        top = QHBoxLayout()
        who = QVBoxLayout()
        who.setSpacing(2)
        self.name = label(role="h2", wrap=True)
        self.number = label(role="muted")
        who.addWidget(self.name)
        who.addWidget(self.number)
        top.addLayout(who, 1)
        total_box = QVBoxLayout()
        total_box.setSpacing(0)
        self.total_caption = label(role="caption")
        self.total_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total = label(role="big")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        total_box.addWidget(self.total_caption)
        total_box.addWidget(self.total)
        top.addLayout(total_box)
        column.addLayout(top)

        self.outcome = QFrame()
        self.outcome.setObjectName("Outcome")
        outcome_row = QVBoxLayout(self.outcome)
        outcome_row.setContentsMargins(20, 12, 20, 12)
        self.outcome_text = label(role="h2")
        self.outcome_text.setObjectName("OutcomeText")
        outcome_row.addWidget(self.outcome_text)
        column.addWidget(self.outcome)

        self.table_holder = QWidget()
        self.table = QGridLayout(self.table_holder)
        self.table.setContentsMargins(0, 4, 0, 4)
        self.table.setHorizontalSpacing(24)
        self.table.setVerticalSpacing(10)
        column.addWidget(self.table_holder)
        column.addWidget(Rule())
        self.reasons_title = label(role="h3")
        self.reasons = QLabel()
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setWordWrap(True)
        column.addWidget(self.reasons_title)
        column.addWidget(self.reasons)
        self.body_layout.addWidget(card)

        foot = QHBoxLayout()
        self.recorded = QLabel()
        self.recorded.setTextFormat(Qt.TextFormat.RichText)
        self.recorded.setWordWrap(True)
        self.exit = QPushButton()
        self.exit.setProperty("kind", "primary")
        self.exit.clicked.connect(self.exit_requested.emit)
        foot.addWidget(self.recorded, 1)
        foot.addWidget(self.exit, 0, Qt.AlignmentFlag.AlignVCenter)
        self.body_layout.addLayout(foot)
        self._result: wire.Result | None = None
        self._candidate: wire.Candidate | None = None
        self.language = "id"
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Hasil Ujian"))
        self.total_caption.setText(self.tr("NILAI TOTAL"))
        self.reasons_title.setText(self.tr("Penjelasan"))
        self.exit.setText(self.tr("Selesai"))
        self.exit.setAccessibleName(self.tr("Selesai: tutup aplikasi ujian"))
        self._render()

    def show_result(self, result: wire.Result, candidate: wire.Candidate | None) -> None:
        self._result, self._candidate = result, candidate
        self._render()
        self.exit.setFocus()

    def _render(self) -> None:
        r, c = self._result, self._candidate
        if r is None:
            return
        self.name.setText(c.name if c else "")
        self.number.setText(self.tr("Nomor peserta %1").replace("%1", c.number) if c else "")
        self.total.setText(f"{r.total} / {r.max_total}")
        self.total.setAccessibleName(
            self.tr("Nilai total %1 dari %2").replace("%1", r.total).replace("%2", r.max_total)
        )
        if r.passed is True:
            verdict = self.tr("MEMENUHI AMBANG BATAS")
        elif r.passed is False:
            verdict = self.tr("TIDAK MEMENUHI AMBANG BATAS")
        else:
            verdict = self.tr("NILAI UNTUK PERINGKAT (TANPA AMBANG BATAS)")
        state = "none" if r.passed is None else str(r.passed).lower()
        restyle(self.outcome, passed=state)
        restyle(self.outcome_text, passed=state)
        self.outcome_text.setText(verdict)
        self._fill_table(r)
        lines = [x.text_en if self.language == "en" else x.text_id for x in r.reasons]
        self.reasons.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li style='margin-bottom:5px'>{_escape(t)}</li>" for t in lines if t)
            + "</ul>"
        )
        self.recorded.setText(
            self.tr(
                "Hasil ini telah tercatat di server ujian.<br/>Kode bukti: <b>%1</b> — "
                "simpan kode ini untuk memeriksa hasil Anda."
            ).replace("%1", _escape(r.slip))
        )

    def _fill_table(self, r: wire.Result) -> None:
        clear_layout(self.table)
        heads = [
            self.tr("SUBTES"),
            self.tr("NILAI"),
            self.tr("AMBANG BATAS"),
            self.tr("KETERANGAN"),
        ]
        for col, text in enumerate(heads):
            self.table.addWidget(label(text, role="caption"), 0, col)
        for row, s in enumerate(r.sections, start=1):
            name = label(f"{s.id}  ·  {SECTION_NAMES.get(s.id, s.id)}")
            score = label(f"{s.score} / {s.max}", role="value")
            threshold = label(s.threshold or "—")
            if s.passed is None:
                verdict = label("—")
            elif s.passed:
                verdict = label(self.tr("Memenuhi"))
                verdict.setProperty("verdict", "pass")
            else:
                verdict = label(self.tr("Tidak memenuhi"))
                verdict.setProperty("verdict", "fail")
            for col, widget in enumerate((name, score, threshold, verdict)):
                self.table.addWidget(widget, row, col)
        self.table.setColumnStretch(0, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
