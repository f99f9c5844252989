"""Linked data over HTTP: `/export` streams the whole graph, `/id/{type}/{key}` describes one node.

Node IRIs are `{base}id/{type}/{key}`, so serving this path makes them dereferenceable. The
description is chosen by the `Accept` header (q-values honoured; `*/*` gets Turtle); browsers
(`text/html` preferred) are sent to the Explorer's page of the node with a 303, since the IRI
names the thing, not a document. Other spellings of an IRI (`/id/Municipality/...`) redirect
permanently to the canonical one. Incoming relationships are paged (`?page=N`, `Link:
rel="next"`), so a hub such as the GV100AD source stays a small response. Every description
carries ETag, Last-Modified and Cache-Control and answers conditional requests with 304.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Header, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse

from graph_api.http.caching import cached_response
from graph_api.http.deps import SettingsDep, StoreDep
from graph_api.model import TERRITORY_LABELS, make_id
from graph_api.rdf import vocab
from graph_api.rdf.blocks import role_block
from graph_api.rdf.changes import DataVersion, ObservedStore
from graph_api.rdf.export import chunked, describe_blocks, describe_scheme, export, serialise
from graph_api.rdf.html_view import blocks_html
from graph_api.rdf.negotiation import negotiate
from graph_api.rdf.sparql_index import SparqlIndex
from graph_api.rdf.sparql_query import QueryWorkers
from graph_api.rdf.writers import EXTENSIONS, MEDIA_TYPES

router = APIRouter(tags=["linked data"])

# what GET /id/... offers, in the server's order of preference (Turtle first: also the answer to */*)
DESCRIPTION_FORMATS = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld"}
HTML = "text/html"
EXPORT_FORMATS = Literal["ttl", "nt", "jsonld", "nq", "trig"]


def install(app: FastAPI) -> None:
    """Observe the app's store so derived copies (SPARQL index, Last-Modified) follow every write."""
    app.state.data_version = DataVersion()
    app.state.store = ObservedStore(app.state.store, app.state.data_version)
    app.state.sparql = SparqlIndex(lambda: app.state.store, app.state.settings.base_iri)
    app.state.data_version.listeners.append(app.state.sparql.on_change)
    app.state.sparql_workers = QueryWorkers(app.state.sparql, priority=app.state.settings.query_worker_priority)


def data_version(request: Request) -> DataVersion | None:
    return getattr(request.app.state, "data_version", None)


def _content_type(fmt: str) -> str:
    return MEDIA_TYPES[fmt]  # Starlette adds `charset=utf-8` to text/*; the RDF syntaxes are UTF-8 anyway


@router.api_route("/export", methods=["GET", "HEAD"])
def export_graph(request: Request, store: StoreDep, settings: SettingsDep,
                 format: EXPORT_FORMATS = Query("ttl")) -> Response:  # noqa: A002
    """The whole graph as RDF, streamed; `nq`/`trig` put each statement in the named graph of its source."""
    headers = {"Content-Disposition": f'inline; filename="copgraph{EXTENSIONS[format]}"'}
    if request.method == "HEAD":
        return Response(media_type=_content_type(format), headers=headers)
    return StreamingResponse(chunked(export(store, settings.base_iri, format)), media_type=_content_type(format),
                             headers=headers)


def canonical_spelling(type_: str, key: str) -> tuple[str, str] | None:
    """The canonical (segment, key) of an IRI path, or None when the type is unknown.

    Segments are lower case; slug keys are lower case (official territory keys are digits)."""
    segment = type_.lower()
    label = vocab.label_of_segment(segment)
    if label is None and segment != vocab.SCHEME_SEGMENT:
        return None
    return segment, key if label in TERRITORY_LABELS else key.lower()


def _explorer_location(node_id: str) -> str:
    """Relative to `/id/{type}/{key}`: the Explorer's page of the node, wherever the app is mounted."""
    return f"../../#/knoten/{quote(node_id, safe='')}"


def _published_role(request: Request, base: str, title: str) -> bool:
    """Whether a published membership holds the org:Role of `title`. Asked of the SPARQL index, the
    export's copy, so a restricted person's title (which the export withholds) is not confirmed."""
    index: SparqlIndex | None = getattr(request.app.state, "sparql", None)
    if index is None or not title:
        return False
    role = ox.NamedNode(vocab.role_iri(base, title))
    holders = index.current().quads_for_pattern(None, ox.NamedNode(vocab.ORG_ROLE), role, None)
    return next(iter(holders), None) is not None


# `{title:path}`: a title may contain a slash (sent as %2F, which the server decodes before routing)
@router.api_route(f"/id/{vocab.ROLE_SEGMENT}/{{title:path}}", methods=["GET", "HEAD"])
def describe_role(title: str, request: Request, settings: SettingsDep,
                  accept: str | None = Header(default=None)) -> Response:
    """An org:Role: what the memberships with this title share (its label); 404 unless one is published."""
    vary = {"Vary": "Accept"}
    if not _published_role(request, settings.base_iri, title):
        return PlainTextResponse(f"no resource {vocab.ROLE_SEGMENT}/{title}\n", status_code=404, headers=vary)
    offered = [*DESCRIPTION_FORMATS, HTML]
    chosen = negotiate(accept, offered)
    headers = {**vary, "Link": f'<{settings.base_iri}ontology>; rel="describedby"'}
    if chosen is None:
        return PlainTextResponse(f"not acceptable; available: {', '.join(offered)}\n", status_code=406,
                                 headers=headers)
    return _description_response(request, [role_block(settings.base_iri, title)],
                                 vocab.role_iri(settings.base_iri, title), chosen, headers)


@router.api_route("/id/{type}/{key}", methods=["GET", "HEAD"])
def describe(type: str, key: str, request: Request, store: StoreDep, settings: SettingsDep,  # noqa: A002
             accept: str | None = Header(default=None), page: int = Query(1, ge=1)) -> Response:
    """The RDF description of one node (or concept scheme), by content negotiation."""
    vary = {"Vary": "Accept"}
    spelling = canonical_spelling(type, key)
    if spelling is None:
        return PlainTextResponse(f"no resource {type}/{key}\n", status_code=404, headers=vary)
    if spelling != (type, key):
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"../{spelling[0]}/{quote(spelling[1], safe='')}{query}", status_code=301)
    offered = [*DESCRIPTION_FORMATS, HTML]
    chosen = negotiate(accept, offered)
    label = vocab.label_of_segment(type)
    if label is not None and chosen == HTML:
        return RedirectResponse(_explorer_location(make_id(label, key)), status_code=303, headers=vary)
    if label is None:
        blocks, has_next = describe_scheme(store, settings.base_iri, key), False
    else:
        description = describe_blocks(store, settings.base_iri, make_id(label, key), page)
        blocks, has_next = (description.blocks, description.has_next) if description else (None, False)
    if blocks is None:
        return PlainTextResponse(f"no resource {type}/{key}{'' if page == 1 else f' page {page}'}\n",
                                 status_code=404, headers=vary)
    here = str(request.url.replace(query=""))
    links = [f'<{settings.base_iri}ontology>; rel="describedby"']
    links += [f'<{here}>; rel="alternate"; type="{m}"' for m in offered if m != chosen]
    if has_next:  # relative references: right wherever the app is mounted
        links.append(f'<?page={page + 1}>; rel="next"')
    if page > 1:
        links.append(f'<?page={page - 1}>; rel="prev"')
    headers = {**vary, "Link": ", ".join(links)}
    if chosen is None:
        return PlainTextResponse(f"not acceptable; available: {', '.join(offered)}\n", status_code=406,
                                 headers=headers)
    return _description_response(request, blocks, vocab.scheme_iri(settings.base_iri, key), chosen, headers)


def _description_response(request: Request, blocks: list, title: str, chosen: str, headers: dict[str, str]) -> Response:
    """The negotiated description (HTML page or an RDF format), with the store's ETag/Last-Modified."""
    version = data_version(request)
    modified = version.modified if version else None
    if chosen == HTML:
        return cached_response(request, blocks_html(title, blocks), "text/html; charset=utf-8", headers,
                               last_modified=modified)
    fmt = DESCRIPTION_FORMATS[chosen]
    return cached_response(request, serialise(blocks, fmt), _content_type(fmt), headers, last_modified=modified)
