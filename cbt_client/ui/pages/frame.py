"""The page skeleton: a band across the top and a centred body."""

from __future__ import annotations

from cbt_client.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from cbt_client.ui.widgets import StatusPill


class Band(QFrame):
    """The top band: what this screen is, and which station this is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Band")
        self.setFixedHeight(64)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 0, 28, 0)
        row.setSpacing(16)
        emblem = QLabel("CBT")
        emblem.setObjectName("Emblem")
        emblem.setFixedSize(40, 32)
        emblem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        emblem.setAccessibleName("CBT Station")
        row.addWidget(emblem)
        self.title = QLabel()
        self.title.setObjectName("BandTitle")
        self.meta = QLabel()
        self.meta.setObjectName("BandMeta")
        self.status = StatusPill()
        self.status.hide()
        row.addWidget(self.title)
        row.addStretch(1)
        row.addWidget(self.meta)
        row.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)


class PageFrame(QWidget):
    """Band + a scrollable body whose content is centred and at most ``width`` wide."""

    def __init__(self, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.band = Band()
        outer.addWidget(self.band)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        holder = QWidget()
        holder.setObjectName("Page")
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        column = QVBoxLayout(holder)
        column.setContentsMargins(24, 28, 24, 28)
        self.body = QWidget()
        self.body.setMaximumWidth(width)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(18)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.body, 1000)  # takes the room up to its maximum width; centred
        row.addStretch(1)
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(2)
        scroll.setWidget(holder)
        outer.addWidget(scroll, 1)
