"""Transparency pages in a real browser: complaints stay text, slips verify, results publish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.cbt_server.web.factories import sit
from tests.live_server import ADMIN

HOSTILE = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    '"><svg onload="window.__pwned=3"> Peserta di kursi 12 memakai ponsel.'
)


def test_a_complaint_with_markup_stays_inert_on_the_committee_page(site, new_page) -> None:
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site.base_url}/pengaduan")
    page.select_option("#session", "__other__")
    page.fill("#session-free", "<b>S9</b>")
    page.fill("#text", HOSTILE)
    page.fill("#contact", "<i>saksi@example.org</i>")
    page.click("#complaint-submit")
    reference = page.locator("#reference")
    expect(reference).to_have_text(re.compile(r"^P-[A-Z0-9]{8}$"))
    ref = reference.inner_text()
    page.click("#status-form button[type=submit]")
    expect(page.locator("#status-result .badge")).to_have_text("Diterima")

    committee = new_page(1366, 768)
    committee.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    committee.goto(f"{site.base_url}/panitia/pengaduan")
    committee.fill("#username", ADMIN[0])
    committee.fill("#password", ADMIN[1])
    committee.click("#login-submit")
    card = committee.locator(f'article[data-reference="{ref}"]')
    expect(card).to_be_visible()
    expect(card.locator(".complaint-text")).to_have_text(HOSTILE)
    expect(card.locator(".complaint-meta")).to_contain_text("<b>S9</b>")
    expect(card.locator(".complaint-contact")).to_contain_text("<i>saksi@example.org</i>")
    injected = "img, svg, script, iframe, b, i"
    assert committee.locator("#complaints article").locator(injected).count() == 0
    assert page.locator("#status-result, #receipt").locator(injected).count() == 0
    for where in (page, committee):
        assert where.evaluate("window.__pwned") is None
    assert dialogs == []

    card.locator("select").select_option("closed")
    card.locator("textarea").fill("Sudah diperiksa; <script>bukan kode</script> tercatat.")
    card.locator("button", has_text="Simpan").click()
    expect(committee.locator(f'article[data-reference="{ref}"] .badge')).to_have_text(
        "Selesai dijawab"
    )
    page.click("#status-form button[type=submit]")
    expect(page.locator("#status-result .answer")).to_have_text(
        "Sudah diperiksa; <script>bukan kode</script> tercatat."
    )
    assert page.evaluate("window.__pwned") is None


def test_a_slip_code_verifies_and_an_unknown_one_says_so(site, http, new_page) -> None:
    result = sit(http, site, "20260001", ability=0.9)
    slip = str(result["slip"])
    page = new_page()
    page.goto(f"{site.base_url}/verify/{slip}")
    certificate = page.locator("article.certificate")
    expect(certificate).to_have_attribute("data-result", "valid")
    expect(certificate.locator(".seal-title")).to_have_text("Hasil sah")
    expect(certificate.locator("tfoot")).to_contain_text(str(result["report"]["total"]))  # type: ignore[index]
    expect(certificate).to_contain_text("20260001")

    page.fill("#slip", "aaaa bbbb cccc")
    page.click("#verify-form button[type=submit]")
    expect(page).to_have_url(f"{site.base_url}/verify/AAAA-BBBB-CCCC")
    expect(page.locator(".certificate")).to_have_attribute("data-result", "none")
    expect(page.locator(".seal-title")).to_have_text("Tidak ada hasil dengan kode AAAA-BBBB-CCCC")
    page.fill("#slip", "ABC")
    page.click("#verify-form button[type=submit]")
    expect(page.locator("#verify-error")).to_be_visible()
    page.go_back()
    expect(page.locator("article.certificate")).to_have_attribute("data-result", "valid")


def test_results_of_a_closed_session_link_the_files_cbt_score_rechecks(site, http, new_page):
    sit(http, site, "20260001", ability=0.9)
    sit(http, site, "20260002", ability=0.5, seed=2)
    page = new_page()
    page.goto(f"{site.base_url}/results/S1")
    expect(page.locator("#notice h2")).to_have_text("Hasil resmi diumumkan setelah sesi ditutup.")
    token = http.post(
        "/api/v1/proctor/login", json={"username": ADMIN[0], "password": ADMIN[1]}
    ).json()["token"]
    r = http.post("/api/v1/proctor/sessions/S1/close", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    page.reload()
    expect(page.locator("#rows tr")).to_have_count(2)
    expect(page.locator("#dl-json")).to_have_attribute("href", "/api/v1/public/sessions/S1/results")
    expect(page.locator("#dl-key")).to_have_attribute("href", "/api/v1/public/sessions/S1/key.json")
    expect(page.locator("#recheck-command")).to_have_text(
        "cbt-score rank --policy skd-2024 RESULTS-S1.json"
    )
    with page.expect_download() as download:
        page.click("#dl-json")
    assert download.value.suggested_filename == "RESULTS-S1.json"
    assert "Budi Santoso" not in page.content()


def test_the_audit_page_shows_the_chain_head(site, http, new_page) -> None:
    head = http.get("/api/v1/public/audit/head").json()
    page = new_page()
    page.goto(f"{site.base_url}/audit")
    expect(page.locator("#head-hash")).to_have_text(head["hash"])
    expect(page.locator("#head-seq")).to_have_text(str(head["seq"]))
    short = head["short"]
    expect(page.locator("#head-short")).to_have_text(
        " ".join(short[i : i + 4] for i in range(0, 16, 4))
    )
    expect(page.locator(".codeblock")).to_have_text(
        "cbt-server audit verify --file audit-log.jsonl"
    )
    expect(page.locator('a[download="audit-log.jsonl"]')).to_have_attribute(
        "href", "/api/v1/public/audit/log"
    )


def test_the_audit_page_lists_the_chain_head_history(site, http, new_page) -> None:
    page = new_page()
    page.goto(f"{site.base_url}/audit")
    rows = page.locator("#heads tr")
    expect(rows.first).to_contain_text("Sesi S1 dibuka")
    opened = http.get("/api/v1/public/audit/heads").json()
    expect(rows).to_have_count(len(opened))

    sit(http, site, "20260001", ability=0.9)
    token = http.post(
        "/api/v1/proctor/login", json={"username": ADMIN[0], "password": ADMIN[1]}
    ).json()["token"]
    r = http.post("/api/v1/proctor/sessions/S1/close", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    heads = http.get("/api/v1/public/audit/heads").json()
    assert len(heads) == len(opened) + 1
    page.click("#refresh")
    expect(rows).to_have_count(len(heads))
    first = rows.first
    expect(first).to_have_class(re.compile(r"\bcurrent\b"))
    expect(first).to_contain_text("Sesi S1 ditutup, hasil diumumkan")
    expect(first.locator(".badge")).to_have_text("Saat ini")
    for row, head in zip(rows.all(), heads, strict=True):
        expect(row.locator("td").first).to_have_text(str(head["seq"]))
        fingerprint = row.locator(".fingerprint")
        expect(fingerprint).to_have_text(
            " ".join(head["short"][i : i + 4] for i in range(0, 16, 4))
        )
        expect(fingerprint).to_have_attribute("title", head["hash"])
    expect(rows.last).to_contain_text("Lokasi disiapkan")

    page.click('button[data-lang="en"]')
    expect(page.locator("#history h2")).to_have_text("Chain head history")
    expect(first).to_contain_text("Session S1 closed, results published")
    expect(first.locator(".badge")).to_have_text("Current")


@pytest.mark.slow
def test_every_page_loads_without_errors_or_policy_violations(site, new_page) -> None:
    page = new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    # Replies like 401 (not signed in) or 409 (not closed yet) are expected; a script
    # error or a Content-Security-Policy / Trusted Types refusal is not.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    for path in (
        "/",
        "/live",
        "/live/S1",
        "/proctor",
        "/results/S1",
        "/verify",
        "/verify/AAAA-BBBB-CCCC",
        "/audit",
        "/pengaduan",
        "/panitia/pengaduan",
    ):
        page.goto(f"{site.base_url}{path}")
        if path.startswith("/live"):
            expect(page.locator("body")).to_have_attribute("data-conn", "live")
        else:
            page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", "id")
    assert problems == []


def test_the_browser_enforces_the_policy(site, new_page) -> None:
    """Even a bug that tried to insert HTML or load a script would be refused."""
    page = new_page()
    page.goto(f"{site.base_url}/verify")
    attempts = {
        "html": "document.body.innerHTML = '<img src=x>'",
        "script": "document.createElement('script').src = 'data:text/javascript,1'",
        "inline": "document.createElement('script').textContent = 'window.__ran = 1'",
    }
    for name, code in attempts.items():
        outcome = page.evaluate(
            f"() => {{ try {{ {code}; return 'allowed'; }} catch (e) {{ return e.name; }} }}"
        )
        assert outcome == "TypeError", name  # Trusted Types: no string becomes code or HTML
    assert page.evaluate("window.__ran") is None
