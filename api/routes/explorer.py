"""The web explorer at ``/`` and the API docs at ``/docs`` and ``/redoc``: static pages and assets built
from ``explorer/`` by ``make install`` (npm ci + esbuild) into ``api/static/``, served by the same app with
a Content-Security-Policy that allows no inline script and nothing from another origin."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from plangraph.api.errors import ApiError, problems
from plangraph.api.routing import OneTrip

router = APIRouter(route_class=OneTrip, include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
#: scripts, styles, pictures and requests from this origin only; no inline script, no plug-ins, no framing
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: ReDoc's styled-components writes <style> elements and it runs its search in a blob: worker; its
#: scripts still come from this origin only
CSP_REDOC = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + "; worker-src 'self' blob:"
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
PAGES = {"/": ("index.html", CSP), "/docs": ("docs.html", CSP), "/redoc": ("redoc.html", CSP_REDOC)}


def _file(name: str, csp: str = CSP) -> Response:
    path = (STATIC / name).resolve()
    if not path.is_relative_to(STATIC) or not path.is_file():
        if not (STATIC / "index.html").is_file():
            raise ApiError(
                503,
                "explorer_not_built",
                f"the explorer's assets are not built in {STATIC}: run make install "
                "(npm ci and npm run build in explorer/)",
            )
        raise ApiError(404, "not_found", f"no explorer asset {name!r}")
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media in ("application/javascript", "application/json"):
        media += "; charset=utf-8"
    return FileResponse(
        path,
        media_type=media,
        headers={**HEADERS, "Content-Security-Policy": csp, "Cache-Control": "no-cache"},
    )


def _page(url: str) -> None:
    name, csp = PAGES[url]

    def page() -> Response:
        return _file(name, csp)

    router.add_api_route(url, page, methods=["GET"], responses=problems(503))


for _url in PAGES:
    _page(_url)


@router.get("/explorer/{name:path}", responses=problems(404, 503))
def asset(name: str) -> Response:
    """A built asset of the explorer (scripts, styles, the API docs' vendored scripts)."""
    return _file(name)
