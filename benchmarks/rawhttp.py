"""A minimal keep-alive HTTP/1.1 client on asyncio streams, for load generation.

A general client (httpx) spends more CPU per request than the server under
test; on a two-core machine that would measure the client. This one only
frames requests and reads ``Content-Length`` bodies.
"""

from __future__ import annotations

import asyncio
import contextlib
import json


class RawConnection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self.reader, self.writer

    async def request(
        self, method: str, path: str, body: object | None = None, token: str | None = None
    ) -> tuple[int, object]:
        reused = self.writer is not None
        try:
            return await self._request(method, path, body, token)
        except (ConnectionError, asyncio.IncompleteReadError):
            if not reused:
                raise
            # The server closed an idle keep-alive connection (as browsers and httpx
            # do, send again on a new one; every request here is safe to repeat).
            await self.close()
            return await self._request(method, path, body, token)

    async def _request(
        self, method: str, path: str, body: object | None, token: str | None
    ) -> tuple[int, object]:
        reader, writer = await self._open()
        data = b"" if body is None else json.dumps(body).encode()
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}",
            f"Content-Length: {len(data)}",
            "Content-Type: application/json",
        ]
        if token:
            head.append(f"Authorization: Bearer {token}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        payload = await reader.readexactly(length) if length else b""
        return status, (json.loads(payload) if payload else None)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
            self.reader = self.writer = None


class Pool:
    """A fixed set of connections handed out to concurrent tasks."""

    def __init__(self, host: str, port: int, size: int) -> None:
        self._free: asyncio.Queue[RawConnection] = asyncio.Queue()
        self._all = [RawConnection(host, port) for _ in range(size)]
        for conn in self._all:
            self._free.put_nowait(conn)

    async def request(
        self, method: str, path: str, body: object | None = None, token: str | None = None
    ) -> tuple[int, object]:
        conn = await self._free.get()
        try:
            return await conn.request(method, path, body, token)
        except (ConnectionError, asyncio.IncompleteReadError):
            await conn.close()
            raise
        finally:
            self._free.put_nowait(conn)

    async def close(self) -> None:
        for conn in self._all:
            await conn.close()
