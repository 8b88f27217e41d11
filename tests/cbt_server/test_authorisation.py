"""Every role against every endpoint: the table in docs/security.md, checked."""

from __future__ import annotations

import pytest

from tests.cbt_server.conftest import ADMIN_PASS, PROCTOR_PASS

A = "candidate_a"
B = "candidate_b"
ROLES = ["anonymous", A, B, "proctor_room1", "proctor_room2", "observer", "admin"]
STAFF = {"proctor_room1", "proctor_room2", "observer", "admin"}

# (method, path, body, roles allowed). Candidate paths act on the caller's own attempt:
# candidate B is allowed there too, but only ever reaches B's own data (checked below).
MATRIX = [
    ("GET", "/api/v1/candidate/status", None, {A, B}),
    ("POST", "/api/v1/candidate/heartbeat", {}, {A, B}),
    ("GET", "/api/v1/candidate/form", None, {A, B}),
    (
        "POST",
        "/api/v1/candidate/answers",
        {"changes": [{"number": 1, "choice": "A", "seq": 1}]},
        {A, B},
    ),
    ("GET", "/api/v1/proctor/sessions", None, STAFF),
    ("GET", "/api/v1/proctor/sessions/S1", None, {"proctor_room1", "observer", "admin"}),
    ("GET", "/api/v1/proctor/sessions/S1/seats", None, {"proctor_room1", "observer", "admin"}),
    ("GET", "/api/v1/proctor/sessions/S1/activity", None, {"proctor_room1", "observer", "admin"}),
    ("POST", "/api/v1/proctor/sessions/S1/message", {"text": "halo"}, {"proctor_room1", "admin"}),
    (
        "POST",
        "/api/v1/proctor/sessions/S1/extend",
        {"number": "2026001", "minutes": 5, "reason": "uji coba"},
        {"proctor_room1", "admin"},
    ),
    (
        "POST",
        "/api/v1/proctor/sessions/S1/seats/2026001/lock",
        {"reason": "uji coba"},
        {"proctor_room1", "admin"},
    ),
    (
        "POST",
        "/api/v1/proctor/sessions/S1/incidents",
        {"kind": "other", "detail": "uji coba"},
        {"proctor_room1", "admin"},
    ),
    ("GET", "/api/v1/proctor/sessions/S2/seats", None, {"proctor_room2", "observer", "admin"}),
    ("GET", "/api/v1/admin/banks", None, {"observer", "admin"}),
    ("GET", "/api/v1/admin/complaints", None, {"observer", "admin"}),
    ("GET", "/api/v1/public/sessions", None, set(ROLES)),
    ("GET", "/api/v1/public/sessions/S1/live", None, set(ROLES)),
    ("GET", "/api/v1/public/audit/head", None, set(ROLES)),
]


@pytest.fixture
def credentials(site) -> dict[str, dict[str, str]]:
    creds: dict[str, dict[str, str]] = {"anonymous": {}}
    creds[A] = site.start("2026001", "PC-01")
    creds[B] = site.start("2026002", "PC-02")
    creds["proctor_room1"] = site.proctor_headers("pengawas1", PROCTOR_PASS)
    creds["proctor_room2"] = site.proctor_headers("pengawas2", PROCTOR_PASS)
    creds["observer"] = site.proctor_headers("pemantau", PROCTOR_PASS)
    creds["admin"] = site.proctor_headers("admin", ADMIN_PASS)
    return creds


def test_every_role_against_every_endpoint(site, credentials) -> None:
    failures = []
    for method, path, body, allowed in MATRIX:
        for role in ROLES:
            site.client.cookies.clear()  # only the role's own header speaks for it
            r = site.client.request(method, path, headers=credentials[role], json=body)
            ok = r.status_code < 400
            if ok != (role in allowed):
                failures.append(f"{role} {method} {path}: {r.status_code}")
            if not ok:
                assert r.status_code in (401, 403, 404), (role, path, r.status_code)
                assert "error" in r.json()
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
    ):
        text = site.client.get(path).text
        assert "Budi Santoso" not in text
        assert "111111" not in text
        assert '"points"' not in text
        assert "pin_hash" not in text
