"""GraphiQL at `GET /graphql`, served entirely by copgraph: the page, its script and the vendored libraries.

Strawberry's own page loads React, GraphiQL and its plugin from unpkg.com and starts them with an
inline script. Offline (common in public administration) it never gets past "Loading…", online it
hands every visitor's address to a CDN, and a Content-Security-Policy of `default-src 'self'` would
refuse the inline script. So the page (`static/graphiql/index.html`), its start-up script, the
example queries and the libraries (`static/graphiql/vendor/`, refreshed by `tools/vendor/refresh.mjs`
from a pinned lock file) are all files copgraph serves under `/graphiql/`.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from graph_api.resources import STATIC_DIR

GRAPHIQL_DIR = STATIC_DIR / "graphiql"
# the example queries GraphiQL opens on (one per mission question); the load test replays them too
EXAMPLES_FILE = GRAPHIQL_DIR / "examples.graphql"

router = APIRouter(tags=["graphiql"])
_assets = StaticFiles(directory=GRAPHIQL_DIR)


def page() -> HTMLResponse:
    """The GraphiQL page; its relative links resolve against `/graphql` to `/graphiql/...`."""
    return HTMLResponse((GRAPHIQL_DIR / "index.html").read_text(encoding="utf-8"))


@router.get("/graphiql/{path:path}", include_in_schema=False)
async def asset(path: str, request: Request) -> Response:
    if path == "index.html":  # only meaningful at /graphql, where its relative links resolve
        raise HTTPException(status_code=404)
    return await _assets.get_response(path, request.scope)
