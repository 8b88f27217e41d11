"""A headless candidate on the station's own core: for demos, drills and load tests.

``run_bot`` signs in like a person (number, PIN, the session token), looks at
the identity page (fetches the photo), starts, and answers the real form with
human-like pacing: a think time per item drawn from a log-normal spread, some
answers changed on a second pass, some items marked ragu-ragu and some of
those resolved, a few left blank. ``Pace.speed`` compresses time: at 40 the
100 minutes of an SKD take 2.5 minutes (``use_of_time`` of them, at least).
It uses ``ExamSession`` exactly as the screens do — journal, offline queue,
heartbeats, commands, the end of time — so a bot exercises the same code a
candidate does, and survives a server restart the same way.

Concurrency: threads. ``run_bots`` runs one thread per bot with a shared
``httpx.Client`` (one TLS connection pool for all), which is simple, uses the
same blocking core as the station, and holds 200+ bots in one process (the
threads spend their time waiting; see docs/client.md for figures).

For load tests (benchmarks/load_bench.py) ``run_bots`` takes two optional
extras that a station never uses: a ``recorder`` called after every request
with (path, seconds, status — 0 when no reply came), plus one synthetic
``"login+form"`` figure per bot (the time the candidate waited from signing in
to the first item, without their own reading time); and two wall-clock
barriers, ``answer_not_before`` and ``submit_not_before``: a bot that has its
form (or has finished answering) keeps the session in sync (heartbeats) until
then, so that the answering starts together after the logins, and every bot
submits in the same second.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import httpx

from cbt_client import wire
from cbt_client.answers import Answer
from cbt_client.config import StationConfig
from cbt_client.errors import ClientError, ServerBusyError, ServerUnreachableError
from cbt_client.session import ExamSession, Link, Phase, SyncPolicy
from cbt_client.transport import RetryPolicy, Transport, ssl_context

log = logging.getLogger("cbt_client.bot")

#: Called after every request: (URL path, seconds until the whole reply was read, HTTP
#: status or 0 when none came). Runs on the bot's thread: keep it cheap.
LatencyRecorder = Callable[[str, float, int], None]
#: The recorder's name for a bot's own sign-in-to-first-item time.
LOGIN_AND_FORM = "login+form"


@dataclass(frozen=True, slots=True)
class Pace:
    """How a bot behaves; the defaults look like a careful candidate."""

    #: Time compression: 40 means the exam's minutes pass 40 times faster for the bot.
    speed: float = 40.0
    #: The share of the exam's time the bot spends before it submits.
    use_of_time: float = 0.8
    #: Shares of items: answered then changed, marked doubtful, left blank.
    change_rate: float = 0.12
    doubt_rate: float = 0.1
    blank_rate: float = 0.02
    #: Share of doubtful marks cleared on the second pass.
    resolve_rate: float = 0.5
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class BotLogin:
    number: str
    pin: str
    session_token: str
    workstation: str


@dataclass
class BotResult:
    number: str
    #: The answers the server acknowledged, by item number.
    acked: dict[int, Answer] = field(default_factory=dict)
    result: wire.Result | None = None
    changes: int = 0
    doubtful_marks: int = 0
    offline_episodes: int = 0
    seconds: float = 0.0
    #: "bot" (it submitted), "time" (the clock ran out), "server" (forced or finalised).
    finished_by: str = ""
    error: ClientError | None = None

    @property
    def report(self) -> object:
        return None if self.result is None else self.result.report

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None


def run_bot(
    config: StationConfig,
    number: str,
    pin: str,
    token: str,
    workstation: str,
    pace: Pace | None = None,
    *,
    data_dir: Path | None = None,
    client: httpx.Client | None = None,
    stop: threading.Event | None = None,
    policy: SyncPolicy | None = None,
    retry: RetryPolicy | None = None,
    login_tries: int = 5,
) -> BotResult:
    """Sit one exam as candidate ``number``; never raises a ``ClientError`` (see ``.error``)."""
    bot = _Bot(
        config,
        BotLogin(number, pin, token, workstation),
        pace or Pace(),
        data_dir=data_dir or config.data_dir,
        client=client,
        stop=stop or threading.Event(),
        policy=policy,
        retry=retry,
    )
    return bot.run(login_tries)


def run_bots(
    config: StationConfig,
    logins: Sequence[BotLogin],
    pace: Pace | None = None,
    *,
    data_dir: Path | None = None,
    stop: threading.Event | None = None,
    policy: SyncPolicy | None = None,
    retry: RetryPolicy | None = None,
    max_connections: int = 100,
    stagger_s: float = 0.0,
    recorder: LatencyRecorder | None = None,
    answer_not_before: float | None = None,
    submit_not_before: float | None = None,
) -> list[BotResult]:
    """Run many bots at once, one thread each, sharing one connection pool.

    ``recorder`` and the barriers (``time.time()`` values) are for load tests; see
    the module's docstring.
    """
    pace = pace or Pace()
    stop = stop or threading.Event()
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    timed = None
    if recorder is not None:
        timed = _TimedTransport(
            httpx.HTTPTransport(verify=ssl_context(config), limits=limits), recorder
        )
    with (
        httpx.Client(
            base_url=config.server_url,
            verify=ssl_context(config),
            timeout=30.0,
            limits=limits,
            transport=timed,
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, len(logins)), thread_name_prefix="cbt-bot") as pool,
    ):
        futures = []
        for i, login in enumerate(logins):
            seed = None if pace.seed is None else pace.seed + i
            bot = _Bot(
                config,
                login,
                replace(pace, seed=seed),
                data_dir=data_dir or config.data_dir,
                client=client,
                stop=stop,
                policy=policy,
                retry=retry,
                delay_s=i * stagger_s,
                recorder=recorder,
                barriers=(answer_not_before, submit_not_before),
            )
            futures.append(pool.submit(bot.run, 5))
        return [f.result() for f in futures]


class _TimedTransport(httpx.BaseTransport):
    """Times every request until its reply is read whole, for a load test's recorder."""

    def __init__(self, inner: httpx.BaseTransport, recorder: LatencyRecorder) -> None:
        self._inner, self._recorder = inner, recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        began = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
            response.read()
        except httpx.HTTPError:
            self._recorder(request.url.path, time.perf_counter() - began, 0)
            raise
        self._recorder(request.url.path, time.perf_counter() - began, response.status_code)
        return response

    def close(self) -> None:
        self._inner.close()


class _Bot:
    def __init__(
        self,
        config: StationConfig,
        login: BotLogin,
        pace: Pace,
        *,
        data_dir: Path,
        client: httpx.Client | None,
        stop: threading.Event,
        policy: SyncPolicy | None,
        retry: RetryPolicy | None,
        delay_s: float = 0.0,
        recorder: LatencyRecorder | None = None,
        barriers: tuple[float | None, float | None] = (None, None),
    ) -> None:
        self.login, self.pace, self.stop, self.delay_s = login, pace, stop, delay_s
        self.recorder = recorder
        self.answer_not_before, self.submit_not_before = barriers
        #: Seconds the candidate waited on the server from signing in to the first item.
        self._waited_s = 0.0
        self.rng = random.Random(pace.seed)
        transport = Transport(config, client=client, stop=stop, retry=retry)
        self.session = ExamSession(
            transport, workstation=login.workstation, data_dir=data_dir, policy=policy
        )
        self.result = BotResult(login.number)
        self._was_offline = False
        self.session.subscribe(lambda _event: self._watch_link())

    def _watch_link(self) -> None:
        offline = self.session.link == Link.OFFLINE
        if offline and not self._was_offline:
            self.result.offline_episodes += 1
        self._was_offline = offline

    # ------------------------------------------------------------------ the sitting

    def run(self, login_tries: int) -> BotResult:
        began = time.monotonic()
        try:
            if self.delay_s:
                self.stop.wait(self.delay_s)
            self._timed(partial(self._sign_in, login_tries))
            self._sit()
        except ClientError as exc:
            log.warning("bot %s: %s", self.login.number, exc)
            self.result.error = exc
        finally:
            self.result.acked = self.session.acknowledged()
            self.result.result = self.session.result
            self.result.seconds = time.monotonic() - began
            self.session.close()
        return self.result

    def _sign_in(self, tries: int) -> None:
        for attempt in range(tries):
            try:
                self.session.login(
                    number=self.login.number,
                    pin=self.login.pin,
                    session_token=self.login.session_token,
                )
                return
            except (ServerUnreachableError, ServerBusyError):
                if attempt == tries - 1 or self.stop.wait(min(8.0, 0.5 * 2**attempt)):
                    raise

    def _sit(self) -> None:
        s = self.session
        if s.phase == Phase.RESULT:
            self.result.finished_by = "server"
            return
        self._until(lambda: s.phase != Phase.LOCKED)
        if s.phase == Phase.IDENTITY:
            self._timed(partial(self._patiently, s.photo))
            self._think(20.0 / self.pace.speed)  # a person reads their name and looks
            s.confirm_identity()
        if s.phase == Phase.INSTRUCTIONS:
            self._think(60.0 / self.pace.speed)  # and reads the rules
            self._timed(partial(self._patiently, s.start))
        form = s.form
        if form is None or s.phase != Phase.EXAM:
            self._finish()
            return
        if self.recorder is not None:
            self.recorder(LOGIN_AND_FORM, self._waited_s, 200)
        if self.answer_not_before is not None:
            self._think(self.answer_not_before - time.time())  # heartbeats go on meanwhile
        items = len(form)
        budget = s.remaining_s() * self.pace.use_of_time / self.pace.speed
        changed = {n for n in range(1, items + 1) if self.rng.random() < self.pace.change_rate}
        doubtful = {n for n in range(1, items + 1) if self.rng.random() < self.pace.doubt_rate}
        blank = {n for n in range(1, items + 1) if self.rng.random() < self.pace.blank_rate}
        actions = items + len(changed) + len(doubtful)
        mean = budget / max(1, actions)
        for number in range(1, items + 1):
            if not self._act(mean, partial(s.go_to, number)):
                break
            if number in blank or s.answer(number).answered:
                continue
            s.choose(self.rng.choice(form.item(number).labels))
            if number in doubtful:
                s.set_doubtful(True)
                self.result.doubtful_marks += 1
        for number in sorted(changed | doubtful):
            if not self._act(mean, partial(s.go_to, number)):
                break
            if number in changed:
                labels = [x for x in form.item(number).labels if x != s.answer(number).choice]
                if labels and s.choose(self.rng.choice(labels)):
                    self.result.changes += 1
            if number in doubtful and self.rng.random() < self.pace.resolve_rate:
                s.set_doubtful(False)
        self._finish()

    def _act(self, mean_s: float, step: Callable[[], bool]) -> bool:
        """Think, then do ``step`` when the exam is there to do it; False if it is over."""
        self._think(self._draw(mean_s))
        self._until(lambda: self.session.phase in (Phase.EXAM, Phase.FINISH, Phase.RESULT))
        if self.session.phase != Phase.EXAM:
            return False
        return step()

    def _patiently(self, step: Callable[[], object], tries: int = 120) -> None:
        """Do ``step``; while the server cannot be reached, wait a second and press
        again, as a candidate does with the "try again" button (about two minutes)."""
        for attempt in range(tries):
            try:
                step()
                return
            except (ServerUnreachableError, ServerBusyError):
                if attempt == tries - 1 or self.stop.is_set():
                    raise
                self._think(1.0)

    def _timed(self, step: Callable[[], object]) -> None:
        began = time.perf_counter()
        try:
            step()
        finally:
            self._waited_s += time.perf_counter() - began

    def _finish(self) -> None:
        s = self.session
        if self.submit_not_before is not None and s.phase in (Phase.EXAM, Phase.FINISH):
            self._think(self.submit_not_before - time.time())  # heartbeats go on meanwhile
        while s.phase != Phase.RESULT and not self.stop.is_set():
            if s.phase == Phase.EXAM:
                s.request_finish()
            if s.phase in (Phase.FINISH, Phase.TIME_OVER):
                try:
                    s.submit()
                    self.result.finished_by = "bot"
                    return
                except (ServerUnreachableError, ServerBusyError):
                    self._think(1.0)
                    continue
            self._think(1.0)
        if s.phase == Phase.RESULT and not self.result.finished_by:
            self.result.finished_by = "server"

    # ------------------------------------------------------------------ time

    def _draw(self, mean_s: float) -> float:
        """A log-normal think time with the given mean (sigma 0.6: most near, a few long)."""
        sigma = 0.6
        return self.rng.lognormvariate(math.log(max(mean_s, 1e-3)) - sigma**2 / 2, sigma)

    def _think(self, seconds: float) -> None:
        """Wait ``seconds`` while keeping the session in sync (answers out, heartbeats)."""
        end = time.monotonic() + seconds
        while not self.stop.is_set():
            wait = self.session.sync()
            left = end - time.monotonic()
            if left <= 0:
                return
            if self.stop.wait(max(0.01, min(left, wait))):
                return

    def _until(self, condition: Callable[[], bool], limit_s: float = 3 * 3600) -> None:
        end = time.monotonic() + limit_s
        while not condition() and not self.stop.is_set() and time.monotonic() < end:
            wait = self.session.sync()
            self.stop.wait(max(0.05, min(wait, 1.0)))
