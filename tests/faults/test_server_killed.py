"""``kill -9`` of the server, four times, while twenty stations sit the exam.

Three kills land at random moments while the candidates answer, one in the middle of
the submit burst; the server is restarted on the same data each time. Afterwards the
server holds exactly what every station was told is saved, each attempt is scored
once with the slip its station showed, no deadline moved, and the clock ran on while
the server was down (the server owns time; only a proctor's pause stops it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.drills import KillDrill, kill_drill

pytestmark = pytest.mark.slow


def test_no_acknowledged_answer_is_lost_and_nothing_is_scored_twice(tmp_path: Path) -> None:
    report = kill_drill(KillDrill(candidates=20, kills=3), tmp_path)
    assert report.figures["server_starts"] == 5, report.events
    assert report.all_problems() == []
    assert all(r.finished_by == "bot" for r in report.results)
    assert sum(r.offline_episodes for r in report.results) >= len(report.results)
    acknowledged = sum(len(r.acked) for r in report.results)
    assert acknowledged >= 20 * 100  # whole forms, not a few answers
    witness = report.figures["witness"]
    assert isinstance(witness, dict)
    assert witness["remaining_before_s"] > witness["remaining_after_s"]
