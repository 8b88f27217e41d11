"""A whole test site, on SQLite and on a real PostgreSQL server the tests start."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from cbt_server.api.app import create_app
from cbt_server.clock import ManualClock
from cbt_server.db.engine import Database
from cbt_server.runtime import Runtime
from cbt_server.services.exam_setup import CandidateRow
from cbt_server.services.site import SitePaths, init_site
from cbt_server.settings import ServerSettings
from question_bank.container import seal
from question_bank.source import read_source
from scoring.presets import preset_text
from tests.cbt_server.pg import PostgresServer

SAMPLE = Path(__file__).parents[2] / "question_bank" / "samples" / "skd-2024"
BANK_PASS = "bank-uji-rahasia"
ADMIN_PASS = "admin-password-123"
PROCTOR_PASS = "proctor-password-123"
CANDIDATES = [
    CandidateRow(
        "2026001", "Budi Santoso", "1998-02-03", "Analis Kebijakan", "general", 0, None, None
    ),
    CandidateRow(
        "2026002", "Siti Aminah", "1996-05-06", "Analis Kebijakan", "cumlaude", 0, None, None
    ),
    CandidateRow(
        "2026003", "Made Wirawan", "1995-09-10", "Pranata Komputer", "disability", 30, None, None
    ),
    CandidateRow(
        "2026004",
        "<script>alert(1)</script> Ani",
        "1999-12-31",
        "Pranata Komputer",
        "general",
        0,
        None,
        None,
    ),
]
PINS = {"2026001": "111111", "2026002": "222222", "2026003": "333333", "2026004": "444444"}


@pytest.fixture(scope="session")
def author() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def sealed_bank(tmp_path_factory, author) -> Path:
    path = tmp_path_factory.mktemp("bank") / "skd.cbtbank"
    seal(read_source(SAMPLE), path, signing_key=author, passphrase=BANK_PASS)
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'cbt.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()


@dataclass
class Site:
    rt: Runtime
    clock: ManualClock
    client: TestClient
    paths: SitePaths

    def proctor_headers(
        self, username: str = "pengawas1", password: str = PROCTOR_PASS
    ) -> dict[str, str]:
        r = self.client.post(
            "/api/v1/proctor/login", json={"username": username, "password": password}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def token(self, session: str = "S1") -> str:
        info = self.rt.proctors.session(session)
        return str(self.rt.proctors.token(info)["token"])

    def login(
        self, number: str, workstation: str = "PC-01", pin: str | None = None, session: str = "S1"
    ) -> dict[str, object]:
        r = self.client.post(
            "/api/v1/candidate/login",
            json={
                "participant_number": number,
                "pin": pin or PINS[number],
                "session_token": self.token(session),
                "workstation": workstation,
            },
        )
        assert r.status_code == 200, r.text
        return r.json()

    def start(self, number: str, workstation: str = "PC-01") -> dict[str, str]:
        token = self.login(number, workstation)["token"]
        headers = {"Authorization": f"Bearer {token}"}
        r = self.client.post("/api/v1/candidate/start", headers=headers)
        assert r.status_code == 200, r.text
        return headers


def build_site(
    tmp_path: Path, database_url: str, sealed_bank: Path, author, clock: ManualClock
) -> Runtime:
    paths = SitePaths(tmp_path / "data")
    db = Database(database_url)
    init_site(
        paths,
        db,
        site_code="SITE-UJI",
        site_name="Lokasi Uji",
        room_code="R1",
        admin_username="admin",
        admin_password=ADMIN_PASS,
        key_passphrase="kunci-server",
        clock=clock,
    )
    db.dispose()
    settings = ServerSettings(
        data_dir=paths.root, database_url=database_url, tls=False, finalise_every_s=3600, grace_s=30
    )
    rt = Runtime.build(settings, clock)
    record = rt.vault.import_bank(sealed_bank, [author.public_key()], actor="admin:test")
    rt.vault.unlock(record, passphrase=BANK_PASS, actor="admin:test")
    bank_blueprint = dict(rt.vault.opened(record.digest).sealed.info.blueprint or {})
    rt.setup.create_exam(
        code="SKD1",
        title="SKD CPNS Uji",
        bank_digest=record.digest,
        policy_toml=preset_text("skd-2024"),
        blueprint=None,
        bank_blueprint=bank_blueprint,
        show_topics=False,
        actor="admin:test",
    )
    for code, room in (("S1", "R1"), ("S2", "R2")):
        rt.setup.ensure_room(room, actor="admin:test")
        rt.setup.create_session(
            code=code,
            exam_code="SKD1",
            room_code=room,
            starts_ms=clock.now_ms(),
            privacy="masked",
            actor="admin:test",
        )
    rt.setup.register(session_code="S1", rows=CANDIDATES, actor="admin:test", pins=PINS)
    rt.setup.register(
        session_code="S2",
        rows=[
            CandidateRow(
                "2026100",
                "Dewi Lestari",
                "1997-01-01",
                "Analis Kebijakan",
                "general",
                0,
                None,
                None,
            )
        ],
        actor="admin:test",
        pins={"2026100": "100100"},
    )
    rt.setup.create_user(
        username="pengawas1",
        full_name="Pengawas Satu",
        role="proctor",
        password=PROCTOR_PASS,
        actor="admin:test",
    )
    rt.setup.assign_proctor(session_code="S1", username="pengawas1", actor="admin:test")
    rt.setup.create_user(
        username="pengawas2",
        full_name="Pengawas Dua",
        role="proctor",
        password=PROCTOR_PASS,
        actor="admin:test",
    )
    rt.setup.assign_proctor(session_code="S2", username="pengawas2", actor="admin:test")
    rt.setup.create_user(
        username="pemantau",
        full_name="Pemantau",
        role="observer",
        password=PROCTOR_PASS,
        actor="admin:test",
    )
    return rt


@pytest.fixture
def site(tmp_path, database_url, sealed_bank, author) -> Iterator[Site]:
    clock = ManualClock()
    rt = build_site(tmp_path, database_url, sealed_bank, author, clock)
    with TestClient(create_app(rt)) as client:
        site = Site(rt, clock, client, rt.paths)
        for code in ("S1", "S2"):
            h = site.proctor_headers("admin", ADMIN_PASS)
            assert (
                client.post(f"/api/v1/proctor/sessions/{code}/open", headers=h).status_code == 200
            )
        yield site
    rt.close()


def write_candidates_csv(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "peserta.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
