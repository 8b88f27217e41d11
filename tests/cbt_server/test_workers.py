"""Two server workers over one PostgreSQL database share their live events."""

from __future__ import annotations

import asyncio
import time

import pytest

from cbt_server.clock import SystemClock
from cbt_server.runtime import Runtime
from cbt_server.services.live_feed import LiveFeed
from cbt_server.services.presence import Presence
from cbt_server.services.relay import PgRelay


def _wait(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_submit_in_one_worker_reaches_a_display_on_another(postgres) -> None:
    url = postgres.new_database()
    feeds = [LiveFeed(), LiveFeed()]
    presences = [Presence(), Presence()]
    relays = [PgRelay(url, f, p) for f, p in zip(feeds, presences, strict=True)]
    for relay in relays:
        relay.start()
    try:

        async def watch() -> dict[str, object] | None:
            sub = feeds[1].subscribe("session:S1")
            feeds[0].publish("session:S1", {"type": "score", "row": {"number": "2026001"}})
            # worker 1's own frame loop: flush until the relayed event arrives
            for _ in range(200):
                feeds[1].flush()
                if not sub.queue.empty():
                    return sub.queue.get_nowait()
                await asyncio.sleep(0.05)
            return None

        frame = asyncio.run(watch())
        assert frame is not None, "the event did not cross to the other worker"
        assert frame["events"][0]["row"] == {"number": "2026001"}
        presences[0].heard(7, 1_800_000_000_000, "PC-07", 12)
        assert _wait(lambda: presences[1].last(7) is not None)
        assert presences[1].last(7).answered == 12
        assert relays[0].received == 0  # its own messages are not delivered back
    finally:
        for relay in relays:
            relay.stop()


@pytest.mark.slow
def test_two_runtimes_on_one_database_relay_scores(postgres, tmp_path) -> None:
    """The real wiring: a score committed by worker A is published on worker B."""
    from tests.live_server import build

    url = postgres.new_database()
    rt_a, pins = build(tmp_path / "a", database_url=url, count=2)
    rt_b = Runtime.build(rt_a.settings, SystemClock())
    for record in rt_b.vault.records():
        from tests.live_server import BANK_PASS

        rt_b.vault.unlock(record, passphrase=BANK_PASS, actor="test")
    rt_a.start_background()
    rt_b.start_background()
    try:
        number = next(iter(pins))
        token = str(rt_a.proctors.token(rt_a.proctors.session("S1"))["token"])
        login = rt_a.candidates.login(
            number=number, pin=pins[number], typed_token=token, workstation="PC-1"
        )
        rt_a.candidates.start(login.context)

        async def watch() -> bool:
            sub = rt_b.feed.subscribe("session:S1")
            await asyncio.to_thread(
                rt_a.scoring.submit, login.context.attempt_id, by="candidate", actor="test"
            )
            for _ in range(200):
                rt_b.feed.flush()
                if not sub.queue.empty():
                    frame = sub.queue.get_nowait()
                    return any(e.get("type") == "score" for e in frame["events"])
                await asyncio.sleep(0.05)
            return False

        assert asyncio.run(watch())
    finally:
        rt_a.close()
        rt_b.close()


@pytest.mark.slow
def test_cbt_server_run_with_two_workers(postgres, tmp_path) -> None:
    """`cbt-server run --workers 2`: both workers answer, and a score committed by
    whichever worker takes the submit reaches display connections on both."""
    import os
    import subprocess
    import sys

    import httpx

    from tests.live_server import BANK_PASS, build, free_port

    url = postgres.new_database()
    rt, pins = build(tmp_path, database_url=url, count=3)
    token = str(rt.proctors.token(rt.proctors.session("S1"))["token"])
    data = rt.paths.root
    rt.close()
    port = free_port()
    env = {**os.environ, "CBT_DATABASE_URL": url, "BANKPW": BANK_PASS}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cbt_server",
            "run",
            "--data",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--insecure-http",
            "--workers",
            "2",
            "--bank-passphrase-env",
            "BANKPW",
            "--no-announce",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait(lambda: _answers(base), timeout=60), (tmp_path / "server.log").read_text()
        workers: set[int] = set()
        for _ in range(60):  # new connections land on both workers
            with httpx.Client(base_url=base, timeout=5) as client:
                workers.add(client.get("/api/v1/health").json()["worker"])
            if len(workers) == 2:
                break
        assert len(workers) == 2

        async def scenario() -> int:
            async with httpx.AsyncClient(base_url=base, timeout=20) as client:
                displays = [_read_scores(base) for _ in range(8)]
                watchers = [asyncio.create_task(d) for d in displays]
                await asyncio.sleep(1.0)  # the displays are connected
                number = next(iter(pins))
                login = (
                    await client.post(
                        "/api/v1/candidate/login",
                        json={
                            "participant_number": number,
                            "pin": pins[number],
                            "session_token": token,
                            "workstation": "PC-1",
                        },
                    )
                ).json()
                h = {"Authorization": f"Bearer {login['token']}"}
                await client.post("/api/v1/candidate/start", headers=h)
                await client.post("/api/v1/candidate/submit", headers=h)
                got = await asyncio.gather(*watchers)
                return sum(1 for g in got if g)

        assert asyncio.run(scenario()) == 8
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _answers(base: str) -> bool:
    import httpx

    try:
        return httpx.get(base + "/api/v1/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


async def _read_scores(base: str) -> bool:
    """One display: True once a score event arrives on the session's stream."""
    import httpx

    async with (
        httpx.AsyncClient(base_url=base, timeout=20) as client,
        client.stream("GET", "/api/v1/public/sessions/S1/events") as stream,
    ):
        async for line in stream.aiter_lines():
            if line.startswith("data:") and '"type":"score"' in line:
                return True
    return False
