"""Banks sealed for the site's own recipient key, and ``cbt-server run`` asking for the key."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cbt_server.cli import main
from cbt_server.runtime import LockedBanks, Runtime
from cbt_server.settings import ServerSettings
from question_bank.container import SealedBank, seal
from question_bank.errors import KeyFileError
from question_bank.keys import generate_signing_key, load_recipient_public, load_signing_key
from question_bank.source import read_source
from tests.cbt_server.conftest import ADMIN_PASS, SAMPLE
from tests.live_server import free_port

KEY_PASS = "kunci-server-uji"


def _site_with_a_bank_sealed_for_it(tmp_path: Path, monkeypatch, database_url: str) -> Path:
    """``cbt-server init``, then a bank sealed for the recipient key it made (no passphrase)
    and imported: what the committee and the site do on the way to an exam."""
    data = tmp_path / "data"
    monkeypatch.setenv("CBT_DATABASE_URL", database_url)
    monkeypatch.setenv("CBT_TEST_ADMIN_PASS", ADMIN_PASS)
    monkeypatch.setenv("CBT_TEST_KEY_PASS", KEY_PASS)
    code = main(
        ["init", "--data", str(data), "--site-code", "SITE-K",
         "--admin-password-env", "CBT_TEST_ADMIN_PASS", "--key-passphrase-env", "CBT_TEST_KEY_PASS"]
    )  # fmt: skip
    assert code == 0
    generate_signing_key(tmp_path / "panitia", "kunci-panitia")
    author = load_signing_key(tmp_path / "panitia.key", "kunci-panitia")
    site_key = load_recipient_public(data / "keys" / "bank-recipient.pub")
    bank = tmp_path / "skd-SITE-K.cbtbank"
    seal(read_source(SAMPLE), bank, signing_key=author, recipients=[site_key])
    assert [w["type"] for w in SealedBank.open(bank, None).info.wraps] == ["x25519"]
    code = main(
        ["bank", "import", str(bank), "--trust", str(tmp_path / "panitia.pub"), "--data", str(data)]
    )
    assert code == 0
    return data


def test_a_bank_sealed_for_the_site_opens_with_its_key_alone(
    tmp_path, monkeypatch, database_url
) -> None:
    data = _site_with_a_bank_sealed_for_it(tmp_path, monkeypatch, database_url)
    rt = Runtime.build(ServerSettings.for_data_dir(data))
    try:
        (record,) = rt.vault.records()
        assert rt.locked_banks() == LockedBanks(key_passphrase=True, bank_passphrase=False)
        # A bank passphrase opens nothing here, and a wrong key passphrase says so.
        assert rt.unlock_banks(bank_passphrase="bank-uji-rahasia", key_passphrase=None) == [
            "bank skd-contoh-2026 stays locked: the passphrase does not open this bank"
        ]
        with pytest.raises(KeyFileError, match="key passphrase is wrong"):
            rt.unlock_banks(bank_passphrase=None, key_passphrase="bukan-kuncinya")
        assert not rt.vault.is_open(record.digest)

        lines = rt.unlock_banks(bank_passphrase=None, key_passphrase=KEY_PASS)
        assert lines == ["bank skd-contoh-2026 unlocked into memory"]
        assert len(rt.vault.opened(record.digest).items) == len(
            SealedBank.open(record.path, None).items
        )
        assert rt.locked_banks() == LockedBanks(key_passphrase=False, bank_passphrase=False)
        entry = rt.audit.entries(rt.db)[-1]
        assert (entry["event"], entry["actor"]) == ("bank_unlocked", "system:startup")
        assert json.loads(str(entry["data_json"]))["by"] == "recipient key"
    finally:
        rt.close()


def _read_until(fd: int, wanted: str, seen: list[str], *, timeout_s: float = 60) -> str:
    """Read the terminal until ``wanted`` shows; everything read so far is in ``seen``."""
    deadline = time.monotonic() + timeout_s
    while wanted not in "".join(seen):
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"no {wanted!r} on the terminal; it showed: {''.join(seen)!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed: the process ended
                chunk = b""
            if not chunk:
                pytest.fail(f"the server ended before {wanted!r}: {''.join(seen)!r}")
            seen.append(chunk.decode(errors="replace"))
    return "".join(seen)


def test_run_in_a_terminal_asks_for_the_key_passphrase(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'cbt.sqlite3'}"
    data = _site_with_a_bank_sealed_for_it(tmp_path, monkeypatch, url)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBT_")}
    controller, terminal = pty.openpty()
    server = subprocess.Popen(
        [sys.executable, "-m", "cbt_server", "run", "--data", str(data), "--insecure-http",
         "--no-announce", "--host", "127.0.0.1", "--port", str(port)],
        stdin=terminal, stdout=terminal, stderr=terminal, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(terminal)
    seen: list[str] = []
    try:
        _read_until(controller, "Passphrase for the server's bank key: ", seen)
        os.write(controller, f"{KEY_PASS}\n".encode())
        shown = _read_until(controller, f"on http://127.0.0.1:{port}/", seen)
        assert "bank skd-contoh-2026 unlocked into memory" in shown
        assert KEY_PASS not in shown  # not echoed
        # The banner comes just before uvicorn listens: wait for the socket, not the text.
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.1)
        assert health.json()["ok"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.close(controller)
