"""Benchmark: score 100,000 SKD attempts of 110 items and rank 100,000 results.

Run with ``make bench``; prints the figures that go in docs/benchmarks.md.
Target: >= 20,000 attempts/s scored on one core.
"""

from __future__ import annotations

import argparse
import platform
import random
import time

from scoring import CandidateResult, ItemId, Response, ScoringPlan, load_preset, rank, score
from tests.scoring.factories import OPTIONS, skd_keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=100_000)
    args = parser.parse_args()

    policy = load_preset("skd-2024")
    keys = skd_keys()
    plan = ScoringPlan(policy, keys)
    rng = random.Random(2024)
    # 1,000 distinct answer sheets, cycled: generating 100,000 would measure the
    # generator, not the scorer. Each sheet has its own ability (share of best
    # answers), about 3% blanks, and otherwise a random option.
    sheets: list[dict[ItemId, Response]] = []
    for _ in range(1_000):
        ability = rng.uniform(0.35, 0.95)
        sheet: dict[ItemId, Response] = {}
        for k in keys:
            roll = rng.random()
            if roll < 0.03:
                sheet[k.item_id] = None
            elif roll < ability:
                sheet[k.item_id] = sorted(k.best_options)[0]
            else:
                sheet[k.item_id] = rng.choice(OPTIONS)
        sheets.append(sheet)
    tracks = ["general", "cumlaude", "disability"]

    start = time.perf_counter()
    results = []
    for n in range(args.attempts):
        report = score(plan=plan, responses=sheets[n % len(sheets)], track=tracks[n % 3])
        results.append(CandidateResult(f"P{n:06d}", report.track, report.section_scores))
    scoring_seconds = time.perf_counter() - start

    start = time.perf_counter()
    ranking = rank(policy=policy, results=results, quota=3_000)
    ranking_seconds = time.perf_counter() - start

    rate = args.attempts / scoring_seconds
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"scored {args.attempts:,} SKD attempts (110 items) in {scoring_seconds:.2f} s: "
        f"{rate:,.0f} attempts/s on one core (target >= 20,000)"
    )
    print(
        f"ranked {len(results):,} results ({len(ranking.entries):,} eligible) in "
        f"{ranking_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
