"""Small building blocks shared by the pages: cards, notices, the status pill, the photo."""

from __future__ import annotations

from cbt_client.session import Link
from cbt_client.ui.error_dialogs import Notice
from cbt_client.ui.qt import (
    QColor,
    QFrame,
    QLabel,
    QLayout,
    QPainter,
    QPainterPath,
    QPixmap,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
)


def restyle(widget: QWidget, **properties: object) -> None:
    """Set dynamic properties the stylesheet matches on, and re-apply the style if changed."""
    changed = False
    for name, value in properties.items():
        text = str(value).lower() if isinstance(value, bool) else value
        if widget.property(name) != text:
            widget.setProperty(name, text)
            changed = True
    if changed:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget a layout holds."""
    while layout.count():
        taken = layout.takeAt(0)
        widget = taken.widget() if taken is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)  # out of the page now, not only when deleted later
            widget.deleteLater()


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")


class Rule(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Rule")
        self.setFrameShape(QFrame.Shape.NoFrame)


class NoticeLabel(QLabel):
    """An inline notice (error, warning, info); hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName(self.tr("Pemberitahuan"))
        self.hide()

    def show_notice(self, notice: Notice) -> None:
        restyle(self, tone=notice.tone)
        title = _escape(notice.title)
        self.setText(f"<b>{title}</b><br/>{_escape(notice.text)}")
        self.setAccessibleDescription(f"{notice.title}. {notice.text}")
        self.show()

    def clear_notice(self) -> None:
        self.clear()
        self.hide()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StatusPill(QLabel):
    """Online / sending / offline, in words, with the colour as a second cue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Status")
        self.setTextFormat(Qt.TextFormat.PlainText)

    def show_link(self, link: Link, text: str) -> None:
        restyle(self, state=link.value)
        self.setText(f"●  {text}")
        self.setAccessibleName(text)


class PhotoView(QLabel):
    """The candidate's photo, or a neutral silhouette when there is none."""

    def __init__(self, size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self.setFixedSize(size)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.show_photo(None)

    def show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.setPixmap(
                pixmap.scaled(
                    self._size,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.setAccessibleName(self.tr("Foto peserta"))
            return
        self.setPixmap(placeholder(self._size))
        self.setAccessibleName(self.tr("Foto tidak tersedia"))


def placeholder(size: QSize) -> QPixmap:
    """A calm grey head-and-shoulders outline."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#E3E8EE"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#A9B4C2"))
    w, h = size.width(), size.height()
    head = min(w, h) * 0.36
    painter.drawEllipse(int(w / 2 - head / 2), int(h * 0.18), int(head), int(head))
    body = QPainterPath()
    body.addRoundedRect(w * 0.17, h * 0.62, w * 0.66, h * 0.55, w * 0.3, w * 0.3)
    painter.drawPath(body)
    painter.end()
    return pixmap
