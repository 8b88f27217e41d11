"""Consistent online backups of a site, and restoring them.

A backup is one tar file: the database (SQLite's online backup API gives a
consistent copy while the server runs; PostgreSQL is dumped with ``pg_dump``),
plus the site's configuration, TLS files, keys and sealed banks. Restoring
unpacks it into a new data directory (and, for PostgreSQL, loads the dump
into the database ``CBT_DATABASE_URL`` names); the audit chain is verified
before the restore is declared good.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from cbt_server.db.engine import Database
from cbt_server.errors import ConfigurationError
from cbt_server.services.audit import AuditLog, ChainHead
from cbt_server.services.site import SitePaths

MANIFEST = "cbt-backup.json"
SITE_PARTS = ("site.toml", "tls", "keys", "banks")


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def pg_connection(url: str) -> tuple[str, dict[str, str]]:
    """libpq's form of a database URL, and the environment that carries its password.

    ``pg_dump`` and ``pg_restore`` take a libpq URI as ``--dbname``: the
    SQLAlchemy driver part (``postgresql+psycopg://``) goes, user, host, port,
    database and query options (``?host=/run/postgresql``, ``sslmode``) stay. The
    password moves to ``PGPASSWORD`` so that it shows neither in ``ps`` nor in a
    message.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    netloc, env = parts.netloc, {}
    userinfo, at, hostport = netloc.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        if colon:
            env["PGPASSWORD"] = unquote(password)
        netloc = f"{user}@{hostport}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment)), env


def _run_pg(tool: str, args: list[str], database_url: str) -> None:
    """Run pg_dump or pg_restore against ``database_url``; a failure says why, password hidden."""
    dsn, secret = pg_connection(database_url)
    done = subprocess.run(  # noqa: S603 - our pg tool; arguments from our URL
        [_pg_tool(tool), f"--dbname={dsn}", "--no-owner", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **secret},
    )
    if done.returncode != 0:
        why = done.stderr.strip()
        if secret.get("PGPASSWORD"):
            why = why.replace(secret["PGPASSWORD"], "***")
        raise ConfigurationError(f"{tool} failed: {why}")


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        config = shutil.which("pg_config")
        if config is not None:
            bindir = subprocess.run(  # noqa: S603 - pg_config found on PATH
                [config, "--bindir"], capture_output=True, text=True, check=False
            ).stdout.strip()
            if (Path(bindir) / name).exists():
                return str(Path(bindir) / name)
        raise ConfigurationError(f"{name} is needed for PostgreSQL backups and was not found")
    return found


def backup(paths: SitePaths, database_url: str, out: Path, *, at_ms: int) -> ChainHead:
    """Write a consistent backup of the running site to ``out``; return the chain head."""
    db = Database(database_url)
    head = AuditLog().head(db)
    db.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        if database_url.startswith("sqlite"):
            dump = Path(tmp) / "cbt.sqlite3"
            source = sqlite3.connect(_sqlite_path(database_url))
            target = sqlite3.connect(dump)
            with target:
                source.backup(target)  # consistent even while the server writes
            source.close()
            target.close()
            kind = "sqlite"
        else:
            dump = Path(tmp) / "cbt.pgdump"
            _run_pg("pg_dump", ["--format=custom", "--file", str(dump)], database_url)
            kind = "postgresql"
        manifest = {
            "format": 1,
            "database": kind,
            "at_ms": at_ms,
            "audit_head": {"seq": head.seq, "hash": head.hash},
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=f"database/{dump.name}")
            for part in SITE_PARTS:
                if (paths.root / part).exists():
                    tar.add(paths.root / part, arcname=f"site/{part}")
        partial.chmod(0o600)
        partial.replace(out)
    return head


def restore(archive: Path, paths: SitePaths, database_url: str) -> ChainHead:
    """Unpack a backup into a new data directory and verify its audit chain."""
    if paths.config.exists():
        raise ConfigurationError(f"{paths.root} already holds a site; restore into a new one")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            manifest = json.loads((Path(tmp) / MANIFEST).read_text())
        except (OSError, tarfile.TarError, ValueError) as exc:
            raise ConfigurationError(f"{archive}: not a CBT Station backup ({exc})") from None
        paths.root.mkdir(parents=True, exist_ok=True)
        paths.root.chmod(0o700)
        for part in SITE_PARTS:
            source = Path(tmp) / "site" / part
            if source.is_dir():
                shutil.copytree(source, paths.root / part)
            elif source.exists():
                shutil.copy2(source, paths.root / part)
        if manifest["database"] == "sqlite":
            if not database_url.startswith("sqlite"):
                raise ConfigurationError("this backup holds SQLite; restore it to SQLite")
            shutil.copy2(Path(tmp) / "database" / "cbt.sqlite3", _sqlite_path(database_url))
        else:
            dump = Path(tmp) / "database" / "cbt.pgdump"
            _run_pg("pg_restore", ["--exit-on-error", str(dump)], database_url)
    db = Database(database_url)
    try:
        head = AuditLog().verify(db)
    finally:
        db.dispose()
    recorded = manifest["audit_head"]
    if head.seq < recorded["seq"]:
        raise ConfigurationError("the restored audit log is shorter than when it was backed up")
    return head
