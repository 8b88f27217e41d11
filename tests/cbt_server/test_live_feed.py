"""The live feed coalesces events into frames and drops viewers that fall behind."""

from __future__ import annotations

import asyncio
import time

import pytest

from cbt_server.services.live_feed import (
    QUEUE_FRAMES,
    FrameQueue,
    LiveFeed,
    masked_name,
    shown_name,
)


def test_events_between_frames_become_one_frame() -> None:
    async def scenario() -> None:
        feed = LiveFeed(frames_per_s=4)
        sub = feed.subscribe("session:S1")
        other = feed.subscribe("session:S2")
        for n in range(50):
            feed.publish("session:S1", {"type": "score", "n": n})
        feed.flush()
        frame = sub.queue.get_nowait()
        assert frame is not None
        assert [e["n"] for e in frame["events"]] == list(range(50))
        assert sub.queue.empty()
        assert other.queue.empty()
        feed.flush()  # nothing pending: no empty frames
        assert sub.queue.empty()

    asyncio.run(scenario())


def test_a_viewer_that_falls_behind_is_dropped_not_waited_for() -> None:
    async def scenario() -> None:
        feed = LiveFeed()
        slow = feed.subscribe("site")
        for n in range(QUEUE_FRAMES + 5):
            feed.publish("site", {"n": n})
            feed.flush()
        assert slow.dropped
        assert feed.subscriber_count() == 0
        # ...and told so at once, although its queue was full: its stream ends and the
        # browser reconnects to a fresh snapshot (it must not wait silently forever)
        assert await asyncio.wait_for(slow.queue.get(), timeout=1) is None

    asyncio.run(scenario())


def test_frames_flow_on_their_own_at_the_set_rate() -> None:
    async def scenario() -> None:
        feed = LiveFeed(frames_per_s=20)
        sub = feed.subscribe("site")
        feed.start()
        feed.publish("site", {"type": "score"})
        frame = await asyncio.wait_for(sub.queue.get(), timeout=2)
        assert frame is not None
        assert frame["events"][0]["type"] == "score"
        await feed.stop()

    asyncio.run(scenario())


def test_a_frame_queue_is_bounded_ordered_and_wakes_its_reader() -> None:
    async def scenario() -> None:
        queue = FrameQueue(maxsize=2)
        with pytest.raises(asyncio.QueueEmpty):
            queue.get_nowait()
        waiting = asyncio.ensure_future(queue.get())
        await asyncio.sleep(0)
        assert not waiting.done()
        queue.put_nowait({"seq": 1})
        assert await asyncio.wait_for(waiting, timeout=1) == {"seq": 1}
        queue.put_nowait({"seq": 2})
        queue.put_nowait({"seq": 3})
        with pytest.raises(asyncio.QueueFull):
            queue.put_nowait({"seq": 4})
        assert [queue.get_nowait(), await queue.get()] == [{"seq": 2}, {"seq": 3}]
        assert queue.empty()

    asyncio.run(scenario())


def test_viewers_joining_together_share_an_opening_until_anything_is_published() -> None:
    feed = LiveFeed()
    feed.opening_max_age_s = 0.2
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return f"snapshot {len(made)}".encode()

    assert feed.opening("session:S1", make) == b"snapshot 1"
    assert feed.opening("session:S1", make) == b"snapshot 1"  # shared: no second read
    assert feed.opening("session:S2", make) == b"snapshot 2"  # another channel: its own
    feed.publish("session:S1", {"type": "score"})
    assert feed.opening("session:S1", make) == b"snapshot 3"  # published since: fresh
    assert feed.opening("session:S1", make) == b"snapshot 3"
    time.sleep(0.25)
    assert feed.opening("session:S1", make) == b"snapshot 4"  # too old: fresh


def test_privacy_masks() -> None:
    assert masked_name("Budi Santoso") == "B*** S******"
    assert shown_name("Budi Santoso", "full") == "Budi Santoso"
    assert shown_name("Budi Santoso", "number") is None
