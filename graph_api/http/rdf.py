"""Linked data over HTTP: `GET /export` streams the whole graph, `GET /id/{type}/{key}` describes one node.

Node IRIs are `{base}id/{type}/{key}`, so serving this path makes them dereferenceable. The
description is chosen by the `Accept` header (q-values honoured; `*/*` gets Turtle; 406 when no
offered type is acceptable), with `Vary: Accept` and a `Link` header naming the alternates.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from graph_api.http.deps import SettingsDep, StoreDep
from graph_api.model import make_id
from graph_api.rdf import vocab
from graph_api.rdf.export import chunked, describe_blocks, describe_scheme, export, serialise
from graph_api.rdf.negotiation import negotiate
from graph_api.rdf.writers import EXTENSIONS, MEDIA_TYPES

router = APIRouter(tags=["linked data"])

# what GET /id/... offers, in the server's order of preference (Turtle first: also the answer to */*)
DESCRIPTION_FORMATS = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld"}


def _content_type(fmt: str) -> str:
    return MEDIA_TYPES[fmt]  # Starlette adds `charset=utf-8` to text/*; the RDF syntaxes are UTF-8 anyway


@router.get("/export")
def export_graph(store: StoreDep, settings: SettingsDep,
                 format: Literal["ttl", "nt", "jsonld", "nq", "trig"] = Query("ttl")) -> StreamingResponse:  # noqa: A002
    """The whole graph as RDF, streamed; `nq`/`trig` put each statement in the named graph of its source."""
    headers = {"Content-Disposition": f'inline; filename="copgraph{EXTENSIONS[format]}"'}
    return StreamingResponse(chunked(export(store, settings.base_iri, format)), media_type=_content_type(format),
                             headers=headers)


@router.get("/id/{type}/{key}")
def describe(type: str, key: str, request: Request, store: StoreDep, settings: SettingsDep,  # noqa: A002
             accept: str | None = Header(default=None)) -> Response:
    """The RDF description of one node (or concept scheme), by content negotiation."""
    label = vocab.label_of_segment(type)
    if type == vocab.SCHEME_SEGMENT:
        blocks = describe_scheme(store, settings.base_iri, key)
    elif label is not None:
        blocks = describe_blocks(store, settings.base_iri, make_id(label, key))
    else:
        blocks = None
    vary = {"Vary": "Accept"}
    if blocks is None:
        return PlainTextResponse(f"no resource {type}/{key}\n", status_code=404, headers=vary)
    offered = list(DESCRIPTION_FORMATS)
    chosen = negotiate(accept, offered)
    links = [f'<{vocab.ONTOLOGY_IRI}>; rel="describedby"']
    links += [f'<{request.url}>; rel="alternate"; type="{m}"' for m in offered if m != chosen]
    headers = {**vary, "Link": ", ".join(links)}
    if chosen is None:
        return PlainTextResponse(f"not acceptable; available: {', '.join(offered)}\n", status_code=406,
                                 headers=headers)
    fmt = DESCRIPTION_FORMATS[chosen]
    return Response(serialise(blocks, fmt), media_type=_content_type(fmt), headers=headers)
