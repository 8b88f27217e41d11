"""An online backup restores into a working site whose audit chain still verifies."""

from __future__ import annotations

from urllib.parse import quote

import psycopg
import pytest

from cbt_server.clock import ManualClock
from cbt_server.db.engine import Database
from cbt_server.errors import ConfigurationError
from cbt_server.services.audit import AuditLog
from cbt_server.services.backup import backup, pg_connection, restore
from cbt_server.services.site import SitePaths
from tests.cbt_server.conftest import build_site


def test_backup_while_running_then_restore(site, tmp_path, database_url, request) -> None:
    h = site.start("2026001")
    site.client.post(
        "/api/v1/candidate/answers",
        headers=h,
        json={"changes": [{"number": 1, "choice": "A", "seq": 1}]},
    )
    site.client.post("/api/v1/candidate/submit", headers=h)
    archive = tmp_path / "cadangan.tar"
    head = backup(site.paths, database_url, archive, at_ms=site.clock.now_ms())
    assert archive.stat().st_mode & 0o077 == 0

    if database_url.startswith("sqlite"):
        target_url = f"sqlite:///{tmp_path / 'pulih' / 'cbt.sqlite3'}"
    else:
        target_url = request.getfixturevalue("postgres").new_database()
    restored_paths = SitePaths(tmp_path / "pulih")
    restored = restore(archive, restored_paths, target_url)
    assert (restored.seq, restored.hash) == (head.seq, head.hash)
    assert (restored_paths.keys / "site-signing.key").exists()
    assert list(restored_paths.banks.glob("*.cbtbank"))
    db = Database(target_url)
    assert AuditLog().verify(db).seq == head.seq
    db.dispose()
    with pytest.raises(ConfigurationError, match="already holds a site"):
        restore(archive, restored_paths, target_url)


def test_a_file_that_is_not_a_backup_is_refused(tmp_path) -> None:
    junk = tmp_path / "bukan.tar"
    junk.write_bytes(b"not a tar file at all")
    with pytest.raises(ConfigurationError, match="not a CBT Station backup"):
        restore(junk, SitePaths(tmp_path / "x"), f"sqlite:///{tmp_path / 'x.sqlite3'}")


def test_a_database_url_becomes_a_libpq_uri_without_its_password() -> None:
    dsn, env = pg_connection(
        "postgresql+psycopg://cbt:p%40ss%3Aw%2Frd@db.lan:5433/cbt?sslmode=require"
    )
    assert dsn == "postgresql://cbt@db.lan:5433/cbt?sslmode=require"
    assert env == {"PGPASSWORD": "p@ss:w/rd"}
    assert pg_connection("postgresql://cbt@/cbt?host=/run/postgresql") == (
        "postgresql://cbt@/cbt?host=/run/postgresql",
        {},
    )


def test_postgresql_backup_and_restore_with_a_password(
    postgres, tmp_path, sealed_bank, author
) -> None:
    password = "rahasia:sekali@/?"  # characters a URL must escape
    source = postgres.new_database(password=password)
    without = source.replace(f":{quote(password, safe='')}@", "@")
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(without.replace("+psycopg", ""), connect_timeout=5).close()
    build_site(tmp_path, source, sealed_bank, author, ManualClock()).close()
    paths = SitePaths(tmp_path / "data")
    archive = tmp_path / "cadangan.tar"
    head = backup(paths, source, archive, at_ms=0)

    target = postgres.new_database(password=password)
    restored = restore(archive, SitePaths(tmp_path / "pulih"), target)
    assert (restored.seq, restored.hash) == (head.seq, head.hash)

    wrong = postgres.new_database(password="yang-lain")
    wrong_url = wrong.replace(quote("yang-lain", safe=""), "bukan-ini")
    with pytest.raises(ConfigurationError, match="pg_restore failed") as failed:
        restore(archive, SitePaths(tmp_path / "gagal"), wrong_url)
    assert "bukan-ini" not in str(failed.value)
