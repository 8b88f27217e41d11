"""The candidate station's API (``/api/v1/candidate``): see docs/api.md."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from cbt_server.api.deps import CandidateDep, RuntimeDep, bearer
from cbt_server.api.hot_path import result_body, save_answers, submit_exam
from cbt_server.api.models import (
    AnswerBatch,
    CandidateLogin,
    Heartbeat,
    StationIncident,
    UnlockCode,
)
from cbt_server.errors import ConflictError, NotFoundError
from cbt_server.services.candidate_desk import AttemptContext, journal_key_text

router = APIRouter(prefix="/api/v1/candidate", tags=["candidate"])


def _status(rt: RuntimeDep, ctx: AttemptContext) -> dict[str, object]:
    now = rt.clock.now_ms()
    return {
        "state": ctx.state,
        "locked": ctx.locked,
        "paused": ctx.clock.paused_ms is not None,
        "server_time_ms": now,
        "remaining_s": ctx.clock.remaining_s(now),
        "duration_s": ctx.clock.duration_s + ctx.clock.extended_s,
        "items": ctx.item_count,
        "acked_seq": ctx.max_seq,
    }


@router.post("/login")
def login(body: CandidateLogin, rt: RuntimeDep) -> dict[str, object]:
    """Participant number + PIN + the session token, from a named workstation."""
    result = rt.candidates.login(
        number=body.participant_number,
        pin=body.pin,
        typed_token=body.session_token,
        workstation=body.workstation,
        practice=body.practice,
    )
    ctx = result.context
    exam = rt.exams.get(ctx.exam_id)
    info = rt.proctors.session(ctx.session_code)
    return {
        "token": result.token,
        "journal_key": journal_key_text(result.journal_key),
        "candidate": {
            "number": ctx.number,
            "name": ctx.name,
            "formation": ctx.formation,
            "track": ctx.track,
            "has_photo": result.has_photo,
        },
        "session": {
            "code": ctx.session_code,
            "exam": exam.title,
            "room": info.room,
            "workstation": ctx.workstation,
            "duration_minutes": exam.duration_minutes,
            "sections": [{"id": s.id, "count": s.count} for s in exam.blueprint.sections],
            "practice": info.practice,
        },
        "status": _status(rt, ctx),
    }


@router.get("/status")
def status(ctx: CandidateDep, rt: RuntimeDep) -> dict[str, object]:
    """The attempt's state, clock and the server's saved answers (to resume a station)."""
    return {**_status(rt, ctx), "answers": rt.candidates.saved_answers(ctx)}


@router.get("/photo")
def photo(ctx: CandidateDep, rt: RuntimeDep) -> Response:
    info = rt.proctors.session(ctx.session_code)
    found = rt.proctors.photo(info, ctx.number)
    if found is None:
        raise NotFoundError("no photo on file")
    return Response(found[0], media_type=found[1], headers={"Cache-Control": "private"})


@router.post("/start")
def start(ctx: CandidateDep, rt: RuntimeDep) -> dict[str, object]:
    """Identity confirmed and instructions read: the clock starts now."""
    return _status(rt, rt.candidates.start(ctx))


@router.get("/form")
def form(ctx: CandidateDep, rt: RuntimeDep, request: Request) -> Response:
    """The keyless form: stems and options in this candidate's order; no key."""
    if ctx.state == "identity":
        raise ConflictError("start the exam first")
    payload = rt.candidates.payload(ctx)
    etag = f'"{payload.etag}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(
        payload.to_json(),
        media_type="application/json",
        headers={"ETag": etag, "Cache-Control": "private, no-store"},
    )


@router.get("/images/{ref}")
def image(ref: str, ctx: CandidateDep, rt: RuntimeDep) -> Response:
    found = rt.candidates.image(ctx, ref)
    if found is None:
        raise NotFoundError("no such image")
    return Response(
        found[0],
        media_type=found[1],
        headers={"Cache-Control": "private, max-age=86400, immutable", "ETag": f'"{ref}"'},
    )


@router.post("/answers")
async def answers(body: AnswerBatch, request: Request, rt: RuntimeDep) -> dict[str, object]:
    """Save answer changes; the reply comes only after they are committed.

    Served by ``hot_path.FastPath`` ahead of the framework; this route
    documents the endpoint and runs the same ``save_answers``.
    """
    return await save_answers(rt, bearer(request), body)


@router.post("/heartbeat")
def heartbeat(body: Heartbeat, ctx: CandidateDep, rt: RuntimeDep) -> dict[str, object]:
    """Server time, remaining seconds and commands waiting for this station."""
    return rt.candidates.heartbeat(ctx, answered=body.answered)


@router.post("/incidents")
def incident(body: StationIncident, ctx: CandidateDep, rt: RuntimeDep) -> dict[str, object]:
    locked = rt.candidates.report_incident(ctx, body.kind, body.detail)
    rt.feed.publish(
        f"proctor:{ctx.session_code}", {"type": "incident", "number": ctx.number, "kind": body.kind}
    )
    return {"recorded": True, "locked": locked}


@router.post("/unlock")
def unlock(body: UnlockCode, ctx: CandidateDep, rt: RuntimeDep) -> JSONResponse:
    if not rt.candidates.unlock_with_code(ctx, body.code):
        return JSONResponse(
            {"error": {"code": "wrong_unlock_code", "message": "the unlock code is not correct"}},
            status_code=403,
        )
    rt.feed.publish(f"proctor:{ctx.session_code}", {"type": "seat", "number": ctx.number})
    return JSONResponse({"unlocked": True})


@router.post("/submit")
async def submit(request: Request, rt: RuntimeDep) -> dict[str, object]:
    """Finish: scored now, in this request; submitting twice returns the same result.

    Served by ``hot_path.FastPath`` ahead of the framework; this route
    documents the endpoint and runs the same ``submit_exam``.
    """
    return await submit_exam(rt, bearer(request))


@router.get("/result")
def result(ctx: CandidateDep, rt: RuntimeDep) -> dict[str, object]:
    stored = rt.scoring.stored(ctx.attempt_id)
    if stored is None:
        raise ConflictError("the exam has not been submitted yet")
    return result_body(stored)
