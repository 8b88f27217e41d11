"""A station whose clock is hours wrong: no effect on anyone's deadline.

The server owns time. A station's wall clock goes into its journal and its
heartbeats (``client_time_ms``), and the server ignores it; the countdown runs on
the server's ``remaining_s`` carried forward on the station's monotonic clock, which
nobody can set. Three stations sit the same exam — on time, 7 hours fast, 9 hours
slow — and see the same remaining time, the same deadline, and stay in the exam.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from cbt_client.session import EventKind, Phase
from cbt_server.db import tables
from tests.faults.conftest import sitting, sync_until
from tests.live_server import live_site

HOUR_MS = 3600 * 1000
SKEWS = {"20260001": 0, "20260002": 7 * HOUR_MS, "20260003": -9 * HOUR_MS}


def test_a_station_clock_hours_wrong_changes_no_deadline(tmp_path: Path) -> None:
    with live_site(tmp_path, tls=True, count=3) as site:
        stations = {
            number: sitting(
                site,
                tmp_path / "stations",
                number,
                wall_ms=lambda skew=skew: int(time.time() * 1000) + skew,
            )
            for number, skew in SKEWS.items()
        }
        try:
            beats = dict.fromkeys(stations, 0)
            for number, station in stations.items():
                station.subscribe(
                    lambda event, n=number: (
                        beats.__setitem__(n, beats[n] + 1)
                        if event.kind == EventKind.CLOCK
                        else None
                    )
                )
                form = station.form
                assert form is not None
                station.choose(form.item(1).labels[0])
            for number, station in stations.items():
                sync_until(station, lambda n=number, s=station: beats[n] >= 3 and not s.unsent, 10)
            # The station reports its (wrong) time; the server answers with its own.
            replies = {
                number: station.api.heartbeat(
                    answered=1, client_time_ms=int(time.time() * 1000) + SKEWS[number]
                )
                for number, station in stations.items()
            }
            now_ms = int(time.time() * 1000)
            for reply in replies.values():
                assert abs(reply.server_time_ms - now_ms) < 5_000
            remaining = {n: s.remaining_s() for n, s in stations.items()}
            assert max(remaining.values()) - min(remaining.values()) < 2.0, remaining
            assert all(100 * 60 - 30 < left <= 100 * 60 for left in remaining.values())
            told = [r.remaining_s for r in replies.values()]
            assert max(told) - min(told) <= 1, told
            assert all(s.phase == Phase.EXAM for s in stations.values())
            att, resp = tables.attempts, tables.responses
            with site.rt.db.read() as conn:
                rows = conn.execute(
                    select(att.c.started_ms, att.c.deadline_ms, att.c.duration_s)
                ).all()
                changed = conn.execute(select(resp.c.changed_ms)).scalars().all()
            assert len(rows) == 3
            for started, deadline, duration in rows:
                assert deadline == started + duration * 1000
                assert abs(started - now_ms) < 60_000  # the server's clock, not a station's
            assert len(changed) == 3
            assert all(abs(ms - now_ms) < 60_000 for ms in changed)
        finally:
            for station in stations.values():
                station.close()
