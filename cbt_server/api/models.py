"""Request bodies: strict shapes, so that bad input is refused before it reaches a service.

Below them, the reply shapes that the OpenAPI document spells out for readers.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CandidateLogin(Strict):
    participant_number: str = Field(min_length=1, max_length=32)
    pin: str = Field(min_length=1, max_length=16)
    session_token: str = Field(min_length=1, max_length=16)
    workstation: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    #: Sent by a station in practice mode: refused, before a seat is taken, by a real session.
    practice: bool = False


class AnswerChange(Strict):
    number: int = Field(ge=1, le=1000)
    choice: str | None = Field(default=None, max_length=1)
    doubtful: bool = False
    seq: int = Field(ge=1, lt=2**53)


class AnswerBatch(Strict):
    changes: list[AnswerChange] = Field(min_length=1, max_length=500)


class Heartbeat(Strict):
    answered: int = Field(default=0, ge=0, le=1000)
    client_time_ms: int | None = None


class StationIncident(Strict):
    kind: str = Field(min_length=1, max_length=32)
    detail: str = Field(default="", max_length=2000)


class UnlockCode(Strict):
    code: str = Field(min_length=1, max_length=16)


class StaffLogin(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class Reason(Strict):
    reason: str = Field(min_length=1, max_length=500)


class Targeted(Strict):
    number: str | None = Field(default=None, max_length=32)
    reason: str = Field(min_length=1, max_length=500)


class Extension(Strict):
    number: str | None = Field(default=None, max_length=32)
    minutes: int = Field(ge=1, le=120)
    reason: str = Field(min_length=1, max_length=500)


class Message(Strict):
    number: str | None = Field(default=None, max_length=32)
    text: str = Field(min_length=1, max_length=500)


class IncidentRecord(Strict):
    number: str | None = Field(default=None, max_length=32)
    kind: str = Field(min_length=1, max_length=32)
    detail: str = Field(min_length=1, max_length=2000)


class BankUnlock(Strict):
    passphrase: str = Field(min_length=1, max_length=1000)


class ComplaintIn(Strict):
    session: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=10, max_length=4000)
    contact: str = Field(default="", max_length=200)


class ComplaintUpdate(Strict):
    status: str = Field(pattern=r"^(received|reviewing|closed)$")
    answer: str = Field(default="", max_length=4000)


class Annul(Strict):
    item: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=3, max_length=500)


# ---------------------------------------------------------------------- replies


class ChainMilestone(BaseModel):
    """One head of the audit chain worth noting, as ``GET /public/audit/heads`` lists it."""

    seq: int = Field(description="number of the entry that made this head")
    hash: str = Field(description="the entry's hash: 64 hex digits")
    short: str = Field(description="its first 16 hex digits, the fingerprint people note")
    at_ms: int = Field(description="time of the entry, Unix milliseconds")
    event: str | None = Field(
        description="the milestone: site_initialised, session_opened, session_closed, "
        "rescored or results_imported; null when listed only as the current head"
    )
    session: str | None = Field(description="the session the entry names, if any")
    site: str | None = Field(description="the other site, for results_imported")
    current: bool = Field(description="this is the chain's head right now")
