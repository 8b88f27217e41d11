"""The station's one network thread: runs the person's actions and keeps the session in sync.

The screens never wait for the network. They hand blocking session actions
(``login``, ``start``, ``submit``, ``unlock``, ``photo``) to ``Courier.call``,
which runs them one at a time on this thread and returns a ``Future``; between
jobs it calls ``ExamSession.sync`` whenever the session says something is due
(an unsent answer, an incident, a heartbeat, a retry, the end of time). Qt-free.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from cbt_client.errors import ClientError
from cbt_client.session import ExamSession

log = logging.getLogger("cbt_client.courier")
T = TypeVar("T")

_Job = tuple[Callable[[], object], "Future[object]"]


class Courier:
    def __init__(self, session: ExamSession) -> None:
        self.session = session
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cbt-courier", daemon=True)
        session.wake = self.wake

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop after the job in hand; queued jobs are cancelled."""
        self._stop.set()
        self._jobs.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[1].cancel()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wake(self) -> None:
        """Something is due now (an answer changed, an incident)."""
        self._jobs.put(None)

    def call(self, action: Callable[[], T]) -> Future[T]:
        """Run ``action`` on the courier thread; its result or ClientError lands in the future."""
        future: Future[T] = Future()
        if self._stop.is_set():
            future.cancel()
            return future
        self._jobs.put((action, future))  # type: ignore[arg-type]
        return future

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.session.sync()
            except ClientError:
                log.exception("sync failed")
                wait = 1.0
            try:
                job = self._jobs.get(timeout=max(0.01, min(wait, 30.0)))
            except queue.Empty:
                continue
            if job is None or self._stop.is_set():
                if job is not None:
                    job[1].cancel()
                continue
            action, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(action())
            except ClientError as exc:
                future.set_exception(exc)
            except Exception as exc:  # a thread's top: log it and hand it to the caller
                log.exception("station action failed")
                future.set_exception(exc)
