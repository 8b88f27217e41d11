"""The network between the stations and the server taken away in the middle of the exam.

Twenty stations (the real core) reach the server through a loopback proxy the test
controls. For eight seconds every connection is reset and new ones are refused; the
stations go offline, keep answering into their journals, and flush when the network
returns. Nothing is lost, nothing duplicated, nothing got through the cut, and every
station was ready to submit at the common moment, although the cut lasted longer than
the slack before it (a station that had stopped while offline would have been late).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.drills import CutDrill, cut_drill
from tests.faults.proxy import Cut

pytestmark = pytest.mark.slow


def test_stations_go_on_offline_and_flush_when_the_network_returns(tmp_path: Path) -> None:
    plan = CutDrill(candidates=20, cut_s=8.0, mode=Cut.REFUSE, speed=400.0)
    report = cut_drill(plan, tmp_path)
    assert report.all_problems() == []
    assert report.figures["stations_that_went_offline"] == 20
    assert report.figures["connections_turned_away"] > 0
    assert float(str(report.figures["slack_before_submit_s"])) < plan.cut_s
    assert report.figures["submits_on_time"] == 20
    assert sum(len(r.acked) for r in report.results) >= 20 * 100
