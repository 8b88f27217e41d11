from __future__ import annotations

from cbt_client.clock import Countdown, Urgency, hms
from tests.cbt_client.conftest import Monotonic


def test_the_countdown_follows_the_server_and_counts_on_the_monotonic_clock() -> None:
    clock = Monotonic()
    countdown = Countdown(clock)
    assert not countdown.expired()  # never synced: not "over"
    countdown.sync(6000)
    clock.advance(100)
    assert 5899 <= countdown.remaining_s() <= 5900
    assert countdown.urgency() == Urgency.CALM
    countdown.sync(5950)  # a heartbeat corrects the drift
    assert 5949 <= countdown.remaining_s() <= 5950
    clock.advance(5950 - 14 * 60)
    assert countdown.urgency() == Urgency.AMBER
    clock.advance(10 * 60)
    assert countdown.urgency() == Urgency.RED
    clock.advance(10 * 60)
    assert countdown.remaining_s() == 0
    assert countdown.expired()


def test_a_pause_stops_the_countdown() -> None:
    clock = Monotonic()
    countdown = Countdown(clock)
    countdown.sync(300, paused=True)
    clock.advance(1000)
    assert countdown.remaining_s() == 300
    assert countdown.paused
    countdown.sync(300)
    clock.advance(60)
    assert 239 <= countdown.remaining_s() <= 240


def test_times_are_shown_rounded_up() -> None:
    assert hms(6000) == "01:40:00"
    assert hms(59.2) == "00:01:00"
    assert hms(0) == "00:00:00"
    assert hms(-3) == "00:00:00"
