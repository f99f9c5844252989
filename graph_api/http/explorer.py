"""The Explorer web app: `/` serves its page, `/explorer/...` its modules, styles and vendored library.

The app is static files talking to the public `POST /graphql` only, so this router just hands
them out. Assets go through Starlette's `StaticFiles` (path checks, ETags, content types) but
behind an ordinary route, so they never shadow another router's paths; it is listed last in
`graph_api.app.ROUTERS` for the same reason.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from graph_api.resources import STATIC_DIR as _STATIC_ROOT

STATIC_DIR = _STATIC_ROOT / "explorer"

router = APIRouter(tags=["explorer"])
_assets = StaticFiles(directory=STATIC_DIR)


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/explorer/{path:path}", include_in_schema=False)
async def asset(path: str, request: Request) -> Response:
    # revalidate every time (a cheap 304 by ETag): a browser that guessed a module fresh by its age
    # would otherwise mix modules of two versions after an upgrade
    response = await _assets.get_response(path, request.scope)
    response.headers["Cache-Control"] = "no-cache"
    return response
