"""Every role against every endpoint: the table in docs/security.md, checked.

``ROUTES`` has one row for every operation of the server's OpenAPI document, and
the first test fails when the document and the table differ: a new endpoint cannot
ship without saying who may call it. Each row names a concrete request and the roles
allowed through. A role is *refused* when the reply is 401, 403 or 404 with the code
``unauthenticated``, ``forbidden`` or ``not_found`` (proctors of another room get 404,
as if the session did not exist); anything else — 200, or a business refusal such as
409 "already submitted" or 403 "wrong unlock code" — means the request got past the
door. The requests are chosen so that an allowed role never meets a genuine 404.
Rows that change state come last, in an order that keeps the earlier rows meaningful.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cbt_server.db import tables
from cbt_server.services.live_feed import LiveFeed, Subscription
from question_bank.form import form_from_json
from tests.cbt_server.conftest import ADMIN_PASS, PROCTOR_PASS

A = "candidate_a"
B = "candidate_b"
P1, P2, OBSERVER, ADMIN = "proctor_room1", "proctor_room2", "observer", "admin"
ROLES = ["anonymous", A, B, P1, P2, OBSERVER, ADMIN]
EVERYONE = frozenset(ROLES)
CANDIDATES = frozenset({A, B})
STAFF = frozenset({P1, P2, OBSERVER, ADMIN})
S1_READ = frozenset({P1, OBSERVER, ADMIN})
S1_ACT = frozenset({P1, ADMIN})
S2_ACT = frozenset({P2, ADMIN})
ADMIN_READ = frozenset({OBSERVER, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})
REFUSALS = {"unauthenticated", "forbidden", "not_found"}

C = "2026003"  # logged in, started and submitted before the table runs: a target to act on
PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg"


@dataclass(frozen=True)
class Row:
    path: str
    allowed: frozenset[str]
    body: object = None


def _routes(v: dict[str, str]) -> dict[tuple[str, str], Row]:
    """(method, OpenAPI path) -> the request that probes it; ``v`` fills in live values."""
    s1 = "/api/v1/proctor/sessions/S1"
    return {
        ("GET", "/api/v1/health"): Row("/api/v1/health", EVERYONE),
        # The doors: anyone may knock (a wrong PIN is an answer, not a refusal of the role).
        ("POST", "/api/v1/candidate/login"): Row(
            "/api/v1/candidate/login",
            EVERYONE,
            {
                "participant_number": "2026004",
                "pin": "000000",
                "session_token": v["token"],
                "workstation": "PC-09",
            },
        ),
        ("POST", "/api/v1/proctor/login"): Row(
            "/api/v1/proctor/login",
            EVERYONE,
            {"username": "pemantau", "password": PROCTOR_PASS},
        ),
        # A candidate's token reaches its own attempt only (see the next test).
        ("GET", "/api/v1/candidate/status"): Row("/api/v1/candidate/status", CANDIDATES),
        ("GET", "/api/v1/candidate/photo"): Row("/api/v1/candidate/photo", CANDIDATES),
        ("POST", "/api/v1/candidate/start"): Row("/api/v1/candidate/start", CANDIDATES),
        ("GET", "/api/v1/candidate/form"): Row("/api/v1/candidate/form", CANDIDATES),
        ("GET", "/api/v1/candidate/images/{ref}"): Row(
            f"/api/v1/candidate/images/{v['image']}", CANDIDATES
        ),
        ("POST", "/api/v1/candidate/answers"): Row(
            "/api/v1/candidate/answers",
            CANDIDATES,
            {"changes": [{"number": 1, "choice": "A", "seq": 1}]},
        ),
        ("POST", "/api/v1/candidate/heartbeat"): Row("/api/v1/candidate/heartbeat", CANDIDATES, {}),
        ("POST", "/api/v1/candidate/incidents"): Row(
            "/api/v1/candidate/incidents", CANDIDATES, {"kind": "other", "detail": "uji coba"}
        ),
        ("POST", "/api/v1/candidate/unlock"): Row(
            "/api/v1/candidate/unlock", CANDIDATES, {"code": "000000"}
        ),
        # The proctor console: staff only; a session only for its proctors, observers
        # watch without acting, admins see and act everywhere.
        ("GET", "/api/v1/proctor/me"): Row("/api/v1/proctor/me", STAFF),
        ("GET", "/api/v1/proctor/sessions"): Row("/api/v1/proctor/sessions", STAFF),
        ("GET", "/api/v1/proctor/sessions/{code}"): Row(s1, S1_READ),
        ("GET", "/api/v1/proctor/sessions/{code}/seats"): Row(f"{s1}/seats", S1_READ),
        ("GET", "/api/v1/proctor/sessions/{code}/photos/{number}"): Row(
            f"{s1}/photos/2026001", S1_READ
        ),
        ("GET", "/api/v1/proctor/sessions/{code}/activity"): Row(f"{s1}/activity", S1_READ),
        ("GET", "/api/v1/proctor/sessions/{code}/events"): Row(f"{s1}/events", S1_READ),
        ("GET", "/api/v1/proctor/sessions/{code}/reports/{kind}.pdf"): Row(
            f"{s1}/reports/minutes.pdf", S1_READ
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/open"): Row(f"{s1}/open", S1_ACT),
        ("POST", "/api/v1/proctor/sessions/{code}/extend"): Row(
            f"{s1}/extend", S1_ACT, {"number": "2026001", "minutes": 5, "reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/pause"): Row(
            f"{s1}/pause", S1_ACT, {"number": C, "reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/resume"): Row(
            f"{s1}/resume", S1_ACT, {"number": C, "reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/seats/{number}/lock"): Row(
            f"{s1}/seats/2026001/lock", S1_ACT, {"reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/seats/{number}/unlock-code"): Row(
            f"{s1}/seats/2026001/unlock-code", S1_ACT
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/seats/{number}/release"): Row(
            f"{s1}/seats/{C}/release", S1_ACT, {"reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/seats/{number}/force-submit"): Row(
            f"{s1}/seats/{C}/force-submit", S1_ACT, {"reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/message"): Row(
            f"{s1}/message", S1_ACT, {"text": "halo"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/incidents"): Row(
            f"{s1}/incidents", S1_ACT, {"kind": "other", "detail": "uji coba"}
        ),
        # Public: no login, nothing private.
        ("GET", "/api/v1/public/sessions"): Row("/api/v1/public/sessions", EVERYONE),
        ("GET", "/api/v1/public/sessions/{code}/live"): Row(
            "/api/v1/public/sessions/S1/live", EVERYONE
        ),
        ("GET", "/api/v1/public/sessions/{code}/events"): Row(
            "/api/v1/public/sessions/S1/events", EVERYONE
        ),
        ("GET", "/api/v1/public/sessions/{code}/summary"): Row(
            "/api/v1/public/sessions/S1/summary", EVERYONE
        ),
        ("GET", "/api/v1/public/site"): Row("/api/v1/public/site", EVERYONE),
        ("GET", "/api/v1/public/site/events"): Row("/api/v1/public/site/events", EVERYONE),
        ("GET", "/api/v1/public/site/summary"): Row("/api/v1/public/site/summary", EVERYONE),
        ("GET", "/api/v1/public/verify/{slip}"): Row(
            f"/api/v1/public/verify/{v['slip']}", EVERYONE
        ),
        ("GET", "/api/v1/public/audit/head"): Row("/api/v1/public/audit/head", EVERYONE),
        ("GET", "/api/v1/public/audit/heads"): Row("/api/v1/public/audit/heads", EVERYONE),
        ("GET", "/api/v1/public/audit/log"): Row("/api/v1/public/audit/log", EVERYONE),
        ("GET", "/api/v1/public/ca.pem"): Row("/api/v1/public/ca.pem", EVERYONE),
        ("POST", "/api/v1/public/complaints"): Row(
            "/api/v1/public/complaints",
            EVERYONE,
            {"session": "S1", "text": "layar komputer saya mati sebentar", "contact": ""},
        ),
        ("GET", "/api/v1/public/complaints/{reference}"): Row(
            f"/api/v1/public/complaints/{v['complaint']}", EVERYONE
        ),
        # Administration: observers may read, only admins act.
        ("GET", "/api/v1/admin/banks"): Row("/api/v1/admin/banks", ADMIN_READ),
        ("POST", "/api/v1/admin/banks/{bank_row}/unlock"): Row(
            f"/api/v1/admin/banks/{v['bank']}/unlock", ADMIN_ONLY, {"passphrase": "salah"}
        ),
        ("GET", "/api/v1/admin/complaints"): Row("/api/v1/admin/complaints", ADMIN_READ),
        ("POST", "/api/v1/admin/complaints/{reference}"): Row(
            f"/api/v1/admin/complaints/{v['complaint']}",
            ADMIN_ONLY,
            {"status": "reviewing", "answer": "sedang diperiksa"},
        ),
        # State-changing rows, last.
        ("POST", "/api/v1/candidate/submit"): Row("/api/v1/candidate/submit", CANDIDATES),
        ("GET", "/api/v1/candidate/result"): Row("/api/v1/candidate/result", CANDIDATES),
        ("POST", "/api/v1/admin/sessions/{code}/annul"): Row(
            "/api/v1/admin/sessions/S1/annul", ADMIN_ONLY, {"item": v["item"], "reason": "uji coba"}
        ),
        ("POST", "/api/v1/proctor/sessions/{code}/close"): Row(
            "/api/v1/proctor/sessions/S2/close", S2_ACT
        ),
        ("GET", "/api/v1/public/sessions/{code}/results"): Row(
            "/api/v1/public/sessions/S2/results", EVERYONE
        ),
        ("GET", "/api/v1/public/sessions/{code}/results.csv"): Row(
            "/api/v1/public/sessions/S2/results.csv", EVERYONE
        ),
        ("GET", "/api/v1/public/sessions/{code}/key.json"): Row(
            "/api/v1/public/sessions/S2/key.json", EVERYONE
        ),
        ("POST", "/api/v1/proctor/logout"): Row("/api/v1/proctor/logout", STAFF),
    }


#: More probes of routes already in the table: the other room's view of its own session.
EXTRA = [
    ("GET", "/api/v1/proctor/sessions/S2/seats", None, frozenset({P2, OBSERVER, ADMIN})),
    ("GET", "/api/v1/proctor/sessions/S2", None, frozenset({P2, OBSERVER, ADMIN})),
    (
        "POST",
        "/api/v1/proctor/sessions/S2/message",
        {"text": "halo"},
        S2_ACT,
    ),
]


def _closed_feed(feed: LiveFeed) -> Callable[[str], Subscription]:
    """Subscriptions that end at once, so that an allowed stream returns its snapshot and
    stops instead of streaming for ever (the test client waits for the whole body)."""
    subscribe = feed.subscribe

    def ended(channel: str) -> Subscription:
        sub = subscribe(channel)
        sub.queue.put_nowait(None)
        return sub

    return ended


@pytest.fixture
def credentials(site) -> dict[str, dict[str, str]]:
    creds: dict[str, dict[str, str]] = {"anonymous": {}}
    creds[A] = site.start("2026001", "PC-01")
    creds[B] = site.start("2026002", "PC-02")
    creds[P1] = site.proctor_headers("pengawas1", PROCTOR_PASS)
    creds[P2] = site.proctor_headers("pengawas2", PROCTOR_PASS)
    creds[OBSERVER] = site.proctor_headers("pemantau", PROCTOR_PASS)
    creds[ADMIN] = site.proctor_headers("admin", ADMIN_PASS)
    return creds


@pytest.fixture
def live_values(site, credentials) -> dict[str, str]:
    """What the rows need from a running site: a slip, a complaint, an image, an item."""
    c = site.client
    third = site.start(C, "PC-03")
    slip = c.post("/api/v1/candidate/submit", headers=third).json()["slip"]
    complaint = c.post(
        "/api/v1/public/complaints",
        json={"session": "S1", "text": "suara bising di ruang ujian", "contact": ""},
    ).json()["reference"]
    form = c.get("/api/v1/candidate/form", headers=credentials[A]).json()
    image = next(
        block["img"]["src"]
        for item in form["items"]
        for block in item["stem"]
        if isinstance(block, dict) and "img" in block
    )
    bank = c.get("/api/v1/admin/banks", headers=credentials[ADMIN]).json()[0]
    with site.rt.db.write() as conn:  # photos for A and B (the sample has none)
        for number in ("2026001", "2026002"):
            conn.execute(
                update(tables.candidates)
                .where(tables.candidates.c.number == number)
                .values(photo=PHOTO, photo_type="image/jpeg")
            )
        form_json = conn.execute(select(tables.attempts.c.form_json).limit(1)).scalar_one()
    item = form_from_json(form_json.encode()).items[0].item_id
    return {
        "token": site.token(),
        "slip": slip,
        "complaint": complaint,
        "image": image,
        "bank": str(bank["id"]),
        "item": item,
    }


DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TABLE_START, TABLE_END = "<!-- authorisation-table:start -->", "<!-- authorisation-table:end -->"
HEADINGS = {
    "anonymous": "anonymous",
    A: "candidate A",
    B: "candidate B",
    P1: "proctor room 1",
    P2: "proctor room 2",
    OBSERVER: "observer",
    ADMIN: "admin",
}


def authorisation_table() -> str:
    """The table in docs/security.md, written from ``_routes`` (the one source of truth)."""
    rows = _routes(defaultdict(str))
    lines = [
        "| endpoint | " + " | ".join(HEADINGS[r] for r in ROLES) + " |",
        "|---|" + "---|" * len(ROLES),
    ]
    for method, path in sorted(rows, key=lambda k: (k[1], k[0])):
        allowed = rows[(method, path)].allowed
        marks = [
            ("✓ own" if role in CANDIDATES and allowed == CANDIDATES else "✓")
            if role in allowed
            else "·"
            for role in ROLES
        ]
        # {code} is shown as the session probed: S1 is room 1's, S2 room 2's.
        probed = re.search(r"/sessions/(S\d)", rows[(method, path)].path)
        shown = path.replace("{code}", probed.group(1)) if probed else path
        lines.append(f"| `{method} {shown.removeprefix('/api/v1')}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def test_the_table_in_the_security_docs_is_the_table_this_test_checks() -> None:
    text = DOCS.read_text(encoding="utf-8")
    published = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].strip()
    assert published == authorisation_table(), (
        "docs/security.md differs; paste the output of "
        "`python -m tests.cbt_server.test_authorisation` between the markers"
    )


def test_the_table_has_a_row_for_every_operation_of_the_openapi_document(site, live_values) -> None:
    document = site.client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }
    routes = set(_routes(live_values))
    assert sorted(operations - routes) == [], "endpoints without a row in the table"
    assert sorted(routes - operations) == [], "rows for endpoints that do not exist"


def test_every_role_against_every_endpoint(site, credentials, live_values, monkeypatch) -> None:
    monkeypatch.setattr(site.rt.feed, "subscribe", _closed_feed(site.rt.feed))
    probes = [
        (method, row.path, row.body, row.allowed)
        for (method, _), row in _routes(live_values).items()
    ]
    failures = []
    for method, path, body, allowed in [*probes[:-1], *EXTRA, probes[-1]]:
        for role in ROLES:
            site.client.cookies.clear()  # only the role's own header speaks for it
            r = site.client.request(method, path, headers=credentials[role], json=body)
            code = r.json()["error"]["code"] if r.status_code >= 400 else None
            refused = r.status_code in (401, 403, 404) and code in REFUSALS
            if r.status_code >= 500:
                failures.append(f"{role} {method} {path}: {r.status_code}")
            elif refused == (role in allowed):
                failures.append(f"{role} {method} {path}: {r.status_code} {code}")
    assert failures == []


def test_a_candidate_sees_only_their_own_attempt(site, credentials) -> None:
    c = site.client
    a = c.get("/api/v1/candidate/status", headers=credentials[A]).json()
    c.post(
        "/api/v1/candidate/answers",
        headers=credentials[A],
        json={"changes": [{"number": 5, "choice": "D", "seq": 1}]},
    )
    b = c.get("/api/v1/candidate/status", headers=credentials[B]).json()
    assert b["answers"] == {}
    assert a["items"] == b["items"] == 110
    form_a = c.get("/api/v1/candidate/form", headers=credentials[A]).json()
    form_b = c.get("/api/v1/candidate/form", headers=credentials[B]).json()
    assert form_a != form_b  # different seeds, different forms


def test_public_pages_never_show_pins_keys_or_full_names(site, credentials) -> None:
    h = credentials[A]
    site.client.post("/api/v1/candidate/submit", headers=h)
    for path in (
        "/api/v1/public/sessions",
        "/api/v1/public/sessions/S1/live",
        "/api/v1/public/site",
        "/api/v1/public/audit/head",
        "/api/v1/public/audit/heads",
    ):
        text = site.client.get(path).text
        assert "Budi Santoso" not in text
        assert "111111" not in text
        assert '"points"' not in text
        assert "pin_hash" not in text


if __name__ == "__main__":
    print(authorisation_table())
