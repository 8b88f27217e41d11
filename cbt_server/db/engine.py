"""The database: SQLite in WAL mode by default, PostgreSQL by URL.

:class:`Database` hands out read and write transactions. On SQLite a write
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``) so
writers queue on the busy timeout instead of failing mid-transaction; reads
begin deferred and never wait for a writer (WAL).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from cbt_server.errors import StorageUnavailableError

_IMMEDIATE = "cbt_sqlite_immediate"
#: Pooled SQLite connections: enough for the request threads (8), the event loop's
#: executor (up to 32, by core count) and the writer, submitter and finaliser.
SQLITE_POOL = 48


class Database:
    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._writer_lock = threading.Lock()
        if self.is_sqlite:
            # Keep a connection for every thread that may read at once: an overflow
            # connection is opened, set up and closed per request, which a burst of a
            # thousand submits showed as real CPU.
            self.engine: Engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 30},
                pool_size=max(pool_size, SQLITE_POOL),
                max_overflow=16,
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            self.engine = create_engine(
                url, pool_size=pool_size, max_overflow=16, pool_pre_ping=True
            )

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that commits on success; storage failures become
        :class:`StorageUnavailableError` (the caller must not acknowledge)."""
        # SQLite has one writer at a time. Queue this process's writers on a lock:
        # SQLite's own busy handler would make them sleep and poll (1, 2, 5 ... 100 ms).
        with (
            self._writer_lock if self.is_sqlite else contextlib.nullcontext(),
            self._transaction() as conn,
        ):
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            with (
                self.engine.connect().execution_options(**{_IMMEDIATE: True}) as conn,
                conn.begin(),
            ):
                yield conn
        except OperationalError as exc:
            raise StorageUnavailableError(
                f"the database could not commit ({_reason(exc)}); nothing was saved"
            ) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise StorageUnavailableError(f"the database cannot be read ({_reason(exc)})") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _reason(exc: OperationalError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else "unknown"


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL so readers never block the writer; synchronous=FULL fsyncs the WAL at
    # every commit, so an acknowledged answer survives a power cut, not only a crash.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    if conn.get_execution_options().get(_IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
