"""The server's replies as typed records, read strictly: a wrong shape is a ``ProtocolError``.

Only the fields the station uses are read; the server may add others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NewType

from cbt_client.errors import ProtocolError

#: An item's number on the candidate's form (1..n).
ItemNumber = NewType("ItemNumber", int)


def _obj(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} is not an object")
    return value


def _str(data: Mapping[str, object], name: str, *, optional: bool = False) -> str:
    value = data.get(name)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise ProtocolError(f"{name!r} is not text")
    return value


def _int(data: Mapping[str, object], name: str, default: int | None = None) -> int:
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(f"{name!r} is not a whole number")
    return value


def _bool(data: Mapping[str, object], name: str, default: bool | None = None) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ProtocolError(f"{name!r} is not true/false")
    return value


def _list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise ProtocolError(f"{what} is not a list")
    return value


@dataclass(frozen=True, slots=True)
class Candidate:
    number: str
    name: str
    formation: str
    track: str
    has_photo: bool


@dataclass(frozen=True, slots=True)
class SectionCount:
    id: str
    count: int


@dataclass(frozen=True, slots=True)
class SessionInfo:
    code: str
    exam: str
    room: str
    workstation: str
    duration_minutes: int
    sections: tuple[SectionCount, ...]
    practice: bool


@dataclass(frozen=True, slots=True)
class AttemptStatus:
    state: str  # identity | in_progress | submitted
    locked: bool
    paused: bool
    server_time_ms: int
    remaining_s: int
    duration_s: int
    items: int
    acked_seq: int


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    choice: str | None
    doubtful: bool
    seq: int


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    journal_key: bytes
    candidate: Candidate
    session: SessionInfo
    status: AttemptStatus


@dataclass(frozen=True, slots=True)
class Command:
    id: int
    kind: str  # pause, resume, extend, lock, message, force_submit
    minutes: int = 0
    text: str = ""


@dataclass(frozen=True, slots=True)
class Beat:
    server_time_ms: int
    state: str
    remaining_s: int
    paused: bool
    locked: bool
    acked_seq: int
    commands: tuple[Command, ...]


@dataclass(frozen=True, slots=True)
class SectionScore:
    id: str
    score: str
    max: str
    threshold: str | None
    passed: bool | None
    answered: int
    items: int


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text_id: str
    text_en: str


@dataclass(frozen=True, slots=True)
class Result:
    slip: str
    scored_ms: int
    sections: tuple[SectionScore, ...]
    total: str
    max_total: str
    total_threshold: str | None
    passed: bool | None
    reasons: tuple[Reason, ...]
    report: Mapping[str, object]


def status(value: object) -> AttemptStatus:
    data = _obj(value, "status")
    return AttemptStatus(
        state=_str(data, "state"),
        locked=_bool(data, "locked"),
        paused=_bool(data, "paused", False),
        server_time_ms=_int(data, "server_time_ms"),
        remaining_s=_int(data, "remaining_s"),
        duration_s=_int(data, "duration_s"),
        items=_int(data, "items"),
        acked_seq=_int(data, "acked_seq"),
    )


def saved_answers(value: object) -> dict[ItemNumber, SavedAnswer]:
    data = _obj(_obj(value, "status").get("answers", {}), "answers")
    out: dict[ItemNumber, SavedAnswer] = {}
    for key, raw in data.items():
        if not key.isdigit():
            raise ProtocolError(f"answer key {key!r} is not an item number")
        entry = _obj(raw, "an answer")
        choice = entry.get("choice")
        if choice is not None and not isinstance(choice, str):
            raise ProtocolError("an answer's choice is not a label")
        out[ItemNumber(int(key))] = SavedAnswer(
            choice, _bool(entry, "doubtful", False), _int(entry, "seq")
        )
    return out


def login(value: object, journal_key: bytes) -> Login:
    data = _obj(value, "the login reply")
    cand = _obj(data.get("candidate"), "candidate")
    sess = _obj(data.get("session"), "session")
    sections = tuple(
        SectionCount(_str(s, "id"), _int(s, "count"))
        for s in (_obj(x, "a section") for x in _list(sess.get("sections", []), "sections"))
    )
    return Login(
        token=_str(data, "token"),
        journal_key=journal_key,
        candidate=Candidate(
            number=_str(cand, "number"),
            name=_str(cand, "name"),
            formation=_str(cand, "formation", optional=True),
            track=_str(cand, "track", optional=True),
            has_photo=_bool(cand, "has_photo", False),
        ),
        session=SessionInfo(
            code=_str(sess, "code"),
            exam=_str(sess, "exam", optional=True),
            room=_str(sess, "room", optional=True),
            workstation=_str(sess, "workstation", optional=True),
            duration_minutes=_int(sess, "duration_minutes"),
            sections=sections,
            practice=_bool(sess, "practice", False),
        ),
        status=status(data.get("status")),
    )


def beat(value: object) -> Beat:
    data = _obj(value, "the heartbeat reply")
    commands: list[Command] = []
    for raw in _list(data.get("commands", []), "commands"):
        entry = _obj(raw, "a command")
        minutes = entry.get("minutes", 0)
        text = entry.get("text") or entry.get("reason") or ""
        commands.append(
            Command(
                id=_int(entry, "id"),
                kind=_str(entry, "kind"),
                minutes=minutes if isinstance(minutes, int) else 0,
                text=text if isinstance(text, str) else "",
            )
        )
    return Beat(
        server_time_ms=_int(data, "server_time_ms"),
        state=_str(data, "state"),
        remaining_s=_int(data, "remaining_s"),
        paused=_bool(data, "paused", False),
        locked=_bool(data, "locked", False),
        acked_seq=_int(data, "acked_seq", 0),
        commands=tuple(commands),
    )


def _number(value: object) -> str:
    """Scores are whole numbers or exact ``"p/q"`` strings; shown as the server wrote them."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ProtocolError("a score is not a number")
    text = str(value)
    if "/" in text:
        top, _, bottom = text.partition("/")
        if top.lstrip("-").isdigit() and bottom.isdigit() and int(bottom):
            whole = int(top) / int(bottom)
            return f"{whole:.2f}".rstrip("0").rstrip(".")
    return text


def result(value: object) -> Result:
    data = _obj(value, "the result")
    report = _obj(data.get("report"), "report")
    sections: list[SectionScore] = []
    for section_id, raw in _obj(report.get("sections"), "sections").items():
        entry = _obj(raw, "a section")
        threshold = entry.get("threshold")
        passed = entry.get("passed")
        sections.append(
            SectionScore(
                id=section_id,
                score=_number(entry.get("score")),
                max=_number(entry.get("max")),
                threshold=None if threshold is None else _number(threshold),
                passed=passed if isinstance(passed, bool) else None,
                answered=_int(entry, "answered", 0),
                items=_int(entry, "items", 0),
            )
        )
    reasons = tuple(
        Reason(
            code=_str(r, "code", optional=True),
            text_id=_str(r, "id", optional=True),
            text_en=_str(r, "en", optional=True),
        )
        for r in (_obj(x, "a reason") for x in _list(report.get("reasons", []), "reasons"))
    )
    total_threshold = report.get("total_threshold")
    passed = report.get("passed")
    return Result(
        slip=_str(data, "slip"),
        scored_ms=_int(data, "scored_ms", 0),
        sections=tuple(sections),
        total=_number(report.get("total")),
        max_total=_number(report.get("max_total")),
        total_threshold=None if total_threshold is None else _number(total_threshold),
        passed=passed if isinstance(passed, bool) else None,
        reasons=reasons,
        report=report,
    )
