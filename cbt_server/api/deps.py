"""Request dependencies: the runtime, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cbt_server.errors import AuthenticationError
from cbt_server.runtime import Runtime
from cbt_server.services.candidate_desk import AttemptContext
from cbt_server.services.public_board import ComplaintDesk, PublicBoard
from cbt_server.services.staff import StaffMember

STAFF_COOKIE = "cbt_staff"


async def runtime(request: Request) -> Runtime:
    # async: a plain attribute read must not cost a trip through the thread pool
    found: Runtime = request.app.state.runtime
    return found


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def candidate(request: Request, rt: RuntimeDep) -> AttemptContext:
    token = bearer(request)
    if not token:
        raise AuthenticationError("sign in first")
    return rt.candidates.resolve(token)


def staff(request: Request, rt: RuntimeDep) -> StaffMember:
    token = bearer(request) or request.cookies.get(STAFF_COOKIE)
    if not token:
        raise AuthenticationError("sign in first")
    return rt.staff.resolve(token)


async def board(request: Request) -> PublicBoard:
    found: PublicBoard = request.app.state.board
    return found


async def complaints(request: Request) -> ComplaintDesk:
    found: ComplaintDesk = request.app.state.complaints
    return found


BoardDep = Annotated[PublicBoard, Depends(board)]
ComplaintsDep = Annotated[ComplaintDesk, Depends(complaints)]
CandidateDep = Annotated[AttemptContext, Depends(candidate)]
StaffDep = Annotated[StaffMember, Depends(staff)]
