"""Fault drills: headless stations (the real core, ``cbt_client.bot.run_bots``) sit an exam
while something breaks; afterwards the reconciliation checks say whether anything was
lost, duplicated or scored twice.

* ``kill_drill`` — ``kill -9`` of the server process at random moments while the
  candidates answer, and once more in the middle of the submit burst; restarted
  each time on the same data. Also checks that deadlines held: time runs on while
  the server is down (a witness candidate's remaining time drops by the time the
  server was away) and no attempt's deadline moved.
* ``cut_drill`` — the network between the stations and the server taken away (a
  loopback TCP proxy, ``tests.faults.proxy``) for a while in the middle of the exam.

The tests in this folder run them small (about 20 candidates, seconds);
``benchmarks/fault_bench.py`` runs them at 200 candidates and for minutes.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Select, func, select

from cbt_client.bot import BotLogin, BotResult, Pace, run_bots
from cbt_client.config import StationConfig
from cbt_client.session import SyncPolicy
from cbt_client.transport import RetryPolicy
from cbt_server.db import tables
from tests.faults.proxy import Cut, TcpProxy
from tests.faults.reconciliation import (
    acked_sheet,
    answer_differences,
    reading,
    scoring_problems,
    server_answers,
)
from tests.faults.server_process import ServerProcess
from tests.live_server import build

SESSION = "S1"
SUBMIT = "/api/v1/candidate/submit"


@dataclass
class Drill:
    candidates: int = 20
    #: Bot time compression; the answering takes 6000 * use_of_time / speed seconds.
    speed: float = 400.0
    use_of_time: float = 1.0
    heartbeat_s: float = 0.5
    login_window_s: float = 1.0
    database_url: str | None = None
    seed: int = 8
    #: How quickly stations retry (a station's defaults: 1 s doubling to 10 s).
    retry_min_s: float = 0.1
    retry_max_s: float = 1.0

    @property
    def answering_s(self) -> float:
        return 6000.0 * self.use_of_time / self.speed


@dataclass
class KillDrill(Drill):
    #: Kills while the candidates answer (one more lands in the submit burst).
    kills: int = 3
    #: How long the server stays dead before it is started again.
    downtime_s: float = 0.5


@dataclass
class CutDrill(Drill):
    cut_s: float = 8.0
    mode: Cut = Cut.REFUSE


@dataclass
class DrillReport:
    results: list[BotResult] = field(default_factory=list)
    answer_differences: list[str] = field(default_factory=list)
    scoring_problems: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    #: Anything the drill itself saw go wrong (a deadline moved, a clock stood still ...).
    problems: list[str] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)
    #: (when sent, status) of every submit request.
    submits: list[tuple[float, int]] = field(default_factory=list)

    @property
    def bot_errors(self) -> list[str]:
        return [f"{r.number}: {r.error}" for r in self.results if not r.ok]

    def all_problems(self) -> list[str]:
        return [
            *self.bot_errors,
            *self.answer_differences,
            *self.scoring_problems,
            *self.problems,
        ]


class _Site:
    """A built site served by ``cbt-server run``, with one candidate kept aside as a witness."""

    def __init__(self, plan: Drill, root: Path) -> None:
        rt, self.pins = build(root, database_url=plan.database_url, count=plan.candidates + 1)
        self.database_url = rt.settings.database_url
        self.data_dir = rt.paths.root
        rt.close()
        numbers = sorted(self.pins)
        self.numbers, self.witness = numbers[:-1], numbers[-1]
        self.server = ServerProcess(
            self.data_dir, database_url=plan.database_url, log=root / "server.log"
        )
        self.root = root

    def token(self) -> str:
        return self.server.session_token(SESSION)

    def _count(self, query: Select[tuple[int]]) -> int:
        with reading(self.database_url) as conn:
            return int(conn.execute(query).scalar_one())

    def count(self, state: str) -> int:
        att = tables.attempts
        return self._count(select(func.count()).select_from(att).where(att.c.state == state))

    def answers_held(self) -> int:
        return self._count(select(func.count()).select_from(tables.responses))

    def answering(self) -> int:
        """Attempts with at least one stored answer: stations that have their form."""
        return self._count(select(func.count(func.distinct(tables.responses.c.attempt_id))))

    def deadlines(self) -> dict[int, tuple[int | None, int | None, int, int]]:
        """attempt id -> (deadline, started, duration, extension) as stored."""
        att = tables.attempts
        with reading(self.database_url) as conn:
            return {
                r.id: (r.deadline_ms, r.started_ms, r.duration_s, r.extended_s)
                for r in conn.execute(
                    select(
                        att.c.id,
                        att.c.deadline_ms,
                        att.c.started_ms,
                        att.c.duration_s,
                        att.c.extended_s,
                    )
                )
            }

    def wait_until(self, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not happen within {timeout_s:g} s")
            time.sleep(0.1)  # polling a condition with a deadline

    def logins(self, token: str) -> list[BotLogin]:
        return [BotLogin(n, self.pins[n], token, f"PC-{n[-4:]}") for n in self.numbers]


def _run_bots(
    plan: Drill,
    config: StationConfig,
    logins: list[BotLogin],
    submit_at: float,
    report: DrillReport,
) -> list[BotResult]:
    def record(path: str, seconds: float, status: int) -> None:
        if path == SUBMIT:
            report.submits.append((time.time() - seconds, status))

    return run_bots(
        config,
        logins,
        Pace(speed=plan.speed, use_of_time=plan.use_of_time, seed=plan.seed),
        policy=SyncPolicy(
            heartbeat_s=plan.heartbeat_s,
            probe_s=plan.heartbeat_s,
            retry_min_s=plan.retry_min_s,
            retry_max_s=plan.retry_max_s,
        ),
        retry=RetryPolicy(attempts=2, first_delay_s=0.05, max_delay_s=0.2),
        max_connections=min(len(logins), 100),
        stagger_s=plan.login_window_s / max(1, len(logins)),
        submit_not_before=submit_at,
        recorder=record,
    )


def _check(site: _Site, report: DrillReport) -> None:
    report.answer_differences = answer_differences(
        {r.number: acked_sheet(r) for r in report.results}, server_answers(site.database_url)
    )
    report.scoring_problems = scoring_problems(
        site.database_url,
        {r.number: None if r.result is None else r.result.slip for r in report.results},
    )


class _Witness:
    """A candidate at a station of our own, to read the server's remaining time directly."""

    def __init__(self, site: _Site, token: str) -> None:
        self.site = site
        with site.server.http_client() as client:
            r = client.post(
                "/api/v1/candidate/login",
                json={
                    "participant_number": site.witness,
                    "pin": site.pins[site.witness],
                    "session_token": token,
                    "workstation": "PC-WITNESS",
                },
            )
            r.raise_for_status()
            self.headers = {"Authorization": f"Bearer {r.json()['token']}"}
            client.post("/api/v1/candidate/start", headers=self.headers).raise_for_status()

    def remaining(self) -> tuple[float, float]:
        """(when asked, by this machine's clock; the server's remaining seconds)."""
        with self.site.server.http_client() as client:
            asked = time.time()
            beat = client.post("/api/v1/candidate/heartbeat", headers=self.headers, json={})
            beat.raise_for_status()
            return asked, float(beat.json()["remaining_s"])


def kill_drill(plan: KillDrill, root: Path) -> DrillReport:
    report = DrillReport()
    site = _Site(plan, root)
    rng = random.Random(plan.seed)
    site.server.start()
    failure: list[Exception] = []
    try:
        token = site.token()
        witness = _Witness(site, token)
        config = site.server.station_config(root / "stations")
        began = time.time()
        submit_at = began + plan.login_window_s + 1.15 * plan.answering_s + 3.0

        def killer() -> None:
            try:
                site.wait_until(
                    lambda: site.count("in_progress") >= len(site.numbers) + 1,
                    60,
                    "every candidate starting",
                )
                before = site.deadlines()
                answering_ends = began + plan.login_window_s + plan.answering_s
                moments = sorted(
                    rng.uniform(time.time() + 0.3, max(time.time() + 0.5, answering_ends))
                    for _ in range(plan.kills)
                )
                moments.append(submit_at + rng.uniform(0.0, 0.25))  # in the submit burst
                for i, moment in enumerate(moments):
                    threading.Event().wait(max(0.0, moment - time.time()))  # the schedule
                    asked, left = witness.remaining() if i == 0 else (0.0, 0.0)
                    site.server.kill()
                    killed = time.time()
                    threading.Event().wait(plan.downtime_s)  # dead for this long
                    site.server.start()
                    back = time.time()
                    report.events.append(
                        f"kill -9 at +{killed - began:.2f} s, serving again after "
                        f"{back - killed:.2f} s"
                    )
                    if i == 0:
                        asked_again, left_again = witness.remaining()
                        ran = asked_again - asked
                        report.figures["witness"] = {
                            "remaining_before_s": left,
                            "remaining_after_s": left_again,
                            "seconds_between": round(ran, 2),
                        }
                        if abs((left - left_again) - ran) > 2.0:
                            report.problems.append(
                                f"the clock did not run on while the server was down: "
                                f"{left} s left, then {left_again} s left {ran:.1f} s later"
                            )
                after = site.deadlines()
                moved = [a for a, d in before.items() if after.get(a) != d]
                if moved:
                    report.problems.append(f"deadlines moved for attempts {moved}")
                wrong = [
                    a
                    for a, (deadline, started, duration, extended) in after.items()
                    if started is not None and deadline != started + (duration + extended) * 1000
                ]
                if wrong:
                    report.problems.append(f"deadline != start + duration for {wrong}")
            except Exception as exc:  # noqa: BLE001 - a thread's top: the drill reports it
                failure.append(exc)

        thread = threading.Thread(target=killer, name="killer")
        thread.start()
        try:
            report.results = _run_bots(plan, config, site.logins(token), submit_at, report)
        finally:
            thread.join(timeout=120)
        if failure:
            raise RuntimeError(f"the killer failed: {failure[0]!r}") from failure[0]
    finally:
        site.server.stop()
    report.figures["server_starts"] = site.server.starts
    _check(site, report)
    return report


def cut_drill(plan: CutDrill, root: Path) -> DrillReport:
    report = DrillReport()
    site = _Site(plan, root)
    site.server.start()
    failure: list[Exception] = []
    try:
        token = site.token()
        with TcpProxy(site.server.port) as proxy:
            config = StationConfig.create(
                server_url=f"https://127.0.0.1:{proxy.port}",
                station_id="PC",
                ca_pem=site.server.ca_path.read_text(),
                ca_fingerprint=None,
                data_dir=root / "stations",
            )
            began = time.time()
            submit_at = began + plan.login_window_s + 1.15 * plan.answering_s + 3.0

            def cutter() -> None:
                try:
                    # Mid-exam: every station has its form and has saved something (a
                    # station cut off before its form arrived has no exam to go on with).
                    site.wait_until(
                        lambda: site.answering() >= len(site.numbers),
                        60 + plan.login_window_s + plan.answering_s / 10,
                        "every candidate answering",
                    )
                    proxy.cut(plan.mode)
                    cut_at = time.time()
                    threading.Event().wait(min(1.0, plan.cut_s / 4))  # in-flight saves settle
                    held_early = site.answers_held()
                    threading.Event().wait(max(0.0, cut_at + plan.cut_s - time.time()))
                    held_late = site.answers_held()
                    proxy.restore()
                    restored = time.time()
                    report.events.append(
                        f"network cut ({plan.mode.value}) at +{cut_at - began:.2f} s for "
                        f"{restored - cut_at:.2f} s"
                    )
                    report.figures.update(
                        {
                            "answers_held_when_cut": held_early,
                            "answers_held_before_restore": held_late,
                            "connections_turned_away": proxy.turned_away,
                        }
                    )
                    if held_late != held_early:
                        report.problems.append(
                            f"answers reached the server through a cut network "
                            f"({held_early} -> {held_late})"
                        )
                except Exception as exc:  # noqa: BLE001 - a thread's top: the drill reports it
                    failure.append(exc)

            thread = threading.Thread(target=cutter, name="cutter")
            thread.start()
            try:
                report.results = _run_bots(plan, config, site.logins(token), submit_at, report)
            finally:
                thread.join(timeout=max(120.0, 2 * plan.cut_s))
            if failure:
                raise RuntimeError(f"the cutter failed: {failure[0]!r}") from failure[0]
    finally:
        site.server.stop()
    offline = [r.offline_episodes for r in report.results]
    report.figures["offline_episodes"] = sum(offline)
    report.figures["stations_that_went_offline"] = sum(1 for n in offline if n)
    # The cut is longer than the slack before the common submit moment: a station that had
    # stopped answering while offline would be late for it.
    sent = [at for at, status in report.submits if status == 200]
    on_time = sum(1 for at in sent if submit_at - 0.05 <= at <= submit_at + 1.5)
    report.figures["submits_on_time"] = on_time
    report.figures["slack_before_submit_s"] = round(submit_at - began - plan.answering_s, 1)
    if on_time != len(report.results):
        report.problems.append(
            f"only {on_time} of {len(report.results)} stations were ready to submit at the "
            "common moment: the exam did not go on during the cut"
        )
    _check(site, report)
    return report
