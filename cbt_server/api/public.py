"""Public API (``/api/v1/public``): live scores, results, verification, audit, complaints."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from cbt_server.api.deps import BoardDep, ComplaintsDep, RuntimeDep
from cbt_server.api.models import ChainMilestone, ComplaintIn
from cbt_server.api.sse import EventStream, stream
from cbt_server.errors import ConflictError, NotFoundError
from cbt_server.runtime import Runtime
from cbt_server.services.proctor_desk import SessionInfo
from cbt_server.services.public_board import PublicBoard

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/sessions")
def sessions(board: BoardDep) -> list[dict[str, object]]:
    return board.sessions()


@router.get("/sessions/{code}/live")
def live(code: str, board: BoardDep) -> dict[str, object]:
    return board.live(code)


@router.get("/sessions/{code}/events", response_class=EventStream, status_code=200)
async def session_events(code: str, rt: RuntimeDep, board: BoardDep) -> EventStream:
    """The session's live scores as Server-Sent Events (served by ``hot_path.FastPath``)."""
    return session_stream(rt, board, code)


def session_stream(rt: Runtime, board: PublicBoard, code: str) -> EventStream:
    """A snapshot of the session (404 for an unknown one), then its frames."""
    return stream(rt.feed, f"session:{code}", lambda: board.live(code))


@router.get("/site")
def site(board: BoardDep) -> dict[str, object]:
    return board.site()


@router.get("/site/events", response_class=EventStream, status_code=200)
async def site_events(rt: RuntimeDep, board: BoardDep) -> EventStream:
    """Every running session's live scores (served by ``hot_path.FastPath``)."""
    return site_stream(rt, board)


def site_stream(rt: Runtime, board: PublicBoard) -> EventStream:
    return stream(rt.feed, "site", board.site)


def _closed(code: str, rt: RuntimeDep) -> SessionInfo:
    info = rt.proctors.session(code)
    if info.practice:
        raise NotFoundError(f"no session {code}")
    if info.state != "closed":
        raise ConflictError("results are published when the session is closed")
    return info


@router.get("/sessions/{code}/results")
def results(code: str, rt: RuntimeDep) -> dict[str, object]:
    """RESULTS.json of a closed session (names per the privacy setting); cbt-score reads it."""
    return rt.results.results_json(_closed(code, rt), public=True)


@router.get("/sessions/{code}/results.csv")
def results_csv(code: str, rt: RuntimeDep) -> Response:
    """The same rows as CSV, names masked the same way (none under ``number`` privacy)."""
    return Response(
        rt.results.results_csv(_closed(code, rt), public=True),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="hasil-{code}.csv"'},
    )


@router.get("/sessions/{code}/key.json")
def key(code: str, rt: RuntimeDep) -> dict[str, object]:
    return rt.results.key_json(_closed(code, rt))


@router.get("/verify/{slip}")
def verify(slip: str, rt: RuntimeDep) -> dict[str, object]:
    """The signed result behind a slip code, and whether the signature holds."""
    found = rt.scoring.verify_slip(slip)
    if found is None:
        raise NotFoundError("no result has this slip code")
    stored, valid = found
    info = rt.proctors.session(stored.session_code)
    return {
        "slip": stored.slip_code,
        "session": stored.session_code,
        "exam": info.exam_title,
        "candidate": stored.candidate_number,
        "scored_ms": stored.scored_ms,
        "report": stored.report,
        "signature": stored.signature,
        "signature_valid": valid,
    }


@router.get("/audit/head")
def audit_head(rt: RuntimeDep) -> dict[str, object]:
    head = rt.audit.head(rt.db)
    return {"seq": head.seq, "hash": head.hash, "short": head.short, "at_ms": head.at_ms}


@router.get("/audit/heads", response_model=list[ChainMilestone])
def audit_heads(board: BoardDep) -> list[dict[str, object]]:
    """Heads worth noting, newest first: the current one, then the head after each
    session opened or closed, re-score and results import (and the site's first entry).
    A downloaded log must still hold each one's hash at its ``seq``."""
    return board.chain_history()


@router.get(
    "/audit/log",
    response_class=Response,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "JSON lines"}},
)
def audit_log(rt: RuntimeDep) -> Response:
    """The whole log as JSON lines: ``cbt-server audit verify --file`` checks a copy."""
    lines = [json.dumps(e, ensure_ascii=False) for e in rt.audit.entries(rt.db)]
    return Response(
        "\n".join(lines) + "\n",
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="audit-log.jsonl"'},
    )


@router.post("/complaints")
def complaint(body: ComplaintIn, request: Request, desk: ComplaintsDep) -> dict[str, object]:
    address = request.client.host if request.client else "unknown"
    reference = desk.submit(
        address=address, session=body.session, text=body.text, contact=body.contact
    )
    return {"reference": reference, "status": "received"}


@router.get("/complaints/{reference}")
def complaint_status(reference: str, desk: ComplaintsDep) -> dict[str, object]:
    return desk.status(reference)


@router.get(
    "/ca.pem",
    response_class=Response,
    responses={200: {"content": {"application/x-pem-file": {}}, "description": "PEM"}},
)
def ca_certificate(rt: RuntimeDep) -> Response:
    """The site CA certificate, for enrolling a station: compare its fingerprint with
    the one ``cbt-server init`` printed before trusting it."""
    return Response((rt.paths.tls / "ca.crt").read_bytes(), media_type="application/x-pem-file")
