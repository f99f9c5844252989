"""The documents that make the export usable: ontology, shapes, JSON-LD context, DCAT-AP.de/VoID.

`{base}ontology`, `{base}shapes` and `{base}dataset` negotiate Turtle (also for `*/*`),
N-Triples, JSON-LD, RDF/XML and HTML (ontology only); `.ttl`, `.nt`, `.jsonld`, `.rdf` and
`.html` suffixes name a format directly, for links and harvesters that send no Accept header.
`{base}context.jsonld` is the context the JSON-LD export uses, readable cross-origin because
JSON-LD processors in browsers fetch it. `/.well-known/void` is where VoID tools look
(RFC 8615); it answers with the same dataset description.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Header, Request
from fastapi.responses import PlainTextResponse, Response

from graph_api.http.caching import VOCABULARY_MAX_AGE, cached_response
from graph_api.http.deps import SettingsDep, StoreDep
from graph_api.http.rdf import data_version
from graph_api.rdf import documents
from graph_api.rdf.catalog import catalog_graph
from graph_api.rdf.negotiation import negotiate
from graph_api.rdf.vocab import node_iri

router = APIRouter(tags=["linked data"])
VARY = {"Vary": "Accept"}


def _pick(name: str, accept: str | None, suffix: str, offered: list[str]) -> str | None | Response:
    """The media type named by the suffix or negotiated; a 404/406 response when there is none."""
    if suffix:
        media_type = documents.EXTENSION_MEDIA_TYPES.get(suffix)
        if media_type not in offered:
            return PlainTextResponse(f"no resource {name}{suffix}\n", status_code=404)
        return media_type
    chosen = negotiate(accept, offered)
    if chosen is None:
        return PlainTextResponse(f"not acceptable; available: {', '.join(offered)}\n", status_code=406, headers=VARY)
    return chosen


def _media_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type == documents.HTML else media_type


def _document(name: str, request: Request, accept: str | None, suffix: str, base: str) -> Response:
    offered = [*documents.RDF_MEDIA_TYPES, *([documents.HTML] if name == "ontology" else [])]
    chosen = _pick(name, accept, suffix, offered)
    if isinstance(chosen, Response):
        return chosen
    body = documents.ontology_html(base) if chosen == documents.HTML else documents.serialised(name, chosen)
    return cached_response(request, body, _media_type(chosen), VARY, max_age=VOCABULARY_MAX_AGE)


@router.api_route("/ontology", methods=["GET", "HEAD"])
def ontology(request: Request, settings: SettingsDep, accept: str | None = Header(default=None)) -> Response:
    """The copgraph ontology (classes, properties and their mapping to public vocabularies)."""
    return _document("ontology", request, accept, "", settings.base_iri)


@router.api_route("/shapes", methods=["GET", "HEAD"])
def shapes(request: Request, settings: SettingsDep, accept: str | None = Header(default=None)) -> Response:
    """The SHACL shapes every export conforms to."""
    return _document("shapes", request, accept, "", settings.base_iri)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"])
def context(request: Request) -> Response:
    """The JSON-LD context of the JSON-LD export (and of `/id/...` as JSON-LD)."""
    return cached_response(request, documents.context_text(), "application/ld+json",
                           {"Access-Control-Allow-Origin": "*"}, max_age=VOCABULARY_MAX_AGE)


def _dataset(request: Request, store: StoreDep, base: str, accept: str | None, suffix: str) -> Response:
    chosen = _pick("dataset", accept, suffix, list(documents.RDF_MEDIA_TYPES))
    if isinstance(chosen, Response):
        return chosen
    states = store.state_keys()
    index = getattr(request.app.state, "sparql", None)
    version = data_version(request)
    modified = version.modified if version else None
    graph = catalog_graph(base, state_keys=states, triples=index.triple_count() if index else None,
                          modified=modified or datetime.now(UTC),
                          example=node_iri(base, f"State:{states[0]}") if states else None)
    body = graph.serialize(format=documents.RDF_MEDIA_TYPES[chosen])
    return cached_response(request, body, chosen, VARY, last_modified=modified)


@router.api_route("/dataset", methods=["GET", "HEAD"])
def dataset(request: Request, store: StoreDep, settings: SettingsDep,
            accept: str | None = Header(default=None)) -> Response:
    """DCAT-AP.de and VoID description of the export and the SPARQL endpoint, for portals to harvest."""
    return _dataset(request, store, settings.base_iri, accept, "")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void(request: Request, store: StoreDep, settings: SettingsDep,
                    accept: str | None = Header(default=None)) -> Response:
    return _dataset(request, store, settings.base_iri, accept, "")


@router.api_route("/ontology.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def ontology_file(ext: str, request: Request, settings: SettingsDep) -> Response:
    """`/ontology.ttl`, `.nt`, `.jsonld`, `.rdf`, `.html`: a format named in the path."""
    return _document("ontology", request, None, f".{ext}", settings.base_iri)


@router.api_route("/shapes.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def shapes_file(ext: str, request: Request, settings: SettingsDep) -> Response:
    return _document("shapes", request, None, f".{ext}", settings.base_iri)


@router.api_route("/dataset.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
def dataset_file(ext: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    return _dataset(request, store, settings.base_iri, None, f".{ext}")
