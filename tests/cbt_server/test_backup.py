"""An online backup restores into a working site whose audit chain still verifies."""

from __future__ import annotations

import pytest

from cbt_server.db.engine import Database
from cbt_server.errors import ConfigurationError
from cbt_server.services.audit import AuditLog
from cbt_server.services.backup import backup, restore
from cbt_server.services.site import SitePaths


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
