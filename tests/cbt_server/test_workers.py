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
