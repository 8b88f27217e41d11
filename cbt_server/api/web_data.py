"""Read-only data the web pages poll between live frames (``/api/v1/public``).

The live feed carries committed scores; logins, starts, extensions and the
audit chain's progress are not published to the public channels, so the
display refreshes its counters, clock and chain head from these summaries
every few seconds. Neither carries a row of scores.
"""

from __future__ import annotations

from fastapi import APIRouter

from cbt_server.api.deps import BoardDep

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/sessions/{code}/summary")
def session_summary(code: str, board: BoardDep) -> dict[str, object]:
    """Header, remaining time, counters and audit head of one session (no rows)."""
    return board.summary(code)


@router.get("/site/summary")
def site_summary(board: BoardDep) -> dict[str, object]:
    """The same for every running session of the site."""
    return board.site_summary()
