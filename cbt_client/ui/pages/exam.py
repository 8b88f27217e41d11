"""The exam: one item per screen, the number grid, the countdown and the save status.

Keyboard: A–E choose; ← → previous/next; Enter next (or activates a focused
button); ↑ ↓ move between options and Space chooses the focused one; R marks
ragu-ragu; Home/End first/last item; Page Up/Down previous/next section;
Ctrl + / Ctrl − font size. No score is ever shown here.
"""

from __future__ import annotations

import base64
import re

from cbt_client.answers import Answer, Tally
from cbt_client.clock import Urgency, hms
from cbt_client.form import ExamForm, Item, to_html
from cbt_client.session import Link
from cbt_client.ui.qt import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QImage,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from cbt_client.ui.widgets import StatusPill, clear_layout, label, restyle
from question_bank.richtext import Image, plain_text

CELL_COLUMNS = 10
CELL = 28
#: Up to this many picture-only options are shown side by side.
GALLERY_MAX = 5
_PLACEHOLDER = re.compile(r'src="cbt-image:([^"]+)"')


class ImageBook:
    """The form's images as data URLs with their natural sizes (kept in memory only)."""

    def __init__(self) -> None:
        self._urls: dict[str, tuple[str, int, int]] = {}

    def add(self, ref: str, data: bytes) -> None:
        image = QImage()
        image.loadFromData(data)
        kind = "png"
        if data[:3] == b"\xff\xd8\xff":
            kind = "jpeg"
        elif data[:4] == b"GIF8":
            kind = "gif"
        url = f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")
        self._urls[ref] = (url, image.width(), image.height())

    def html(self, item_doc_html: str, scale: float) -> str:
        def swap(match: re.Match[str]) -> str:
            found = self._urls.get(match.group(1))
            if found is None:
                return 'src=""'
            url, width, height = found
            if width <= 0:
                return f'src="{url}"'
            return f'width="{round(width * scale)}" height="{round(height * scale)}" src="{url}"'

        return _PLACEHOLDER.sub(swap, item_doc_html)


def _placeholder(ref: str) -> str:
    return f"cbt-image:{ref}"


class OptionCard(QFrame):
    """One option as a large click target: the letter in a circle and the option's content."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Option")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.box = row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        row.setContentsMargins(16, 12, 18, 12)
        row.setSpacing(16)
        self.letter = QLabel()
        self.letter.setObjectName("OptionLetter")
        self.letter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("OptionText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        for child in (self.letter, self.text):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row.addWidget(self.letter, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.label = ""
        self.compact = False

    def set_compact(self, compact: bool) -> None:
        """Letter above a centred picture (a row of picture options) or beside the text."""
        if compact == self.compact:
            return
        self.compact = compact
        self.box.setDirection(
            QBoxLayout.Direction.TopToBottom if compact else QBoxLayout.Direction.LeftToRight
        )
        self.box.setAlignment(
            self.letter,
            Qt.AlignmentFlag.AlignLeft if compact else Qt.AlignmentFlag.AlignTop,
        )
        self.text.setAlignment(
            Qt.AlignmentFlag.AlignHCenter
            if compact
            else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )

    def show_option(self, label_text: str, html: str, plain: str, selected: bool) -> None:
        self.label = label_text
        self.letter.setText(label_text)
        self.text.setText(html)
        self.setAccessibleName(f"{label_text}. {plain}" if plain else label_text)
        self.set_selected(selected)

    def set_selected(self, selected: bool) -> None:
        restyle(self, selected=selected)
        restyle(self.letter, selected=selected)
        self.setAccessibleDescription(self.tr("terpilih") if selected else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.chosen.emit(self.label)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            self.chosen.emit(self.label)
            return
        event.ignore()  # everything else goes up to the exam page


class QuestionPanel(QWidget):
    """The shown item: section, position, stem and options."""

    answer_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroller)
        content = QWidget()
        content.setObjectName("Page")
        # Height comes from heightForWidth at the real width, not from the tall
        # minimum a word-wrapped label has at its narrowest.
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(40, 26, 40, 26)
        self.column.setSpacing(14)
        head = QHBoxLayout()
        head.setSpacing(12)
        self.section_tag = QLabel()
        self.section_tag.setObjectName("SectionTag")
        self.section_name = label(role="h3")
        self.position = label(role="muted")
        head.addWidget(self.section_tag)
        head.addWidget(self.section_name)
        head.addStretch(1)
        head.addWidget(self.position)
        self.column.addLayout(head)
        self.stem = QLabel()
        self.stem.setObjectName("Stem")
        self.stem.setTextFormat(Qt.TextFormat.RichText)
        self.stem.setWordWrap(True)
        self.stem.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.stem.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.column.addWidget(self.stem)
        self.column.addSpacing(6)
        self.options_grid = QGridLayout()
        self.options_grid.setSpacing(10)
        self.column.addLayout(self.options_grid)
        self._placed: tuple[int, bool] = (0, False)
        self.column.addStretch(1)
        self.scroller.setWidget(content)
        self.cards: list[OptionCard] = []

    def card(self, index: int) -> OptionCard:
        while len(self.cards) <= index:
            card = OptionCard()
            card.chosen.connect(self.answer_chosen.emit)
            card.hide()
            self.cards.append(card)
        return self.cards[index]

    def _place(self, count: int, gallery: bool) -> None:
        """Options in a column, or side by side when every option is just a picture."""
        if self._placed == (count, gallery):
            return
        for card in self.cards:
            self.options_grid.removeWidget(card)
            card.hide()
        for i in range(count):
            card = self.card(i)
            card.set_compact(gallery)
            self.options_grid.addWidget(card, 0 if gallery else i, i if gallery else 0)
        for column in range(max(count, self.options_grid.columnCount())):
            self.options_grid.setColumnStretch(column, 1 if gallery or column == 0 else 0)
        for i in range(count):
            self.cards[i].show()
        self._placed = (count, gallery)

    def show_item(
        self,
        item: Item,
        *,
        section_name: str,
        answer: Answer,
        images: ImageBook,
        scale: float,
        position_text: str,
    ) -> None:
        self.section_tag.setText(item.section)
        self.section_name.setText(section_name)
        self.position.setText(position_text)
        self.stem.setText(images.html(to_html(item.stem, _placeholder), scale))
        self.stem.setAccessibleName(plain_text(item.stem))
        gallery = len(item.options) <= GALLERY_MAX and all(
            o.content and all(isinstance(b, Image) for b in o.content) for o in item.options
        )
        self._place(len(item.options), gallery)
        for i, option in enumerate(item.options):
            html = images.html(to_html(option.content, _placeholder), scale)
            self.cards[i].show_option(
                option.label, html, plain_text(option.content), option.label == answer.choice
            )
        self.scroller.verticalScrollBar().setValue(0)

    def show_choice(self, choice: str | None) -> None:
        for card in self.cards:
            if card.isVisible() or card.label:
                card.set_selected(card.label == choice)


class NavigatorGrid(QFrame):
    """Every item number by section: answered (green), ragu-ragu (yellow), not yet (white)."""

    item_requested = Signal(int)
    finish_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Navigator")
        self.setFixedWidth(372)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(22, 20, 22, 20)
        outer.setSpacing(10)
        self.title = label(role="h3")
        outer.addWidget(self.title)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holder = QWidget()
        self.sections_box = QVBoxLayout(self.holder)
        self.sections_box.setContentsMargins(0, 0, 0, 0)
        self.sections_box.setSpacing(6)
        self.scroller.setWidget(self.holder)
        outer.addWidget(self.scroller, 1)
        legend = QGridLayout()
        legend.setHorizontalSpacing(8)
        legend.setVerticalSpacing(4)
        self._legend: list[QLabel] = []
        for i, state in enumerate(("answered", "doubtful", "blank")):
            swatch = QLabel()
            swatch.setObjectName("Swatch")
            swatch.setProperty("state", state)
            text = label(role="legend")
            self._legend.append(text)
            legend.addWidget(swatch, i // 2, (i % 2) * 2)
            legend.addWidget(text, i // 2, (i % 2) * 2 + 1)
        legend.setColumnStretch(1, 1)
        legend.setColumnStretch(3, 1)
        outer.addLayout(legend)
        self.finish = QPushButton()
        self.finish.setProperty("kind", "primary")
        self.finish.clicked.connect(self.finish_requested.emit)
        outer.addWidget(self.finish)
        self.cells: dict[int, QPushButton] = {}
        self._section_labels: list[tuple[QLabel, str, str]] = []
        self._states: dict[int, tuple[str, bool]] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Nomor Soal"))
        self.finish.setText(self.tr("Selesai Ujian"))
        self.finish.setAccessibleName(self.tr("Selesai ujian: periksa lalu kirim jawaban"))
        self._tally = getattr(self, "_tally", Tally(0, 0, 0))
        self.show_tally(self._tally)

    def show_tally(self, tally: Tally) -> None:
        self._tally = tally
        texts = (
            self.tr("Dijawab  (%1)").replace("%1", str(tally.answered)),
            self.tr("Ragu-ragu  (%1)").replace("%1", str(tally.doubtful)),
            self.tr("Belum dijawab  (%1)").replace("%1", str(tally.unanswered)),
        )
        for widget, text in zip(self._legend, texts, strict=True):
            widget.setText(text)

    def build(self, form: ExamForm) -> None:
        clear_layout(self.sections_box)
        self.cells.clear()
        self._states.clear()
        for section in form.sections:
            heading = label(f"{section.id}  ·  {section.name}", role="caption")
            self.sections_box.addWidget(heading)
            grid_holder = QWidget()
            grid = QGridLayout(grid_holder)
            grid.setContentsMargins(0, 0, 0, 6)
            grid.setHorizontalSpacing(3)
            grid.setVerticalSpacing(4)
            grid.setAlignment(Qt.AlignmentFlag.AlignLeft)
            for offset in range(section.count):
                number = section.first + offset
                cell = QPushButton(str(number))
                cell.setObjectName("Cell")
                cell.setFixedSize(CELL, CELL)
                cell.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                cell.setAccessibleName(self.tr("Soal %1").replace("%1", str(number)))
                cell.clicked.connect(lambda _=False, n=number: self.item_requested.emit(n))
                grid.addWidget(cell, offset // CELL_COLUMNS, offset % CELL_COLUMNS)
                self.cells[number] = cell
            self.sections_box.addWidget(grid_holder)
        self.sections_box.addStretch(1)

    def show_states(self, answers: dict[int, Answer], current: int) -> None:
        """Restyle only the cells whose look changed (switching items stays fast)."""
        for number, cell in self.cells.items():
            a = answers.get(number)
            state = "blank"
            if a is not None and a.doubtful:
                state = "doubtful"
            elif a is not None and a.answered:
                state = "answered"
            look = (state, number == current)
            if self._states.get(number) != look:
                self._states[number] = look
                restyle(cell, state=state, current=number == current)
                words = {
                    "answered": self.tr("dijawab"),
                    "doubtful": self.tr("ragu-ragu"),
                    "blank": self.tr("belum dijawab"),
                }
                cell.setAccessibleDescription(words[state])
        current_cell = self.cells.get(current)
        if current_cell is not None:
            self.scroller.ensureWidgetVisible(current_cell, 0, 24)


class ExamBar(QFrame):
    """The exam's top bar: title, candidate, save status, font and contrast, countdown."""

    font_step = Signal(int)
    contrast_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Band")
        self.setFixedHeight(72)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 0, 24, 0)
        row.setSpacing(12)
        emblem = QLabel("CBT")
        emblem.setObjectName("Emblem")
        emblem.setFixedSize(40, 32)
        emblem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(emblem)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.title = QLabel()
        self.title.setObjectName("BandTitle")
        self.who = QLabel()
        self.who.setObjectName("BandMeta")
        names.addStretch(1)
        names.addWidget(self.title)
        names.addWidget(self.who)
        names.addStretch(1)
        row.addLayout(names)
        row.addStretch(1)
        self.status = StatusPill()
        row.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addSpacing(10)
        self.smaller = QPushButton("A−")
        self.larger = QPushButton("A+")
        self.contrast = QPushButton()
        self.contrast.setCheckable(True)
        for button in (self.smaller, self.larger, self.contrast):
            button.setProperty("kind", "bar")
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.smaller.clicked.connect(lambda: self.font_step.emit(-1))
        self.larger.clicked.connect(lambda: self.font_step.emit(1))
        self.contrast.toggled.connect(self.contrast_toggled.emit)
        row.addSpacing(14)
        clock_box = QVBoxLayout()
        clock_box.setSpacing(0)
        self.clock_caption = QLabel()
        self.clock_caption.setObjectName("ClockCaption")
        self.clock_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock = QLabel("--:--:--")
        self.clock.setObjectName("Clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        clock_box.addStretch(1)
        clock_box.addWidget(self.clock_caption)
        clock_box.addWidget(self.clock)
        clock_box.addStretch(1)
        row.addLayout(clock_box)
        self.retranslate()

    def retranslate(self) -> None:
        self.clock_caption.setText(self.tr("SISA WAKTU"))
        self.contrast.setText(self.tr("Kontras"))
        self.smaller.setAccessibleName(self.tr("Perkecil huruf"))
        self.larger.setAccessibleName(self.tr("Perbesar huruf"))
        self.contrast.setAccessibleName(self.tr("Tampilan kontras tinggi"))
        self.smaller.setToolTip(self.tr("Perkecil huruf (Ctrl −)"))
        self.larger.setToolTip(self.tr("Perbesar huruf (Ctrl +)"))

    def show_clock(self, remaining_s: float, urgency: Urgency, *, paused: bool) -> None:
        text = hms(remaining_s)
        if self.clock.text() != text:
            self.clock.setText(text)
            self.clock.setAccessibleName(self.tr("Sisa waktu %1").replace("%1", text))
        restyle(self.clock, urgency=urgency.value)
        self.clock_caption.setText(self.tr("DIJEDA") if paused else self.tr("SISA WAKTU"))


class ExamPage(QWidget):
    answer_chosen = Signal(str)
    doubt_toggled = Signal()
    item_requested = Signal(int)
    next_requested = Signal()
    previous_requested = Signal()
    finish_requested = Signal()
    font_step = Signal(int)
    contrast_toggled = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Page")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keys land here between items
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.bar = ExamBar()
        self.bar.font_step.connect(self.font_step.emit)
        self.bar.contrast_toggled.connect(self.contrast_toggled.emit)
        outer.addWidget(self.bar)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        outer.addLayout(body, 1)

        self.main = QStackedWidget()
        self.work = work = QWidget()
        work.setObjectName("Page")
        work_column = QVBoxLayout(work)
        work_column.setContentsMargins(0, 0, 0, 0)
        work_column.setSpacing(0)
        self.question = QuestionPanel()
        self.question.answer_chosen.connect(self.answer_chosen.emit)
        work_column.addWidget(self.question, 1)
        nav = QFrame()
        nav.setObjectName("Page")
        nav_row = QHBoxLayout(nav)
        nav_row.setContentsMargins(40, 12, 40, 18)
        self.previous = QPushButton()
        self.doubt = QPushButton()
        self.doubt.setProperty("kind", "doubt")
        self.doubt.setCheckable(True)
        self.next = QPushButton()
        self.next.setProperty("kind", "primary")
        self.previous.clicked.connect(self.previous_requested.emit)
        self.next.clicked.connect(self.next_requested.emit)
        self.doubt.clicked.connect(self._on_doubt_clicked)
        nav_row.addWidget(self.previous)
        nav_row.addStretch(1)
        nav_row.addWidget(self.doubt)
        nav_row.addStretch(1)
        nav_row.addWidget(self.next)
        work_column.addWidget(nav)
        self.main.addWidget(work)

        self.paused_panel = QFrame()
        self.paused_panel.setObjectName("Overlay")
        paused_column = QVBoxLayout(self.paused_panel)
        paused_column.addStretch(1)
        self.paused_title = label(role="h2")
        self.paused_text = label(role="lead", wrap=True)
        for widget in (self.paused_title, self.paused_text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            paused_column.addWidget(widget)
        paused_column.addStretch(2)
        self.main.addWidget(self.paused_panel)
        body.addWidget(self.main, 1)

        self.navigator = NavigatorGrid()
        self.navigator.item_requested.connect(self.item_requested.emit)
        self.navigator.finish_requested.connect(self.finish_requested.emit)
        body.addWidget(self.navigator)

        self.images = ImageBook()
        self.form: ExamForm | None = None
        self.scale = 1.0
        self._current = 0
        self._total = 0
        self.setTabOrder(self.previous, self.doubt)
        self.setTabOrder(self.doubt, self.next)
        self.setTabOrder(self.next, self.navigator.finish)
        self.retranslate()

    # ------------------------------------------------------------------ rendering

    def retranslate(self) -> None:
        self.previous.setText(self.tr("‹  Sebelumnya"))
        self.next.setText(self.tr("Berikutnya  ›"))
        self.doubt.setText(self.tr("Ragu-ragu"))
        self.previous.setAccessibleName(self.tr("Soal sebelumnya"))
        self.next.setAccessibleName(self.tr("Soal berikutnya"))
        self.doubt.setAccessibleName(self.tr("Tandai ragu-ragu"))
        self.paused_title.setText(self.tr("Ujian dijeda oleh pengawas"))
        self.paused_text.setText(
            self.tr("Waktu Anda tidak berjalan selama jeda. Tunggu sampai pengawas melanjutkan.")
        )
        self.bar.retranslate()
        self.navigator.retranslate()

    def load_form(self, form: ExamForm, images: dict[str, bytes], *, title: str, who: str) -> None:
        self.form = form
        self.images = ImageBook()
        for ref, data in images.items():
            self.images.add(ref, data)
        self.navigator.build(form)
        self.bar.title.setText(title or form.title)
        self.bar.who.setText(who)
        self._current = 0
        self._total = len(form)

    def show_item(self, number: int, answer: Answer) -> None:
        if self.form is None:
            return
        item = self.form.item(number)
        section = self.form.section_of(number)
        self._current = number
        self.question.show_item(
            item,
            section_name=section.name,
            answer=answer,
            images=self.images,
            scale=self.scale,
            position_text=self.tr("Soal %1 dari %2")
            .replace("%1", str(number))
            .replace("%2", str(len(self.form))),
        )
        self.doubt.setChecked(answer.doubtful)
        self.previous.setEnabled(number > 1)
        self.next.setEnabled(number < len(self.form))
        self.setFocus()

    def show_answers(self, answers: dict[int, Answer], tally: Tally) -> None:
        current = answers.get(self._current, Answer())
        self.question.show_choice(current.choice)
        self.doubt.setChecked(current.doubtful)
        self.navigator.show_states(answers, self._current)
        self.navigator.show_tally(tally)

    def show_link(self, link: Link, unsent: int) -> None:
        if link == Link.OFFLINE:
            text = self.tr("Offline — jawaban disimpan di PC ini")
            if unsent:
                text += f" ({unsent})"
        elif link == Link.SENDING or unsent:
            text = self.tr("Mengirim…")
        else:
            text = self.tr("Tersimpan")
        self.bar.status.show_link(link if link != Link.ONLINE or not unsent else Link.SENDING, text)

    def show_clock(self, remaining_s: float, urgency: Urgency, *, paused: bool) -> None:
        self.bar.show_clock(remaining_s, urgency, paused=paused)
        self.main.setCurrentWidget(self.paused_panel if paused else self.work)

    # ------------------------------------------------------------------ keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = mods == Qt.KeyboardModifier.ControlModifier
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.font_step.emit(1)
        elif ctrl and key == Qt.Key.Key_Minus:
            self.font_step.emit(-1)
        elif mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
        elif Qt.Key.Key_A <= key <= Qt.Key.Key_J and self.form is not None and self._current:
            letter = chr(ord("A") + key - Qt.Key.Key_A)
            if letter in self.form.item(self._current).labels:
                self.answer_chosen.emit(letter)
            elif letter == "R":
                self.doubt_toggled.emit()
        elif key == Qt.Key.Key_R:
            self.doubt_toggled.emit()
        elif key in (Qt.Key.Key_Right,):
            self.next_requested.emit()
        elif key in (Qt.Key.Key_Left,):
            self.previous_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton) and focused.isEnabled():
                focused.click()
            else:
                self.next_requested.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move_option_focus(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Home:
            self.item_requested.emit(1)
        elif key == Qt.Key.Key_End and self._total:
            self.item_requested.emit(self._total)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self._jump_section(-1 if key == Qt.Key.Key_PageUp else 1)
        else:
            super().keyPressEvent(event)

    def _move_option_focus(self, step: int) -> None:
        cards = [c for c in self.question.cards if c.isVisible()]
        if not cards:
            return
        focused = self.focusWidget()
        index = cards.index(focused) if focused in cards else (-1 if step > 0 else len(cards))
        cards[max(0, min(len(cards) - 1, index + step))].setFocus()

    def _jump_section(self, step: int) -> None:
        if self.form is None or not self._current:
            return
        sections = list(self.form.sections)
        here = sections.index(self.form.section_of(self._current))
        target = max(0, min(len(sections) - 1, here + step))
        self.item_requested.emit(sections[target].first)

    def _on_doubt_clicked(self) -> None:
        self.doubt_toggled.emit()
