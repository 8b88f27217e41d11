"""A real PostgreSQL server for the tests, started in a temporary directory.

Uses Debian's server binaries (``pg_config --bindir``). ``initdb`` refuses to
run as root, so as root the server runs as the ``postgres`` system user.

Every role signs in without a password (``trust``) except the members of
``cbt_password_login``, who must give theirs (``scram-sha-256``):
``new_database(password=...)`` makes such a role, for the code that has to pass
a password on (backups through ``pg_dump``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

PASSWORD_GROUP = "cbt_password_login"


def _bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
    path = Path(out.stdout.strip())
    return path if (path / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (pg_config --bindir)")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="cbt-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            [
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        )
        conf = (
            "listen_addresses = '127.0.0.1'\n"
            f"port = {self.port}\nunix_socket_directories = '{self.root}'\n"
            "fsync = on\nmax_connections = 300\nshared_buffers = 128MB\n"
        )
        self._run(["sh", "-c", f'printf "%s" "{conf}" >> {self.data}/postgresql.conf'], raw=True)
        # The first matching line wins: members of cbt_password_login need their password.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        self._run(["pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start"])
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.admin_dsn(), autocommit=True):
                    break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")

    def _run(self, cmd: list[str], *, raw: bool = False) -> None:
        if not raw:
            cmd = [str(self.bindir / cmd[0]), *cmd[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def new_database(self, *, password: str | None = None) -> str:
        """A fresh database; with ``password``, owned by a new role that must sign in with it."""
        name = "cbt_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            if password is None:
                conn.execute(f'CREATE DATABASE "{name}"')
                return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(name), sql.Literal(password), sql.Identifier(PASSWORD_GROUP)
                )
            )
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
        secret = quote(password, safe="")
        return f"postgresql+psycopg://{name}:{secret}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
