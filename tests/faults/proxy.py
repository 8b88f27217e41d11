"""A loopback TCP proxy a test controls: the network between the stations and the server.

Stations talk to ``proxy.port``; the proxy forwards bytes to the server. ``cut()``
takes the network away in one of two ways:

* ``REFUSE`` — every open connection is reset and new ones are closed at once (a
  switch port that went down: the station hears about it at once);
* ``BLACKHOLE`` — connections stay open but nothing gets through in either direction
  and new ones are accepted and ignored (a cable pulled somewhere further away: the
  station learns only by its own time-outs).

``restore()`` brings it back; connections that lived through a black hole have lost
bytes, so they are reset then and the stations reconnect. Runs its own event loop
on a thread; every socket is closed by ``close()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import threading
from types import TracebackType

HOST = "127.0.0.1"


class Cut(enum.Enum):
    REFUSE = "refuse"
    BLACKHOLE = "blackhole"


class TcpProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.mode: Cut | None = None
        #: Connections accepted, and refused or swallowed while cut.
        self.accepted = 0
        self.turned_away = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter | None]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="tcp-proxy", daemon=True)

    # ------------------------------------------------------------------ control (any thread)

    def start(self) -> TcpProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def cut(self, mode: Cut = Cut.REFUSE) -> None:
        self._call(self._cut, mode)

    def restore(self) -> None:
        self._call(self._restore)

    def close(self) -> None:
        if self._loop is not None and self._thread.is_alive():
            self._call(self._shutdown)
            self._thread.join(timeout=10)

    def _call(self, func: object, *args: object) -> None:
        if self._loop is None:
            raise RuntimeError("the proxy is not running")

        async def run() -> None:
            func(*args)  # type: ignore[operator]

        asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ the loop's side

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        self._server = await asyncio.start_server(self._accept, HOST, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        self._ready.set()
        async with self._server:
            await self._stopped.wait()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _shutdown(self) -> None:
        self._reset_all()
        if self._server is not None:
            self._server.close()
        self._stopped.set()

    def _cut(self, mode: Cut) -> None:
        self.mode = mode
        if mode is Cut.REFUSE:
            self._reset_all()

    def _restore(self) -> None:
        if self.mode is Cut.BLACKHOLE:
            self._reset_all()  # bytes were lost on these: the stations must reconnect
        self.mode = None

    def _reset_all(self) -> None:
        for down, up in list(self._pairs):
            _abort(down)
            if up is not None:
                _abort(up)
        self._pairs.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await self._handle(reader, writer)
        except asyncio.CancelledError:
            _abort(writer)  # shut down: end quietly (asyncio logs a cancelled handler)
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.mode is Cut.REFUSE:
            self.turned_away += 1
            _abort(writer)
            return
        if self.mode is Cut.BLACKHOLE:
            self.turned_away += 1
            pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter | None] = (writer, None)
            self._pairs.add(pair)
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while await reader.read(65536):
                    pass  # swallowed
            self._pairs.discard(pair)
            _abort(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self.target_port)
        except OSError:
            _abort(writer)  # the server itself is down: as a station would see it
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )
        finally:
            self._pairs.discard(pair)
            _abort(writer)
            _abort(up_writer)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode is not None:
                    continue  # black hole: read and drop
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            _abort(writer)


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    if not transport.is_closing():
        transport.abort()
