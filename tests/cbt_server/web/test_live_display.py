"""The live score display in a real browser: scores arrive, reconnection, privacy."""

from __future__ import annotations

import random
import socket
import threading
import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.cbt_server.web.factories import answer, sign_in, sit, start, submit
from tests.live_server import live_site, serve


def _open(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-conn", "live")


def test_a_submitted_score_is_on_the_display_within_a_second(site, http, new_page) -> None:
    page = new_page(1920, 1080)
    _open(page, f"{site.base_url}/live/S1")
    expect(page.locator("#empty")).to_be_visible()
    expect(page.locator("#exam")).to_have_text("SKD CPNS 2026")
    expect(page.locator("#c-registered")).to_have_text("6")

    station = sign_in(http, site, "20260001", "PC-01")
    start(http, station)
    answer(http, site, station, ability=0.95, rng=random.Random(3))
    result = submit(http, station)
    acknowledged = time.monotonic()
    row = page.locator('#rows tr[data-number="20260001"]')
    row.wait_for(timeout=1000)
    assert time.monotonic() - acknowledged < 1.0

    total = str(result["report"]["total"])  # type: ignore[index]
    expect(row.locator(".c-total")).to_have_text(total)
    expect(row).to_have_class("arrived")
    expect(row.locator(".c-name")).to_have_text("B*** S******")  # the default: masked
    expect(page.locator("#c-finished")).to_have_text("1")
    expect(page.locator('#latest [data-number="20260001"] .latest-total')).to_have_text(total)
    expect(page.locator("#empty")).to_be_hidden()
    assert "Budi Santoso" not in page.content()

    # A second finisher with a higher total goes above the first: the policy's ranking.
    sit(http, site, "20260002", ability=1.0, seed=9)
    expect(page.locator("#rows tr")).to_have_count(2)
    numbers = page.locator("#rows tr").evaluate_all("rows => rows.map(r => r.dataset.number)")
    totals = [
        float(t.replace(",", "."))
        for t in page.locator("#rows .c-total").all_inner_texts()  # id-ID decimal comma
    ]
    assert totals == sorted(totals, reverse=True)
    assert set(numbers) == {"20260001", "20260002"}


@pytest.mark.slow
def test_the_display_reconnects_after_the_server_restarts(site, http, new_page) -> None:
    page = new_page(1366, 768)
    _open(page, f"{site.base_url}/live/S1")
    port = int(site.base_url.rsplit(":", 1)[1])

    site.server.should_exit = True
    for thread in threading.enumerate():
        if thread.name == "uvicorn":
            thread.join(timeout=15)
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass
    expect(page.locator("body")).to_have_attribute("data-conn", "reconnecting")
    expect(page.locator("#banner")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("Menyambung ulang…")

    with serve(site.rt, site.pins, port=port) as again:
        expect(page.locator("body")).to_have_attribute("data-conn", "live", timeout=20_000)
        expect(page.locator("#banner")).to_be_hidden()
        with httpx.Client(base_url=again.base_url, timeout=10) as client:
            sit(client, again, "20260003", ability=0.7)
        expect(page.locator('#rows tr[data-number="20260003"]')).to_be_visible()


@pytest.mark.parametrize(
    ("privacy", "shown"),
    [("number", None), ("masked", "B*** S******"), ("full", "Budi Santoso")],
)
def test_the_privacy_setting_decides_what_name_is_shown(tmp_path, new_page, privacy, shown):
    with (
        live_site(tmp_path, count=2, privacy=privacy) as site,
        httpx.Client(base_url=site.base_url, timeout=10) as http,
    ):
        sit(http, site, "20260001", ability=0.8)
        page = new_page(1920, 1080)
        _open(page, f"{site.base_url}/live/S1")
        row = page.locator('#rows tr[data-number="20260001"]')
        expect(row).to_be_visible()
        text = page.locator("body").inner_text()
        if shown is None:
            expect(page.locator("#head-row th.c-name")).to_have_count(0)
            expect(row.locator(".c-name")).to_have_count(0)
            assert "B*** S******" not in text
            expect(page.locator("#privacy")).to_have_text(
                "Hanya nomor peserta (pengaturan privasi sesi)"
            )
        else:
            expect(row.locator(".c-name")).to_have_text(shown)
        if privacy != "full":
            assert "Budi Santoso" not in page.content()
            assert "Santoso" not in text


def test_the_site_view_shows_every_running_session_and_new_finishers(site, http, new_page):
    page = new_page(1920, 1080)
    _open(page, f"{site.base_url}/live")
    expect(page.locator("#site")).to_have_text("Lokasi Tes Uji")
    card = page.locator('.s-card[data-code="S1"]')
    expect(card).to_be_visible()
    expect(card).to_have_attribute("href", "/live/S1")
    sit(http, site, "20260004", ability=0.9)
    expect(page.locator("#latest .latest-number")).to_have_text(["20260004"])
    expect(card.locator(".s-counter-n").nth(3)).to_have_text("1")  # finished


def test_the_display_switches_to_english_and_remembers_it(site, new_page) -> None:
    page = new_page(1920, 1080)
    _open(page, f"{site.base_url}/live/S1")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator(".d-time-label")).to_have_text("Sisa waktu")
    page.click('.lang [data-lang="en"]')
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".d-time-label")).to_have_text("Time left")
    expect(page.locator("#conn")).to_have_text("Live")
    page.reload()
    expect(page.locator(".d-time-label")).to_have_text("Time left")
    assert page.evaluate("localStorage.getItem('cbt.lang')") == "en"


def test_the_table_shows_only_whole_rows_and_the_pager_counts_them(tmp_path, new_page) -> None:
    with (
        live_site(tmp_path, count=12) as site,
        httpx.Client(base_url=site.base_url, timeout=10) as http,
    ):
        for n in range(1, 13):
            sit(http, site, f"2026{n:04d}", ability=0.5 + n / 40, seed=n)
        page = new_page(1920, 1080)
        _open(page, f"{site.base_url}/live/S1")
        expect(page.locator("#rows tr")).to_have_count(12)
        expect(page.locator("#rows-info")).to_contain_text("dari 12")
        seen = page.locator("#viewport").evaluate(
            """viewport => {
              const box = viewport.getBoundingClientRect();
              const rows = Array.from(viewport.querySelectorAll("tbody tr"), (tr) => {
                const r = tr.getBoundingClientRect();
                return [r.top - box.top, r.bottom - box.top];
              });
              return { height: box.height, rows };
            }"""
        )
        height, rows = seen["height"], seen["rows"]
        shown = [r for r in rows if r[0] < height - 1]  # any part of it on the screen
        assert 1 < len(shown) < 12  # the table pages: some rows wait for the next page
        assert all(bottom <= height + 1 for _, bottom in shown), (height, shown)
        expect(page.locator("#rows-info")).to_have_text(f"Baris 1–{len(shown)} dari 12")
