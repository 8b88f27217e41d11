"""Proof under pressure, part 2: the fault drills at full size.

``make test`` runs the drills in ``tests/faults`` small (20 stations, seconds). This
runs them as the issue states them: ``kill -9`` of the server at random moments
while 200 stations sit the exam (restarted each time, one more kill in the submit
burst), and the network between 200 stations and the server cut for 5 minutes.
Each drill ends with the same reconciliation as the tests: the server holds exactly
what every station was told is saved, every attempt is scored once with the slip
its station showed, and no deadline moved.

Run: ``make bench-faults`` or ``python -m benchmarks.fault_bench [--candidates 200]
[--kills 8] [--cut-minutes 5] [--only kill|cut] [--postgres] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.faults.drills import CutDrill, DrillReport, KillDrill, cut_drill, kill_drill
from tests.faults.proxy import Cut


def _summary(name: str, report: DrillReport, seconds: float) -> dict[str, Any]:
    acked = sum(len(r.acked) for r in report.results)
    return {
        "drill": name,
        "stations": len(report.results),
        "seconds": round(seconds, 1),
        "answers_acknowledged": acked,
        "scored_by_station": sum(1 for r in report.results if r.result is not None),
        "offline_episodes": sum(r.offline_episodes for r in report.results),
        "events": report.events,
        "figures": report.figures,
        "problems": report.all_problems(),
    }


def _print(result: dict[str, Any]) -> None:
    verdict = "met" if not result["problems"] else "PROBLEMS"
    print(
        f"  {result['drill']}: {verdict}; {result['stations']} stations, "
        f"{result['answers_acknowledged']} answers acknowledged, "
        f"{result['scored_by_station']} slips shown, {result['offline_episodes']} offline "
        f"episodes, {result['seconds']} s",
        flush=True,
    )
    for event in result["events"]:
        print(f"    {event}")
    for key, value in result["figures"].items():
        print(f"    {key}: {value}")
    for problem in result["problems"][:20]:
        print(f"    problem: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fault_bench")
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--kills", type=int, default=8, help="kills while answering")
    parser.add_argument("--cut-minutes", type=float, default=5.0)
    parser.add_argument("--only", choices=["kill", "cut"])
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    postgres = None
    database_url = None
    if args.postgres:
        from tests.cbt_server.pg import PostgresServer

        postgres = PostgresServer()
    print(
        f"faults: {args.candidates} stations on {'PostgreSQL' if postgres else 'SQLite'}; "
        f"{os.cpu_count()} cores {platform.machine()}, Python {platform.python_version()}",
        flush=True,
    )
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="cbt-faults-") as tmp:
            if args.only in (None, "kill"):
                if postgres is not None:
                    database_url = postgres.new_database()
                # Speed 20: the 100 minutes pass in 5; the kills fall in those 5 minutes.
                plan = KillDrill(
                    candidates=args.candidates,
                    kills=args.kills,
                    speed=20.0,
                    login_window_s=20.0,
                    heartbeat_s=2.0,
                    database_url=database_url,
                    downtime_s=2.0,
                )
                began = time.monotonic()
                report = kill_drill(plan, Path(tmp) / "kill")
                results.append(_summary("kill -9", report, time.monotonic() - began))
                _print(results[-1])
            if args.only in (None, "cut"):
                if postgres is not None:
                    database_url = postgres.new_database()
                cut_s = 60.0 * args.cut_minutes
                # The answering outlasts the cut: 100 minutes at this speed is cut + 4 min.
                speed = 6000.0 / (cut_s + 240.0)
                plan_cut = CutDrill(
                    candidates=args.candidates,
                    cut_s=cut_s,
                    mode=Cut.REFUSE,
                    speed=speed,
                    login_window_s=20.0,
                    heartbeat_s=5.0,
                    retry_max_s=10.0,  # a station's own back-off
                    database_url=database_url,
                )
                began = time.monotonic()
                report = cut_drill(plan_cut, Path(tmp) / "cut")
                results.append(_summary("network cut", report, time.monotonic() - began))
                _print(results[-1])
    finally:
        if postgres is not None:
            postgres.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if all(not r["problems"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
