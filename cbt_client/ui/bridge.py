"""Carries the core's events and the courier's results onto the GUI thread as Qt signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future

from cbt_client.courier import Courier
from cbt_client.errors import ClientError
from cbt_client.session import ExamSession
from cbt_client.ui.qt import QObject, Signal

log = logging.getLogger("cbt_client.ui")


class SessionBridge(QObject):
    """Lives on the GUI thread; emitted from any thread, its signals arrive queued."""

    #: A core ``Event``.
    event_arrived = Signal(object)
    #: An action finished: its name and its result.
    action_done = Signal(str, object)
    #: An action failed: its name and the ``ClientError`` (or another exception: a bug).
    action_failed = Signal(str, object)
    #: Whether an action is running (the screens show they are waiting).
    busy_changed = Signal(bool)

    def __init__(self, session: ExamSession, courier: Courier) -> None:
        super().__init__()
        self.session, self.courier = session, courier
        self._running = 0
        self._unsubscribe = session.subscribe(self.event_arrived.emit)
        # Connected first, so "busy" is settled before the screens hear the outcome.
        self.action_done.connect(self._on_action_settled)
        self.action_failed.connect(self._on_action_settled)

    def run(self, name: str, action: Callable[[], object]) -> None:
        """Run a blocking session action on the courier thread."""
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        future = self.courier.call(action)
        future.add_done_callback(lambda f: self._finished(name, f))

    def _finished(self, name: str, future: Future[object]) -> None:
        # Runs on the courier thread: only emit (queued to the GUI thread).
        try:
            result = future.result()
        except CancelledError:
            self.action_failed.emit(name, None)
        except ClientError as exc:
            self.action_failed.emit(name, exc)
        except Exception as exc:  # a thread's top: log it, show it as a bug
            log.exception("action %s failed", name)
            self.action_failed.emit(name, exc)
        else:
            self.action_done.emit(name, result)

    def _on_action_settled(self, _name: str, _outcome: object) -> None:
        self._running = max(0, self._running - 1)
        if self._running == 0:
            self.busy_changed.emit(False)

    def close(self) -> None:
        self._unsubscribe()
