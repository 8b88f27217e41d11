"""The exam session: the station's state machine, Qt-free, shared by the screens and the bot.

Two regions run side by side (docs/client.md draws them):

* the **phase** — what the candidate is doing::

      CONNECT -> LOGIN -> IDENTITY -> INSTRUCTIONS -> EXAM <-> FINISH -> RESULT
                   ^         |  (not me)                 |  \\
                   +---------+                           |   TIME_OVER -> RESULT
      any phase from IDENTITY to TIME_OVER <-> LOCKED (violation or proctor; unlock code)
      a signed-out login (seat released, logged in elsewhere) -> LOGIN

* the **link** — ONLINE, SENDING or OFFLINE. Offline changes nothing the
  candidate can do: answers go to the journal and wait; the countdown goes on.

Person-initiated actions that need the server (``login``, ``start``,
``submit``, ``unlock``) block; the screens run them on the ``Courier`` thread,
the bot on its own thread. Local actions (``choose``, ``go_to``, flags) are
instant and never wait for the network: the change is in the fsynced journal
when they return, and ``sync`` sends it. Listeners get an ``Event`` after every
change, on whatever thread made it.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cbt_client import wire
from cbt_client.answers import Answer, AnswerSheet, Tally
from cbt_client.clock import Countdown, Urgency
from cbt_client.errors import (
    ClientError,
    PhaseError,
    PracticeOnlyError,
    ProtocolError,
    ServerBusyError,
    ServerUnreachableError,
    SignedOutError,
    StartRefusedError,
    TimeOverError,
)
from cbt_client.form import ExamForm
from cbt_client.journal import Journal
from cbt_client.transport import ServerApi

log = logging.getLogger("cbt_client.session")


class Phase(enum.Enum):
    CONNECT = "connect"
    LOGIN = "login"
    IDENTITY = "identity"
    INSTRUCTIONS = "instructions"
    EXAM = "exam"
    FINISH = "finish"
    TIME_OVER = "time_over"
    LOCKED = "locked"
    RESULT = "result"


class Link(enum.Enum):
    ONLINE = "online"
    SENDING = "sending"
    OFFLINE = "offline"


#: Phases in which a candidate is signed in and the attempt is not finished.
SIGNED_IN = frozenset(
    {Phase.IDENTITY, Phase.INSTRUCTIONS, Phase.EXAM, Phase.FINISH, Phase.TIME_OVER, Phase.LOCKED}
)
#: Phases that show the items (answers may change).
ANSWERING = frozenset({Phase.EXAM, Phase.FINISH})
#: Images fetched at once when the exam starts (a browser opens about six per server).
IMAGE_FETCHES = 4

TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.CONNECT: frozenset({Phase.LOGIN}),
    Phase.LOGIN: frozenset({Phase.IDENTITY, Phase.LOCKED, Phase.RESULT}),
    Phase.IDENTITY: frozenset({Phase.INSTRUCTIONS, Phase.LOGIN, Phase.LOCKED, Phase.RESULT}),
    Phase.INSTRUCTIONS: frozenset({Phase.EXAM, Phase.LOGIN, Phase.LOCKED, Phase.RESULT}),
    Phase.EXAM: frozenset({Phase.FINISH, Phase.TIME_OVER, Phase.LOCKED, Phase.RESULT, Phase.LOGIN}),
    Phase.FINISH: frozenset({Phase.EXAM, Phase.TIME_OVER, Phase.LOCKED, Phase.RESULT, Phase.LOGIN}),
    Phase.TIME_OVER: frozenset({Phase.EXAM, Phase.LOCKED, Phase.RESULT, Phase.LOGIN}),
    Phase.LOCKED: frozenset(
        {
            Phase.IDENTITY,
            Phase.INSTRUCTIONS,
            Phase.EXAM,
            Phase.FINISH,
            Phase.TIME_OVER,
            Phase.RESULT,
            Phase.LOGIN,
        }
    ),
    Phase.RESULT: frozenset({Phase.LOGIN}),
}


class EventKind(enum.Enum):
    PHASE = "phase"  # the phase changed
    ITEM = "item"  # another item is shown
    ANSWERS = "answers"  # an answer or doubt mark changed, or changes were acknowledged
    LINK = "link"  # online / sending / offline
    CLOCK = "clock"  # the countdown was corrected, paused, resumed or extended
    MESSAGE = "message"  # the proctor sent a message (``text``) or time was added (``minutes``)
    SIGNED_OUT = "signed_out"  # the login stopped being valid (``error``)


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    text: str = ""
    minutes: int = 0
    error: ClientError | None = None


Listener = Callable[[Event], None]


@dataclass(frozen=True, slots=True)
class SyncPolicy:
    """How often the station talks to the server."""

    heartbeat_s: float = 5.0
    #: Before login: how often the server's reachability is checked.
    probe_s: float = 10.0
    #: After a failure the next try waits retry_min_s, doubling up to retry_max_s.
    retry_min_s: float = 1.0
    retry_max_s: float = 10.0


class ExamSession:
    def __init__(
        self,
        api: ServerApi,
        *,
        workstation: str,
        data_dir: Path,
        practice: bool = False,
        policy: SyncPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall_ms: Callable[[], int] = lambda: int(time.time() * 1000),
        durable_journal: bool = True,
    ) -> None:
        self.api = api
        self.workstation = workstation
        self.data_dir = data_dir
        self.practice = practice
        self.policy = policy or SyncPolicy()
        self._monotonic = monotonic
        self._wall_ms = wall_ms
        self._durable = durable_journal
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        #: Called when there is work for ``sync`` (the courier sets it to its wake-up).
        self.wake: Callable[[], None] = lambda: None
        self._phase = Phase.CONNECT
        self._before_lock = Phase.IDENTITY
        self._link = Link.OFFLINE
        self._login: wire.Login | None = None
        self._state = "identity"
        self._journal: Journal | None = None
        self._sheet = AnswerSheet(0)
        self._form: ExamForm | None = None
        self._images: dict[str, bytes] = {}
        self._photo: bytes | None = None
        self._photo_loaded = False
        self._current = 1
        self._countdown = Countdown(monotonic)
        self._result: wire.Result | None = None
        self._lock_reason = ""
        self._incidents: list[tuple[str, str]] = []
        self._start_refusals: list[tuple[str, str]] = []
        self._sent_high = 0
        self._failures = 0
        self._next_beat = 0.0
        self._next_try = 0.0
        self._resumed_unsent = 0

    # ------------------------------------------------------------------ listening

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, *events: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for event in events:
            for listener in listeners:
                listener(event)

    # ------------------------------------------------------------------ reading

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def link(self) -> Link:
        return self._link

    @property
    def candidate(self) -> wire.Candidate | None:
        return self._login.candidate if self._login else None

    @property
    def session_info(self) -> wire.SessionInfo | None:
        return self._login.session if self._login else None

    @property
    def started(self) -> bool:
        """Whether the attempt's clock has started (a resumed exam)."""
        return self._state != "identity"

    @property
    def form(self) -> ExamForm | None:
        return self._form

    @property
    def current(self) -> int:
        return self._current

    @property
    def result(self) -> wire.Result | None:
        return self._result

    @property
    def lock_reason(self) -> str:
        return self._lock_reason

    @property
    def paused(self) -> bool:
        return self._countdown.paused

    @property
    def pending_incidents(self) -> tuple[tuple[str, str], ...]:
        """Incidents waiting to be reported (before a login, or while offline)."""
        with self._lock:
            return tuple(self._incidents)

    @property
    def start_refusal(self) -> StartRefusedError | None:
        """Why this PC may not start a real exam (``refuse_start``), or None."""
        with self._lock:
            if not self._start_refusals:
                return None
            kind, detail = self._start_refusals[0]
        return StartRefusedError(kind=kind, detail=detail)

    @property
    def resumed_unsent(self) -> int:
        """How many changes from this PC's journal were not yet on the server at login."""
        return self._resumed_unsent

    def image(self, ref: str) -> bytes | None:
        return self._images.get(ref)

    def answer(self, number: int) -> Answer:
        with self._lock:
            return self._sheet.answer(number)

    def answers(self) -> dict[int, Answer]:
        with self._lock:
            return self._sheet.answers()

    def acknowledged(self) -> dict[int, Answer]:
        with self._lock:
            return self._sheet.acknowledged()

    def tally(self) -> Tally:
        with self._lock:
            return self._sheet.tally()

    def numbers(self, *, answered: bool | None = None, doubtful: bool | None = None) -> list[int]:
        with self._lock:
            return self._sheet.numbers(answered=answered, doubtful=doubtful)

    @property
    def unsent(self) -> int:
        with self._lock:
            return self._sheet.unsent

    @property
    def acked_seq(self) -> int:
        return self._sheet.acked_seq

    def remaining_s(self) -> float:
        return self._countdown.remaining_s()

    def urgency(self) -> Urgency:
        return self._countdown.urgency()

    # ------------------------------------------------------------------ phases

    def _move(self, target: Phase) -> Event | None:
        """Change phase (caller holds the lock); an event when it changed."""
        if target == self._phase:
            return None
        if target not in TRANSITIONS[self._phase]:
            raise PhaseError(
                f"cannot go from {self._phase.value} to {target.value}", phase=self._phase.value
            )
        if target == Phase.LOCKED:
            self._before_lock = self._phase
        log.info("phase %s -> %s", self._phase.value, target.value)
        self._phase = target
        return Event(EventKind.PHASE)

    def _require(self, *phases: Phase, action: str) -> None:
        if self._phase not in phases:
            raise PhaseError(f"cannot {action} now", phase=self._phase.value)

    def _set_link(self, link: Link) -> Event | None:
        if link == self._link:
            return None
        self._link = link
        return Event(EventKind.LINK)

    def _went_well(self) -> list[Event]:
        self._failures = 0
        event = self._set_link(Link.ONLINE)
        return [event] if event else []

    def _went_wrong(self) -> list[Event]:
        self._failures += 1
        delay = min(self.policy.retry_max_s, self.policy.retry_min_s * 2 ** (self._failures - 1))
        self._next_try = self._monotonic() + delay
        event = self._set_link(Link.OFFLINE)
        return [event] if event else []

    # ------------------------------------------------------------------ before login

    def probe(self) -> bool:
        """Check that the server answers (CONNECT -> LOGIN either way); True if it does."""
        try:
            self.api.ping()
        except (ServerUnreachableError, ServerBusyError):
            with self._lock:
                events = self._went_wrong()
                moved = self._move(Phase.LOGIN) if self._phase == Phase.CONNECT else None
            self._emit(*events, *([moved] if moved else []))
            return False
        with self._lock:
            events = self._went_well()
            moved = self._move(Phase.LOGIN) if self._phase == Phase.CONNECT else None
        self._emit(*events, *([moved] if moved else []))
        return True

    def refuse_start(self, kind: str, detail: str) -> None:
        """This PC may not start (or resume) a real exam: it is not inside the kiosk.

        ``start`` then raises ``StartRefusedError``, and every login reports ``kind`` to
        the server (after signing in, before starting) so the proctor console says why.
        A practice station ignores it: practice mode is the way to run outside a kiosk.
        """
        if self.practice:
            return
        with self._lock:
            self._start_refusals.append((kind, detail))

    def login(self, *, number: str, pin: str, session_token: str) -> None:
        """Sign in; resume from the server's answers and this PC's journal."""
        with self._lock:
            if self._phase == Phase.CONNECT:
                self._phase = Phase.LOGIN
            self._require(Phase.LOGIN, action="sign in")
        try:
            login = self.api.login(
                number=number,
                pin=pin,
                session_token=session_token,
                workstation=self.workstation,
                practice=self.practice,
            )
        except (ServerUnreachableError, ServerBusyError):
            with self._lock:
                events = self._went_wrong()
            self._emit(*events)
            raise
        if self.practice and not login.session.practice:
            self.api.token = None
            raise PracticeOnlyError(session=login.session.code)
        journal = Journal(self.data_dir / "journal", login.journal_key, durable=self._durable)
        status, saved = self.api.status()
        contents = journal.read()
        with self._lock:
            self._login = login
            self._journal = journal
            self._state = status.state
            self._sheet = AnswerSheet(status.items)
            self._resumed_unsent = self._sheet.restore(
                server=saved,
                server_acked=status.acked_seq,
                journal=contents.entries,
                journal_high_water=contents.high_water,
            )
            self._sent_high = self._sheet.acked_seq
            self._countdown.sync(status.remaining_s, paused=status.paused)
            self._form, self._images, self._result = None, {}, None
            self._photo, self._photo_loaded = None, False
            self._current = 1
            self._next_beat = 0.0
            self._lock_reason = ""
            if contents.entries or contents.damaged:
                self._incidents.append(
                    (
                        "station_restarted",
                        f"resumed on {self.workstation}: {len(contents.entries)} change(s) in the "
                        f"local journal, {self._resumed_unsent} not yet on the server"
                        + (f", {contents.damaged} damaged record(s)" if contents.damaged else ""),
                    )
                )
            for kind, detail in self._start_refusals:
                self._incidents.append((kind, f"{detail}; the station refuses to start the exam"))
            events = self._went_well()
        journal.trim(status.acked_seq)
        if status.state == "submitted":
            self._finished(self.api.result(), events)
            return
        with self._lock:
            if status.locked:
                self._before_lock = Phase.IDENTITY
                moved = self._move(Phase.LOCKED)
                self._before_lock = Phase.IDENTITY
            else:
                moved = self._move(Phase.IDENTITY)
        self._emit(*events, *([moved] if moved else []))
        self.wake()

    def sign_out(self, error: ClientError | None = None) -> None:
        """Back to the login screen; the journal stays on disk for a later resume."""
        with self._lock:
            if self._phase in (Phase.CONNECT, Phase.LOGIN):
                return
            self.api.token = None
            self._login, self._journal, self._form, self._images = None, None, None, {}
            self._result, self._photo, self._photo_loaded = None, None, False
            self._sheet = AnswerSheet(0)
            self._incidents.clear()
            self._phase = Phase.LOGIN
        events = [Event(EventKind.PHASE)]
        if error is not None:
            events.append(Event(EventKind.SIGNED_OUT, error=error))
        self._emit(*events)

    # ------------------------------------------------------------------ identity, instructions

    def photo(self) -> bytes | None:
        """The candidate's photo for the identity screen (fetched once)."""
        with self._lock:
            if self._photo_loaded or self._login is None:
                return self._photo
            wanted = self._login.candidate.has_photo
        found = self.api.photo() if wanted else None
        with self._lock:
            self._photo, self._photo_loaded = found, True
        return found

    def confirm_identity(self) -> None:
        with self._lock:
            self._require(Phase.IDENTITY, action="confirm identity")
            moved = self._move(Phase.INSTRUCTIONS)
        self._emit(*([moved] if moved else []))

    def start(self) -> None:
        """Start (or resume) the exam: the clock, the form and its images."""
        with self._lock:
            self._require(Phase.INSTRUCTIONS, action="start the exam")
        refusal = self.start_refusal
        if refusal is not None:
            raise refusal  # reported to the server at login; the proctor knows why
        status = self.api.start()
        if status.state == "submitted":
            self._finished(self.api.result(), [])
            return
        form = ExamForm.from_payload(self.api.form())
        images = self._fetch_images(form.image_refs())
        with self._lock:
            self._state = status.state
            self._form, self._images = form, images
            if len(form) != self._sheet.items:
                self._sheet.items = len(form)
            self._countdown.sync(status.remaining_s, paused=status.paused)
            unanswered = self._sheet.numbers(answered=False)
            self._current = unanswered[0] if unanswered and self._sheet.acked_seq else 1
            self._next_beat = self._monotonic() + self.policy.heartbeat_s
            moved = self._move(Phase.EXAM)
            events = self._went_well()
        self._emit(*events, Event(EventKind.CLOCK), *([moved] if moved else []))
        self.wake()

    def _fetch_images(self, refs: list[str]) -> dict[str, bytes]:
        """Every image of the form, a few at a time: the candidate waits for them at the
        start (all of them, so that the exam can go on if the network fails later), and
        one after another they were most of that wait."""
        with ThreadPoolExecutor(IMAGE_FETCHES, thread_name_prefix="images") as pool:
            return dict(zip(refs, pool.map(self.api.image, refs), strict=True))

    # ------------------------------------------------------------------ answering

    def go_to(self, number: int) -> bool:
        """Show item ``number`` (from the finish page too); False when not possible."""
        with self._lock:
            if self._form is None or not 1 <= number <= len(self._form):
                return False
            if self._phase == Phase.FINISH:
                self._move(Phase.EXAM)
                moved = True
            elif self._phase == Phase.EXAM:
                moved = False
            else:
                return False
            changed = number != self._current
            self._current = number
        events = [Event(EventKind.PHASE)] if moved else []
        if changed:
            events.append(Event(EventKind.ITEM))
        self._emit(*events)
        return True

    def next_item(self) -> bool:
        return self.go_to(self._current + 1)

    def previous_item(self) -> bool:
        return self.go_to(self._current - 1)

    def choose(self, label: str | None, number: int | None = None) -> bool:
        """Answer an item (the shown one by default); ``None`` clears the choice."""
        return self._change(number, lambda a: (label, a.doubtful))

    def set_doubtful(self, doubtful: bool, number: int | None = None) -> bool:
        return self._change(number, lambda a: (a.choice, doubtful))

    def toggle_doubtful(self, number: int | None = None) -> bool:
        return self._change(number, lambda a: (a.choice, not a.doubtful))

    def _change(
        self, number: int | None, edit: Callable[[Answer], tuple[str | None, bool]]
    ) -> bool:
        """Apply ``edit`` to an item's answer; False when the phase or item does not allow it."""
        with self._lock:
            if self._phase != Phase.EXAM or self._form is None or self._journal is None:
                return False
            if self._countdown.paused:
                return False  # the proctor paused the exam: nothing changes until resumed
            target = self._current if number is None else number
            if not 1 <= target <= len(self._form):
                return False
            choice, doubtful = edit(self._sheet.answer(target))
            if choice is not None and choice not in self._form.item(target).labels:
                return False
            entry = self._sheet.change(
                target, choice=choice, doubtful=doubtful, at_ms=self._wall_ms()
            )
            if entry is None:
                return True
            self._journal.append(entry)  # on disk before anything else happens
        self._emit(Event(EventKind.ANSWERS))
        self.wake()
        return True

    # ------------------------------------------------------------------ finishing

    def request_finish(self) -> None:
        with self._lock:
            self._require(Phase.EXAM, action="finish")
            moved = self._move(Phase.FINISH)
        self._emit(*([moved] if moved else []))

    def return_to_exam(self) -> None:
        with self._lock:
            self._require(Phase.FINISH, action="go back to the items")
            moved = self._move(Phase.EXAM)
        self._emit(*([moved] if moved else []))

    def submit(self) -> wire.Result:
        """Send what is unsent, then submit; the server scores it in the same request."""
        with self._lock:
            self._require(Phase.FINISH, Phase.TIME_OVER, Phase.EXAM, action="submit")
        self._flush(strict=True)
        result = self.api.submit()
        self._finished(result, self._went_well())
        return result

    def _finished(self, result: wire.Result, events: list[Event]) -> None:
        with self._lock:
            self._result = result
            self._state = "submitted"
            journal = self._journal
            moved = self._move(Phase.RESULT)
        if journal is not None:
            journal.discard()  # the server holds the answers and the result now
        self._emit(*events, *([moved] if moved else []))

    # ------------------------------------------------------------------ lockdown

    def report(self, kind: str, detail: str) -> None:
        """Queue an incident for the server (sent by the next ``sync``, at once if online)."""
        with self._lock:
            if self._phase == Phase.RESULT:
                return
            self._incidents.append((kind, detail))
        self.wake()

    def lock(self, reason: str) -> None:
        """Lock this station (a proctor's lock command or the server's verdict)."""
        with self._lock:
            if self._phase not in SIGNED_IN or self._phase == Phase.LOCKED:
                return
            self._lock_reason = reason
            moved = self._move(Phase.LOCKED)
        self._emit(*([moved] if moved else []))

    def unlock(self, code: str) -> None:
        """Enter the proctor's unlock code (raises ``WrongUnlockCodeError`` if wrong)."""
        with self._lock:
            self._require(Phase.LOCKED, action="unlock")
        self.api.unlock(code)
        self._unlocked()

    def _unlocked(self) -> None:
        with self._lock:
            if self._phase != Phase.LOCKED:
                return
            back = self._before_lock
            if back in ANSWERING and self._form is None:
                back = Phase.INSTRUCTIONS
            self._lock_reason = ""
            moved = self._move(back)
        self._emit(*([moved] if moved else []))
        self.wake()

    # ------------------------------------------------------------------ talking to the server

    def next_sync_in(self) -> float:
        """Seconds until ``sync`` has something to do (0: now)."""
        with self._lock:
            now = self._monotonic()
            if self._phase in (Phase.CONNECT, Phase.LOGIN):
                return max(0.0, self._next_try - now)
            if self._phase == Phase.RESULT or self._login is None:
                return 3600.0
            clock = 3600.0
            if self._phase in ANSWERING and self._countdown.synced and not self.paused:
                clock = self._countdown.remaining_s()
            if self._link == Link.OFFLINE:
                return max(0.0, min(self._next_try - now, clock))
            if self._incidents or self._sheet.unsent:
                return 0.0
            return max(0.0, min(self._next_beat - now, clock))

    def sync(self) -> float:
        """Do what is due: probe, report incidents, send answers, heartbeat, end at time.

        Never raises for network trouble (the link goes OFFLINE and a retry is
        scheduled); returns seconds until the next call is wanted.
        """
        try:
            if self._phase in (Phase.CONNECT, Phase.LOGIN):
                if self._monotonic() >= self._next_try and self.probe():
                    self._next_try = self._monotonic() + self.policy.probe_s
            elif self._phase in SIGNED_IN and self._login is not None:
                if self._link != Link.OFFLINE or self._monotonic() >= self._next_try:
                    self._sync_signed_in()
                else:
                    self._time_over_offline()
        except (ServerUnreachableError, ServerBusyError) as exc:
            log.info("offline: %s", exc)
            with self._lock:
                events = self._went_wrong()
            self._emit(*events)
            self._time_over_offline()
        except SignedOutError as exc:
            log.warning("signed out: %s", exc)
            self.sign_out(exc)
        return self.next_sync_in()

    def _sync_signed_in(self) -> None:
        self._send_incidents()
        self._flush(strict=False)
        with self._lock:
            expired = self._phase in (*ANSWERING, Phase.TIME_OVER) and self._countdown.expired()
            due = self._monotonic() >= self._next_beat or self._link == Link.OFFLINE
        if due or expired:
            self._heartbeat()
        with self._lock:
            over = (
                self._phase in (*ANSWERING, Phase.TIME_OVER)
                and self._form is not None
                and self._countdown.expired()
            )
        if over:
            log.info("the server agrees the time is over: submitting")
            self.submit()

    def _time_over_offline(self) -> None:
        """Offline at zero: say so; the answers wait in the journal for the server."""
        with self._lock:
            if not (self._phase in ANSWERING and self._countdown.expired()):
                return
            moved = self._move(Phase.TIME_OVER)
        self._emit(*([moved] if moved else []))

    def _send_incidents(self) -> None:
        while True:
            with self._lock:
                if not self._incidents:
                    return
                kind, detail = self._incidents[0]
            locked = self.api.incident(kind, detail)
            with self._lock:
                if self._incidents and self._incidents[0] == (kind, detail):
                    self._incidents.pop(0)
                events = self._went_well()
            self._emit(*events)
            if locked:
                self.lock(kind)

    def _flush(self, *, strict: bool) -> None:
        """Send unsent changes until none are left (``strict``: raise on trouble)."""
        while True:
            with self._lock:
                batch = self._sheet.batch()
                if not batch:
                    return
                link = self._set_link(Link.SENDING)
            self._emit(*([link] if link else []))
            try:
                acked = self.api.save(batch)
            except TimeOverError:
                # Past the deadline and its grace: the server finalises with what it has.
                with self._lock:
                    dropped = self._sheet.drop_unsent()
                log.warning("time over: %d change(s) were too late", len(dropped))
                if self._journal is not None:
                    self._journal.trim(max(e.seq for e in dropped))
                self._emit(Event(EventKind.ANSWERS))
                return
            except (ServerUnreachableError, ServerBusyError):
                if strict:
                    with self._lock:
                        events = self._went_wrong()
                    self._emit(*events)
                raise
            if acked < batch[-1].seq:
                raise ProtocolError(
                    f"the server acknowledged {acked} of a batch up to {batch[-1].seq}"
                )
            with self._lock:
                self._sent_high = max(self._sent_high, batch[-1].seq)
                self._sheet.acknowledge(acked)
                events = self._went_well()
                journal = self._journal
            if journal is not None:
                journal.trim(acked)
            self._emit(*events, Event(EventKind.ANSWERS))

    def _heartbeat(self) -> None:
        with self._lock:
            answered = self._sheet.tally().answered
        beat = self.api.heartbeat(answered=answered, client_time_ms=self._wall_ms())
        with self._lock:
            self._next_beat = self._monotonic() + self.policy.heartbeat_s
            was_paused = self._countdown.paused
            self._countdown.sync(beat.remaining_s, paused=beat.paused)
            if self._sent_high and beat.acked_seq:
                self._sheet.acknowledge(min(beat.acked_seq, self._sent_high))
            events = [*self._went_well(), Event(EventKind.CLOCK)]
            if was_paused != beat.paused:
                events.append(Event(EventKind.CLOCK, text="paused" if beat.paused else "resumed"))
        for command in beat.commands:
            if command.kind == "message" and command.text:
                events.append(Event(EventKind.MESSAGE, text=command.text))
            elif command.kind == "extend" and command.minutes:
                events.append(Event(EventKind.MESSAGE, minutes=command.minutes))
            elif command.kind == "lock":
                with self._lock:
                    self._lock_reason = command.text
        self._emit(*events)
        if beat.state == "submitted":
            self._finished(self.api.result(), [])
            return
        if beat.locked:
            self.lock(self._lock_reason or "proctor")
        elif self._phase == Phase.LOCKED:
            self._unlocked()
        if self._phase == Phase.TIME_OVER and beat.remaining_s > 0:
            with self._lock:
                moved = self._move(Phase.EXAM)
            self._emit(*([moved] if moved else []))

    def close(self) -> None:
        self.api.close()
