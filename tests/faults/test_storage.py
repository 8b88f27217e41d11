"""The server's storage fails: a database locked by someone else, a full disk.

An acknowledged answer is a durable answer, so while the database cannot commit
nothing may be acknowledged: the station keeps the answers (journal, unsent queue)
and sends them again; when the storage is back every one of them lands, and the
exam goes on to its score.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cbt_client.session import ExamSession, Link
from tests.faults.conftest import sitting, sync_until
from tests.faults.reconciliation import server_answers
from tests.live_server import LiveSite, live_site

NUMBER = "20260001"


def _answer(station: ExamSession, numbers: range) -> None:
    form = station.form
    assert form is not None
    for number in numbers:
        assert station.choose(form.item(number).labels[number % 4], number)


def _held(site: LiveSite) -> dict[int, tuple[str | None, bool, int]]:
    return server_answers(site.rt.settings.database_url)[NUMBER]


def _acked(station: ExamSession) -> dict[int, tuple[str | None, bool, int]]:
    return {n: (a.choice, a.doubtful, a.seq) for n, a in station.acknowledged().items()}


def test_a_locked_database_acknowledges_nothing_until_the_save_commits(tmp_path: Path) -> None:
    with live_site(tmp_path, tls=True, count=1) as site:
        station = sitting(site, tmp_path / "station", NUMBER, timeout_s=20)
        try:
            _answer(station, range(1, 6))
            sync_until(station, lambda: station.unsent == 0, 10)
            before, held = station.acked_seq, _held(site)
            assert len(held) == 5
            locker = sqlite3.connect(
                site.rt.paths.root / "cbt.sqlite3", isolation_level=None, timeout=5
            )
            syncing = threading.Thread(target=station.sync, name="station-sync")
            try:
                locker.execute("BEGIN EXCLUSIVE")
                _answer(station, range(6, 11))
                syncing.start()  # the save waits on the server for the lock
                sync_deadline = time.monotonic() + 10
                while station.link != Link.SENDING:
                    assert time.monotonic() < sync_deadline, "the station never sent"
                    time.sleep(0.01)
                held_until = time.monotonic() + 3.0  # the lock is held this long
                while time.monotonic() < held_until:
                    assert station.acked_seq == before
                    assert station.unsent == 5
                    assert _held(site) == held
                    time.sleep(0.1)
            finally:
                locker.execute("ROLLBACK")
                locker.close()
            syncing.join(timeout=20)
            assert not syncing.is_alive()
            sync_until(station, lambda: station.unsent == 0, 10)
            assert station.acked_seq == before + 5
            assert _held(site) == _acked(station)
            assert len(_held(site)) == 10
        finally:
            station.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 MiB tmpfs for the site's data, which the test can fill."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the full-disk test did not run")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}); not run")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False, capture_output=True)


def _fill(disk: Path) -> Path:
    """Write a file until the disk says it is full; return it."""
    filler = disk / "filler"
    # Unbuffered: a buffered file would try the failed bytes again when it closes.
    with filler.open("wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            while True:
                try:
                    f.write(b"\0" * size)
                    os.fsync(f.fileno())
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return filler


def test_a_full_disk_refuses_saves_and_the_station_keeps_them(
    small_disk: Path, tmp_path: Path
) -> None:
    with live_site(small_disk, tls=True, count=1) as site:
        station = sitting(site, tmp_path / "station", NUMBER)  # the station's disk is its own
        try:
            _answer(station, range(1, 6))
            sync_until(station, lambda: station.unsent == 0, 10)
            before, held = station.acked_seq, _held(site)
            # Empty the write-ahead log into the database: the next commit needs new space.
            with contextlib.closing(sqlite3.connect(site.rt.paths.root / "cbt.sqlite3")) as db:
                busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            assert busy == 0
            filler = _fill(small_disk)
            _answer(station, range(6, 11))
            sync_until(station, lambda: station.link == Link.OFFLINE, 10)
            assert station.acked_seq == before
            assert station.unsent == 5
            assert _held(site) == held
            with httpx.Client(base_url=site.base_url, verify=site.verify(), timeout=10) as client:
                refused = client.post(
                    "/api/v1/candidate/answers",
                    headers={"Authorization": f"Bearer {station.api.token}"},
                    json={"changes": [{"number": 20, "choice": "A", "seq": 999}]},
                )
            assert refused.status_code == 503
            assert refused.json()["error"]["code"] == "storage_unavailable"
            filler.unlink()  # space returns
            sync_until(station, lambda: station.unsent == 0 and station.link == Link.ONLINE, 10)
            assert station.acked_seq == before + 5
            assert _held(site) == _acked(station)
            result = station.submit()
            assert result.slip
        finally:
            station.close()
