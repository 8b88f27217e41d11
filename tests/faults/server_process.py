"""``cbt-server run`` as a child process on 127.0.0.1, for tests and benchmarks that kill it.

A site built by ``tests.live_server.build`` is served by the real command (HTTPS
with the site's own CA, as stations need it), in its own process: the load is
measured on a server that does not share the load generator's interpreter, and
``kill()`` is a real ``kill -9``. The same data directory (and database) serves
again after ``start()``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from cbt_client.config import StationConfig
from cbt_server.services.tls import ca_fingerprint
from tests.live_server import BANK_PASS, PROCTOR, free_port

HOST = "127.0.0.1"
BANK_ENV = "CBT_FAULTS_BANK_PASSPHRASE"
ROOT = Path(__file__).parents[2]


@functools.cache
def run_help() -> str:
    """``cbt-server run --help``: which options this version of the server has."""
    done = subprocess.run(
        [sys.executable, "-m", "cbt_server", "run", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


class ServerProcess:
    """One site's server; ``start`` / ``kill`` / ``stop`` as often as needed."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        log: Path,
        port: int | None = None,
        workers: int = 1,
        insecure_http: bool = False,
    ) -> None:
        self.data_dir, self.database_url, self.log = data_dir, database_url, log
        self.port = port or free_port()
        self.workers, self.insecure_http = workers, insecure_http
        self.ca_path = data_dir / "tls" / "ca.crt"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        #: The server's own TMPDIR, so that a test can scan every temp file it wrote.
        self.temp_dir = log.parent / f"{log.stem}-tmp"

    @property
    def base_url(self) -> str:
        return f"{'http' if self.insecure_http else 'https'}://{HOST}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_path))

    def http_client(self, timeout_s: float = 10.0) -> httpx.Client:
        verify: ssl.SSLContext | bool = True if self.insecure_http else self.ssl_context()
        return httpx.Client(base_url=self.base_url, verify=verify, timeout=timeout_s)

    def station_config(self, data_dir: Path, station: str = "LOAD") -> StationConfig:
        return StationConfig.create(
            server_url=self.base_url,
            station_id=station,
            ca_pem=self.ca_path.read_text(),
            ca_fingerprint=ca_fingerprint(self.ca_path),
            data_dir=data_dir,
        )

    def session_token(self, session: str = "S1") -> str:
        """The session's current login token, as its proctor reads it from the console."""
        with self.http_client() as client:
            r = client.post(
                "/api/v1/proctor/login", json={"username": PROCTOR[0], "password": PROCTOR[1]}
            )
            r.raise_for_status()
            view = client.get(
                f"/api/v1/proctor/sessions/{session}",
                headers={"Authorization": f"Bearer {r.json()['token']}"},
            )
            view.raise_for_status()
            return str(view.json()["token"]["token"])

    # ------------------------------------------------------------------ the process

    def command(self) -> list[str]:
        options = run_help()
        cmd = [
            sys.executable,
            "-m",
            "cbt_server",
            "run",
            "--data",
            str(self.data_dir),
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--bank-passphrase-env",
            BANK_ENV,
        ]
        if self.insecure_http:
            cmd.append("--insecure-http")
        if "--no-announce" in options:  # never announce anything on the LAN from a test
            cmd.append("--no-announce")
        if self.workers > 1:
            if "--workers" not in options:
                raise RuntimeError("this cbt-server has no --workers option")
            cmd += ["--workers", str(self.workers)]
        return cmd

    def start(self, timeout_s: float = 60.0) -> None:
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the server is already running")
        self.temp_dir.mkdir(exist_ok=True)
        env = {**os.environ, BANK_ENV: BANK_PASS, "TMPDIR": str(self.temp_dir)}
        if self.database_url:
            env["CBT_DATABASE_URL"] = self.database_url
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.starts + 1} at {time.time():.3f}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                self.command(),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=ROOT,
                start_new_session=True,  # its own process group: kill() reaches every worker
            )
        self.starts += 1
        self.wait_ready(timeout_s)

    def wait_ready(self, timeout_s: float) -> None:
        """Until the health check answers (the banks are unlocked before it listens)."""
        deadline = time.monotonic() + timeout_s
        with self.http_client(timeout_s=2.0) as client:
            while True:
                if self.process is None or self.process.poll() is not None:
                    raise RuntimeError(f"the server stopped; see {self.log}")
                try:
                    if client.get("/api/v1/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer in {timeout_s:g} s")
                time.sleep(0.05)  # polling a condition with a deadline, not waiting blind

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush, no goodbye (children too, if any)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """A clean stop (SIGTERM), then ``kill -9`` if it does not stop in time."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # a worker that outlived its parent
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the server is not running")
        return self.process.pid

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()
