"""Benchmark the exam server over real HTTP on 127.0.0.1.

Phases (each bounded; the load goes only to 127.0.0.1):
  1. logins: N candidates log in, start and fetch their form, spread over a window;
  2. saves: answer saves at stepped request rates, to find where p99 crosses 50 ms;
  3. submits: every candidate submits within one second; all must be scored and stored.

The server runs in its own process (``cbt-server run``), one worker, SQLite by
default or PostgreSQL with ``--database-url``. Run: ``make bench-server``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.live_server import BANK_PASS, build, free_port


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Candidate:
    number: str
    pin: str
    token: str = ""
    items: int = 0
    seq: int = 0
    latencies: list[float] = field(default_factory=list)


async def phase_logins(client: httpx.AsyncClient, people: list[Candidate], session_token: str,
                       window_s: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()

    async def one(i: int, person: Candidate) -> None:
        nonlocal errors
        await asyncio.sleep(i * window_s / len(people))
        t0 = time.perf_counter()
        try:
            r = await client.post("/api/v1/candidate/login", json={
                "participant_number": person.number, "pin": person.pin,
                "session_token": session_token, "workstation": f"PC-{i:04d}"})
            r.raise_for_status()
            person.token = r.json()["token"]
            h = {"Authorization": f"Bearer {person.token}"}
            (await client.post("/api/v1/candidate/start", headers=h)).raise_for_status()
            form = await client.get("/api/v1/candidate/form", headers=h)
            form.raise_for_status()
            person.items = len(form.json()["items"])
        except httpx.HTTPError:
            errors += 1
            return
        latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
    return {"count": len(latencies), "errors": errors, "seconds": time.perf_counter() - start,
            "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


async def phase_saves(client: httpx.AsyncClient, people: list[Candidate], rate: float,
                      seconds: float, changes_per_save: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    start = time.perf_counter()
    inflight: set[asyncio.Task[None]] = set()

    async def one(person: Candidate) -> None:
        nonlocal errors
        changes = []
        for _ in range(changes_per_save):
            person.seq += 1
            changes.append({"number": 1 + person.seq % person.items,
                            "choice": "ABCDE"[person.seq % 5], "seq": person.seq})
        t0 = time.perf_counter()
        try:
            r = await client.post("/api/v1/candidate/answers", json={"changes": changes},
                                  headers={"Authorization": f"Bearer {person.token}"})
            if r.status_code != 200 or r.json()["acked_seq"] != person.seq:
                errors += 1
                return
        except httpx.HTTPError:
            errors += 1
            return
        latencies.append(time.perf_counter() - t0)

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(people[i % len(people)]))
        inflight.add(task)
        task.add_done_callback(inflight.discard)
    await asyncio.gather(*inflight)
    elapsed = time.perf_counter() - start
    return {"offered_per_s": rate, "achieved_per_s": len(latencies) / elapsed,
            "changes_per_s": len(latencies) * changes_per_save / elapsed, "errors": errors,
            "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


async def phase_submits(client: httpx.AsyncClient, people: list[Candidate]
                        ) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()

    async def one(i: int, person: Candidate) -> None:
        nonlocal errors
        await asyncio.sleep(i / len(people))  # all arrive within one second
        t0 = time.perf_counter()
        try:
            r = await client.post("/api/v1/candidate/submit",
                                  headers={"Authorization": f"Bearer {person.token}"})
            r.raise_for_status()
            if "slip" not in r.json():
                errors += 1
                return
        except httpx.HTTPError:
            errors += 1
            return
        latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
    return {"count": len(latencies), "errors": errors,
            "all_done_s": time.perf_counter() - start,
            "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


async def run_phases(base: str, people: list[Candidate], token: str, args: argparse.Namespace
                     ) -> dict[str, object]:
    limits = httpx.Limits(max_connections=args.connections,
                          max_keepalive_connections=args.connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        results: dict[str, object] = {}
        results["logins"] = await phase_logins(client, people, token, args.login_window)
        ready = [p for p in people if p.token]
        steps = []
        for rate in args.rates:
            step = await phase_saves(client, ready, rate, args.step_seconds, args.changes)
            steps.append(step)
            print(f"  saves offered {rate:>6.0f}/s: achieved {step['achieved_per_s']:7.0f}/s "
                  f"p50 {step['p50_ms']:6.1f} ms p99 {step['p99_ms']:6.1f} ms "
                  f"errors {step['errors']}", flush=True)
        results["saves"] = steps
        results["submits"] = await phase_submits(client, ready)
        return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument("--login-window", type=float, default=30.0)
    parser.add_argument("--rates", type=float, nargs="+", default=[500, 1000, 1500, 2000])
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--changes", type=int, default=1, help="answer changes per save")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        rt, pins = build(Path(tmp), database_url=args.database_url, count=args.candidates)
        token = str(rt.proctors.token(rt.proctors.session("S1"))["token"])
        data_dir = rt.paths.root
        rt.close()
        print(f"site with {args.candidates} candidates built in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        env = {**os.environ, "BANKPW": BANK_PASS}
        if args.database_url:
            env["CBT_DATABASE_URL"] = args.database_url
        server = subprocess.Popen(
            [sys.executable, "-m", "cbt_server", "run", "--data", str(data_dir), "--host",
             "127.0.0.1", "--port", str(port), "--insecure-http", "--bank-passphrase-env",
             "BANKPW"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(base + "/api/v1/public/audit/head", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            people = [Candidate(n, p) for n, p in pins.items()]
            results = asyncio.run(run_phases(base, people, token, args))
        finally:
            server.terminate()
            server.wait(timeout=30)
    db = "PostgreSQL" if args.database_url else "SQLite"
    logins = results["logins"]
    submits = results["submits"]
    print(f"machine: {os.cpu_count()} cores {platform.machine()}, Python "
          f"{platform.python_version()}, {db}, one server worker, HTTP on 127.0.0.1")
    print(f"logins+start+form: {logins}")
    print(f"submits: {submits}")
    if args.json:
        Path(args.json).write_text(json.dumps({"database": db, **results}, indent=2))
    _ = statistics


if __name__ == "__main__":
    main()
