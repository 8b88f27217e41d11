"""HTTPS pinned to the site CA, refusals as typed errors, retries with backoff."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from cbt_client import errors as e
from cbt_client.journal import Entry
from cbt_client.session import ExamSession
from cbt_client.transport import RetryPolicy, Transport, ssl_context
from tests.cbt_client.conftest import config_for, config_for_fake, throwaway_ca
from tests.live_server import LiveSite, free_port, proctor_client

NO_RETRY = RetryPolicy(attempts=1)


def test_a_station_talks_to_its_site_over_pinned_tls(site: LiveSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path)
    transport = Transport(config)
    try:
        transport.ping()
        login = transport.login(
            number="20260001",
            pin=site.pins["20260001"],
            session_token=site.token().lower(),
            workstation="PC-01",
        )
        assert login.candidate.name == "Budi Santoso"
        assert len(login.journal_key) == 32
        assert login.session.duration_minutes == 100
        assert [(s.id, s.count) for s in login.session.sections] == [
            ("TWK", 30),
            ("TIU", 35),
            ("TKP", 45),
        ]
        assert transport.photo() is None  # no photo on file: the screen shows a placeholder
        transport.start()
        form = transport.form()
        assert isinstance(form, dict)
        assert len(form["items"]) == 110
        acked = transport.save([Entry(1, 1, "A", False), Entry(2, 2, "B", True)])
        status, saved = transport.status()
        assert acked == 2
        assert status.acked_seq == 2
        assert saved[2].doubtful
        beat = transport.heartbeat(answered=2, client_time_ms=0)
        assert beat.state == "in_progress"
        assert 0 < beat.remaining_s <= 6000
        assert transport.incident("other", "a test") is False
        with pytest.raises(e.WrongUnlockCodeError):
            transport.unlock("123456")
        result = transport.submit()
        assert result.slip
        assert result.sections[0].id == "TWK"
        assert transport.result().slip == result.slip
    finally:
        transport.close()


def test_a_server_with_another_ca_is_not_trusted(site: LiveSite, tmp_path: Path) -> None:
    pem, fp = throwaway_ca()
    config = config_for(site, tmp_path)
    other = type(config).create(
        server_url=config.server_url,
        station_id="PC-01",
        ca_pem=pem,
        ca_fingerprint=fp,
        data_dir=tmp_path,
    )
    transport = Transport(other, retry=NO_RETRY)
    try:
        with pytest.raises(e.UntrustedServerError) as caught:
            transport.ping()
        assert caught.value.url == config.server_url
    finally:
        transport.close()


def test_every_login_refusal_is_a_typed_error(site: LiveSite, tmp_path: Path) -> None:
    transport = Transport(config_for(site, tmp_path), retry=NO_RETRY)
    good = {"number": "20260002", "pin": site.pins["20260002"], "session_token": site.token()}
    try:
        with pytest.raises(e.WrongPinError) as wrong:
            transport.login(**{**good, "pin": "000000"}, workstation="PC-02")
        assert wrong.value.attempts_left == 2
        assert wrong.value.code == "wrong_pin"
        with pytest.raises(e.WrongPinError):  # an unknown number reads the same
            transport.login(**{**good, "number": "99999999"}, workstation="PC-02")
        with pytest.raises(e.WrongSessionTokenError):
            transport.login(**{**good, "session_token": "AAAAAA"}, workstation="PC-02")
        transport.login(**good, workstation="PC-02")
        with pytest.raises(e.SeatInUseError) as seat:
            transport.login(**good, workstation="PC-03")
        assert "PC-02" in seat.value.message
        for _ in range(2):
            with pytest.raises(e.WrongPinError):
                transport.login(**{**good, "number": "20260003", "pin": "1"}, workstation="PC-04")
        with pytest.raises(e.WrongPinError) as locked_now:
            transport.login(**{**good, "number": "20260003", "pin": "1"}, workstation="PC-04")
        assert locked_now.value.retry_after_s == 30
        with pytest.raises(e.CandidateLockedError) as locked:
            transport.login(
                **{**good, "number": "20260003", "pin": site.pins["20260003"]}, workstation="PC-04"
            )
        assert 0 < (locked.value.retry_after_s or 0) <= 30
        with proctor_client(site) as proctor:
            proctor.post("/api/v1/proctor/sessions/S1/close").raise_for_status()
        with pytest.raises(e.SessionNotOpenError):
            transport.login(
                **{**good, "number": "20260004", "pin": site.pins["20260004"]}, workstation="PC-05"
            )
    finally:
        transport.close()


def _mock(handler) -> httpx.Client:
    return httpx.Client(base_url="https://cbt.test", transport=httpx.MockTransport(handler))


def _transport(client: httpx.Client, tmp_path: Path, retry: RetryPolicy) -> Transport:
    transport = Transport(config_for_fake(tmp_path), client=client, retry=retry)
    transport.token = "cbta_test"
    return transport


def test_a_busy_server_is_retried_with_backoff_then_reported(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        assert request.headers["Authorization"] == "Bearer cbta_test"
        if len(calls) < 3:
            return httpx.Response(
                503,
                json={
                    "error": {"code": "storage_unavailable", "message": "nothing was saved, retry"}
                },
            )
        return httpx.Response(200, json={"acked_seq": 7})

    with _mock(handler) as client:
        retry = RetryPolicy(attempts=3, first_delay_s=0.001, max_delay_s=0.002)
        assert _transport(client, tmp_path, retry).save([Entry(7, 1, "A", False)]) == 7
        assert len(calls) == 3
        calls.clear()
        with pytest.raises(e.ServerBusyError) as caught:
            _transport(client, tmp_path, RetryPolicy(attempts=2, first_delay_s=0.001)).save(
                [Entry(8, 1, "B", False)]
            )
        assert caught.value.code == "storage_unavailable"
        assert len(calls) == 2


def test_unknown_refusals_keep_the_servers_words(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, json={"error": {"code": "brand_new", "message": "Coba lagi."}})

    with _mock(handler) as client, pytest.raises(e.ServerRefusedError) as caught:
        _transport(client, tmp_path, NO_RETRY).start()
    assert (caught.value.code, caught.value.message, caught.value.status) == (
        "brand_new",
        "Coba lagi.",
        409,
    )


def test_a_reply_of_the_wrong_shape_is_a_protocol_error(tmp_path: Path) -> None:
    for reply in (httpx.Response(200, text="<html>"), httpx.Response(200, json={"state": 3})):
        with _mock(lambda request, r=reply: r) as client, pytest.raises(e.ProtocolError):
            _transport(client, tmp_path, NO_RETRY).status()


def test_nobody_listening_is_unreachable_after_the_retries(tmp_path: Path) -> None:
    pem, fp = throwaway_ca()
    config = type(config_for_fake(tmp_path)).create(
        server_url=f"https://127.0.0.1:{free_port()}",
        station_id="PC-01",
        ca_pem=pem,
        ca_fingerprint=fp,
        data_dir=tmp_path,
    )
    stop = threading.Event()
    transport = Transport(config, retry=RetryPolicy(attempts=3, first_delay_s=0.01), stop=stop)
    try:
        with pytest.raises(e.ServerUnreachableError) as caught:
            transport.ping()
        assert caught.value.url == config.server_url
    finally:
        transport.close()
    with pytest.raises(e.SignedOutError):
        transport.status()  # no token: not signed in


def test_the_probe_is_the_servers_health_check(site: LiveSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path)
    asked: list[str] = []
    with httpx.Client(
        base_url=config.server_url,
        verify=ssl_context(config),
        event_hooks={"request": [lambda request: asked.append(request.url.path)]},
    ) as client:
        Transport(config, client=client, retry=NO_RETRY).ping()
        health = client.get("/api/v1/health").json()
    assert asked[0] == "/api/v1/health"
    assert health["ok"] is True


def test_a_real_session_refuses_a_practice_station_before_taking_the_seat(
    site: LiveSite, tmp_path: Path
) -> None:
    number = "20260005"
    good = {"number": number, "pin": site.pins[number], "session_token": site.token()}
    transport = Transport(config_for(site, tmp_path), retry=NO_RETRY)
    try:
        with pytest.raises(e.PracticeOnlyError) as caught:
            transport.login(**good, workstation="LATIHAN-01", practice=True)
        assert caught.value.session is None
        refusal = caught.value.__cause__
        assert isinstance(refusal, e.ServerRefusedError)
        assert (refusal.status, refusal.code) == (403, "forbidden")
        assert transport.token is None
        with proctor_client(site) as proctor:
            seats = proctor.get("/api/v1/proctor/sessions/S1/seats").json()
        seat = next(s for s in seats if s["number"] == number)
        assert (seat["state"], seat["workstation"]) == ("not_arrived", None)
        transport.login(**good, workstation="PC-05")  # the seat is free for a real station
    finally:
        transport.close()


def test_a_started_session_holds_every_image_of_its_form_each_under_its_own_ref(
    site: LiveSite, tmp_path: Path
) -> None:
    """The images are fetched a few at a time: each must still land under its own ref."""
    config = config_for(site, tmp_path)
    session = ExamSession(Transport(config), workstation="PC-01", data_dir=tmp_path / "station")
    try:
        assert session.probe()
        session.login(number="20260002", pin=site.pins["20260002"], session_token=site.token())
        session.confirm_identity()
        session.start()
        assert session.form is not None
        refs = session.form.image_refs()
        assert len(refs) > 10  # the sample form has dozens: enough to interleave
        with httpx.Client(base_url=site.base_url, verify=site.verify()) as direct:
            token = session.api.token
            for ref in refs:
                served = direct.get(
                    f"/api/v1/candidate/images/{ref}", headers={"Authorization": f"Bearer {token}"}
                )
                assert served.status_code == 200
                assert session.image(ref) == served.content, ref
        assert len({session.image(ref) for ref in refs}) == len(refs)  # no two alike
    finally:
        session.close()
