"""A real server on loopback for tests that talk to it over the network.

``live_site(tmp_path)`` builds a site (SQLite by default, or the URL given),
imports and unlocks the SKD sample bank, registers candidates with known PINs,
opens session S1, and serves it with uvicorn in a background thread — plain
HTTP by default, or HTTPS with the site's own CA (``tls=True``). Used by the
client, web-page and load tests, so they all exercise the real server.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbt_server.api.app import create_app
from cbt_server.clock import Clock, SystemClock
from cbt_server.db.engine import Database
from cbt_server.runtime import Runtime
from cbt_server.services.exam_setup import CandidateRow
from cbt_server.services.site import SitePaths, init_site
from cbt_server.services.tls import ca_fingerprint
from cbt_server.settings import ServerSettings
from question_bank.container import seal
from question_bank.source import read_source
from scoring.presets import preset_text

SAMPLE = Path(__file__).parents[1] / "question_bank" / "samples" / "skd-2024"
ADMIN = ("admin", "admin-password-123")
PROCTOR = ("pengawas1", "proctor-password-123")
BANK_PASS = "bank-uji-rahasia"

NAMES = [
    "Budi Santoso",
    "Siti Aminah",
    "Made Wirawan",
    "Ani Lestari",
    "Rudi Hartono",
    "Dewi Sartika",
    "Agus Salim",
    "Putri Ayu",
    "Joko Prasetyo",
    "Rina Marlina",
]
TRACKS = [
    "general",
    "general",
    "cumlaude",
    "general",
    "disability",
    "general",
    "general",
    "papua",
    "general",
    "general",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def candidates(
    count: int, names: Sequence[str] = NAMES
) -> tuple[list[CandidateRow], dict[str, str]]:
    """``count`` candidates 20260001…, named from ``names`` in turn (numbered once it repeats)."""
    rows, pins = [], {}
    for n in range(count):
        number = f"2026{n + 1:04d}"
        name = names[n % len(names)] + ("" if n < len(names) else f" {n // len(names) + 1}")
        rows.append(
            CandidateRow(
                number,
                name,
                f"199{n % 10}-0{1 + n % 9}-1{n % 10}",
                "Analis Kebijakan" if n % 2 else "Pranata Komputer",
                TRACKS[n % len(TRACKS)],
                0,
                None,
                None,
            )
        )
        pins[number] = f"{(n * 7919 + 123457) % 1_000_000:06d}"
    return rows, pins


@dataclass
class LiveSite:
    rt: Runtime
    base_url: str
    ca_path: Path | None
    ca_fingerprint: str | None
    pins: dict[str, str]
    server: uvicorn.Server

    def verify(self) -> ssl.SSLContext | bool:
        """What an httpx client needs to trust this server."""
        if self.ca_path is None:
            return True
        return ssl.create_default_context(cafile=str(self.ca_path))

    def token(self, session: str = "S1") -> str:
        return str(self.rt.proctors.token(self.rt.proctors.session(session))["token"])


def build(
    tmp_path: Path,
    *,
    database_url: str | None = None,
    count: int = 10,
    names: Sequence[str] = NAMES,
    clock: Clock | None = None,
    privacy: str = "masked",
    grace_s: int = 30,
    lock_on_violation: bool = False,
) -> tuple[Runtime, dict[str, str]]:
    clock = clock or SystemClock()
    paths = SitePaths(tmp_path / "data")
    url = database_url or f"sqlite:///{paths.root / 'cbt.sqlite3'}"
    db = Database(url)
    init_site(
        paths,
        db,
        site_code="SITE-UJI",
        site_name="Lokasi Tes Uji",
        room_code="R1",
        admin_username=ADMIN[0],
        admin_password=ADMIN[1],
        key_passphrase="kunci-server",
        clock=clock,
    )
    db.dispose()
    bank_path = tmp_path / "skd.cbtbank"
    author = Ed25519PrivateKey.generate()
    seal(read_source(SAMPLE), bank_path, signing_key=author, passphrase=BANK_PASS)
    settings = ServerSettings(
        data_dir=paths.root, database_url=url, tls=False, grace_s=grace_s, finalise_every_s=1.0
    )
    rt = Runtime.build(settings, clock)
    record = rt.vault.import_bank(bank_path, [author.public_key()], actor="admin:test")
    bank = rt.vault.unlock(record, passphrase=BANK_PASS, actor="admin:test")
    rt.setup.create_exam(
        code="SKD1",
        title="SKD CPNS 2026",
        bank_digest=record.digest,
        policy_toml=preset_text("skd-2024"),
        blueprint=None,
        bank_blueprint=dict(bank.sealed.info.blueprint or {}),
        show_topics=False,
        actor="admin:test",
    )
    rt.setup.create_session(
        code="S1",
        exam_code="SKD1",
        room_code="R1",
        starts_ms=clock.now_ms(),
        privacy=privacy,
        lock_on_violation=lock_on_violation,
        actor="admin:test",
    )
    rows, pins = candidates(count, names)
    rt.setup.register(session_code="S1", rows=rows, actor="admin:test", pins=pins)
    rt.setup.create_user(
        username=PROCTOR[0],
        full_name="Pengawas Satu",
        role="proctor",
        password=PROCTOR[1],
        actor="admin:test",
    )
    rt.setup.assign_proctor(session_code="S1", username=PROCTOR[0], actor="admin:test")
    from cbt_server.services.staff import StaffMember

    rt.proctors.set_state(
        StaffMember(0, "test", "Test", "admin"), rt.proctors.session("S1"), "open"
    )
    return rt, pins


@contextmanager
def serve(
    rt: Runtime, pins: dict[str, str], *, tls: bool = False, port: int | None = None
) -> Iterator[LiveSite]:
    """Serve ``rt`` with uvicorn in a thread until the block ends."""
    port = port or free_port()
    tls_dir = rt.paths.tls
    config = uvicorn.Config(
        create_app(rt),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        loop="asyncio",
        http="h11",
        ssl_certfile=str(tls_dir / "server.crt") if tls else None,
        ssl_keyfile=str(tls_dir / "server.key") if tls else None,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=asyncio.run, args=(_serve_then_close(server),), name="uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    scheme = "https" if tls else "http"
    site = LiveSite(
        rt,
        f"{scheme}://127.0.0.1:{port}",
        tls_dir / "ca.crt" if tls else None,
        ca_fingerprint(tls_dir / "ca.crt") if tls else None,
        pins,
        server,
    )
    try:
        yield site
    finally:
        server.should_exit = True
        thread.join(timeout=15)


async def _serve_then_close(server: uvicorn.Server) -> None:
    """``server.serve()``, then close what uvicorn leaves open, while the loop still runs.

    Stopped while clients hold keep-alive TLS connections, uvicorn asks each one to close
    and waits ``timeout_graceful_shutdown``; a TLS close waits for the client's answer,
    which an idle pooled client never sends, so those transports are still open when
    the loop ends and their sockets are left to the garbage collector (a
    ResourceWarning in whichever test collects them). Abort them here instead.
    """
    try:
        await server.serve()
    finally:
        for connection in list(server.server_state.connections):
            transport = getattr(connection, "transport", None)
            if isinstance(transport, asyncio.Transport):
                transport.abort()
        await asyncio.sleep(0)  # abort() closes the socket in a callback: let it run
        await asyncio.sleep(0)


@contextmanager
def live_site(tmp_path: Path, **options: object) -> Iterator[LiveSite]:
    tls = bool(options.pop("tls", False))
    rt, pins = build(tmp_path, **options)  # type: ignore[arg-type]
    try:
        with serve(rt, pins, tls=tls) as site:
            yield site
    finally:
        rt.close()


@contextmanager
def proctor_client(site: LiveSite) -> Iterator[httpx.Client]:
    """An HTTP client signed in as the session's proctor."""
    with httpx.Client(base_url=site.base_url, verify=site.verify(), timeout=10) as client:
        token = client.post(
            "/api/v1/proctor/login", json={"username": PROCTOR[0], "password": PROCTOR[1]}
        ).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client
