"""The state machine, offline behaviour, time and locks, without Qt (an in-memory server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbt_client import errors as e
from cbt_client.journal import Journal
from cbt_client.session import (
    TRANSITIONS,
    Event,
    EventKind,
    ExamSession,
    Link,
    Phase,
)
from cbt_client.wire import Command, SavedAnswer
from tests.cbt_client.conftest import FAST, Monotonic, signed_in
from tests.cbt_client.fakes import KEY, FakeServer


def _events(session: ExamSession) -> list[Event]:
    seen: list[Event] = []
    session.subscribe(seen.append)
    return seen


def test_the_happy_path_walks_every_phase(session: ExamSession, fake: FakeServer) -> None:
    seen = _events(session)
    assert session.phase == Phase.CONNECT
    assert session.probe()
    assert session.phase == Phase.LOGIN
    assert session.link == Link.ONLINE
    session.login(number="20260001", pin=fake.pin, session_token=fake.session_token)
    assert session.phase == Phase.IDENTITY
    assert session.candidate is not None
    assert session.candidate.name == "Budi Santoso"
    assert session.photo() == fake.photo_bytes
    session.confirm_identity()
    assert session.phase == Phase.INSTRUCTIONS
    assert not session.started
    session.start()
    assert session.phase == Phase.EXAM
    assert session.form is not None
    assert len(session.form) == 10
    assert session.image("fig") is not None
    assert session.choose("B")
    assert session.answer(1).choice == "B"
    assert not session.choose("Z")  # not an option of this item
    assert session.next_item()
    assert session.current == 2
    assert session.toggle_doubtful()
    assert session.answer(2).doubtful
    assert session.previous_item()
    assert session.current == 1
    session.sync()
    assert fake.answers[1] == SavedAnswer("B", False, 1)
    assert fake.acked == 2
    session.request_finish()
    assert session.phase == Phase.FINISH
    assert session.go_to(5)
    assert session.phase == Phase.EXAM
    session.request_finish()
    result = session.submit()
    assert session.phase == Phase.RESULT
    assert result.slip == "ABCD-EFGH-JKLM"
    assert session.result is result
    assert fake.submitted == 1
    kinds = [x.kind for x in seen]
    assert kinds.count(EventKind.PHASE) >= 7
    assert EventKind.ANSWERS in kinds
    assert not (session.data_dir / "journal").exists() or not any(
        (session.data_dir / "journal").iterdir()
    )  # the journal is gone once the server holds the result


def test_phases_refuse_what_they_do_not_allow(session: ExamSession, fake: FakeServer) -> None:
    with pytest.raises(e.PhaseError) as caught:
        session.start()
    assert caught.value.phase == "connect"
    signed_in(session, fake, start=False)
    assert not session.choose("A")  # no items before the start
    with pytest.raises(e.PhaseError):
        session.submit()
    assert all(Phase.LOCKED in TRANSITIONS[p] for p in (Phase.EXAM, Phase.FINISH, Phase.IDENTITY))
    assert TRANSITIONS[Phase.RESULT] == frozenset({Phase.LOGIN})


def test_not_me_returns_to_login(session: ExamSession, fake: FakeServer) -> None:
    session.login(number="20260001", pin=fake.pin, session_token=fake.session_token)
    session.sign_out()
    assert session.phase == Phase.LOGIN
    assert session.candidate is None


def test_refusals_at_login_carry_their_fields(session: ExamSession, fake: FakeServer) -> None:
    with pytest.raises(e.WrongPinError) as caught:
        session.login(number="20260001", pin="000000", session_token=fake.session_token)
    assert caught.value.attempts_left == 2
    with pytest.raises(e.WrongSessionTokenError):
        session.login(number="20260001", pin=fake.pin, session_token="ZZZZZZ")
    fake.workstation = "PC-09"
    with pytest.raises(e.SeatInUseError):
        session.login(number="20260001", pin=fake.pin, session_token=fake.session_token)
    assert session.phase == Phase.LOGIN


def test_a_practice_station_refuses_a_real_session(tmp_path: Path, fake: FakeServer) -> None:
    practice = ExamSession(fake, workstation="PC-01", data_dir=tmp_path, practice=True)
    with pytest.raises(e.PracticeOnlyError) as caught:
        practice.login(number="1", pin=fake.pin, session_token=fake.session_token)
    assert caught.value.session is None  # the server said no, before taking the seat
    assert fake.workstation is None
    assert practice.phase == Phase.LOGIN
    fake.refuses_practice = False  # an older server lets it in: the station backs out itself
    with pytest.raises(e.PracticeOnlyError) as caught:
        practice.login(number="1", pin=fake.pin, session_token=fake.session_token)
    assert caught.value.session == "S1"
    assert practice.phase == Phase.LOGIN
    fake.practice = True
    practice.login(number="1", pin=fake.pin, session_token=fake.session_token)
    assert practice.phase == Phase.IDENTITY


def test_outside_the_kiosk_the_exam_does_not_start_and_the_proctor_hears_why(
    session: ExamSession, fake: FakeServer
) -> None:
    session.refuse_start("not_in_kiosk", "not inside cage")
    assert session.pending_incidents == ()  # nobody to tell before a login
    signed_in(session, fake, start=False)
    session.sync()  # after the login, before the start
    assert fake.incidents == [
        ("not_in_kiosk", "not inside cage; the station refuses to start the exam")
    ]
    with pytest.raises(e.StartRefusedError) as caught:
        session.start()
    assert caught.value.kind == "not_in_kiosk"
    assert fake.state == "identity"  # the clock never started
    assert session.phase == Phase.INSTRUCTIONS
    session.sign_out()
    signed_in(session, fake, start=False)  # the next candidate at this PC: reported again
    session.sync()
    assert [kind for kind, _ in fake.incidents] == ["not_in_kiosk", "not_in_kiosk"]


def test_a_practice_station_may_run_outside_the_kiosk(tmp_path: Path, fake: FakeServer) -> None:
    fake.practice = True
    practice = ExamSession(fake, workstation="PC-01", data_dir=tmp_path, practice=True)
    practice.refuse_start("not_in_kiosk", "not inside cage")
    assert practice.start_refusal is None
    signed_in(practice, fake)
    assert practice.phase == Phase.EXAM
    assert fake.incidents == []


def test_offline_the_exam_goes_on_and_flushes_on_reconnect(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    fake.down = True
    for n in range(1, 11):
        assert session.go_to(n)
        assert session.choose("ABCDE"[n % 5])
    assert session.toggle_doubtful(3)
    session.sync()
    assert session.link == Link.OFFLINE
    assert session.unsent == 10
    assert fake.answers == {}
    # Every change is in the journal already.
    assert len(Journal(session.data_dir / "journal", KEY).read().entries) == 11
    fake.down = False
    clock.advance(FAST.retry_max_s)
    session.sync()
    assert session.link == Link.ONLINE
    assert session.unsent == 0
    assert {n: a.choice for n, a in fake.answers.items()} == {
        n: "ABCDE"[n % 5] for n in range(1, 11)
    }
    assert fake.answers[3].doubtful
    assert Journal(session.data_dir / "journal", KEY).read().entries == ()


def test_retries_back_off_while_offline(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    fake.down = True
    session.choose("A")
    waits = []
    for _ in range(4):
        session.sync()
        waits.append(session.next_sync_in())
        clock.advance(waits[-1])
    assert waits[0] < waits[-1] <= FAST.retry_max_s + 1e-6


def test_a_restart_resumes_from_server_and_journal(
    session: ExamSession, fake: FakeServer, tmp_path: Path
) -> None:
    signed_in(session, fake)
    session.choose("A")
    session.sync()  # item 1 acknowledged
    fake.down = True
    session.go_to(2)
    session.choose("C")
    session.go_to(3)
    session.choose("D")
    session.sync()
    assert session.unsent == 2
    # The station dies here (no close, no flush). The server comes back; the station restarts.
    fake.down = False
    restarted = ExamSession(fake, workstation="PC-01", data_dir=session.data_dir, policy=FAST)
    restarted.login(number="20260001", pin=fake.pin, session_token=fake.session_token)
    assert restarted.resumed_unsent == 2
    assert restarted.started
    assert {n: restarted.answer(n).choice for n in (1, 2, 3)} == {1: "A", 2: "C", 3: "D"}
    restarted.sync()
    assert fake.answers[2].choice == "C"
    assert fake.answers[3].choice == "D"
    assert fake.incidents
    assert fake.incidents[0][0] == "station_restarted"
    restarted.confirm_identity()
    restarted.start()
    assert restarted.current == 4  # resumes at the first unanswered item


def test_time_over_online_submits_when_the_server_agrees(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    session.choose("A")
    clock.advance(fake.remaining_s + 1)
    fake.remaining_s = 90  # an extension the station had not heard of yet
    session.sync()
    assert session.phase == Phase.EXAM
    assert session.remaining_s() > 80
    clock.advance(91)
    fake.remaining_s = 0
    session.sync()
    assert session.phase == Phase.RESULT
    assert fake.submitted == 1
    assert fake.answers[1].choice == "A"


def test_time_over_offline_waits_then_submits_when_the_server_is_back(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    fake.down = True
    session.choose("B")
    clock.advance(fake.remaining_s + 1)
    session.sync()
    assert session.phase == Phase.TIME_OVER
    assert session.unsent == 1
    assert not session.choose("C")  # nothing changes after the end
    fake.down = False
    fake.remaining_s = 0
    clock.advance(FAST.retry_max_s)
    session.sync()
    assert session.phase == Phase.RESULT
    assert fake.answers[1].choice == "B"
    assert fake.submitted == 1


def test_answers_too_late_are_dropped_and_the_result_still_comes(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    fake.down = True
    session.choose("B")
    clock.advance(fake.remaining_s + 1)
    session.sync()
    fake.down, fake.remaining_s, fake.state = False, 0, "time_over"
    clock.advance(FAST.retry_max_s)
    session.sync()
    assert session.phase == Phase.RESULT
    assert 1 not in fake.answers


def test_a_violation_locks_when_the_server_says_so_and_a_code_unlocks(
    session: ExamSession, fake: FakeServer
) -> None:
    signed_in(session, fake)
    fake.lock_on_incident = True
    session.report("focus_lost", "the window lost focus")
    session.sync()
    assert session.phase == Phase.LOCKED
    assert session.lock_reason == "focus_lost"
    assert fake.incidents == [("focus_lost", "the window lost focus")]
    assert not session.choose("A")
    with pytest.raises(e.WrongUnlockCodeError):
        session.unlock("000000")
    session.unlock(fake.unlock_code)
    assert session.phase == Phase.EXAM


def test_incidents_before_login_wait_for_the_login(session: ExamSession, fake: FakeServer) -> None:
    session.report("multiple_screens", "2 screens at start")
    session.probe()
    session.sync()
    assert fake.incidents == []
    signed_in(session, fake, start=False)
    session.sync()
    assert fake.incidents == [("multiple_screens", "2 screens at start")]


def test_heartbeat_commands_reach_the_station(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    seen = _events(session)
    fake.commands = [
        Command(1, "message", text="Sisa waktu 30 menit"),
        Command(2, "extend", minutes=10),
    ]
    fake.paused = True
    clock.advance(1)
    session.sync()
    messages = [x for x in seen if x.kind == EventKind.MESSAGE]
    assert [m.text for m in messages] == ["Sisa waktu 30 menit", ""]
    assert messages[1].minutes == 10
    assert session.paused
    assert not session.choose("A")
    fake.paused = False
    fake.commands = [Command(3, "lock", text="diminta pengawas")]
    fake.locked = True
    clock.advance(1)
    session.sync()
    assert session.phase == Phase.LOCKED
    assert session.lock_reason == "diminta pengawas"
    fake.locked = False  # unlocked from the console
    clock.advance(1)
    session.sync()
    assert session.phase == Phase.EXAM


def test_a_forced_submission_shows_the_result(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    fake.state = "submitted"
    clock.advance(1)
    session.sync()
    assert session.phase == Phase.RESULT
    assert session.result is not None


def test_a_released_seat_signs_the_station_out(
    session: ExamSession, fake: FakeServer, clock: Monotonic
) -> None:
    signed_in(session, fake)
    seen = _events(session)
    fake.token = None  # the proctor released the seat
    clock.advance(1)
    session.sync()
    assert session.phase == Phase.LOGIN
    out = [x for x in seen if x.kind == EventKind.SIGNED_OUT]
    assert out
    assert isinstance(out[0].error, e.SignedOutError)


def test_submit_offline_keeps_the_finish_page(session: ExamSession, fake: FakeServer) -> None:
    signed_in(session, fake)
    session.choose("A")
    session.request_finish()
    fake.down = True
    with pytest.raises(e.ServerUnreachableError):
        session.submit()
    assert session.phase == Phase.FINISH
    assert session.link == Link.OFFLINE
    fake.down = False
    session.submit()
    assert session.phase == Phase.RESULT
