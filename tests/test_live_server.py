from __future__ import annotations

import httpx

from tests.live_server import live_site, proctor_client


def test_the_shared_live_server_serves_https_with_its_own_ca(tmp_path) -> None:
    with live_site(tmp_path, tls=True, count=3) as site:
        assert site.ca_path is not None
        with httpx.Client(base_url=site.base_url, verify=site.verify()) as client:
            r = client.post(
                "/api/v1/candidate/login",
                json={
                    "participant_number": "20260001",
                    "pin": site.pins["20260001"],
                    "session_token": site.token(),
                    "workstation": "PC-01",
                },
            )
            assert r.status_code == 200
        with proctor_client(site) as proctor:
            seats = proctor.get("/api/v1/proctor/sessions/S1/seats").json()
            assert len(seats) == 3
