"""Benchmark the exam server over real HTTP on 127.0.0.1.

Phases (each bounded; the load goes only to 127.0.0.1):
  1. logins: N candidates log in, start and fetch their form, spread over a window;
  2. saves: answer saves at stepped request rates (open loop), to find the rate at
     which p99 crosses 50 ms; beside it, the raw batched-commit ceiling of the same
     database on the same disk;
  3. submits: every candidate submits within one second; all must be scored and stored.

The server runs in its own process (``cbt-server run``), one worker, SQLite by
default or PostgreSQL with ``--database-url``. The load generator is a minimal
asyncio HTTP client (benchmarks/rawhttp.py) so that it does not eat the CPU the
server needs. Run: ``make bench-server``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.rawhttp import Pool
from tests.live_server import BANK_PASS, build, free_port


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(latencies: list[float]) -> dict[str, float]:
    return {"p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


@dataclass
class Candidate:
    number: str
    pin: str
    token: str = ""
    items: int = 0
    seq: int = 0
    acked: int = 0


async def phase_logins(
    pool: Pool, people: list[Candidate], session_token: str, window_s: float
) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()

    async def one(i: int, person: Candidate) -> None:
        nonlocal errors
        await asyncio.sleep(i * window_s / len(people))
        t0 = time.perf_counter()
        try:
            status, reply = await pool.request(
                "POST",
                "/api/v1/candidate/login",
                {
                    "participant_number": person.number,
                    "pin": person.pin,
                    "session_token": session_token,
                    "workstation": f"PC-{i:04d}",
                },
            )
            if status != 200 or not isinstance(reply, dict):
                raise ConnectionError(status)
            person.token = str(reply["token"])
            status, _ = await pool.request("POST", "/api/v1/candidate/start", token=person.token)
            status_form, form = await pool.request(
                "GET", "/api/v1/candidate/form", token=person.token
            )
            if status != 200 or status_form != 200 or not isinstance(form, dict):
                raise ConnectionError(status)
            person.items = len(form["items"])
        except (ConnectionError, OSError):
            errors += 1
            return
        latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
    return {
        "count": len(latencies),
        "errors": errors,
        "seconds": round(time.perf_counter() - start, 1),
        **summary(latencies),
    }


async def phase_saves(
    pool: Pool,
    people: list[Candidate],
    rate: float,
    seconds: float,
    changes_per_save: int,
    warmup_s: float = 1.0,
) -> dict[str, object]:
    """Open loop: a save is sent every 1/rate s whether or not earlier ones returned."""
    latencies: list[float] = []
    failures: dict[str, int] = {}
    total = int(rate * seconds)
    start = time.perf_counter()
    tasks: set[asyncio.Task[None]] = set()

    async def one(person: Candidate) -> None:
        changes = []
        for _ in range(changes_per_save):
            person.seq += 1
            changes.append(
                {
                    "number": 1 + person.seq % person.items,
                    "choice": "ABCDE"[person.seq % 5],
                    "seq": person.seq,
                }
            )
        t0 = time.perf_counter()
        try:
            status, reply = await pool.request(
                "POST", "/api/v1/candidate/answers", {"changes": changes}, token=person.token
            )
        except (ConnectionError, OSError) as exc:
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
            return
        if status != 200 or not isinstance(reply, dict):
            failures[str(status)] = failures.get(str(status), 0) + 1
            return
        person.acked = max(person.acked, int(reply["acked_seq"]))
        if t0 - start >= warmup_s:  # the first second warms caches (forms, logins)
            latencies.append(time.perf_counter() - t0)

    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(people[i % len(people)]))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return {
        "offered_per_s": rate,
        "achieved_per_s": round(len(latencies) / elapsed),
        "changes_per_s": round(len(latencies) * changes_per_save / elapsed),
        "errors": sum(failures.values()),
        "failures": failures,
        **summary(latencies),
    }


async def phase_submits(pool: Pool, people: list[Candidate]) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    last_done = start

    async def one(i: int, person: Candidate) -> None:
        nonlocal errors, last_done
        await asyncio.sleep(i / len(people))  # every submit arrives within one second
        t0 = time.perf_counter()
        try:
            status, reply = await pool.request(
                "POST", "/api/v1/candidate/submit", token=person.token
            )
        except (ConnectionError, OSError):
            errors += 1
            return
        if status != 200 or not isinstance(reply, dict) or "slip" not in reply:
            errors += 1
            if errors <= 3:
                print(f"  submit refused: {status} {reply}", flush=True)
            return
        now = time.perf_counter()
        latencies.append(now - t0)
        last_done = max(last_done, now)

    await asyncio.gather(*(one(i, p) for i, p in enumerate(people)))
    return {
        "count": len(latencies),
        "errors": errors,
        "all_scored_and_stored_s": round(last_done - start, 2),
        **summary(latencies),
    }


WRK_SCRIPT = """
local tokens = {%s}
local items = %d
local counter = 0
local seqs = {}
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
init = function(args) n = 0 end
request = function()
  n = n + 1
  local t = tokens[((id - 1) * 7919 + n) %% #tokens + 1]
  seqs[t] = (seqs[t] or 1000000) + 1
  local body = '{"changes":[{"number":' .. (1 + seqs[t] %% items) ..
    ',"choice":"A","seq":' .. seqs[t] .. '}]}'
  return wrk.format("POST", "/api/v1/candidate/answers",
    {["Content-Type"]="application/json", ["Authorization"]="Bearer " .. t}, body)
end
"""


def wrk_saves(
    port: int, people: list[Candidate], connections: int, seconds: int
) -> dict[str, object] | None:
    """Closed-loop saves with wrk (a C client, so the load generator is not the limit)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % (",".join(f'"{p.token}"' for p in people), people[0].items))
        script = f.name
    try:
        done = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--latency",
                "-s",
                script,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds + 30,
        )
    finally:
        Path(script).unlink()
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or out.strip()}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def latency(label: str) -> float:
        found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        if found is None:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "connections": connections,
        "saves_per_s": round(rate),
        "p50_ms": latency("50%"),
        "p99_ms": latency("99%"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def raw_commit_ceiling(database_url: str, seconds: float = 3.0) -> float:
    """Rows per second the database commits in batches of 50 from one writer, no HTTP."""
    from sqlalchemy import text

    from cbt_server.db.engine import Database

    db = Database(database_url)
    with db.write() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_ceiling (k INTEGER PRIMARY KEY, "
                "v INTEGER, seq INTEGER)"
            )
        )
    rows = 0
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        batch = [{"k": (n + i) % 10_000, "v": i, "seq": n + i} for i in range(50)]
        n += 50
        with db.write() as conn:
            conn.execute(
                text(
                    "INSERT INTO bench_ceiling (k, v, seq) VALUES (:k, :v, :seq) "
                    "ON CONFLICT (k) DO UPDATE SET v = excluded.v, seq = excluded.seq"
                ),
                batch,
            )
        rows += 50
    rate = rows / (time.perf_counter() - start)
    with db.write() as conn:
        conn.execute(text("DROP TABLE bench_ceiling"))
    db.dispose()
    return rate


async def run_phases(
    port: int, people: list[Candidate], token: str, args: argparse.Namespace
) -> dict[str, object]:
    pool = Pool("127.0.0.1", port, args.connections)
    try:
        results: dict[str, object] = {}
        results["logins"] = await phase_logins(pool, people, token, args.login_window)
        print(f"  logins: {results['logins']}", flush=True)
        ready = [p for p in people if p.token]
        steps = []
        for rate in args.rates:
            step = await phase_saves(pool, ready, rate, args.step_seconds, args.changes)
            steps.append(step)
            print(
                f"  saves offered {rate:>6.0f}/s: achieved {step['achieved_per_s']:>6}/s "
                f"p50 {step['p50_ms']:6.1f} ms p99 {step['p99_ms']:6.1f} ms "
                f"errors {step['errors']} {step['failures'] or ''}",
                flush=True,
            )
        results["saves"] = steps
        sweep = []
        for connections in args.wrk_connections:
            found = await asyncio.to_thread(wrk_saves, port, ready, connections, args.step_seconds)
            if found is None:
                print("  (wrk not installed: no closed-loop ceiling)", flush=True)
                break
            sweep.append(found)
            print(
                f"  wrk {connections:>3} connections: {found['saves_per_s']:>6}/s p50 "
                f"{found['p50_ms']:6.1f} ms p99 {found['p99_ms']:6.1f} ms errors "
                f"{found['errors']}",
                flush=True,
            )
        results["saves_wrk"] = sweep
        ok = [s for s in sweep if float(str(s["p99_ms"])) <= 50 and s["errors"] == 0]
        results["save_ceiling_per_s"] = max((int(str(s["saves_per_s"])) for s in ok), default=0)
        results["acked_total"] = sum(p.acked for p in ready)
        results["submits"] = await phase_submits(pool, ready)
        print(f"  submits: {results['submits']}", flush=True)
        return results
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--postgres", action="store_true", help="start a throwaway PostgreSQL server and use it"
    )
    parser.add_argument("--login-window", type=float, default=60.0)
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[500, 1000, 1500, 2000, 2500, 3000]
    )
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--changes", type=int, default=1, help="answer changes per save")
    parser.add_argument("--wrk-connections", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    postgres = None
    if args.postgres:
        from tests.cbt_server.pg import PostgresServer

        postgres = PostgresServer()
        args.database_url = postgres.new_database()
    try:
        run(args)
    finally:
        if postgres is not None:
            postgres.stop()


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        rt, pins = build(Path(tmp), database_url=args.database_url, count=args.candidates)
        token = str(rt.proctors.token(rt.proctors.session("S1"))["token"])
        data_dir = rt.paths.root
        database_url = rt.settings.database_url
        rt.close()
        print(
            f"site with {args.candidates} candidates built in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        port = free_port()
        env = {**os.environ, "BANKPW": BANK_PASS, "CBT_DATABASE_URL": database_url}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cbt_server",
                "run",
                "--data",
                str(data_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--insecure-http",
                "--bank-passphrase-env",
                "BANKPW",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/api/v1/public/audit/head", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            people = [Candidate(n, p) for n, p in pins.items()]
            results = asyncio.run(run_phases(port, people, token, args))
        finally:
            server.terminate()
            server.wait(timeout=30)
        ceiling = raw_commit_ceiling(database_url)
    db = "PostgreSQL" if args.database_url else "SQLite"
    results["raw_commit_ceiling_rows_per_s"] = round(ceiling)
    results["server_share_of_raw_ceiling"] = round(
        float(str(results["save_ceiling_per_s"])) / ceiling, 3
    )
    print(
        f"machine: {os.cpu_count()} cores {platform.machine()}, Python "
        f"{platform.python_version()}, {db}, one server worker, HTTP on 127.0.0.1"
    )
    print(
        f"save ceiling (p99 <= 50 ms, no errors): {results['save_ceiling_per_s']}/s; raw "
        f"batched-commit ceiling: {round(ceiling)} rows/s; ratio "
        f"{results['server_share_of_raw_ceiling']}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"database": db, **results}, indent=2))


if __name__ == "__main__":
    main()
