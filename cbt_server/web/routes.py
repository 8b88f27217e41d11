"""The pages: each route sends one static HTML file; its script talks to the API.

Pages are plain HTML + CSS + vanilla JS from ``static/`` (no CDN, no inline
script or style, no inline event handlers). Every response carries a strict
Content-Security-Policy: scripts, styles, images, fonts and connections come
from this server only, and Trusted Types forbid HTML string sinks, so text that
came from a user (a candidate's name, a complaint) can only ever be text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: URL path -> the HTML file that renders it (its script reads the rest of the path).
PAGES: dict[str, str] = {
    "/": "index.html",
    "/live": "live-site.html",
    "/live/{session}": "live.html",
    "/proctor": "proctor.html",
    "/results/{session}": "results.html",
    "/verify": "verify.html",
    "/verify/{slip}": "verify.html",
    "/audit": "audit.html",
    "/pengaduan": "pengaduan.html",
    "/panitia/pengaduan": "panitia.html",
}

router = APIRouter(tags=["web"], include_in_schema=False)


@cache
def _html(name: str) -> bytes:
    return (STATIC_DIR / name).read_bytes()


def page(name: str) -> Response:
    """One page, never cached stale (a new server version shows at the next load)."""
    return Response(
        _html(name),
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


def _route(path: str, name: str) -> None:
    def serve() -> Response:
        return page(name)

    serve.__name__ = "page_" + name.removesuffix(".html").replace("-", "_")
    router.add_api_route(path, serve, methods=["GET", "HEAD"], response_class=Response)


for _path, _name in PAGES.items():
    _route(_path, _name)


class StaticAssets(StaticFiles):
    """Static files with the same security headers as the pages, revalidated by ETag."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-cache"
        return response


def static_files() -> StaticAssets:
    return StaticAssets(directory=STATIC_DIR)
