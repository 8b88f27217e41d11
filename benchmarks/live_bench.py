"""Benchmark: 500 live displays watching while 1,000 candidates submit within one second.

Run with ``python -m benchmarks.live_bench``; prints the figures that go in
docs/benchmarks.md. Talks only to 127.0.0.1 and stops by itself.

1. Builds a site with ``tests.live_server.build`` (1,000 candidates, session S1
   open) and serves it in a separate process: ``python -m cbt_server run
   --insecure-http`` on a free loopback port.
2. Logs every candidate in, starts the attempt and saves 110 answers, through the
   API, before anything is measured.
3. Opens the display connections (``GET /api/v1/public/sessions/S1/events``)
   from reader processes, raw sockets, one SSE parser each; waits until every
   one has its snapshot, in steps (5 of 100 by default), reading the server's RSS
   before and after each step: the first step also pays for what the process grows
   once, so the per-connection figure is the growth over the later steps.
4. Fires the submits, evenly spread over the window (1 s), each on its own
   connection, as stations do.
5. Every display records when each score reached it. Latency = receive time -
   ``scored_ms`` of the score (the moment it was committed): same machine, same
   clock. A display the server drops for being slow reconnects and gets a
   snapshot, as a browser does; scores in that snapshot count as received then.

Targets: every display has every score within 3 s of its commit; memory per
display connection <= 32 KiB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing as mp
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
SESSION = "S1"
BANK_ENV = "CBT_BENCH_BANK_PASSPHRASE"
TARGET_LATENCY_S = 3.0
TARGET_KIB_PER_CONNECTION = 32


# ------------------------------------------------------------------ tiny HTTP/1.1 client


async def request(
    port: int, method: str, path: str, body: object | None = None, token: str | None = None
) -> tuple[int, Any]:
    """One request on its own connection; returns (status, decoded JSON body)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        data = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await writer.drain()
        status_line = await reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length = 0
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        payload = await reader.readexactly(length) if length else b""
        return status, json.loads(payload) if payload else None
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


# ------------------------------------------------------------------ display readers


class Display:
    """One SSE connection; remembers when each score arrived."""

    def __init__(self, port: int, expected: int) -> None:
        self.port, self.expected = port, expected
        self.seen: dict[str, int] = {}  # candidate number -> latency in ms
        self.snapshots = 0
        self.reconnects = 0
        self.ready = asyncio.Event()
        self.done = asyncio.Event()

    def _record(self, row: dict[str, Any], now_ms: int) -> None:
        number = row["number"]
        if number not in self.seen:
            self.seen[number] = now_ms - int(row["scored_ms"])
            if len(self.seen) >= self.expected:
                self.done.set()

    def _event(self, name: str, data: bytes) -> None:
        now_ms = time.time_ns() // 1_000_000
        payload = json.loads(data)
        if name == "snapshot":
            self.snapshots += 1
            for row in payload["rows"]:
                self._record(row, now_ms)
            self.ready.set()
        elif name == "frame":
            for event in payload["events"]:
                if event.get("type") == "score":
                    self._record(event["row"], now_ms)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set() and not self.done.is_set():
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                await self._stream(stop)
            if not stop.is_set() and not self.done.is_set():
                self.reconnects += 1
                await asyncio.sleep(0.2)

    async def _stream(self, stop: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(
                (
                    f"GET /api/v1/public/sessions/{SESSION}/events HTTP/1.1\r\n"
                    f"Host: {HOST}:{self.port}\r\nAccept: text/event-stream\r\n\r\n"
                ).encode()
            )
            await writer.drain()
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # headers; the body is chunked
            buffer = b""
            while not stop.is_set() and not self.done.is_set():
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                if size == 0:
                    return  # the server ended the stream: reconnect
                buffer += (await reader.readexactly(size + 2))[:-2]
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    name, data = b"message", b""
                    for line in block.split(b"\n"):
                        if line.startswith(b"event: "):
                            name = line[7:]
                        elif line.startswith(b"data: "):
                            data = line[6:]
                    if data:
                        self._event(name.decode(), data)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def reader_process(
    port: int,
    count: int,
    expected: int,
    ready: Any,
    results: Any,
    stop: Any,
    step: Any,
    steps: int,
) -> None:
    """Holds ``count`` displays, connected in ``steps`` groups (the parent reads the
    server's memory after each and then raises ``step``); reports when each group has
    its snapshots, then the results."""

    async def main() -> None:
        stopping = asyncio.Event()
        displays = [Display(port, expected) for _ in range(count)]
        tasks: list[asyncio.Task[None]] = []
        for phase in range(steps):
            group = displays[phase * count // steps : (phase + 1) * count // steps]
            while step.value < phase:
                await asyncio.sleep(0.05)
            tasks += [asyncio.create_task(d.run(stopping)) for d in group]
            await asyncio.wait_for(asyncio.gather(*(d.ready.wait() for d in group)), 120)
            ready.put(len(group))
        while not stop.is_set() and not all(d.done.is_set() for d in displays):
            await asyncio.sleep(0.05)
        stopping.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        latencies = array("i")
        for d in displays:
            latencies.extend(d.seen.values())
        results.put(
            {
                "complete": sum(1 for d in displays if len(d.seen) >= expected),
                "received": [len(d.seen) for d in displays],
                "reconnects": sum(d.reconnects for d in displays),
                "latencies": latencies.tobytes(),
            }
        )

    asyncio.run(main())


# ------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start_server(data_dir: Path, port: int, log: Path, bank_pass: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, BANK_ENV: bank_pass}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cbt_server",
                "run",
                "--data",
                str(data_dir),
                "--host",
                HOST,
                "--port",
                str(port),
                "--insecure-http",
                "--bank-passphrase-env",
                BANK_ENV,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped:\n" + log.read_text())
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
            return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


# ------------------------------------------------------------------ preparing candidates


async def prepare(port: int, pins: dict[str, str], token_of: Any) -> dict[str, str]:
    """Log every candidate in, start, and save a full answer sheet; return their tokens."""
    rng = random.Random(2026)
    tokens: dict[str, str] = {}
    gate = asyncio.Semaphore(16)

    async def one(number: str) -> None:
        async with gate:
            for _ in range(3):
                status, body = await request(
                    port,
                    "POST",
                    "/api/v1/candidate/login",
                    {
                        "participant_number": number,
                        "pin": pins[number],
                        "session_token": await token_of(),
                        "workstation": f"PC-{number[-4:]}",
                    },
                )
                if status == 200:
                    break
            else:
                raise RuntimeError(f"login {number}: {status} {body}")
            token = body["token"]
            status, body = await request(port, "POST", "/api/v1/candidate/start", {}, token)
            if status != 200:
                raise RuntimeError(f"start {number}: {status} {body}")
            ability = rng.uniform(0.3, 0.95)
            changes = [
                {
                    "number": n,
                    "choice": "A" if rng.random() < ability else rng.choice("BCDE"),
                    "seq": n,
                }
                for n in range(1, 111)
            ]
            status, body = await request(
                port, "POST", "/api/v1/candidate/answers", {"changes": changes}, token
            )
            if status != 200:
                raise RuntimeError(f"answers {number}: {status} {body}")
            tokens[number] = token

    await asyncio.gather(*(one(n) for n in pins))
    return tokens


async def burst(port: int, tokens: list[str], window_s: float) -> dict[str, float]:
    """Submit every attempt, spread evenly over ``window_s``; each on its own connection."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    sent: list[float] = []
    acked: list[float] = []
    failures: list[str] = []

    async def one(i: int, token: str) -> None:
        await asyncio.sleep(max(0.0, start + i * window_s / len(tokens) - loop.time()))
        sent.append(time.time())
        status, body = await request(port, "POST", "/api/v1/candidate/submit", None, token)
        acked.append(time.time())
        if status != 200:
            failures.append(f"{status} {body}")

    await asyncio.gather(*(one(i, t) for i, t in enumerate(tokens)))
    if failures:
        raise RuntimeError(f"{len(failures)} submits failed, e.g. {failures[0]}")
    return {
        "first_sent": min(sent),
        "last_sent": max(sent),
        "last_acked": max(acked),
    }


# ------------------------------------------------------------------ main


def percentile(values: list[int], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return float(ordered[k])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--displays", type=int, default=500)
    parser.add_argument("--submits", type=int, default=1000)
    parser.add_argument("--window", type=float, default=1.0, help="seconds the submits span")
    parser.add_argument("--readers", type=int, default=4, help="reader processes")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up after (s)")
    parser.add_argument("--steps", type=int, default=5, help="display connection steps")
    args = parser.parse_args()

    from tests.live_server import BANK_PASS, PROCTOR, build

    with tempfile.TemporaryDirectory(prefix="cbt-live-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        rt, pins = build(root, count=args.submits)
        rt.close()
        print(f"site built: {args.submits} candidates ({time.perf_counter() - t0:.1f} s)")
        port = free_port()
        server = start_server(root / "data", port, root / "server.log", BANK_PASS)
        ctx = mp.get_context("spawn")
        readers: list[Any] = []
        try:
            return asyncio.run(_measure(args, port, pins, server, ctx, readers, PROCTOR))
        finally:
            for proc in readers:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.terminate()
                    proc.join(timeout=5)
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


async def _measure(
    args: argparse.Namespace,
    port: int,
    pins: dict[str, str],
    server: subprocess.Popen[bytes],
    ctx: Any,
    readers: list[Any],
    proctor: tuple[str, str],
) -> int:
    _, body = await request(
        port, "POST", "/api/v1/proctor/login", {"username": proctor[0], "password": proctor[1]}
    )
    staff_token = body["token"]

    async def token_of() -> str:
        _, view = await request(
            port, "GET", f"/api/v1/proctor/sessions/{SESSION}", None, staff_token
        )
        return str(view["token"]["token"])

    t0 = time.perf_counter()
    tokens = await prepare(port, pins, token_of)
    print(
        f"{len(tokens)} candidates logged in, started, 110 answers saved "
        f"({time.perf_counter() - t0:.1f} s)"
    )

    await asyncio.sleep(1.0)
    rss_before = rss_kib(server.pid)
    ready, results, stop, step = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("i", 0)
    share = [
        args.displays // args.readers + (i < args.displays % args.readers)
        for i in range(args.readers)
    ]
    for count in share:
        proc = ctx.Process(
            target=reader_process,
            args=(port, count, args.submits, ready, results, stop, step, args.steps),
        )
        proc.start()
        readers.append(proc)
    t0 = time.perf_counter()
    # Displays connect in steps; the server's RSS is read after each. The first step
    # also pays for what a process grows once (threads, pools, caches), so the cost
    # of a display connection is the growth over the later steps.
    connected, rss_steps = 0, [rss_before]
    for phase in range(args.steps):
        step.value = phase
        for _ in share:
            connected += await asyncio.to_thread(ready.get, True, 180)
        await asyncio.sleep(1.0)
        rss_steps.append(rss_kib(server.pid))
    print(f"{connected} displays connected, snapshots received ({time.perf_counter() - t0:.1f} s)")
    rss_after = rss_steps[-1]
    per_step = args.displays / args.steps

    times = await burst(port, list(tokens.values()), args.window)
    print(
        f"{len(tokens)} submits sent over {times['last_sent'] - times['first_sent']:.2f} s, "
        f"all acknowledged {times['last_acked'] - times['first_sent']:.2f} s after the first"
    )
    deadline = time.time() + args.timeout
    reports = []
    while len(reports) < len(share):
        left = deadline - time.time()
        if left <= 0:
            stop.set()
            left = 15
        with contextlib.suppress(Exception):
            reports.append(await asyncio.to_thread(results.get, True, min(left, 1.0)))
    stop.set()
    rss_end = rss_kib(server.pid)

    latencies: list[int] = []
    for report in reports:
        values = array("i")
        values.frombytes(report["latencies"])
        latencies.extend(values)
    complete = sum(r["complete"] for r in reports)
    reconnects = sum(r["reconnects"] for r in reports)
    per_conn = (rss_after - rss_before) / max(1, connected)
    step_costs = [(b - a) / per_step for a, b in itertools.pairwise(rss_steps)]
    marginal = (rss_after - rss_steps[1]) / max(1, connected - per_step)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    worst = max(latencies) if latencies else float("nan")
    expected = args.displays * args.submits
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; server: one uvicorn process, SQLite"
    )
    print(f"displays: {args.displays}; submits: {args.submits} in {args.window:g} s")
    print(
        f"score deliveries: {len(latencies)} of {expected}; displays complete: "
        f"{complete} of {args.displays}; reconnects after a drop: {reconnects}"
    )
    print(
        f"update latency (commit -> frame received): p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"max {worst:.0f} ms, mean {statistics.fmean(latencies) if latencies else 0:.0f} ms"
    )
    print(
        f"server RSS: {rss_before / 1024:.1f} MiB before displays, {rss_after / 1024:.1f} MiB "
        f"with {connected} displays, {rss_end / 1024:.1f} MiB after the burst"
    )
    print(
        f"memory per display connection: {marginal:.1f} KiB after the first "
        f"{per_step:.0f} (steps of {per_step:.0f}: "
        + ", ".join(f"{c:.1f}" for c in step_costs)
        + f" KiB each); {per_conn:.1f} KiB averaged over all {connected}, with the "
        f"process's one-time growth (target <= {TARGET_KIB_PER_CONNECTION} KiB)"
    )
    every = complete == args.displays and len(latencies) == expected
    within = every and worst <= TARGET_LATENCY_S * 1000
    print(
        f"every display has every score within {TARGET_LATENCY_S:g} s: {'yes' if within else 'NO'}"
    )
    print(
        f"memory target met: {'yes' if marginal <= TARGET_KIB_PER_CONNECTION else 'NO'} "
        f"(per connection), {'yes' if per_conn <= TARGET_KIB_PER_CONNECTION else 'NO'} "
        "(averaged with the one-time growth)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
