"""``make demo``: a whole test site on this machine, sat by headless candidates.

Creates a fresh demo site (SQLite) from the sample SKD bank, registers demo
candidates across tracks, opens a session, serves it over HTTPS on
127.0.0.1, enrols an exam station (``cbt-client enroll``, pinned to the site
CA, not expecting a kiosk shell) and lets headless candidates (``cbt-client
bot``, the real station core) sit the exam with compressed time while you
watch the live display and the proctor console. One participant is left for
you: with a display the station window opens (fullscreen and locked down, as
at a test centre); without one the demo prints how to start it. When the
headless candidates have finished it waits for your attempt, if you started
one (until you submit or the server's deadline), closes the session, writes
the PDF reports and prints where they are. Ctrl+C stops everything.

Everything runs through the real command-line tools, exactly as a site would.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NAMES = [
    "Budi Santoso",
    "Siti Aminah",
    "Made Wirawan",
    "Ani Lestari",
    "Rudi Hartono",
    "Dewi Sartika",
    "Agus Salim",
    "Putri Ayu Lestari",
    "Joko Prasetyo",
    "Rina Marlina",
    "Yohanes Kambu",
    "Nurul Hidayah",
    "I Gusti Ayu Ratih",
    "Fajar Nugroho",
    "Maria Ulfa",
    "Hendra Wijaya",
    "Larasati Wulandari",
    "Teuku Rizal",
    "Wayan Sudarsana",
    "Citra Kirana",
    "Andi Mappanyukki",
    "Sri Rahayu",
    "Bagus Pratama",
    "Fitri Handayani",
    "Rahmat Hidayat",
    "Yuliana Marbun",
    "Dimas Anggara",
    "Ratna Sari Dewi",
    "Muhammad Iqbal",
    "Elisabeth Wenda",
    "Arif Setiawan",
    "Nia Ramadhani",
    "Stefanus Sitorus",
    "Indah Permata",
    "Gilang Ramadhan",
    "Ayu Kartika",
    "Samuel Rumbiak",
    "Laila Fitriani",
    "Bayu Aji",
    "Kadek Sintya",
]
# Most candidates are on the general track; a few are cum laude or have a disability.
TRACKS = ["general"] * 7 + ["cumlaude"] * 2 + ["disability"]
FORMATIONS = [
    "Analis Kebijakan Ahli Pertama",
    "Pranata Komputer Ahli Pertama",
    "Auditor Ahli Pertama",
]


def say(text: str = "") -> None:
    print(text, flush=True)


class Demo:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.root = Path(args.data).resolve()
        self.site = self.root / "site"
        self.env = {
            **os.environ,
            "DEMO_KEY_PASS": "demo-kunci-panitia",
            "DEMO_BANK_PASS": "demo-bank-" + secrets.token_hex(6),
            "DEMO_ADMIN_PASS": "admin-demo-123",
            "DEMO_SERVER_KEY_PASS": "demo-kunci-server",
            "DEMO_PROCTOR_PASS": "pengawas-demo-123",
            "DEMO_EXIT_CODE": "keluar-demo",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("CBT_DATABASE_URL", None)  # the demo is the embedded default: SQLite
        self.port = args.port or _free_port()
        self.base = f"https://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.ca_fingerprint = ""
        self.station_config = self.root / "station.toml"

    # ------------------------------------------------------------------ steps

    def run(self, tool: str, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / tool), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"demo: `{tool} {' '.join(args)}` failed:\n{done.stderr.strip()}")
        return done.stdout

    def prepare(self) -> tuple[list[dict[str, str]], dict[str, str]]:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        say(f"1/5  Bank soal: sealing the sample SKD bank (220 items) in {self.root}")
        self.run(
            "cbt-bank",
            "keygen",
            "--out",
            str(self.root / "panitia"),
            "--key-passphrase-env",
            "DEMO_KEY_PASS",
        )
        self.run("cbt-bank", "sample", "--preset", "skd-2024", "--out", str(self.root / "soal"))
        self.run(
            "cbt-bank",
            "build",
            str(self.root / "soal"),
            "--out",
            str(self.root / "skd.cbtbank"),
            "--sign-key",
            str(self.root / "panitia.key"),
            "--key-passphrase-env",
            "DEMO_KEY_PASS",
            "--passphrase-env",
            "DEMO_BANK_PASS",
        )
        say("2/5  Server: creating the site (database, TLS, keys), exam and session")
        d = ["--data", str(self.site)]
        created = self.run(
            "cbt-server",
            "init",
            *d,
            "--site-code",
            "DEMO-01",
            "--site-name",
            "Lokasi Tes Demo CBT Station",
            "--room",
            "R1",
            "--admin-password-env",
            "DEMO_ADMIN_PASS",
            "--key-passphrase-env",
            "DEMO_SERVER_KEY_PASS",
        )
        # What an installer reads off the server's screen and checks at each station.
        self.ca_fingerprint = next(
            line.rsplit(":", 1)[1].strip()
            for line in created.splitlines()
            if "TLS CA fingerprint" in line
        )
        self.run(
            "cbt-server",
            "bank",
            "import",
            str(self.root / "skd.cbtbank"),
            "--trust",
            str(self.root / "panitia.pub"),
            *d,
        )
        self.run(
            "cbt-server",
            "exam",
            "create",
            *d,
            "--code",
            "SKD-DEMO",
            "--title",
            "SKD CPNS 2026 (Demo)",
            "--bank",
            "skd-contoh-2026",
            "--policy",
            "skd-2024",
        )
        self.run(
            "cbt-server",
            "session",
            "create",
            *d,
            "--code",
            "S1",
            "--exam",
            "SKD-DEMO",
            "--room",
            "R1",
            "--privacy",
            self.args.privacy,
        )
        people = self.candidates()
        self.run(
            "cbt-server",
            "candidates",
            str(self.root / "peserta.csv"),
            "--session",
            "S1",
            "--pins-out",
            str(self.root / "pin.csv"),
            *d,
        )
        self.run(
            "cbt-server",
            "user",
            "add",
            *d,
            "--username",
            "pengawas",
            "--name",
            "Pengawas Demo",
            "--role",
            "proctor",
            "--password-env",
            "DEMO_PROCTOR_PASS",
            "--session",
            "S1",
        )
        self.run("cbt-server", "session", "open", "S1", *d)
        with (self.root / "pin.csv").open(encoding="utf-8") as f:
            pins = {row["participant_number"]: row["pin"] for row in csv.DictReader(f)}
        return people, pins

    def candidates(self) -> list[dict[str, str]]:
        count = self.args.candidates + 1  # the last one is left for a person
        photos = self.root / "foto"
        photos.mkdir()
        rows = []
        for n in range(count):
            name = NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else f" {n // len(NAMES) + 1}")
            number = f"26{n + 1:08d}"
            track = TRACKS[n % len(TRACKS)] if n < count - 1 else "general"
            photo = photos / f"{number}.png"
            _avatar(photo, name, n)
            rows.append(
                {
                    "participant_number": number,
                    "name": name,
                    "birth_date": f"{1994 + n % 8}-{1 + n % 12:02d}-{1 + (n * 7) % 28:02d}",
                    "formation": FORMATIONS[n % len(FORMATIONS)],
                    "track": track,
                    "extra_minutes": "30" if track == "disability" else "0",
                    "photo": f"foto/{photo.name}",
                }
            )
        with (self.root / "peserta.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return rows

    def serve(self) -> None:
        say(f"3/5  Serving https://127.0.0.1:{self.port}/ (the site's own CA)")
        log = (self.root / "server.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [
                    str(BIN / "cbt-server"),
                    "run",
                    "--data",
                    str(self.site),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--bank-passphrase-env",
                    "DEMO_BANK_PASS",
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with self.client() as client:
                    client.get("/api/v1/public/audit/head").raise_for_status()
                return
            except httpx.HTTPError:
                if self.processes[0].poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"demo: the server did not start; see {self.root / 'server.log'}"
                    ) from None
                time.sleep(0.3)

    def client(self) -> httpx.Client:
        tls = ssl.create_default_context(cafile=str(self.site / "tls" / "ca.crt"))
        return httpx.Client(base_url=self.base, verify=tls, timeout=30)

    @contextlib.contextmanager
    def staff(self, username: str, password: str) -> Iterator[httpx.Client]:
        with self.client() as client:
            token = client.post(
                "/api/v1/proctor/login", json={"username": username, "password": password}
            ).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            yield client

    def session_token(self) -> str:
        with self.staff("pengawas", self.env["DEMO_PROCTOR_PASS"]) as proctor:
            return str(proctor.get("/api/v1/proctor/sessions/S1").json()["token"]["token"])

    def enrol_station(self) -> None:
        """Enrol the demo's exam station as a site would: pinned to the CA fingerprint."""
        say(f"     enrolling exam station DEMO-PC (CA {self.ca_fingerprint[:16]}…)")
        self.run(
            "cbt-client",
            "enroll",
            "--server",
            self.base,
            "--fingerprint",
            self.ca_fingerprint,
            "--yes",
            "--station",
            "DEMO-PC",
            "--out",
            str(self.station_config),
            "--data-dir",
            str(self.root / "station"),
            "--exit-code-env",
            "DEMO_EXIT_CODE",
            "--no-kiosk",  # a developer's desktop, not the kiosk compositor of a test centre
        )

    def announce(self, free: dict[str, str], pin: str, token: str) -> None:
        say()
        say("=" * 72)
        say(f"  Papan skor langsung / live display : {self.base}/live/S1")
        say(f"  Seluruh lokasi / whole site         : {self.base}/live")
        say(f"  Konsol pengawas / proctor console   : {self.base}/proctor")
        say(f"        login: pengawas / {self.env['DEMO_PROCTOR_PASS']}")
        say(f"  Token sesi / session token          : {token}")
        say(
            f"  Untuk Anda / for you                : peserta {free['participant_number']}"
            f" ({free['name']}), PIN {pin}"
        )
        say(f"  Stasiun ujian / exam station        : {self.station_command()}")
        say(
            "        fullscreen and locked down; to leave it press Ctrl+Alt+Shift+F12 and type"
            f" {self.env['DEMO_EXIT_CODE']}"
        )
        say(f"  Verifikasi hasil / verify a result  : {self.base}/verify")
        say(f"  The browser will not know the demo's CA: import {self.site / 'tls' / 'ca.crt'}")
        say("  or accept the warning for 127.0.0.1.")
        say("=" * 72)
        say()

    def station_command(self) -> str:
        return f"{BIN / 'cbt-client'} run --config {self.station_config}"

    def open_station(self, free: dict[str, str]) -> None:
        number = free["participant_number"]
        if self.args.exit_when_done:
            say(f"     (--exit-when-done: no station window; participant {number} stays free)")
            return
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            say("     No display here, so no station window. To sit the exam as participant")
            say(f"     {number}, start the station where there is a display:")
            say(f"         {self.station_command()}")
            say("     and sign in before the headless candidates finish.")
            return
        say(
            f"     opening the exam station window for participant {number}: sign in before"
            " the headless candidates finish"
        )
        log = (self.root / "station.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [str(BIN / "cbt-client"), "run", "--config", str(self.station_config)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    def sit(self, token: str) -> int:
        minutes = self.args.minutes
        speed = 100 / minutes
        say(
            f"4/5  {self.args.candidates} headless candidates sit the exam "
            f"(100 minutes in about {minutes:g})"
        )
        bots_csv = self.root / "bots.csv"
        with (
            (self.root / "pin.csv").open(encoding="utf-8") as src,
            bots_csv.open("w", newline="", encoding="utf-8") as dst,
        ):
            rows = list(csv.DictReader(src))[: self.args.candidates]
            writer = csv.DictWriter(dst, fieldnames=["participant_number", "pin"])
            writer.writeheader()
            writer.writerows(
                {"participant_number": r["participant_number"], "pin": r["pin"]} for r in rows
            )
        log = (self.root / "bots.log").open("wb")
        bots = subprocess.Popen(
            [
                str(BIN / "cbt-client"),
                "bot",
                "--server",
                self.base,
                "--ca",
                str(self.site / "tls" / "ca.crt"),
                "--pins-csv",
                str(bots_csv),
                "--count",
                str(self.args.candidates),
                "--token",
                token,
                "--workstation",
                "BOT",
                "--speed",
                f"{speed:g}",
                "--use-of-time",
                "0.8",
                "--data-dir",
                str(self.root / "bots"),
                "--stagger",
                "0.2",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(bots)
        return bots.wait(timeout=minutes * 60 * 2 + 300)

    def wait_for(self, number: str) -> None:
        """Keep S1 open while participant ``number`` has an attempt that is not submitted.

        Closing the session would submit it; the wait ends when the person submits or
        the server submits at the attempt's deadline.
        """
        shown = ""
        reminded = time.monotonic()
        with self.staff("pengawas", self.env["DEMO_PROCTOR_PASS"]) as proctor:
            while True:
                seats = proctor.get("/api/v1/proctor/sessions/S1/seats")
                seats.raise_for_status()
                seat = next(s for s in seats.json() if s["number"] == number)
                if seat["attempt"] is None:
                    return  # never signed in: nothing of theirs is open
                if seat["state"] == "submitted":
                    if shown:
                        say(f"     participant {number} has submitted")
                    return
                what = _seat_words(seat)
                now = time.monotonic()
                if what != shown or now - reminded > 300:
                    if not shown:
                        say(
                            f"     waiting for participant {number} (you) to submit before"
                            " closing S1; the server submits at the deadline by itself."
                            " Ctrl+C stops the demo without the reports."
                        )
                    left = seat["remaining_s"]
                    minutes = f", {int(left) // 60} min left" if left is not None else ""
                    say(f"     participant {number}: {what}{minutes}")
                    shown, reminded = what, now
                if self.processes[0].poll() is not None:
                    raise SystemExit(f"demo: the server stopped; see {self.root / 'server.log'}")
                time.sleep(2)

    def finish(self, free_number: str) -> list[Path]:
        if not self.args.exit_when_done:
            self.wait_for(free_number)
        say("5/5  Closing the session and writing the reports")
        with self.staff("admin", self.env["DEMO_ADMIN_PASS"]) as admin:
            closed = admin.post("/api/v1/proctor/sessions/S1/close")
            if closed.status_code == httpx.codes.CONFLICT:
                say("     (S1 was already closed, from the proctor console)")
            else:
                closed.raise_for_status()
            results = admin.get("/api/v1/public/sessions/S1/results").json()["results"]
        passed = sum(1 for r in results if r["passed"])
        say(f"     {len(results)} candidates scored, {passed} meet the thresholds")
        reports = self.site / "reports"
        reports.mkdir(exist_ok=True)
        written = []
        for kind in ("slip", "feedback", "minutes", "ranking", "items"):
            out = reports / f"{kind}-S1.pdf"
            extra = ["--vacancies", "2"] if kind == "ranking" else []
            self.run(
                "cbt-server",
                "report",
                kind,
                "--data",
                str(self.site),
                "--session",
                "S1",
                "--out",
                str(out),
                "--public-url",
                self.base,
                "--bank-passphrase-env",
                "DEMO_BANK_PASS",
                *extra,
            )
            written.append(out)
        self.run(
            "cbt-server",
            "results",
            "export",
            "--data",
            str(self.site),
            "--session",
            "S1",
            "--format",
            "json",
            "--out",
            str(reports / "RESULTS-S1.json"),
            "--bank-passphrase-env",
            "DEMO_BANK_PASS",
        )
        written.append(reports / "RESULTS-S1.json")
        return written

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _seat_words(seat: dict[str, object]) -> str:
    """What the proctor console says about a seat, in a few words."""
    return {
        "logged_in": "signed in, exam not started (its clock starts with the exam)",
        "answering": "answering",
        "offline": "station not heard from",
        "locked": "locked (the unlock code is in the proctor console)",
        "released": "seat released by the proctor; sign in again",
    }.get(str(seat["state"]), str(seat["state"]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _avatar(path: Path, name: str, n: int) -> None:
    """A plain initials portrait, standing in for the candidate's photo."""
    from PIL import Image, ImageDraw, ImageFont

    colours = [(31, 78, 121), (46, 117, 89), (120, 72, 140), (150, 90, 40), (60, 90, 150)]
    image = Image.new("RGB", (240, 300), colours[n % len(colours)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 40, 170, 140), fill=(235, 225, 210))
    draw.rounded_rectangle((40, 150, 200, 300), radius=60, fill=(235, 225, 210))
    initials = "".join(w[0] for w in name.split()[:2]).upper()
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    font = ImageFont.truetype(font_path, 40) if Path(font_path).exists() else None
    draw.text((120, 225), initials, fill=colours[n % len(colours)], anchor="mm", font=font)
    image.save(path, "PNG")


def main() -> int:
    parser = argparse.ArgumentParser(prog="make demo", description=__doc__)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument(
        "--minutes",
        type=float,
        default=2.5,
        help="how long the 100-minute exam takes the headless candidates",
    )
    parser.add_argument("--data", default=str(ROOT / "demo-data"))
    parser.add_argument("--port", type=int, default=8443, help="0: any free port")
    parser.add_argument("--privacy", choices=("full", "masked", "number"), default="masked")
    parser.add_argument(
        "--exit-when-done",
        action="store_true",
        help="stop after the reports (for CI) instead of serving on",
    )
    args = parser.parse_args()
    if args.candidates < 1 or args.minutes <= 0:
        parser.error("--candidates and --minutes must be positive")
    demo = Demo(args)
    try:
        _, pins = demo.prepare()
        demo.serve()
        free_number = list(pins)[-1]
        with (demo.root / "peserta.csv").open(encoding="utf-8") as f:
            free = next(r for r in csv.DictReader(f) if r["participant_number"] == free_number)
        demo.enrol_station()
        token = demo.session_token()
        demo.announce(free, pins[free_number], token)
        demo.open_station(free)
        code = demo.sit(token)
        if code != 0:
            say(f"     some headless candidates reported problems; see {demo.root / 'bots.log'}")
        for path in demo.finish(free_number):
            say(f"     {path}")
        if args.exit_when_done:
            return 0 if code == 0 else 1
        say()
        say(f"The site keeps serving at {demo.base}/live/S1 — press Ctrl+C to stop.")
        while demo.processes[0].poll() is None:
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        say("\nstopping the demo")
        return 0
    finally:
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
