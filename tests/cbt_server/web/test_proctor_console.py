"""The proctor console in a real browser: sign-in, the seat map, actions that reach stations."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect

from tests.cbt_server.reports.conftest import text_of
from tests.cbt_server.web.factories import sign_in, sit, start
from tests.live_server import PROCTOR


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/proctor")
    page.fill("#username", PROCTOR[0])
    page.fill("#password", PROCTOR[1])
    page.click("#login-submit")
    expect(page.locator("body")).to_have_attribute("data-conn", "live")


def _remaining(http, station) -> int:
    beat = http.post("/api/v1/candidate/heartbeat", headers=station.headers, json={"answered": 3})
    return int(beat.json()["remaining_s"])


def test_extending_time_in_the_console_reaches_the_candidate(site, http, new_page) -> None:
    station = sign_in(http, site, "20260002", "PC-02")
    start(http, station)
    before, read_at = _remaining(http, station), time.monotonic()
    assert 5900 < before <= 6000

    page = new_page(1366, 768)
    _sign_in(page, site.base_url)
    expect(page.locator("#token")).to_have_text(site.token())
    seat = page.locator('.seat[data-number="20260002"]')
    expect(seat).to_have_attribute("data-state", "answering")
    expect(page.locator('.seat[data-number="20260001"]')).to_have_attribute(
        "data-state", "not_arrived"
    )
    seat.click()
    expect(page.locator("#detail .detail-name")).to_have_text("Siti Aminah")
    page.click('#detail [data-action="extend"]')
    page.fill("#field-minutes", "10")
    page.fill("#field-reason", "x")  # too short: refused before it is sent
    page.click("#action-confirm")
    expect(page.locator("#action-body .form-error")).to_be_visible()
    page.fill("#field-reason", "gangguan listrik di ruang")
    page.click("#action-confirm")
    expect(page.locator("#action-dialog")).not_to_be_visible()

    entry = page.locator("#activity li", has_text="Waktu ditambah 10 menit")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("gangguan listrik di ruang")
    after = _remaining(http, station)
    # the clock ran on while the console was used (a few seconds, more on a loaded
    # machine): ten minutes more, less exactly that time, give or take a second's rounding
    ran = time.monotonic() - read_at
    assert 600 - ran - 2 <= after - before <= 600
    beat = http.post("/api/v1/candidate/heartbeat", headers=station.headers, json={})
    assert beat.json()["remaining_s"] >= before + 600 - (time.monotonic() - read_at) - 2
    audit = http.get("/api/v1/public/audit/log").text
    assert '"event": "time_extended"' in audit


def test_lock_shows_an_unlock_code_and_the_grid_follows(site, http, new_page) -> None:
    station = sign_in(http, site, "20260003", "PC-03")
    start(http, station)
    page = new_page(1024, 768)  # a tablet in landscape
    _sign_in(page, site.base_url)
    page.click('.seat[data-number="20260003"]')
    page.click('#detail [data-action="lock"]')
    page.fill("#field-reason", "membuka aplikasi lain")
    page.click("#action-confirm")
    seat = page.locator('.seat[data-number="20260003"]')
    expect(seat).to_have_attribute("data-state", "locked")
    assert http.post("/api/v1/candidate/heartbeat", headers=station.headers, json={}).json()[
        "locked"
    ]

    page.click('#detail [data-action="unlockCode"]')
    page.click("#action-confirm")
    code = page.locator(".unlock-code").inner_text().replace(" ", "")
    assert len(code) == 6
    assert code.isdigit()
    page.click("#action-cancel")
    r = http.post("/api/v1/candidate/unlock", headers=station.headers, json={"code": code})
    assert r.json() == {"unlocked": True}
    expect(seat).not_to_have_attribute("data-state", "locked")  # via the live feed


def test_a_wrong_password_is_refused_with_a_clear_sentence(site, new_page) -> None:
    page = new_page()
    page.goto(f"{site.base_url}/proctor")
    page.fill("#username", PROCTOR[0])
    page.fill("#password", "salah")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page.locator("#console-view")).to_be_hidden()


def _download(page, kind: str) -> tuple[str, bytes]:
    """Open the Laporan menu, click one report; the browser saves it as a file."""
    page.click("#reports-toggle")
    link = page.locator(f'.report-link[data-kind="{kind}"]')
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    expect(page.locator(".reports-panel")).to_be_hidden()  # the menu closes, the page stays
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_the_reports_menu_downloads_the_sessions_pdfs(site, http, new_page) -> None:
    page = new_page(1366, 768)
    _sign_in(page, site.base_url)
    page.click("#reports-toggle")
    expect(page.locator("#reports-lead")).to_have_text("PDF sesi S1, siap dicetak.")
    # Nobody is scored yet: only the minutes can be made; the menu says why.
    expect(page.locator('.report-link[data-kind="items"]')).to_have_attribute(
        "aria-disabled", "true"
    )
    assert not page.locator('.report-link[data-kind="slip"]').evaluate(
        "a => a.hasAttribute('href')"
    )
    expect(page.locator("#reports-note")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".reports-panel")).to_be_hidden()

    name, pdf = _download(page, "minutes")
    assert name == "minutes-S1.pdf"
    assert pdf.startswith(b"%PDF-")
    assert "BERITA ACARA" in text_of(pdf)[0]
    expect(page.locator("#console-view")).to_be_visible()

    sit(http, site, "20260004", ability=0.9)  # a score: the console hears it on its feed
    expect(page.locator('.seat[data-number="20260004"]')).to_have_attribute(
        "data-state", "submitted"
    )
    expect(page.locator('.report-link[data-kind="slip"]')).to_have_attribute(
        "href", "/api/v1/proctor/sessions/S1/reports/slip.pdf"
    )
    name, pdf = _download(page, "slip")
    assert name == "slip-S1.pdf"
    assert pdf.startswith(b"%PDF-")
    assert "20260004" in text_of(pdf)[0]
