from __future__ import annotations

import logging
import socket

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


def test_stopping_with_displays_connected_ends_their_streams_without_a_traceback(
    tmp_path,
) -> None:
    """Displays stay connected all day; stopping the server must end their streams as an
    expected event, not as "Exception in ASGI application" with a traceback."""
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    server_log = logging.getLogger("uvicorn.error")
    keep = Keep(logging.DEBUG)
    with live_site(tmp_path, count=3) as site:
        server_log.addHandler(keep)  # after uvicorn has configured its loggers
        port = int(site.base_url.rsplit(":", 1)[1])
        displays = []
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /api/v1/public/sessions/S1/events HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while b"event: snapshot" not in data:
                data += s.recv(65536)
            displays.append(s)
    server_log.removeHandler(keep)
    for s in displays:
        s.close()
    assert any("graceful shutdown exceeded" in r.getMessage() for r in seen)  # they were open
    assert not [r for r in seen if r.exc_info or "Exception in ASGI" in r.getMessage()]
