from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cbt_client.config import StationConfig
from cbt_client.courier import Courier
from cbt_client.lockdown import Lockdown
from cbt_client.session import ExamSession, SyncPolicy
from tests.cbt_client.fakes import FakeServer
from tests.live_server import LiveSite, live_site

FAST = SyncPolicy(heartbeat_s=0.2, probe_s=0.2, retry_min_s=0.05, retry_max_s=0.2)


class Monotonic:
    """A monotonic clock a test moves by hand (it starts at the real one)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def fake() -> FakeServer:
    return FakeServer()


@pytest.fixture
def clock() -> Monotonic:
    return Monotonic()


@pytest.fixture
def session(fake: FakeServer, tmp_path: Path, clock: Monotonic) -> ExamSession:
    return ExamSession(
        fake, workstation="PC-01", data_dir=tmp_path / "station", policy=FAST, monotonic=clock
    )


def signed_in(session: ExamSession, fake: FakeServer, *, start: bool = True) -> ExamSession:
    session.login(number="20260001", pin=fake.pin, session_token=fake.session_token)
    session.confirm_identity()
    if start:
        session.start()
    return session


@pytest.fixture
def station(qtbot, fake: FakeServer, tmp_path: Path, clock: Monotonic) -> Iterator[object]:
    """A station window on the fake server, lockdown on, courier running."""
    from cbt_client.ui.window import StationWindow

    session = ExamSession(
        fake, workstation="PC-01", data_dir=tmp_path / "station", policy=FAST, monotonic=clock
    )
    courier = Courier(session)
    config = config_for_fake(tmp_path)
    window = StationWindow(
        session,
        courier,
        config,
        lockdown=Lockdown(enforced=True, exit_code_hash=config.exit_code_hash),
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    courier.start()
    window.start()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    try:
        yield window
    finally:
        window.shutdown()


_CA: dict[str, str] = {}


def throwaway_ca() -> tuple[str, str]:
    """A throwaway CA certificate (PEM) and its fingerprint, made once per run."""
    if not _CA:
        import tempfile

        from cbt_server.services.tls import create_ca

        with tempfile.TemporaryDirectory() as folder:
            fingerprint = create_ca(Path(folder), "TEST")
            _CA["pem"] = (Path(folder) / "ca.crt").read_text()
            _CA["fp"] = fingerprint
    return _CA["pem"], _CA["fp"]


def config_for_fake(tmp_path: Path) -> StationConfig:
    pem, fp = throwaway_ca()
    return StationConfig.create(
        server_url="https://127.0.0.1:9",
        station_id="PC-01",
        ca_pem=pem,
        ca_fingerprint=fp,
        data_dir=tmp_path / "station",
        exit_code="271828",
    )


def config_for(site: LiveSite, data_dir: Path, station: str = "PC-01") -> StationConfig:
    if site.ca_path is None or site.ca_fingerprint is None:
        raise ValueError("the site must serve TLS")
    return StationConfig.create(
        server_url=site.base_url,
        station_id=station,
        ca_pem=site.ca_path.read_text(),
        ca_fingerprint=site.ca_fingerprint,
        data_dir=data_dir,
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LiveSite]:
    with live_site(tmp_path, tls=True, count=6) as served:
        yield served
