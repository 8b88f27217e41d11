"""A scripted exam end to end: the real CLI and a real uvicorn serving HTTPS on loopback.

login -> answer -> the station disappears -> the proctor releases the seat ->
login on another PC -> every acknowledged answer is there -> submit -> verify.
"""

from __future__ import annotations

import csv
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cbt_server.conftest import BANK_PASS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cbt_server", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.mark.slow
def test_scripted_exam_over_https(
    tmp_path: Path, database_url: str, sealed_bank: Path, author
) -> None:
    from cryptography.hazmat.primitives import serialization

    pub = tmp_path / "penulis.pub"
    pub.write_bytes(
        author.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    data = tmp_path / "data"
    env = {
        **os.environ,
        "CBT_DATABASE_URL": database_url,
        "ADMINPW": "admin-password-123",
        "KEYPW": "kunci-server-uji",
        "BANKPW": BANK_PASS,
        "PROCPW": "proctor-password-1",
    }
    d = ["--data", str(data)]
    out = _cli(
        env,
        "init",
        *d,
        "--admin-password-env",
        "ADMINPW",
        "--key-passphrase-env",
        "KEYPW",
        "--site-code",
        "SITE-HTTPS",
    )
    assert "CA fingerprint" in out
    _cli(env, "bank", "import", str(sealed_bank), "--trust", str(pub), *d)
    _cli(
        env,
        "exam",
        "create",
        *d,
        "--code",
        "SKD1",
        "--title",
        "SKD Uji",
        "--bank",
        "skd-contoh-2026",
    )
    _cli(env, "session", "create", *d, "--code", "S1", "--exam", "SKD1", "--room", "R1")
    people = tmp_path / "peserta.csv"
    people.write_text(
        "participant_number,name,birth_date,formation,track,extra_minutes\n"
        "2026001,Budi Santoso,1998-02-03,Analis,general,0\n",
        encoding="utf-8",
    )
    _cli(
        env,
        "candidates",
        str(people),
        "--session",
        "S1",
        "--pins-out",
        str(tmp_path / "pins.csv"),
        *d,
    )
    with (tmp_path / "pins.csv").open(encoding="utf-8") as f:
        pin = next(csv.DictReader(f))["pin"]
    _cli(
        env,
        "user",
        "add",
        *d,
        "--username",
        "pengawas1",
        "--name",
        "Pengawas",
        "--role",
        "proctor",
        "--password-env",
        "PROCPW",
        "--session",
        "S1",
    )
    _cli(env, "session", "open", "S1", *d)

    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cbt_server",
            "run",
            *d,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--bank-passphrase-env",
            "BANKPW",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    tls = ssl.create_default_context(cafile=str(data / "tls" / "ca.crt"))
    client = httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=tls, timeout=10)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.get("/api/v1/public/audit/head")
                break
            except httpx.TransportError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        with (
            httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=True, timeout=5) as insecure,
            pytest.raises(httpx.ConnectError),
        ):
            insecure.get("/api/v1/public/audit/head")  # not trusted without the site CA

        proctor = client.post(
            "/api/v1/proctor/login",
            json={"username": "pengawas1", "password": "proctor-password-1"},
        ).json()["token"]
        p = {"Authorization": f"Bearer {proctor}"}
        token = client.get("/api/v1/proctor/sessions/S1", headers=p).json()["token"]["token"]
        login = {
            "participant_number": "2026001",
            "pin": pin,
            "session_token": token,
            "workstation": "PC-01",
        }
        first = client.post("/api/v1/candidate/login", json=login).json()
        h = {"Authorization": f"Bearer {first['token']}"}
        client.post("/api/v1/candidate/start", headers=h)
        form = client.get("/api/v1/candidate/form", headers=h).json()
        answers = [
            {"number": n, "choice": "ABCDE"[n % 5], "seq": n}
            for n in range(1, len(form["items"]) + 1)
        ]
        for k in range(0, len(answers), 10):
            ack = client.post(
                "/api/v1/candidate/answers", headers=h, json={"changes": answers[k : k + 10]}
            ).json()
            assert ack["acked_seq"] == answers[min(k + 9, len(answers) - 1)]["seq"]
        # PC-01 dies. Logging in on PC-02 is refused until the proctor releases the seat.
        moved = {**login, "workstation": "PC-02"}
        assert client.post("/api/v1/candidate/login", json=moved).status_code == 409
        assert (
            client.post(
                "/api/v1/proctor/sessions/S1/seats/2026001/release",
                headers=p,
                json={"reason": "PC-01 mati"},
            ).status_code
            == 200
        )
        second = client.post("/api/v1/candidate/login", json=moved).json()
        h2 = {"Authorization": f"Bearer {second['token']}"}
        status = client.get("/api/v1/candidate/status", headers=h2).json()
        assert len(status["answers"]) == len(answers)
        assert status["acked_seq"] == len(answers)
        assert client.get("/api/v1/candidate/form", headers=h2).json() == form
        result = client.post("/api/v1/candidate/submit", headers=h2).json()
        verified = client.get(f"/api/v1/public/verify/{result['slip']}").json()
        assert verified["signature_valid"] is True
        assert verified["report"]["total"] == result["report"]["total"]
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=20)
        log.close()
    out = _cli(env, "audit", "verify", *d)
    assert "audit chain intact" in out
    exported = _cli(
        env,
        "results",
        "export",
        *d,
        "--session",
        "S1",
        "--format",
        "json",
        "--bank-passphrase-env",
        "BANKPW",
    )
    assert '"candidate": "2026001"' in exported


def test_cli_bad_input_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ}
    done = subprocess.run(
        [sys.executable, "-m", "cbt_server", "bank", "list", "--data", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "is not a CBT Station data directory" in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "cbt_server", "frobnicate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
