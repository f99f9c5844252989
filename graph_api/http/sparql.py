"""`/sparql`: a read-only SPARQL 1.1 endpoint over the published graph (SPARQL 1.1 Protocol).

Queries arrive as `GET ?query=`, as a form `POST` (`query=`) or as a `POST` with
`Content-Type: application/sparql-query`; `default-graph-uri` / `named-graph-uri` choose the
dataset (without them the default graph is the union of all graphs, since a node's own
statements live in the named graph of its source). Updates (`update=`,
`application/sparql-update`) are refused. The data is the SPARQL index (`graph_api.rdf.
sparql_index`): the export, hence the anonymous view of the personal-data rule. `GET /sparql`
without a query describes the service (SPARQL 1.1 Service Description).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from graph_api.http.deps import SettingsDep
from graph_api.rdf.sparql_query import SparqlError, SparqlLimits, SparqlRequest

router = APIRouter(tags=["linked data"])
READ_ONLY = "this SPARQL endpoint is read-only: SPARQL Update is not accepted\n"
MAX_QUERY_CHARS = 20_000


def _limits(request: Request) -> SparqlLimits:
    return getattr(request.app.state, "sparql_limits", None) or SparqlLimits()


def _service_description(base: str) -> str:
    endpoint = f"{base}sparql"
    results = ", ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in
                        ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                         "Turtle", "N-Triples", "RDF_XML", "JSON-LD"))
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n\n"
        f"<{endpoint}#service> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint}> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        "    sd:feature sd:UnionDefaultGraph ;\n"
        f"    sd:resultFormat {results} ;\n"
        f"    sd:defaultDataset [ a sd:Dataset ; void:inDataset <{base}dataset> ] .\n")


async def _answer(request: Request, sparql: SparqlRequest) -> Response:
    if len(sparql.query) > MAX_QUERY_CHARS:
        return PlainTextResponse(f"query longer than {MAX_QUERY_CHARS} characters\n", status_code=413)
    try:
        answer = await run_in_threadpool(request.app.state.sparql_workers.run, sparql, _limits(request))
    except SparqlError as exc:
        return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers={"Vary": "Accept"})
    media_type = answer.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(answer.body, media_type=media_type, headers={"Vary": "Accept", "Cache-Control": "no-store"})


@router.get("/sparql")
async def sparql_get(request: Request, settings: SettingsDep, accept: str | None = Header(default=None),
                     query: str | None = None,
                     default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = (),  # noqa: B006
                     named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = ()) -> Response:  # noqa: B006
    """Evaluate `query`; without one, the service description (Turtle)."""
    if "update" in request.query_params:
        return PlainTextResponse(READ_ONLY, status_code=400)
    if query is None:
        return Response(_service_description(settings.base_iri), media_type="text/turtle")
    return await _answer(request, SparqlRequest(query, accept, tuple(default_graph_uri), tuple(named_graph_uri)))


@router.post("/sparql")
async def sparql_post(request: Request, accept: str | None = Header(default=None),
                      content_type: str | None = Header(default=None)) -> Response:
    """Evaluate a query sent as a form (`query=`) or as `application/sparql-query`."""
    kind = (content_type or "").split(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    params = parse_qs(request.url.query)
    if kind == "application/sparql-update":
        return PlainTextResponse(READ_ONLY, status_code=400)
    if kind == "application/sparql-query":
        query = body
    elif kind == "application/x-www-form-urlencoded":
        form = parse_qs(body)
        if "update" in form:
            return PlainTextResponse(READ_ONLY, status_code=400)
        params = {**params, **form}
        query = (form.get("query") or [None])[0]
    else:
        return PlainTextResponse("send the query as application/sparql-query or as a form field 'query'\n",
                                 status_code=415)
    if not query:
        return PlainTextResponse("missing query\n", status_code=400)
    return await _answer(request, SparqlRequest(query, accept, tuple(params.get("default-graph-uri", ())),
                                                tuple(params.get("named-graph-uri", ()))))

