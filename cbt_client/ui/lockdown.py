"""The Qt side of the app-level lockdown: it asks ``cbt_client.lockdown`` and acts.

* ``KeyGuard`` (an application-wide event filter): swallows the shortcuts the
  policy blocks before any widget or shortcut sees them, every context menu,
  and Ctrl+wheel zoom; opens the proctor's exit prompt on its key.
* ``ClipboardGuard``: empties the clipboard and the X11/Wayland selection at
  start, whenever anything puts data there, and at exit.
* ``DesktopWatcher``: reports focus loss (the application deactivated), a
  screen plugged in, and more than one screen at start, through the session
  (which sends them at once and locks if the server says so).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from cbt_client.lockdown import PROCTOR_EXIT, Incident, KeyCombo, Lockdown
from cbt_client.session import ExamSession, Phase
from cbt_client.ui.qt import (
    QClipboard,
    QEvent,
    QGuiApplication,
    QKeyEvent,
    QObject,
    QScreen,
    Qt,
    QWheelEvent,
    Signal,
)

log = logging.getLogger("cbt_client.ui.lockdown")

_NAMED_KEYS = {
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Backtab: "Tab",
    Qt.Key.Key_Insert: "Insert",
    Qt.Key.Key_Delete: "Delete",
    Qt.Key.Key_Print: "Print",
    Qt.Key.Key_SysReq: "Print",
    Qt.Key.Key_Plus: "Plus",
    Qt.Key.Key_Equal: "Equal",
    Qt.Key.Key_Minus: "Minus",
    Qt.Key.Key_Menu: "Menu",
    Qt.Key.Key_Space: "Space",
    Qt.Key.Key_Return: "Return",
    Qt.Key.Key_Enter: "Return",
    Qt.Key.Key_Super_L: "Super",
    Qt.Key.Key_Super_R: "Super",
    Qt.Key.Key_Meta: "Super",
    Qt.Key.Key_ZoomIn: "ZoomIn",
    Qt.Key.Key_ZoomOut: "ZoomOut",
}


def combo_of(event: QKeyEvent) -> KeyCombo:
    """The policy's view of a Qt key event."""
    key = event.key()
    mods = event.modifiers()
    if Qt.Key.Key_A <= key <= Qt.Key.Key_Z or Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
        name = chr(key)
    elif Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35:
        name = f"F{key - Qt.Key.Key_F1 + 1}"
    else:
        name = _NAMED_KEYS.get(Qt.Key(key), f"0x{key:x}")
    meta = bool(mods & Qt.KeyboardModifier.MetaModifier) or name == "Super"
    return KeyCombo(
        name,
        ctrl=bool(mods & Qt.KeyboardModifier.ControlModifier),
        alt=bool(mods & Qt.KeyboardModifier.AltModifier),
        shift=bool(mods & Qt.KeyboardModifier.ShiftModifier) or key == Qt.Key.Key_Backtab,
        meta=meta,
    )


class KeyGuard(QObject):
    """Installed on the QApplication: sees every key, context-menu and wheel event first."""

    swallowed = Signal(str)
    proctor_exit_requested = Signal()

    def __init__(self, lockdown: Lockdown) -> None:
        super().__init__()
        self.lockdown = lockdown

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease):
            if not isinstance(event, QKeyEvent):
                return False
            combo = combo_of(event)
            if combo == PROCTOR_EXIT:
                if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                    self.proctor_exit_requested.emit()
                event.accept()
                return True
            if self.lockdown.blocks(combo):
                # Accepting the override keeps Qt's shortcut map out of it; then the press
                # itself is dropped before any widget (a line edit's copy, say) sees it.
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self.swallowed.emit(str(combo))
                return True
            return False
        if kind == QEvent.Type.ContextMenu:
            return self.lockdown.enforced
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            return self.lockdown.blocks_wheel_zoom(ctrl=ctrl)
        return False


class ClipboardGuard(QObject):
    """Keeps the clipboard and the selection empty while the station runs."""

    cleared = Signal()

    def __init__(self, clipboard: QClipboard, lockdown: Lockdown) -> None:
        super().__init__()
        self.clipboard, self.lockdown = clipboard, lockdown
        self._clearing = False
        self._watching = False

    def start(self) -> None:
        if not self.lockdown.clears_clipboard() or self._watching:
            return
        self._watching = True
        self.clipboard.dataChanged.connect(self._on_clipboard_data_changed)
        self.clipboard.selectionChanged.connect(self._on_clipboard_data_changed)
        self.clear()

    def stop(self) -> None:
        if not self._watching:
            return
        self._watching = False
        self.clipboard.dataChanged.disconnect(self._on_clipboard_data_changed)
        self.clipboard.selectionChanged.disconnect(self._on_clipboard_data_changed)
        self.clear()

    def clear(self) -> None:
        if self._clearing:
            return
        self._clearing = True
        try:
            self.clipboard.clear(QClipboard.Mode.Clipboard)
            if self.clipboard.supportsSelection():
                self.clipboard.clear(QClipboard.Mode.Selection)
        finally:
            self._clearing = False
        self.cleared.emit()

    def _on_clipboard_data_changed(self) -> None:
        if self._clearing:
            return
        data = self.clipboard.mimeData(QClipboard.Mode.Clipboard)
        selection = (
            self.clipboard.mimeData(QClipboard.Mode.Selection)
            if self.clipboard.supportsSelection()
            else None
        )
        if (data is not None and data.formats()) or (selection is not None and selection.formats()):
            self.clear()


class DesktopWatcher(QObject):
    """Reports focus loss and screen changes to the session as incidents."""

    reported = Signal(str)

    def __init__(
        self,
        app: QGuiApplication,
        session: ExamSession,
        lockdown: Lockdown,
        *,
        phase: Callable[[], Phase] | None = None,
    ) -> None:
        super().__init__()
        self.app, self.session, self.lockdown = app, session, lockdown
        self._phase = phase or (lambda: session.phase)
        self._away = False
        self._watching = False

    def start(self) -> None:
        if self._watching:
            return
        self._watching = True
        self.app.applicationStateChanged.connect(self._on_app_state_changed)
        self.app.screenAdded.connect(self._on_app_screen_added)
        found = self.lockdown.incident_for_screens(len(self.app.screens()), added=False)
        if found is not None:
            self._report(found, f"{len(self.app.screens())} screens at start")

    def stop(self) -> None:
        if not self._watching:
            return
        self._watching = False
        self.app.applicationStateChanged.disconnect(self._on_app_state_changed)
        self.app.screenAdded.disconnect(self._on_app_screen_added)

    def _report(self, incident: Incident, detail: str) -> None:
        log.warning("incident %s: %s", incident.value, detail)
        self.session.report(incident.value, detail)
        self.reported.emit(incident.value)

    def _on_app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self._away = False
            return
        if self._away:
            return
        found = self.lockdown.incident_for_focus_loss(self._phase())
        if found is not None:
            self._away = True
            self._report(found, f"the station lost focus ({state.name}) in {self._phase().value}")

    def _on_app_screen_added(self, screen: QScreen) -> None:
        if self._phase() not in (Phase.RESULT,):
            found = self.lockdown.incident_for_screens(len(self.app.screens()), added=True)
            if found is not None:
                self._report(found, f"screen added: {screen.name() or 'unnamed'}")
