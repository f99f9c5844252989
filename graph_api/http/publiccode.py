"""`GET /solutions/{key}/publiccode.yml`: a software solution as publiccode.yml (the standard's v0).

The text is the one `copgraph publiccode KEY` writes (`loaders/publiccode/export.py`); it passes
the validator that imports accept. 404 when there is no such solution, 422 with the list of
what is missing when the graph does not hold what the standard requires.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from graph_api.http.deps import SettingsDep, StoreDep
from graph_api.loaders.publiccode.export import ExportRefused, SolutionNotFound, publiccode_yaml
from graph_api.model import SLUG_RE
from graph_api.store.publiccode_reads import GraphReads

router = APIRouter(tags=["publiccode"])
MEDIA_TYPE = "application/yaml"  # RFC 9512


@router.get("/solutions/{key}/publiccode.yml")
def solution_publiccode(key: str, store: StoreDep, settings: SettingsDep) -> Response:
    """The solution `Solution:{key}` as publiccode.yml."""
    if not SLUG_RE.match(key) or len(key) > 200:
        return PlainTextResponse(f"'{key[:60]}' is not a solution key\n", status_code=404)
    try:
        text = publiccode_yaml(GraphReads(store.read), f"Solution:{key}", settings.base_iri)
    except SolutionNotFound:
        return PlainTextResponse(f"no solution Solution:{key}\n", status_code=404)
    except ExportRefused as exc:
        return PlainTextResponse("\n".join([str(exc).split(":", 1)[0] + ":", *exc.missing]) + "\n", status_code=422)
    return Response(text, media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{key}-publiccode.yml"'})
