"""Screenshots of the web pages for docs/screenshots/web-*.png.

Run: ``python -m tests.cbt_server.web.screenshots [--out docs/screenshots]``

Builds a site on loopback (two sessions, 160 candidates with synthetic photos),
drives it through the API to an empty, a mid-session and a full board, and
saves the live display at 1920x1080 and the other pages at 1366x768, in
Bahasa Indonesia (and the display once in English), with the system Chromium.
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
from dataclasses import replace
from pathlib import Path

import httpx
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect, sync_playwright

from cbt_server.runtime import Runtime
from cbt_server.services.exam_setup import CandidateRow
from cbt_server.services.staff import StaffMember
from tests.cbt_server.web.conftest import launch
from tests.cbt_server.web.factories import Station, answer, sign_in, start
from tests.live_server import ADMIN, PROCTOR, LiveSite, build, candidates, serve

DISPLAY = (1920, 1080)
DESK = (1366, 768)
ADMIN_MEMBER = StaffMember(0, "screenshots", "Screenshots", "admin")
FIRST = [
    "Ahmad",
    "Siti",
    "Made",
    "Dewi",
    "Rizky",
    "Nur",
    "Putu",
    "Indah",
    "Yusuf",
    "Wahyu",
    "Ayu",
    "Bayu",
    "Rina",
    "Agus",
    "Fajar",
    "Lestari",
    "Andi",
    "Nyoman",
    "Fitri",
    "Hendra",
    "Kurniawan",
    "Maria",
    "Teguh",
    "Ratna",
    "Dimas",
    "Yohana",
    "Arif",
    "Intan",
    "Samuel",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Pratama",
    "Hidayat",
    "Siregar",
    "Nasution",
    "Wirawan",
    "Kusuma",
    "Setiawan",
    "Hartono",
    "Rahman",
    "Syahputra",
    "Manurung",
    "Tanjung",
    "Sinaga",
    "Halim",
    "Purnomo",
    "Utami",
    "Gunawan",
    "Lubis",
    "Sembiring",
    "Permana",
    "Rahayu",
]
SKIN = [(238, 205, 180), (214, 170, 135), (190, 140, 105), (160, 115, 85)]
SHIRT = [(31, 79, 145), (19, 115, 51), (107, 63, 160), (176, 96, 0), (60, 71, 87)]


def photo(seed: int) -> bytes:
    """A synthetic passport-style picture: a plain silhouette, clearly not a person."""
    rng = random.Random(seed)
    img = Image.new("RGB", (240, 300), (228, 234, 242))
    draw = ImageDraw.Draw(img)
    skin, shirt = rng.choice(SKIN), rng.choice(SHIRT)
    draw.ellipse((40, 210, 200, 380), fill=shirt)
    draw.rectangle((100, 170, 140, 225), fill=skin)
    draw.ellipse((70, 60, 170, 185), fill=skin)
    draw.pieslice((66, 50, 174, 150), 180, 360, fill=(40, 32, 28))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def with_photos(rows: list[CandidateRow]) -> list[CandidateRow]:
    """Distinct, plausible names and a synthetic photo for each candidate."""
    out = []
    for r in rows:
        n = int(r.number[4:])
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        out.append(replace(r, name=name, photo=photo(int(r.number)), photo_type="image/png"))
    return out


def prepare_site(root: Path) -> tuple[Runtime, dict[str, str]]:
    """S1 (room R1, 120 candidates) and S2 (room R2, 40), both open, with photos."""
    rt, pins = build(root, count=120, privacy="masked")
    rows, _ = candidates(120)
    rt.setup.register(session_code="S1", rows=with_photos(rows), actor="admin:docs", pins=pins)
    rt.setup.ensure_room("R2", actor="admin:docs")
    rt.setup.create_session(
        code="S2",
        exam_code="SKD1",
        room_code="R2",
        starts_ms=rt.clock.now_ms(),
        privacy="masked",
        actor="admin:docs",
    )
    more, more_pins = candidates(160)
    second = [replace(r, number="2027" + r.number[4:]) for r in more[120:]]
    second_pins = {"2027" + n[4:]: pin for n, pin in more_pins.items() if int(n[4:]) > 120}
    rt.setup.register(
        session_code="S2", rows=with_photos(second), actor="admin:docs", pins=second_pins
    )
    rt.setup.assign_proctor(session_code="S2", username=PROCTOR[0], actor="admin:docs")
    rt.proctors.set_state(ADMIN_MEMBER, rt.proctors.session("S2"), "open")
    return rt, {**pins, **second_pins}


class Room:
    """Candidates of a session at their stations, driven through the API."""

    def __init__(self, http: httpx.Client, site: LiveSite, session: str, seed: int) -> None:
        self.http, self.site, self.rng = http, site, random.Random(seed)
        self.session = session
        self.stations: dict[str, Station] = {}

    def arrive(self, numbers: list[str], *, begin: bool = True, share: float = 0.6) -> None:
        for number in numbers:
            station = sign_in(self.http, self.site, number, f"PC-{number[-3:]}", self.session)
            self.stations[number] = station
            if begin:
                start(self.http, station)
                answer(
                    self.http,
                    self.site,
                    station,
                    ability=self.rng.uniform(0.55, 0.97),
                    rng=self.rng,
                    share=self.rng.uniform(0.25, share),
                )

    def beat(self, numbers: list[str]) -> None:
        for number in numbers:
            self.http.post(
                "/api/v1/candidate/heartbeat",
                headers=self.stations[number].headers,
                json={"answered": 50},
            )

    def finish(self, numbers: list[str]) -> None:
        """Last answers and submit; a station the server refuses (released, locked) is left."""
        for number in numbers:
            station = self.stations[number]
            try:
                if not station.started:
                    start(self.http, station)
                answer(
                    self.http,
                    self.site,
                    station,
                    ability=self.rng.uniform(0.05, 0.8),  # about half meet the thresholds
                    rng=self.rng,
                )
                self.http.post(
                    "/api/v1/candidate/submit", headers=station.headers
                ).raise_for_status()
            except httpx.HTTPStatusError:
                continue


def shot(page: Page, out: Path, name: str, *, full: bool = False) -> None:
    page.wait_for_timeout(400)
    page.screenshot(path=str(out / f"web-{name}.png"), full_page=full)
    print(f"  web-{name}.png")


def open_display(browser, url: str, lang: str = "id") -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": DISPLAY[0], "height": DISPLAY[1]},
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    page = context.new_page()
    page.goto(f"{url}?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-conn", "live")
    page.mouse.move(5, 5)
    return page


def desk(browser, lang: str = "id") -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": DESK[0], "height": DESK[1]}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('cbt.lang', '{lang}')")
    return page


def proctor_console(browser, site: LiveSite, size: tuple[int, int] = DESK) -> Page:  # type: ignore[no-untyped-def]
    page = desk(browser)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{site.base_url}/proctor")
    page.fill("#username", PROCTOR[0])
    page.fill("#password", PROCTOR[1])
    page.click("#login-submit")
    expect(page.locator("body")).to_have_attribute("data-conn", "live")
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="cbt-shots-") as tmp:
        rt, pins = prepare_site(Path(tmp))
        try:
            with (
                serve(rt, pins) as site,
                httpx.Client(base_url=site.base_url, timeout=30) as http,
                sync_playwright() as playwright,
            ):
                browser = launch(playwright)
                try:
                    capture(browser, site, http, out)
                finally:
                    browser.close()
        finally:
            rt.close()


def capture(browser, site: LiveSite, http: httpx.Client, out: Path) -> None:  # type: ignore[no-untyped-def]
    s1 = [f"2026{n:04d}" for n in range(1, 121)]
    s2 = [f"2027{n:04d}" for n in range(121, 161)]
    room1, room2 = Room(http, site, "S1", 1), Room(http, site, "S2", 2)
    admin = http.post(
        "/api/v1/proctor/login", json={"username": ADMIN[0], "password": ADMIN[1]}
    ).json()["token"]
    staff = {"Authorization": f"Bearer {admin}"}

    # The morning: most candidates are in; nobody has finished yet.
    arrived = s1[:108]
    room1.arrive([n for i, n in enumerate(arrived) if i % 12 != 4], begin=True)
    room1.arrive([n for i, n in enumerate(arrived) if i % 12 == 4], begin=False)
    room1.beat([n for n in room1.stations if n not in ("20260009", "20260033")])
    room2.arrive(s2[:36])
    room2.beat(list(room2.stations))
    print("live display")
    page = open_display(browser, f"{site.base_url}/live/S1")
    shot(page, out, "live-empty")
    page.context.close()

    # Mid-session: the first finishers.
    room1.finish(["20260001", "20260002", "20260003", *s1[20:45]])
    room2.finish(s2[:14])
    page = open_display(browser, f"{site.base_url}/live/S1")
    room1.finish(["20260046", "20260047"])
    expect(page.locator('#rows tr[data-number="20260047"]')).to_be_visible()
    page.wait_for_timeout(900)
    shot(page, out, "live-mid")
    page.context.close()
    page = open_display(browser, f"{site.base_url}/live/S1", lang="en")
    room1.finish(["20260048"])
    expect(page.locator('#rows tr[data-number="20260048"]')).to_be_visible()
    page.wait_for_timeout(900)
    shot(page, out, "live-mid-en")
    page.context.close()

    page = open_display(browser, f"{site.base_url}/live")
    room2.finish(s2[14:16])
    page.wait_for_timeout(1200)
    shot(page, out, "live-site")
    page.context.close()

    # The proctor's room: a locked station, a paused one, an incident, a released seat.
    print("proctor console")
    base = "/api/v1/proctor/sessions/S1"
    http.post(
        f"{base}/seats/20260007/lock", headers=staff, json={"reason": "membuka aplikasi lain"}
    )
    http.post(f"{base}/pause", headers=staff, json={"number": "20260010", "reason": "sakit"})
    http.post(
        f"{base}/incidents",
        headers=staff,
        json={"number": "20260008", "kind": "other", "detail": "ponsel berbunyi di meja"},
    )
    http.post(f"{base}/seats/20260011/release", headers=staff, json={"reason": "PC mati"})
    http.post(
        f"{base}/extend",
        headers=staff,
        json={"number": "20260006", "minutes": 10, "reason": "gangguan listrik"},
    )
    page = proctor_console(browser, site)
    page.click('.seat[data-number="20260006"]')
    page.mouse.move(683, 110)  # off the grid: no photo preview in this picture
    shot(page, out, "proctor")
    page.click("#reports-toggle")
    expect(page.locator('.report-link[data-kind="items"]')).to_have_attribute(
        "href", "/api/v1/proctor/sessions/S1/reports/items.pdf"
    )
    page.hover('.report-link[data-kind="minutes"]')
    shot(page, out, "proctor-reports")
    page.keyboard.press("Escape")
    page.hover('.seat[data-number="20260009"]')
    expect(page.locator("#photo-peek")).to_be_visible()
    shot(page, out, "proctor-photo")
    page.click('#detail [data-action="extend"]')
    page.fill("#field-reason", "komputer sempat mati 8 menit")
    shot(page, out, "proctor-dialog")
    page.keyboard.press("Escape")
    page.click('.seat[data-number="20260007"]')
    page.click('#detail [data-action="unlockCode"]')
    page.click("#action-confirm")
    expect(page.locator(".unlock-code")).to_be_visible()
    shot(page, out, "proctor-unlock")
    page.context.close()
    page = proctor_console(browser, site, size=(768, 1024))
    page.click('.filter[data-filter="attention"]')
    page.click('.seat[data-number="20260007"]')
    page.mouse.move(384, 150)  # a finger lifts: no hover on a tablet
    shot(page, out, "proctor-tablet")
    page.context.close()

    # Everyone done: the full board pages through 100+ rows.
    room1.finish([n for n in room1.stations if n not in room1_finished(http)])
    page = open_display(browser, f"{site.base_url}/live/S1")
    shot(page, out, "live-full")
    page.context.close()

    print("public pages")
    slip = http.get("/api/v1/candidate/result", headers=room1.stations["20260021"].headers).json()[
        "slip"
    ]
    page = desk(browser)
    page.goto(f"{site.base_url}/verify/{slip}")
    expect(page.locator("article.certificate")).to_be_visible()
    shot(page, out, "verify", full=True)
    page.goto(f"{site.base_url}/verify/AAAA-BBBB-CCCC")
    expect(page.locator(".certificate")).to_have_attribute("data-result", "none")
    shot(page, out, "verify-none")
    page.goto(f"{site.base_url}/")
    expect(page.locator("#sessions li")).to_have_count(2)
    shot(page, out, "home")

    page.goto(f"{site.base_url}/pengaduan")
    page.select_option("#session", "S1")
    page.fill(
        "#text",
        "Pukul 09.40 di Ruang R1, peserta di kursi PC-017 terlihat memegang ponsel di bawah meja. "
        '<script>alert("uji")</script>',
    )
    page.fill("#contact", "saksi@example.org")
    page.click("#complaint-submit")
    expect(page.locator("#reference")).to_be_visible()
    page.click("#status-form button[type=submit]")
    expect(page.locator("#status-result .badge")).to_be_visible()
    shot(page, out, "pengaduan")
    http.post(
        "/api/v1/public/complaints",
        json={"session": "S2", "text": "Layar tayangan di ruang tunggu sempat mati 5 menit."},
    )
    page.context.close()
    page = desk(browser)
    page.goto(f"{site.base_url}/panitia/pengaduan")
    page.fill("#username", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("#login-submit")
    expect(page.locator("article.complaint")).to_have_count(2)
    shot(page, out, "panitia", full=True)

    http.post("/api/v1/proctor/sessions/S2/close", headers=staff)
    page.goto(f"{site.base_url}/results/S2")
    expect(page.locator("#rows tr").first).to_be_visible()
    shot(page, out, "results")

    # S2 closed: its head joins the history; a sign-in since moves the current head on.
    http.post("/api/v1/proctor/login", json={"username": PROCTOR[0], "password": PROCTOR[1]})
    page.goto(f"{site.base_url}/audit")
    expect(page.locator("#head-hash")).not_to_have_text("—")
    expect(page.locator("#heads tr")).to_have_count(5)
    shot(page, out, "audit", full=True)
    page.context.close()


def room1_finished(http: httpx.Client) -> set[str]:
    rows = http.get("/api/v1/public/sessions/S1/live").json()["rows"]
    return {r["number"] for r in rows}


if __name__ == "__main__":
    main()
