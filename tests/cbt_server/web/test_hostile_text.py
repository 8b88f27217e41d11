"""Hostile text in a candidate's name and a proctor's note: stored as written, shown as text.

A candidate named with markup and SQL sits the exam in a session that shows full
names; every page that shows the name (live display, site view, proctor console,
published results, the slip page it links to) must show the characters, run none
of them, and leave the database as it was. The same for an incident note typed
into the proctor console. PDFs and complaint text are covered beside their code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cbt_server.db import tables
from tests.cbt_server.web.factories import sign_in, sit, start
from tests.live_server import PROCTOR, LiveSite, live_site, proctor_client

HOSTILE_NAME = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    "'; DROP TABLE candidates;--"
)
HOSTILE_NOTE = (
    '"><svg onload="window.__pwned=3"></svg><script>window.__pwned=4</script>'
    "'); DELETE FROM incidents;-- ponsel di kursi 12"
)
# What the strings would leave in the page had they been parsed as HTML.
INJECTED = 'img[src="x"], svg[onload], [onerror], [onload], script:not([src])'
NUMBER = "20260001"


@pytest.fixture
def site(tmp_path) -> Iterator[LiveSite]:
    """Two candidates, the first with the hostile name; full names shown (privacy "full")."""
    with live_site(tmp_path, count=2, privacy="full", names=[HOSTILE_NAME, "Siti Aminah"]) as found:
        yield found


@pytest.fixture
def watched(new_page) -> Callable[..., tuple[Page, list[str]]]:
    """Pages that record script errors, refused policies and dialogs, for ``_assert_inert``."""

    def make(*size: int) -> tuple[Page, list[str]]:
        page = new_page(*size)
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(f"error: {e}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        # A 401 before signing in is expected; a script error or a CSP or Trusted Types
        # refusal (an unsafe sink the browser stopped) is not.
        page.on(
            "console",
            lambda m: (
                problems.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        return page, problems

    return make


def _assert_inert(page: Page, problems: list[str]) -> None:
    assert page.locator(INJECTED).count() == 0
    assert page.evaluate("window.__pwned") is None
    assert problems == []


def _assert_stored(site: LiveSite) -> None:
    """Both candidates still there, the name byte for byte: the SQL in it did nothing."""
    cands = tables.candidates
    with site.rt.db.read() as conn:
        names = {r.number: r.name for r in conn.execute(select(cands.c.number, cands.c.name))}
    assert names == {NUMBER: HOSTILE_NAME, "20260002": "Siti Aminah"}


def _live(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-conn", "live")


def test_a_hostile_name_is_text_on_the_live_displays(site, http, watched) -> None:
    page, problems = watched(1920, 1080)
    _live(page, f"{site.base_url}/live/S1")
    sit(http, site, NUMBER, ability=0.9)  # arrives through the live feed
    row = page.locator(f'#rows tr[data-number="{NUMBER}"]')
    expect(row.locator(".c-name")).to_have_text(HOSTILE_NAME)
    expect(page.locator(f'#latest [data-number="{NUMBER}"] .latest-name')).to_have_text(
        HOSTILE_NAME
    )
    _assert_inert(page, problems)

    page.reload()  # the same row from the snapshot
    expect(row.locator(".c-name")).to_have_text(HOSTILE_NAME)
    _assert_inert(page, problems)

    whole_site, site_problems = watched(1920, 1080)
    _live(whole_site, f"{site.base_url}/live")
    expect(whole_site.locator("#latest .latest-name")).to_have_text([HOSTILE_NAME])
    _assert_inert(whole_site, site_problems)
    _assert_stored(site)


def test_a_hostile_name_and_incident_note_are_text_in_the_proctor_console(
    site, http, watched
) -> None:
    station = sign_in(http, site, NUMBER, "PC-01")
    start(http, station)
    beat = http.post("/api/v1/candidate/heartbeat", headers=station.headers, json={"answered": 3})
    beat.raise_for_status()  # the station is seen: its seat shows as answering
    page, problems = watched(1366, 768)
    page.goto(f"{site.base_url}/proctor")
    page.fill("#username", PROCTOR[0])
    page.fill("#password", PROCTOR[1])
    page.click("#login-submit")
    expect(page.locator("body")).to_have_attribute("data-conn", "live")

    seat = page.locator(f'.seat[data-number="{NUMBER}"]')
    expect(seat).to_have_attribute("data-state", "answering")
    expect(seat.locator(".seat-name")).to_have_text(HOSTILE_NAME)
    page.fill("#search", "drop table")  # the name is searched as text
    expect(page.locator(".seat")).to_have_count(1)
    expect(seat).to_be_visible()

    seat.click()
    expect(page.locator("#detail .detail-name")).to_have_text(HOSTILE_NAME)
    page.click('#detail [data-action="incident"]')
    expect(page.locator("#action-body .dialog-target")).to_have_text(f"{NUMBER} — {HOSTILE_NAME}")
    page.fill("#field-detail", HOSTILE_NOTE)
    page.click("#action-confirm")
    expect(page.locator("#action-dialog")).not_to_be_visible()

    entry = page.locator("#activity li", has_text="Kejadian dicatat")
    expect(entry).to_have_count(1)
    expect(entry.locator(".activity-who")).to_contain_text(f"{NUMBER} · ")
    expect(entry.locator(".activity-who")).to_contain_text(f"“{HOSTILE_NOTE}”")
    expect(seat.locator(".flag-incident")).to_have_text("⚑ 1")
    _assert_inert(page, problems)

    _assert_stored(site)
    with site.rt.db.read() as conn:
        notes = conn.execute(select(tables.incidents.c.detail)).scalars().all()
    assert notes == [HOSTILE_NOTE]


def test_a_hostile_name_is_text_in_published_results_and_on_its_slip_page(
    site, http, watched
) -> None:
    slip = str(sit(http, site, NUMBER, ability=0.9)["slip"])
    with proctor_client(site) as proctor:
        proctor.post("/api/v1/proctor/sessions/S1/close").raise_for_status()
    published = http.get("/api/v1/public/sessions/S1/results").json()["results"]
    assert [r["name"] for r in published] == [HOSTILE_NAME]

    page, problems = watched(1366, 768)
    page.goto(f"{site.base_url}/results/S1")
    row = page.locator(f'#rows tr[data-number="{NUMBER}"]')
    expect(row.locator(".name")).to_have_text(HOSTILE_NAME)
    _assert_inert(page, problems)

    row.get_by_role("link", name=slip).click()
    expect(page).to_have_url(f"{site.base_url}/verify/{slip}")
    certificate = page.locator("article.certificate")
    expect(certificate).to_have_attribute("data-result", "valid")
    # The slip page names the candidate by number only; it must be as inert as the rest.
    expect(certificate).to_contain_text(NUMBER)
    _assert_inert(page, problems)
    _assert_stored(site)
