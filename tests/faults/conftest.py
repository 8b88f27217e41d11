"""Stations for the fault tests: the real station core over HTTPS to a live server."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from cbt_client.config import StationConfig
from cbt_client.session import ExamSession, Phase, SyncPolicy
from cbt_client.transport import RetryPolicy, Transport
from tests.live_server import LiveSite

FAST = SyncPolicy(heartbeat_s=0.2, probe_s=0.2, retry_min_s=0.05, retry_max_s=0.2)
QUICK_RETRY = RetryPolicy(attempts=2, first_delay_s=0.05, max_delay_s=0.1)


def station_config(site: LiveSite, data_dir: Path, station: str = "PC-01") -> StationConfig:
    if site.ca_path is None:
        raise ValueError("the site must serve HTTPS")
    return StationConfig.create(
        server_url=site.base_url,
        station_id=station,
        ca_pem=site.ca_path.read_text(),
        ca_fingerprint=site.ca_fingerprint,
        data_dir=data_dir,
    )


def sitting(
    site: LiveSite,
    root: Path,
    number: str,
    *,
    wall_ms: Callable[[], int] | None = None,
    timeout_s: float = 10.0,
) -> ExamSession:
    """A station with candidate ``number`` signed in and the exam started."""
    workstation = f"PC-{number[-2:]}"
    config = station_config(site, root / number, workstation)
    session = ExamSession(
        Transport(config, retry=QUICK_RETRY, timeout_s=timeout_s),
        workstation=workstation,
        data_dir=root / number,
        policy=FAST,
        wall_ms=wall_ms or (lambda: int(time.time() * 1000)),
    )
    session.login(number=number, pin=site.pins[number], session_token=site.token())
    session.confirm_identity()
    session.start()
    if session.phase != Phase.EXAM:
        raise RuntimeError(f"the exam did not start: {session.phase}")
    return session


def sync_until(session: ExamSession, condition: Callable[[], bool], timeout_s: float) -> None:
    """Let the station do what is due until ``condition`` holds (or fail after the deadline)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not hold in time")
        wait = session.sync()
        time.sleep(min(0.05, max(0.005, wait)))  # the station's own pacing between syncs
