"""Finish: what is unanswered or doubtful, a way back to each, then a deliberate confirmation."""

from __future__ import annotations

from cbt_client.answers import Tally
from cbt_client.clock import hms
from cbt_client.ui.error_dialogs import Notice
from cbt_client.ui.pages.frame import PageFrame
from cbt_client.ui.qt import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from cbt_client.ui.widgets import Card, NoticeLabel, clear_layout, label, restyle

CHIP_COLUMNS = 20


class FinishPage(PageFrame):
    back_requested = Signal()
    item_requested = Signal(int)
    submit_confirmed = Signal()

    def __init__(self) -> None:
        super().__init__(880)
        card = Card()
        column = QVBoxLayout(card)
        column.setContentsMargins(36, 30, 36, 30)
        column.setSpacing(12)
        self.heading = label(role="h1")
        self.lead = label(role="lead", wrap=True)
        column.addWidget(self.heading)
        column.addWidget(self.lead)
        tiles = QHBoxLayout()
        tiles.setSpacing(16)
        self.tile_values = []
        self.tile_captions = []
        for state in ("answered", "doubtful", "blank"):
            tile = Card()
            tile_column = QVBoxLayout(tile)
            tile_column.setContentsMargins(20, 14, 20, 14)
            top = QHBoxLayout()
            swatch = label()
            swatch.setObjectName("Swatch")
            swatch.setProperty("state", state)
            caption = label(role="caption")
            top.addWidget(swatch)
            top.addWidget(caption, 1)
            value = label(role="big")
            tile_column.addLayout(top)
            tile_column.addWidget(value)
            self.tile_values.append(value)
            self.tile_captions.append(caption)
            tiles.addWidget(tile, 1)
        column.addLayout(tiles)
        self.blank_title = label(role="h3")
        self.blank_grid_holder = QWidget()
        self.blank_grid = QGridLayout(self.blank_grid_holder)
        self.blank_grid.setContentsMargins(0, 0, 0, 0)
        self.blank_grid.setSpacing(4)
        self.doubt_title = label(role="h3")
        self.doubt_grid_holder = QWidget()
        self.doubt_grid = QGridLayout(self.doubt_grid_holder)
        self.doubt_grid.setContentsMargins(0, 0, 0, 0)
        self.doubt_grid.setSpacing(4)
        for widget in (
            self.blank_title,
            self.blank_grid_holder,
            self.doubt_title,
            self.doubt_grid_holder,
        ):
            column.addWidget(widget)
        self.body_layout.addWidget(card)

        self.notice = NoticeLabel()
        self.body_layout.addWidget(self.notice)
        self.confirm = QCheckBox()
        self.confirm.toggled.connect(self._on_confirm_toggled)
        self.body_layout.addWidget(self.confirm)
        buttons = QHBoxLayout()
        self.back = QPushButton()
        self.back.clicked.connect(self.back_requested.emit)
        self.submit = QPushButton()
        self.submit.setProperty("kind", "primary")
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._on_submit_clicked)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        self.body_layout.addLayout(buttons)
        self._tally = Tally(0, 0, 0)
        self._remaining = 0.0
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.band.title.setText(self.tr("Selesai Ujian"))
        self.heading.setText(self.tr("Periksa sebelum mengirim"))
        for caption, text in zip(
            self.tile_captions,
            (self.tr("DIJAWAB"), self.tr("RAGU-RAGU"), self.tr("BELUM DIJAWAB")),
            strict=True,
        ):
            caption.setText(text)
        self.blank_title.setText(self.tr("Belum dijawab — klik nomor untuk kembali ke soal itu"))
        self.doubt_title.setText(self.tr("Ditandai ragu-ragu"))
        self.confirm.setText(
            self.tr("Saya yakin akan mengakhiri ujian. Jawaban tidak dapat diubah lagi.")
        )
        self.back.setText(self.tr("‹  Kembali ke soal"))
        self._render()

    def show_summary(self, tally: Tally, blank: list[int], doubtful: list[int]) -> None:
        self._tally = tally
        self.confirm.setChecked(False)
        self.notice.clear_notice()
        self.set_busy(False)
        self._fill(self.blank_grid, blank)
        self._fill(self.doubt_grid, doubtful)
        for widget, show in (
            (self.blank_title, bool(blank)),
            (self.blank_grid_holder, bool(blank)),
            (self.doubt_title, bool(doubtful)),
            (self.doubt_grid_holder, bool(doubtful)),
        ):
            widget.setVisible(show)
        self._render()
        self.back.setFocus()

    def show_remaining(self, remaining_s: float) -> None:
        self._remaining = remaining_s
        self._render_lead()

    def show_notice(self, notice: Notice) -> None:
        self.notice.show_notice(notice)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._render_submit()

    def _fill(self, grid: QGridLayout, numbers: list[int]) -> None:
        clear_layout(grid)
        for i, number in enumerate(numbers):
            chip = QPushButton(str(number))
            chip.setObjectName("Chip")
            chip.setFixedSize(36, 30)
            restyle(chip, state="doubtful" if grid is self.doubt_grid else "blank")
            chip.setAccessibleName(self.tr("Kembali ke soal %1").replace("%1", str(number)))
            chip.clicked.connect(lambda _=False, n=number: self.item_requested.emit(n))
            grid.addWidget(chip, i // CHIP_COLUMNS, i % CHIP_COLUMNS)
        grid.setColumnStretch(CHIP_COLUMNS, 1)

    def _render(self) -> None:
        t = self._tally
        for value, number in zip(
            self.tile_values, (t.answered, t.doubtful, t.unanswered), strict=True
        ):
            value.setText(str(number))
        self._render_lead()
        self._render_submit()

    def _render_lead(self) -> None:
        t = self._tally
        if t.unanswered:
            text = self.tr(
                "Masih ada %1 soal yang belum dijawab. Soal yang tidak dijawab bernilai 0. "
                "Sisa waktu: %2."
            )
            text = text.replace("%1", str(t.unanswered))
        else:
            text = self.tr("Semua soal sudah dijawab. Sisa waktu: %2.")
        self.lead.setText(text.replace("%2", hms(self._remaining)))

    def _render_submit(self) -> None:
        self.submit.setText(self.tr("Mengirim…") if self._busy else self.tr("Kirim dan Selesai"))
        self.submit.setEnabled(self.confirm.isChecked() and not self._busy)
        self.back.setEnabled(not self._busy)

    def _on_confirm_toggled(self, _checked: bool) -> None:
        self._render_submit()

    def _on_submit_clicked(self) -> None:
        if self.confirm.isChecked() and not self._busy:
            self.notice.clear_notice()
            self.submit_confirmed.emit()
