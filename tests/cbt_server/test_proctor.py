"""Proctor actions: each reaches the station, the clock, the grid and the audit log."""

from __future__ import annotations

from tests.cbt_server.conftest import ADMIN_PASS


def test_seat_grid_token_and_states(site) -> None:
    p = site.proctor_headers()
    c = site.client
    h = site.start("2026001")
    site.login("2026002", "PC-02")
    c.post("/api/v1/candidate/heartbeat", headers=h, json={"answered": 0})
    view = c.get("/api/v1/proctor/sessions/S1", headers=p).json()
    assert len(view["token"]["token"]) == 6
    assert 0 < view["token"]["rotates_in_s"] <= 900
    states = {s["number"]: s["state"] for s in view["seats"]}
    assert states == {
        "2026001": "answering",
        "2026002": "logged_in",
        "2026003": "not_arrived",
        "2026004": "not_arrived",
    }
    site.clock.advance(45)
    seats = {s["number"]: s for s in c.get("/api/v1/proctor/sessions/S1/seats", headers=p).json()}
    assert seats["2026001"]["state"] == "offline"
    assert seats["2026001"]["offline_s"] == 45


def test_extend_pause_resume_move_the_deadline(site) -> None:
    p = site.proctor_headers()
    c = site.client
    h = site.start("2026001")

    def remaining() -> int:
        return c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()["remaining_s"]

    assert remaining() == 6000
    r = c.post(
        "/api/v1/proctor/sessions/S1/extend",
        headers=p,
        json={"number": "2026001", "minutes": 10, "reason": "gangguan listrik"},
    )
    assert r.json()["extended"] == 1
    beat = c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()
    assert beat["remaining_s"] == 6600
    assert [cmd["kind"] for cmd in beat["commands"]] == ["extend"]
    assert c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()["commands"] == []
    c.post("/api/v1/proctor/sessions/S1/pause", headers=p, json={"reason": "listrik padam"})
    site.clock.advance(300)  # five minutes of power cut: not charged to candidates
    assert remaining() == 6600
    c.post("/api/v1/proctor/sessions/S1/resume", headers=p, json={"reason": "listrik pulih"})
    site.clock.advance(100)
    assert remaining() == 6500
    r = c.post(
        "/api/v1/proctor/sessions/S1/extend",
        headers=p,
        json={"number": "2026001", "minutes": 10, "reason": ""},
    )
    assert r.status_code == 422  # a reason is required


def test_lock_and_unlock_with_a_code(site) -> None:
    p = site.proctor_headers()
    c = site.client
    h = site.start("2026001")
    c.post(
        "/api/v1/proctor/sessions/S1/seats/2026001/lock",
        headers=p,
        json={"reason": "membuka aplikasi lain"},
    )
    beat = c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()
    assert beat["locked"] is True
    assert beat["commands"][0]["kind"] == "lock"
    code = c.post("/api/v1/proctor/sessions/S1/seats/2026001/unlock-code", headers=p).json()["code"]
    assert (
        c.post(
            "/api/v1/candidate/unlock",
            headers=h,
            json={"code": "000000" if code != "000000" else "111111"},
        ).status_code
        == 403
    )
    assert c.post("/api/v1/candidate/unlock", headers=h, json={"code": code}).status_code == 200
    assert c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()["locked"] is False


def test_violation_reports_lock_when_the_session_says_so(site) -> None:
    h = site.start("2026001")
    r = site.client.post(
        "/api/v1/candidate/incidents", headers=h, json={"kind": "focus_lost", "detail": "Alt+Tab"}
    )
    assert r.json() == {"recorded": True, "locked": False}  # S1 does not lock on violations
    seats = site.client.get(
        "/api/v1/proctor/sessions/S1/seats", headers=site.proctor_headers()
    ).json()
    assert next(s for s in seats if s["number"] == "2026001")["incidents"] == 1
    bad = site.client.post("/api/v1/candidate/incidents", headers=h, json={"kind": "x"})
    assert bad.status_code == 422


def test_force_submit_message_incident_and_activity(site) -> None:
    p = site.proctor_headers()
    c = site.client
    h = site.start("2026001")
    assert (
        c.post(
            "/api/v1/proctor/sessions/S1/message", headers=p, json={"text": "Sisa waktu 10 menit"}
        ).json()["sent"]
        == 1
    )
    beat = c.post("/api/v1/candidate/heartbeat", headers=h, json={}).json()
    assert beat["commands"][0] == {
        **beat["commands"][0],
        "kind": "message",
        "text": "Sisa waktu 10 menit",
    }
    c.post(
        "/api/v1/proctor/sessions/S1/incidents",
        headers=p,
        json={"number": "2026002", "kind": "other", "detail": "datang terlambat"},
    )
    r = c.post(
        "/api/v1/proctor/sessions/S1/seats/2026001/force-submit",
        headers=p,
        json={"reason": "kecurangan terbukti"},
    )
    assert r.status_code == 200
    assert c.get("/api/v1/candidate/result", headers=h).status_code == 200
    events = [a["event"] for a in c.get("/api/v1/proctor/sessions/S1/activity", headers=p).json()]
    for event in ("message_sent", "incident_recorded", "force_submitted", "attempt_scored"):
        assert event in events


def test_closing_a_session_scores_everyone_still_answering(site) -> None:
    h = site.start("2026001")
    site.client.post(
        "/api/v1/candidate/answers",
        headers=h,
        json={"changes": [{"number": 1, "choice": "A", "seq": 1}]},
    )
    admin = site.proctor_headers("admin", ADMIN_PASS)
    assert site.client.post("/api/v1/proctor/sessions/S1/close", headers=admin).status_code == 200
    assert site.client.get("/api/v1/candidate/result", headers=h).status_code == 200
    results = site.client.get("/api/v1/public/sessions/S1/results").json()
    assert [r["candidate"] for r in results["results"]] == ["2026001"]
    assert results["results"][0]["name"] == "B*** S******"
