"""The exam day through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from cbt_server.services.candidate_desk import FIRST_LOCK_S
from cbt_server.services.public_board import COMPLAINTS_PER_WINDOW
from tests.cbt_server.conftest import ADMIN_PASS, PINS


def _answers(n: int, seq0: int = 1, choice: str = "A") -> dict[str, object]:
    return {
        "changes": [{"number": k, "choice": choice, "seq": seq0 + k - 1} for k in range(1, n + 1)]
    }


def test_login_refusals_say_what_to_do(site) -> None:
    c, token = site.client, site.token()
    body = {
        "participant_number": "2026001",
        "pin": "999999",
        "session_token": token,
        "workstation": "PC-01",
    }
    r = c.post("/api/v1/candidate/login", json=body)
    assert (r.status_code, r.json()["error"]["code"]) == (401, "wrong_pin")
    assert r.json()["error"]["attempts_left"] == 2
    r = c.post(
        "/api/v1/candidate/login", json={**body, "pin": PINS["2026001"], "session_token": "XXXXXX"}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "wrong_session_token")
    other = site.token("S2")
    r = c.post(
        "/api/v1/candidate/login", json={**body, "pin": PINS["2026001"], "session_token": other}
    )
    assert r.json()["error"]["code"] == "wrong_session_token"  # another room's token
    r = c.post("/api/v1/candidate/login", json={**body, "participant_number": "9999"})
    assert r.status_code == 401


def test_wrong_pins_lock_for_a_growing_delay(site) -> None:
    c = site.client
    body = {
        "participant_number": "2026002",
        "pin": "000000",
        "session_token": site.token(),
        "workstation": "PC-02",
    }
    for _ in range(2):
        assert c.post("/api/v1/candidate/login", json=body).status_code == 401
    r = c.post("/api/v1/candidate/login", json=body)
    assert r.json()["error"]["retry_after_s"] == FIRST_LOCK_S
    r = c.post("/api/v1/candidate/login", json={**body, "pin": PINS["2026002"]})
    assert (r.status_code, r.json()["error"]["code"]) == (423, "candidate_locked")
    assert r.headers["retry-after"] == str(FIRST_LOCK_S)
    site.clock.advance(FIRST_LOCK_S + 1)
    r = c.post("/api/v1/candidate/login", json=body)  # fourth wrong: twice as long
    assert r.json()["error"]["retry_after_s"] == 2 * FIRST_LOCK_S
    site.clock.advance(2 * FIRST_LOCK_S + 1)
    assert (
        c.post("/api/v1/candidate/login", json={**body, "pin": PINS["2026002"]}).status_code == 200
    )


def test_the_token_rotates_and_the_old_one_overlaps_briefly(site) -> None:
    old = site.token()
    site.clock.advance(15 * 60)
    new = site.token()
    assert new != old
    body = {"participant_number": "2026001", "pin": PINS["2026001"], "workstation": "PC-01"}
    info = site.rt.proctors.session("S1")
    into = (site.clock.now_ms() % (info.token_period_s * 1000)) // 1000
    r = site.client.post("/api/v1/candidate/login", json={**body, "session_token": old})
    assert r.status_code == (200 if into < 120 else 403)
    site.clock.advance(121)
    if site.token() == new:
        r = site.client.post("/api/v1/candidate/login", json={**body, "session_token": old})
        assert r.status_code == 403


def test_session_must_be_open(site) -> None:
    h = site.proctor_headers("admin", "admin-password-123")
    assert site.client.post("/api/v1/proctor/sessions/S2/close", headers=h).status_code == 200
    r = site.client.post(
        "/api/v1/candidate/login",
        json={
            "participant_number": "2026100",
            "pin": "100100",
            "session_token": site.token("S2"),
            "workstation": "PC-9",
        },
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "session_not_open")


def test_form_is_keyless_stable_and_etagged(site) -> None:
    h = site.start("2026001")
    r = site.client.get("/api/v1/candidate/form", headers=h)
    assert r.status_code == 200
    form = r.json()
    assert len(form["items"]) == 110
    assert [s["id"] for s in form["sections"]] == ["TWK", "TIU", "TKP"]
    text = r.text
    for forbidden in ('"points"', '"key"', '"explanation"', '"topic"', "TWK-PCS-"):
        assert forbidden not in text
    again = site.client.get(
        "/api/v1/candidate/form", headers={**h, "If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    # logging in again (same PC) gives the same form
    h2 = {"Authorization": f"Bearer {site.login('2026001')['token']}"}
    assert site.client.get("/api/v1/candidate/form", headers=h2).json() == form


def test_images_need_the_candidate_and_are_cacheable(site) -> None:
    h = site.start("2026001")
    form = site.client.get("/api/v1/candidate/form", headers=h).json()
    refs = [
        b["img"]["src"]
        for item in form["items"]
        for part in [item["stem"], *[o["content"] for o in item["options"]]]
        for b in part
        if "img" in b
    ]
    assert refs, "the TIU figural items carry images"
    r = site.client.get(f"/api/v1/candidate/images/{refs[0]}", headers=h)
    assert r.status_code == 200
    assert r.content.startswith(b"\x89PNG")
    assert "immutable" in r.headers["cache-control"]
    assert site.client.get(f"/api/v1/candidate/images/{refs[0]}").status_code == 401


def test_answers_are_idempotent_and_never_go_backwards(site) -> None:
    h = site.start("2026001")
    c = site.client
    r = c.post("/api/v1/candidate/answers", headers=h, json=_answers(10))
    assert r.json() == {"acked_seq": 10}
    assert c.post("/api/v1/candidate/answers", headers=h, json=_answers(10)).json() == {
        "acked_seq": 10
    }  # a re-send changes nothing
    newer = {"changes": [{"number": 3, "choice": "C", "seq": 20, "doubtful": True}]}
    stale = {"changes": [{"number": 3, "choice": "E", "seq": 15}]}
    assert c.post("/api/v1/candidate/answers", headers=h, json=newer).json()["acked_seq"] == 20
    assert c.post("/api/v1/candidate/answers", headers=h, json=stale).json()["acked_seq"] == 15
    saved = c.get("/api/v1/candidate/status", headers=h).json()
    assert saved["answers"]["3"] == {"choice": "C", "doubtful": True, "seq": 20}
    assert saved["acked_seq"] == 20
    cleared = {"changes": [{"number": 3, "choice": None, "seq": 21}]}
    c.post("/api/v1/candidate/answers", headers=h, json=cleared)
    assert c.get("/api/v1/candidate/status", headers=h).json()["answers"]["3"]["choice"] is None


def test_bad_answer_batches_are_refused_whole(site) -> None:
    h = site.start("2026001")
    c = site.client
    bad = [
        {
            "changes": [
                {"number": 1, "choice": "A", "seq": 1},
                {"number": 999, "choice": "A", "seq": 2},
            ]
        },
        {"changes": [{"number": 1, "choice": "Q", "seq": 1}]},
        {"changes": [{"number": 1, "choice": "A", "seq": 0}]},
        {"changes": [{"number": "1", "choice": "A", "seq": 1}]},
        {"changes": []},
        {"changes": [{"number": 1, "choice": "A", "seq": 1, "extra": 1}]},
    ]
    for body in bad:
        r = c.post("/api/v1/candidate/answers", headers=h, json=body)
        assert r.status_code == 422, (body, r.text)
        assert "error" in r.json()
    r = c.post(
        "/api/v1/candidate/answers",
        headers={**h, "content-type": "application/json"},
        content=b"{not json",
    )
    assert r.status_code == 400
    assert c.get("/api/v1/candidate/status", headers=h).json()["answers"] == {}


def test_oversize_bodies_are_refused(site) -> None:
    h = site.start("2026001")
    r = site.client.post(
        "/api/v1/candidate/answers",
        headers={**h, "content-type": "application/json"},
        content=b"[" + b" " * 300_000 + b"]",
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_server_owns_time_and_finalises_past_the_deadline(site) -> None:
    h = site.start("2026001")
    c = site.client
    c.post("/api/v1/candidate/answers", headers=h, json=_answers(5))
    beat = c.post(
        "/api/v1/candidate/heartbeat", headers=h, json={"answered": 5, "client_time_ms": 0}
    ).json()  # a station clock off by decades
    assert beat["remaining_s"] == 100 * 60
    site.clock.advance(100 * 60 + 10)  # past the deadline, within the grace
    assert c.post("/api/v1/candidate/answers", headers=h, json=_answers(1, 50)).status_code == 200
    assert site.rt.finalise_due() == 0
    site.clock.advance(30)
    r = c.post("/api/v1/candidate/answers", headers=h, json=_answers(1, 60))
    assert (r.status_code, r.json()["error"]["code"]) == (409, "time_over")
    assert site.rt.finalise_due() == 1
    result = c.get("/api/v1/candidate/result", headers=h).json()
    assert result["report"]["sections"]["TWK"]["answered"] == 5
    assert site.rt.finalise_due() == 0


def test_accommodation_adds_minutes(site) -> None:
    h = site.start("2026003", "PC-03")  # 30 extra minutes
    beat = site.client.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()
    assert beat["remaining_s"] == 130 * 60


def test_submit_scores_instantly_and_only_once(site) -> None:
    h = site.start("2026001")
    c = site.client
    form = c.get("/api/v1/candidate/form", headers=h).json()
    c.post("/api/v1/candidate/answers", headers=h, json=_answers(len(form["items"])))
    first = c.post("/api/v1/candidate/submit", headers=h).json()
    second = c.post("/api/v1/candidate/submit", headers=h).json()
    assert first == second
    report = first["report"]
    assert report["max_total"] == 550
    assert {s: v["items"] for s, v in report["sections"].items()} == {
        "TWK": 30,
        "TIU": 35,
        "TKP": 45,
    }
    assert sum(v["score"] for v in report["sections"].values()) == report["total"]
    assert report["reasons"][-1]["id"].startswith(("Memenuhi", "Tidak memenuhi"))
    live = c.get("/api/v1/public/sessions/S1/live").json()
    (row,) = live["rows"]
    assert row["total"] == report["total"]
    assert row["name"] == "B*** S******"
    assert live["counters"]["finished"] == 1
    verify = c.get(f"/api/v1/public/verify/{first['slip']}").json()
    assert verify["signature_valid"] is True
    assert verify["report"] == report
    assert c.get("/api/v1/public/verify/AAAA-BBBB-CCCC").status_code == 404
    r = c.post("/api/v1/candidate/answers", headers=h, json=_answers(1, 500))
    assert r.status_code == 409


def test_the_stored_score_equals_an_independent_rescore(site) -> None:
    """Export KEY.json + responses and score them with scoring's own parser."""
    from scoring import keys_from_dict, load_preset, responses_from_dict, score
    from scoring.engine import ScoringPlan

    h = site.start("2026002", "PC-02")
    site.client.post("/api/v1/candidate/answers", headers=h, json=_answers(110, choice="B"))
    stored = site.client.post("/api/v1/candidate/submit", headers=h).json()["report"]
    admin = site.proctor_headers("admin", "admin-password-123")
    site.client.post("/api/v1/proctor/sessions/S1/close", headers=admin)
    info = site.rt.proctors.session("S1")
    key = keys_from_dict(json.loads(json.dumps(site.rt.results.key_json(info))))
    line = json.loads(site.rt.results.responses_jsonl(info).splitlines()[0])
    mine = {k: v for k, v in key.items() if k in set(line["presented"])}
    report = score(
        plan=ScoringPlan(load_preset("skd-2024"), mine.values()),
        responses=responses_from_dict(line, mine),
        track="cumlaude",
    )
    from scoring import report_to_dict

    assert report_to_dict(report) == stored


def test_seat_in_use_until_released_and_old_token_refused(site) -> None:
    h = site.start("2026001", "PC-01")
    c = site.client
    c.post("/api/v1/candidate/answers", headers=h, json=_answers(7))
    r = c.post(
        "/api/v1/candidate/login",
        json={
            "participant_number": "2026001",
            "pin": PINS["2026001"],
            "session_token": site.token(),
            "workstation": "PC-99",
        },
    )
    assert (r.status_code, r.json()["error"]["code"]) == (409, "seat_in_use")
    p = site.proctor_headers()
    assert (
        c.post(
            "/api/v1/proctor/sessions/S1/seats/2026001/release",
            headers=p,
            json={"reason": "PC mati"},
        ).status_code
        == 200
    )
    assert c.post("/api/v1/candidate/heartbeat", headers=h, json={}).status_code == 401
    # the save path caches the login for a moment, but the writer re-checks the token
    r = c.post("/api/v1/candidate/answers", headers=h, json=_answers(1, 100))
    assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthenticated")
    fresh = site.login("2026001", "PC-99")
    h2 = {"Authorization": f"Bearer {fresh['token']}"}
    status = c.get("/api/v1/candidate/status", headers=h2).json()
    assert status["state"] == "in_progress"
    assert len(status["answers"]) == 7
    assert status["acked_seq"] == 7
    # so does the submitter: the old station cannot finish the exam of the new one
    r = c.post("/api/v1/candidate/submit", headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthenticated")
    assert c.get("/api/v1/candidate/status", headers=h2).json()["state"] == "in_progress"
    first = c.post("/api/v1/candidate/submit", headers=h2)
    assert first.status_code == 200
    again = c.post("/api/v1/candidate/submit", headers=h2)  # a retry: the same record
    assert again.json()["slip"] == first.json()["slip"]


def test_health_ca_and_practice_stations(site) -> None:
    c = site.client
    assert c.get("/api/v1/health").json()["ok"] is True
    pem = c.get("/api/v1/public/ca.pem")
    assert pem.text.startswith("-----BEGIN CERTIFICATE-----")
    r = c.post(
        "/api/v1/candidate/login",
        json={
            "participant_number": "2026001",
            "pin": PINS["2026001"],
            "session_token": site.token(),
            "workstation": "PC-01",
            "practice": True,
        },
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    seats = c.get("/api/v1/proctor/sessions/S1/seats", headers=site.proctor_headers()).json()
    assert next(s for s in seats if s["number"] == "2026001")["state"] == "not_arrived"


def test_a_sixth_complaint_from_one_address_within_ten_minutes_is_refused(site) -> None:
    c = site.client  # every request from the address "testclient"
    admin = site.proctor_headers("admin", ADMIN_PASS)
    for _ in range(COMPLAINTS_PER_WINDOW):  # refused as too short: these do not count
        r = c.post("/api/v1/public/complaints", json={"session": "S1", "text": "rusak"})
        assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_input")
    texts = [f"Laporan nomor {n}: layar ruang tunggu mati." for n in range(1, 7)]
    references = []
    for text in texts[:COMPLAINTS_PER_WINDOW]:
        r = c.post("/api/v1/public/complaints", json={"session": "S1", "text": text})
        assert r.status_code == 200, r.text
        references.append(r.json()["reference"])
    r = c.post("/api/v1/public/complaints", json={"session": "S1", "text": texts[-1]})
    assert (r.status_code, r.json()["error"]["code"]) == (429, "too_many_requests")
    assert "too many reports from this address" in r.json()["error"]["message"]
    wait = r.json()["error"]["retry_after_s"]
    assert 0 < wait <= 600
    assert r.headers["retry-after"] == str(wait)
    stored = c.get("/api/v1/admin/complaints", headers=admin).json()
    assert sorted(s["reference"] for s in stored) == sorted(references)
    assert texts[-1] not in [s["text"] for s in stored]

    # The limit is per address: another one is still heard.
    elsewhere = TestClient(c.app, client=("192.0.2.7", 50000))
    r = elsewhere.post("/api/v1/public/complaints", json={"session": "S1", "text": texts[-1]})
    assert r.status_code == 200, r.text
    assert len(c.get("/api/v1/admin/complaints", headers=admin).json()) == 6
