"""A small in-memory stand-in for the server (the injected transport of the fast tests).

It follows docs/api.md closely enough for the session and the screens: the
highest ``seq`` per item wins, ``acked_seq`` is the batch's highest, the clock
is the test's, and a switch makes it unreachable.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from cbt_client import errors as e
from cbt_client import wire
from cbt_client.journal import Entry
from question_bank import richtext

#: A 1x1 PNG (the smallest real image).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
KEY = bytes(range(32))


def payload(
    sections: Sequence[tuple[str, str, int]] = (
        ("TWK", "Tes Wawasan Kebangsaan", 4),
        ("TIU", "Tes Intelegensia Umum", 3),
        ("TKP", "Tes Karakteristik Pribadi", 3),
    ),
) -> dict[str, object]:
    """A keyless form with text, bold, a list, a table and pictures."""
    items: list[dict[str, object]] = []
    secs: list[dict[str, object]] = []
    number = 1
    for sid, name, count in sections:
        secs.append({"id": sid, "name": name, "first": number, "count": count})
        for k in range(count):
            if sid == "TIU" and k == 0:
                stem = richtext.parse(
                    "Tabel berikut:\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n![Gambar soal](fig)"
                )
                options = [richtext.parse(f"![Pilihan {x}](opt{x})") for x in "ABCDE"]
            else:
                stem = richtext.parse(f"Soal **nomor {number}** tentang {name}.\n\n- butir satu")
                options = [richtext.parse(f"Pilihan {x} untuk soal {number}") for x in "ABCDE"]
            items.append(
                {
                    "number": number,
                    "section": sid,
                    "stem": richtext.to_json(stem),
                    "options": [
                        {"label": x, "content": richtext.to_json(o)}
                        for x, o in zip("ABCDE", options, strict=True)
                    ],
                }
            )
            number += 1
    return {
        "payload_version": 1,
        "title": "SKD Uji",
        "duration_minutes": 100,
        "sections": secs,
        "items": items,
    }


@dataclass
class FakeServer:
    """Implements ``cbt_client.transport.ServerApi`` in memory; thread-safe."""

    pin: str = "123456"
    session_token: str = "ABCDEF"
    practice: bool = False
    #: A server that knows the "practice" login flag (False: an older one lets it in).
    refuses_practice: bool = True
    duration_s: int = 6000
    form_data: dict[str, object] = field(default_factory=payload)
    photo_bytes: bytes | None = PNG
    down: bool = False
    token: str | None = None
    state: str = "identity"
    locked: bool = False
    paused: bool = False
    lock_on_incident: bool = False
    remaining_s: int = 6000
    unlock_code: str = "246810"
    answers: dict[int, wire.SavedAnswer] = field(default_factory=dict)
    acked: int = 0
    incidents: list[tuple[str, str]] = field(default_factory=list)
    commands: list[wire.Command] = field(default_factory=list)
    refuse_login: e.ClientError | None = None
    workstation: str | None = None
    submitted: int = 0
    saves: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ helpers

    def _up(self) -> None:
        if self.down:
            raise e.ServerUnreachableError("the fake server is down", url="https://fake")

    def _auth(self) -> None:
        self._up()
        if self.token is None:
            raise e.SignedOutError("sign in again", status=401, code="unauthenticated")

    def _status(self) -> wire.AttemptStatus:
        return wire.AttemptStatus(
            state=self.state,
            locked=self.locked,
            paused=self.paused,
            server_time_ms=0,
            remaining_s=self.remaining_s,
            duration_s=self.duration_s,
            items=len(self.form_data["items"]),  # type: ignore[arg-type]
            acked_seq=self.acked,
        )

    def result_record(self) -> wire.Result:
        answered = sum(1 for a in self.answers.values() if a.choice)
        report = {
            "sections": {
                "TWK": {
                    "score": 5 * answered,
                    "max": 150,
                    "threshold": 65,
                    "passed": False,
                    "answered": answered,
                    "items": 30,
                },
                "TIU": {
                    "score": 80,
                    "max": 175,
                    "threshold": 80,
                    "passed": True,
                    "answered": 0,
                    "items": 35,
                },
            },
            "total": 5 * answered + 80,
            "max_total": 550,
            "total_threshold": None,
            "passed": False,
            "reasons": [
                {
                    "code": "section_below_threshold",
                    "section": "TWK",
                    "id": "TWK di bawah ambang batas 65",
                    "en": "TWK is below the threshold of 65",
                },
                {
                    "code": "outcome_fail",
                    "section": None,
                    "id": "Tidak memenuhi ambang batas jalur Umum",
                    "en": "Does not meet the thresholds of the General track",
                },
            ],
        }
        return wire.result({"slip": "ABCD-EFGH-JKLM", "scored_ms": 1, "report": report})

    # ------------------------------------------------------------------ ServerApi

    def ping(self) -> None:
        self._up()

    def login(
        self, *, number: str, pin: str, session_token: str, workstation: str, practice: bool = False
    ) -> wire.Login:
        with self._lock:
            self._up()
            if self.refuse_login is not None:
                raise self.refuse_login
            if pin != self.pin:
                raise e.WrongPinError("wrong", status=401, code="wrong_pin", attempts_left=2)
            if session_token != self.session_token:
                raise e.WrongSessionTokenError("token", status=403, code="wrong_session_token")
            if practice and not self.practice and self.refuses_practice:
                # What Transport makes of the server's 403 "forbidden": no seat was taken.
                raise e.PracticeOnlyError(session=None)
            if self.workstation not in (None, workstation) and self.state != "submitted":
                raise e.SeatInUseError("in use", status=409, code="seat_in_use")
            self.workstation = workstation
            self.token = f"tok-{number}-{workstation}"
            return wire.Login(
                token=self.token,
                journal_key=KEY,
                candidate=wire.Candidate(
                    number,
                    "Budi Santoso",
                    "Analis Kebijakan",
                    "general",
                    self.photo_bytes is not None,
                ),
                session=wire.SessionInfo(
                    "S1",
                    "SKD Uji",
                    "R1",
                    workstation,
                    100,
                    (
                        wire.SectionCount("TWK", 4),
                        wire.SectionCount("TIU", 3),
                        wire.SectionCount("TKP", 3),
                    ),
                    self.practice,
                ),
                status=self._status(),
            )

    def status(self) -> tuple[wire.AttemptStatus, dict[wire.ItemNumber, wire.SavedAnswer]]:
        with self._lock:
            self._auth()
            return self._status(), {wire.ItemNumber(n): a for n, a in self.answers.items()}

    def photo(self) -> bytes | None:
        self._auth()
        return self.photo_bytes

    def start(self) -> wire.AttemptStatus:
        with self._lock:
            self._auth()
            if self.state == "identity":
                self.state = "in_progress"
            return self._status()

    def form(self) -> object:
        self._auth()
        return self.form_data

    def image(self, ref: str) -> bytes:
        self._auth()
        return PNG

    def save(self, entries: Sequence[Entry]) -> int:
        with self._lock:
            self._auth()
            if self.state == "submitted":
                raise e.ServerRefusedError("submitted", status=409, code="conflict")
            if self.remaining_s <= 0 and self.state == "time_over":
                raise e.TimeOverError("late", status=409, code="time_over")
            for entry in entries:
                held = self.answers.get(entry.number)
                if held is None or held.seq < entry.seq:
                    self.answers[entry.number] = wire.SavedAnswer(
                        entry.choice, entry.doubtful, entry.seq
                    )
            self.acked = max(self.acked, max(x.seq for x in entries))
            self.saves += 1
            return max(x.seq for x in entries)

    def heartbeat(self, *, answered: int, client_time_ms: int) -> wire.Beat:
        with self._lock:
            self._auth()
            commands, self.commands = tuple(self.commands), []
            return wire.Beat(
                0, self.state, self.remaining_s, self.paused, self.locked, self.acked, commands
            )

    def incident(self, kind: str, detail: str) -> bool:
        with self._lock:
            self._auth()
            self.incidents.append((kind, detail))
            if self.lock_on_incident and self.state == "in_progress":
                self.locked = True
            return self.locked

    def unlock(self, code: str) -> None:
        with self._lock:
            self._auth()
            if code != self.unlock_code:
                raise e.WrongUnlockCodeError("wrong code", status=403, code="wrong_unlock_code")
            self.locked = False

    def submit(self) -> wire.Result:
        with self._lock:
            self._auth()
            self.state = "submitted"
            self.submitted += 1
            return self.result_record()

    def result(self) -> wire.Result:
        with self._lock:
            self._auth()
            return self.result_record()

    def close(self) -> None:
        pass
