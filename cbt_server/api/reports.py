"""PDF reports for the proctor console (``/api/v1/proctor/sessions/{code}/reports``).

The same authorisation as every proctor read: proctors get their own sessions
(others are 404), observers and admins every session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from cbt_server.api.deps import RuntimeDep, StaffDep
from cbt_server.reports import ReportKind, ReportOptions, ReportService

router = APIRouter(prefix="/api/v1/proctor", tags=["reports"])


@router.get(
    "/sessions/{code}/reports/{kind}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the PDF"}},
)
def report(
    code: str,
    kind: ReportKind,
    request: Request,
    member: StaffDep,
    rt: RuntimeDep,
    candidate: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    formation: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    vacancies: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    zone: Annotated[str, Query(pattern="^(WIB|WITA|WIT)$")] = "WIB",
) -> Response:
    """A session's slip, feedback, minutes, ranking or item analysis as PDF."""
    info = rt.proctors.authorise(member, code, act=False)
    # The QR codes point where this console reached the server, unless the site says otherwise.
    public_url = rt.settings.public_url or f"{request.url.scheme}://{request.url.netloc}"
    pdf = ReportService(rt).render(
        kind,
        info,
        ReportOptions(
            candidate=candidate,
            formation=formation,
            vacancies=vacancies,
            public_url=public_url,
            zone=zone,
        ),
    )
    name = "-".join(p for p in (kind.value, info.code, candidate) if p)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{_safe(name)}.pdf"',
            "Cache-Control": "no-store",
        },
    )


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
