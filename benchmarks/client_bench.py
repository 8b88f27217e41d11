"""Benchmark the candidate station against a real server on loopback (HTTPS, the SKD sample).

Figures:
  1. cold start: a fresh process until the login screen is up (the server probed), median of N;
  2. switching items: go to an item and paint the window, over every item of the
     110-item form (with its figures), p50 / p95 / max;
  3. resident memory of the station process after visiting every item;
  4. (--bots N) N headless candidates in one process, sharing one connection pool.

Targets: cold start <= 1.5 s, switching <= 30 ms, RSS <= 200 MB.
Run: QT_QPA_PLATFORM=offscreen python -m benchmarks.client_bench [--bots 200 --speed 60]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CHILD = "--child-cold-start"
SWITCH = "--child-switching"
BOTS = "--child-bots"


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cold_start_child(config_path: str) -> None:
    """Runs in a fresh interpreter: start the station, say when the login screen is shown."""
    from cbt_client.config import StationConfig
    from cbt_client.session import Phase
    from cbt_client.ui.app import build_station
    from cbt_client.ui.qt import QApplication

    app = QApplication(sys.argv[:1])
    window = build_station(StationConfig.load(Path(config_path)), practice=True, app=app)
    window.courier.start()
    window.start()
    window.enter_kiosk()
    while window.session.phase != Phase.LOGIN or window.current_page() is not window.login_page:
        app.processEvents()
        time.sleep(0.001)
    window.repaint()
    app.processEvents()
    print("ready", flush=True)
    window.shutdown()
    window.session.close()


def cold_start(config_path: Path, runs: int) -> list[float]:
    times = []
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for _ in range(runs):
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.client_bench", CHILD, str(config_path)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        times.append(time.perf_counter() - began)
        child.stdout.close()
        child.wait(30)
        if line.strip() != "ready":
            raise RuntimeError("the station did not start")
    return times


def switching_child(config_path: str, number: str, pin: str, token: str) -> None:
    """Runs in a fresh interpreter (so the server's memory is not counted)."""
    from cbt_client.config import StationConfig

    figures = switching(StationConfig.load(Path(config_path)), number, pin, token)
    print(json.dumps(figures), flush=True)


def switching_in_child(config_path: Path, site) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.client_bench",
            SWITCH,
            str(config_path),
            "20260001",
            site.pins["20260001"],
            site.token(),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the switching run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def switching(config, number: str, pin: str, token: str) -> dict[str, float]:
    from cbt_client.courier import Courier
    from cbt_client.lockdown import Lockdown
    from cbt_client.session import ExamSession, Phase
    from cbt_client.transport import Transport
    from cbt_client.ui.qt import QApplication
    from cbt_client.ui.window import StationWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    session = ExamSession(Transport(config), workstation="BENCH-01", data_dir=config.data_dir)
    window = StationWindow(session, Courier(session), config, lockdown=Lockdown(enforced=False))
    window.resize(1366, 768)
    window.show()
    window.courier.start()
    window.start()
    try:
        session.login(number=number, pin=pin, session_token=token)
        session.confirm_identity()
        began = time.perf_counter()
        session.start()
        load_s = time.perf_counter() - began
        while window.current_page() is not window.exam_page:
            app.processEvents()
        form = session.form
        assert form is not None
        assert session.phase == Phase.EXAM
        render, painted = [], []
        for rounds in range(3):
            for number in range(1, len(form) + 1):
                t0 = time.perf_counter()
                session.go_to(number)
                t1 = time.perf_counter()
                window.repaint()  # layout and paint of the whole window, synchronously
                t2 = time.perf_counter()
                if rounds:  # the first round warms the caches
                    render.append((t1 - t0) * 1000)
                    painted.append((t2 - t0) * 1000)
                if number % 9 == 0:
                    session.choose(form.item(number).labels[0])
                app.processEvents()
        memory = rss_mb()
        return {
            "form_load_s": load_s,
            "render_p50_ms": statistics.median(render),
            "paint_p50_ms": statistics.median(painted),
            "paint_p95_ms": pct(painted, 95),
            "paint_max_ms": max(painted),
            "images": float(len(form.image_refs())),
            "rss_mb": memory,
        }
    finally:
        window.shutdown()
        session.close()
        window.deleteLater()
        app.processEvents()


def bots_child(config_path: str, logins_path: str, speed: str) -> None:
    """Runs in a fresh interpreter: N bots in this one process, sharing one pool."""
    from cbt_client.bot import BotLogin, Pace, run_bots
    from cbt_client.config import StationConfig

    config = StationConfig.load(Path(config_path))
    logins = [BotLogin(*row) for row in json.loads(Path(logins_path).read_text())]
    before = rss_mb()
    began = time.perf_counter()
    peak = {"threads": 0, "rss": before}
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(1.0):
            peak["threads"] = max(peak["threads"], threading.active_count())
            peak["rss"] = max(peak["rss"], rss_mb())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    results = run_bots(
        config,
        logins,
        Pace(speed=float(speed), seed=1),
        max_connections=min(len(logins), 100),
        stagger_s=30.0 / len(logins),
    )
    stop.set()
    seconds = time.perf_counter() - began
    durations = sorted(r.seconds for r in results)
    print(
        json.dumps(
            {
                "bots": len(results),
                "ok": sum(1 for r in results if r.ok),
                "errors": sorted({str(r.error) for r in results if r.error})[:3],
                "seconds": seconds,
                "bot_seconds_p50": durations[len(durations) // 2],
                "answers_acked": sum(len(r.acked) for r in results),
                "changes": sum(r.changes for r in results),
                "offline_episodes": sum(r.offline_episodes for r in results),
                "rss_mb_before": before,
                "rss_mb_peak": peak["rss"],
                "threads_peak": peak["threads"],
            }
        ),
        flush=True,
    )


def bots(config_path: Path, site, count: int, speed: float, root: Path) -> dict[str, object]:
    """Bots in their own process; the server stays in this one (as on a real site)."""
    numbers = sorted(n for n in site.pins if n != "20260001")[:count]  # 0001: the switching run
    logins = root / "logins.json"
    logins.write_text(
        json.dumps([[n, site.pins[n], site.token(), f"BOT-{i:03d}"] for i, n in enumerate(numbers)])
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.client_bench",
            BOTS,
            str(config_path),
            str(logins),
            str(speed),
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the bots failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == CHILD:
        cold_start_child(sys.argv[2])
        return 0
    if len(sys.argv) == 6 and sys.argv[1] == SWITCH:
        switching_child(*sys.argv[2:6])
        sys.stdout.flush()
        os._exit(0)  # a measuring child: skip interpreter teardown of the Qt objects
    if len(sys.argv) == 5 and sys.argv[1] == BOTS:
        bots_child(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.client_bench")
    parser.add_argument("--runs", type=int, default=5, help="cold starts to time")
    parser.add_argument("--bots", type=int, default=0, help="also run N bots in one process")
    parser.add_argument("--speed", type=float, default=60.0, help="bot time compression")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from cbt_client.config import StationConfig
    from tests.live_server import live_site

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with live_site(root, tls=True, count=max(10, args.bots + 1)) as site:
            assert site.ca_path is not None
            config = StationConfig.create(
                server_url=site.base_url,
                station_id="BENCH-01",
                ca_pem=site.ca_path.read_text(),
                ca_fingerprint=site.ca_fingerprint,
                data_dir=root / "station",
            )
            path = root / "station.toml"
            config.save(path)
            starts = cold_start(path, args.runs)
            print(
                f"cold start to login screen: median {statistics.median(starts):.2f} s, "
                f"min {min(starts):.2f} s, max {max(starts):.2f} s ({args.runs} runs)"
            )
            figures = switching_in_child(path, site)
            print(
                f"form + {figures['images']:.0f} images loaded at start: "
                f"{figures['form_load_s'] * 1000:.0f} ms"
            )
            print(
                f"switching items (110 items, 2 rounds): render p50 "
                f"{figures['render_p50_ms']:.1f} ms; render+paint p50 "
                f"{figures['paint_p50_ms']:.1f} ms, p95 {figures['paint_p95_ms']:.1f} ms, "
                f"max {figures['paint_max_ms']:.1f} ms"
            )
            print(
                f"station process resident memory after visiting every item: "
                f"{figures['rss_mb']:.0f} MB"
            )
            if args.bots:
                b = bots(path, site, args.bots, args.speed, root)
                print(
                    f"bots in one process: {b['ok']}/{b['bots']} finished in "
                    f"{b['seconds']:.0f} s (speed {args.speed:g}: the exam in "
                    f"{6000 / args.speed:.0f} s, starts spread over 30 s; one bot "
                    f"p50 {b['bot_seconds_p50']:.0f} s); {b['answers_acked']} answers "
                    f"acknowledged, {b['changes']} changes, {b['offline_episodes']} offline "
                    f"episodes; {b['threads_peak']} threads; RSS {b['rss_mb_before']:.0f} -> "
                    f"peak {b['rss_mb_peak']:.0f} MB"
                )
                if b["errors"]:
                    print(f"  errors: {b['errors']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
