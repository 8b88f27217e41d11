"""The proctor console's API (``/api/v1/proctor``): proctors see only their sessions."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from cbt_server.api.deps import STAFF_COOKIE, RuntimeDep, StaffDep, bearer
from cbt_server.api.models import (
    Extension,
    IncidentRecord,
    Message,
    Reason,
    StaffLogin,
    Targeted,
)
from cbt_server.api.sse import EventStream, stream
from cbt_server.errors import NotFoundError
from cbt_server.services.staff import TOKEN_HOURS

router = APIRouter(prefix="/api/v1/proctor", tags=["proctor"])


@router.post("/login")
def login(body: StaffLogin, rt: RuntimeDep) -> JSONResponse:
    token, member = rt.staff.sign_in(body.username, body.password)
    reply = JSONResponse(
        {
            "token": token,
            "user": {"username": member.username, "name": member.full_name, "role": member.role},
        }
    )
    reply.set_cookie(
        STAFF_COOKIE,
        token,
        max_age=TOKEN_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=rt.settings.tls,
        path="/",
    )
    return reply


@router.post("/logout")
def logout(request: Request, member: StaffDep, rt: RuntimeDep) -> JSONResponse:
    token = bearer(request) or request.cookies.get(STAFF_COOKIE)
    if token:
        rt.staff.sign_out(token)
    reply = JSONResponse({"signed_out": member.username})
    reply.delete_cookie(STAFF_COOKIE, path="/")
    return reply


@router.get("/me")
def me(member: StaffDep) -> dict[str, object]:
    return {"username": member.username, "name": member.full_name, "role": member.role}


@router.get("/sessions")
def sessions(member: StaffDep, rt: RuntimeDep) -> list[dict[str, object]]:
    mine = set(rt.staff.sessions_of(member))
    return [
        {
            "code": s.code,
            "exam": s.exam_title,
            "room": s.room,
            "state": s.state,
            "starts_ms": s.starts_ms,
            "practice": s.practice,
        }
        for s in rt.proctors.sessions()
        if s.id in mine
    ]


@router.get("/sessions/{code}")
def session(code: str, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    info = rt.proctors.authorise(member, code, act=False)
    seats = rt.proctors.seats(info)
    counts: dict[str, int] = {}
    for seat in seats:
        state = str(seat["state"])
        counts[state] = counts.get(state, 0) + 1
    return {
        "code": info.code,
        "exam": info.exam_title,
        "room": info.room,
        "state": info.state,
        "starts_ms": info.starts_ms,
        "privacy": info.privacy,
        "duration_minutes": info.duration_minutes,
        "server_time_ms": rt.clock.now_ms(),
        "token": rt.proctors.token(info),
        "counts": counts,
        "seats": seats,
    }


@router.get("/sessions/{code}/seats")
def seats(code: str, member: StaffDep, rt: RuntimeDep) -> list[dict[str, object]]:
    return rt.proctors.seats(rt.proctors.authorise(member, code, act=False))


@router.get("/sessions/{code}/photos/{number}")
def photo(code: str, number: str, member: StaffDep, rt: RuntimeDep) -> Response:
    found = rt.proctors.photo(rt.proctors.authorise(member, code, act=False), number)
    if found is None:
        raise NotFoundError("no photo on file")
    return Response(found[0], media_type=found[1], headers={"Cache-Control": "private"})


@router.get("/sessions/{code}/activity")
def activity(code: str, member: StaffDep, rt: RuntimeDep) -> list[dict[str, object]]:
    return rt.proctors.activity(rt.proctors.authorise(member, code, act=False))


@router.get("/sessions/{code}/events", response_class=EventStream, status_code=200)
def events(code: str, member: StaffDep, rt: RuntimeDep) -> EventStream:
    info = rt.proctors.authorise(member, code, act=False)
    return stream(
        rt.feed,
        f"proctor:{info.code}",
        lambda: {"seats": rt.proctors.seats(info), "token": rt.proctors.token(info)},
    )


@router.post("/sessions/{code}/open")
def open_session(code: str, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    rt.proctors.set_state(member, rt.proctors.authorise(member, code, act=True), "open")
    return {"state": "open"}


@router.post("/sessions/{code}/close")
def close_session(code: str, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    rt.proctors.set_state(member, rt.proctors.authorise(member, code, act=True), "closed")
    return {"state": "closed"}


@router.post("/sessions/{code}/seats/{number}/release")
def release(
    code: str, number: str, body: Reason, member: StaffDep, rt: RuntimeDep
) -> dict[str, object]:
    rt.proctors.release(member, rt.proctors.authorise(member, code, act=True), number, body.reason)
    return {"released": number}


@router.post("/sessions/{code}/extend")
def extend(code: str, body: Extension, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    count = rt.proctors.extend(
        member,
        rt.proctors.authorise(member, code, act=True),
        body.number,
        body.minutes,
        body.reason,
    )
    return {"extended": count, "minutes": body.minutes}


@router.post("/sessions/{code}/pause")
def pause(code: str, body: Targeted, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    count = rt.proctors.pause(
        member,
        rt.proctors.authorise(member, code, act=True),
        body.number,
        body.reason,
        resume=False,
    )
    return {"paused": count}


@router.post("/sessions/{code}/resume")
def resume(code: str, body: Targeted, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    count = rt.proctors.pause(
        member, rt.proctors.authorise(member, code, act=True), body.number, body.reason, resume=True
    )
    return {"resumed": count}


@router.post("/sessions/{code}/seats/{number}/lock")
def lock(
    code: str, number: str, body: Reason, member: StaffDep, rt: RuntimeDep
) -> dict[str, object]:
    rt.proctors.lock(member, rt.proctors.authorise(member, code, act=True), number, body.reason)
    return {"locked": number}


@router.post("/sessions/{code}/seats/{number}/unlock-code")
def unlock_code(code: str, number: str, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    issued = rt.proctors.unlock_code(member, rt.proctors.authorise(member, code, act=True), number)
    return {"code": issued}


@router.post("/sessions/{code}/seats/{number}/force-submit")
def force_submit(
    code: str, number: str, body: Reason, member: StaffDep, rt: RuntimeDep
) -> dict[str, object]:
    report = rt.proctors.force_submit(
        member, rt.proctors.authorise(member, code, act=True), number, body.reason
    )
    return {"submitted": number, "total": report.get("total")}


@router.post("/sessions/{code}/message")
def message(code: str, body: Message, member: StaffDep, rt: RuntimeDep) -> dict[str, object]:
    count = rt.proctors.message(
        member, rt.proctors.authorise(member, code, act=True), body.number, body.text
    )
    return {"sent": count}


@router.post("/sessions/{code}/incidents")
def incident(
    code: str, body: IncidentRecord, member: StaffDep, rt: RuntimeDep
) -> dict[str, object]:
    rt.proctors.incident(
        member, rt.proctors.authorise(member, code, act=True), body.number, body.kind, body.detail
    )
    return {"recorded": True}
