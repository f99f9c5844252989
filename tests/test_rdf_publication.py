"""Publication of the linked data: the vocabulary documents a deployment serves (ontology, shapes,
JSON-LD context), the DCAT-AP.de/VoID description, and the HTTP behaviour of `/id/...` that
harvesters and browsers rely on (HEAD, 303 to the Explorer, canonical redirects, validators,
paged hubs). Every RDF answer is parsed by rdflib and by pyoxigraph."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, VOID

import graph_api.rdf.export as rdf_export
from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.model import REL_TYPES, key_of
from graph_api.rdf import vocab
from graph_api.rdf.context import build_context
from graph_api.rdf.generate import ONTOLOGY_FILE, SHAPES_FILE
from graph_api.rdf.writers import MEDIA_TYPES
from graph_api.rows import GraphRows
from graph_api.store import Store

BASE = "https://data.example.org/cop/"
RDFLIB_FORMAT = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                 "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig"}
OX_FORMAT = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
             "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
DCATDE = "http://dcat-ap.de/def/dcatde/"


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store=pilot_store), follow_redirects=False)


def _path(iri: str) -> str:
    """The path under which the app serves an IRI of the deployment at BASE."""
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE):]


def _both_parsers(text: str, media_type: str) -> Graph:
    """Parse with rdflib and pyoxigraph; both must agree on the number of triples."""
    graph = Graph().parse(data=text, format=RDFLIB_FORMAT[media_type])
    quads = list(ox.parse(text.encode("utf-8"), OX_FORMAT[media_type]))
    assert len(quads) == len(graph), media_type
    return graph


def _link(response, rel: str) -> str | None:  # noqa: ANN001
    for part in response.headers.get("link", "").split(","):
        target, _, params = part.strip().partition(";")
        if f'rel="{rel}"' in params:
            return target.strip()[1:-1]
    return None


def _municipality(store: Store) -> str:
    return store.read("MATCH (m:Municipality) RETURN m.id AS id ORDER BY m.id LIMIT 1")[0]["id"]


# ---- vocabulary documents --------------------------------------------------------------------
def test_describedby_link_of_a_description_is_served(client: TestClient, pilot_store: Store) -> None:
    response = client.get(f"/id/municipality/{key_of(_municipality(pilot_store))}")
    ontology_url = _link(response, "describedby")
    assert ontology_url == f"{BASE}ontology"
    served = client.get(_path(ontology_url), headers={"Accept": "text/turtle"})
    assert served.status_code == 200
    graph = _both_parsers(served.text, "text/turtle")
    assert (URIRef(vocab.ONTOLOGY_IRI), RDF.type, OWL.Ontology) in graph


@pytest.mark.parametrize("name,committed", [("ontology", ONTOLOGY_FILE), ("shapes", SHAPES_FILE)])
@pytest.mark.parametrize("media_type", list(OX_FORMAT))
def test_vocabulary_documents_negotiate_every_rdf_format(client: TestClient, name: str, committed,  # noqa: ANN001
                                                          media_type: str) -> None:
    response = client.get(f"/{name}", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "accept" in response.headers["vary"].lower()
    assert isomorphic(_both_parsers(response.text, media_type), Graph().parse(committed, format="turtle"))


@pytest.mark.parametrize("suffix,media_type", [(".ttl", "text/turtle"), (".nt", "application/n-triples"),
                                               (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml"),
                                               (".html", "text/html")])
def test_a_suffix_names_the_format(client: TestClient, suffix: str, media_type: str) -> None:
    response = client.get(f"/ontology{suffix}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert client.get("/ontology.exe").status_code == 404
    assert client.get("/shapes.html").status_code == 404


def test_unacceptable_vocabulary_request_is_406(client: TestClient) -> None:
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.tags: set[str] = set()
        self.styled = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        names = dict(attrs)
        if "id" in names:
            self.ids.add(names["id"] or "")
        self.styled |= "style" in names or any(n.startswith("on") for n in names)


def test_browsers_get_an_html_page_of_every_own_class_and_property(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/ontology", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _Anchors()
    page.feed(response.text)
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    own = {str(s)[len(vocab.CG):] for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
           for s in ontology.subjects(RDF.type, kind) if str(s).startswith(vocab.CG)}
    assert own and own <= page.ids
    for term in own:  # each entry shows the German label
        label = ontology.value(URIRef(vocab.CG + term), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        assert label is not None
    assert "script" not in page.tags and not page.styled  # renders under a CSP without inline code


def test_json_ld_context_is_served_cross_origin(client: TestClient) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["access-control-allow-origin"] == "*"
    assert json.loads(response.text) == json.loads(json.dumps(build_context()))


# ---- /id/... over HTTP -----------------------------------------------------------------------
def test_head_answers_like_get_without_a_body(client: TestClient, pilot_store: Store) -> None:
    path = f"/id/municipality/{key_of(_municipality(pilot_store))}"
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    for header in ("content-type", "etag", "link", "vary", "cache-control"):
        assert head.headers[header] == get.headers[header], header
    assert int(head.headers["content-length"]) == len(get.content)


def test_head_on_the_export(client: TestClient) -> None:
    response = client.head("/export?format=nt")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "application/n-triples"
    assert response.content == b""


def test_browsers_are_sent_to_the_explorer_page_of_the_node(client: TestClient, pilot_store: Store) -> None:
    node_id = _municipality(pilot_store)
    path = f"/id/municipality/{key_of(node_id)}"
    response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303
    target = urlsplit(urljoin(f"http://testserver{path}", response.headers["location"]))
    assert target.path == "/"
    assert unquote(target.fragment) == f"/knoten/{node_id}"
    assert client.get(target.path).status_code == 200  # the Explorer


@pytest.mark.parametrize("spelling", ["/id/Municipality/{key}", "/id/MUNICIPALITY/{key}"])
def test_other_spellings_redirect_to_the_canonical_iri(client: TestClient, pilot_store: Store,
                                                      spelling: str) -> None:
    key = key_of(_municipality(pilot_store))
    response = client.get(spelling.format(key=key))
    assert response.status_code == 301
    assert urlsplit(urljoin(f"http://testserver{spelling.format(key=key)}", response.headers["location"])).path \
        == f"/id/municipality/{key}"


def test_slug_keys_are_case_insensitive(client: TestClient, pilot_store: Store) -> None:
    key = key_of(pilot_store.read("MATCH (s:Solution) RETURN s.id AS id ORDER BY s.id LIMIT 1")[0]["id"])
    path = f"/id/Solution/{key.upper()}"
    response = client.get(path)
    assert response.status_code == 301
    target = urljoin(f"http://testserver{path}", response.headers["location"])
    assert urlsplit(target).path == f"/id/solution/{key}"
    assert client.get(urlsplit(target).path).status_code == 200


def test_descriptions_carry_validators_and_answer_conditional_requests(client: TestClient,
                                                                       pilot_store: Store) -> None:
    path = f"/id/municipality/{key_of(_municipality(pilot_store))}"
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.headers["etag"] and "max-age" in first.headers["cache-control"]
    assert first.headers["last-modified"].endswith("GMT")
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    other_format = client.get(path, headers={"Accept": "application/n-triples",
                                             "If-None-Match": first.headers["etag"]})
    assert other_format.status_code == 200 and other_format.headers["etag"] != first.headers["etag"]


def test_a_write_through_the_app_changes_validators(fresh_pilot_store: Store) -> None:
    app = create_app(Settings(base_iri=BASE), store=fresh_pilot_store)
    client = TestClient(app)
    solution = fresh_pilot_store.read("MATCH (s:Solution) RETURN s.id AS id ORDER BY s.id LIMIT 1")[0]["id"]
    path = f"/id/solution/{key_of(solution)}"
    before = client.get(path)
    rows = GraphRows()
    rows.add_node("Solution", {"id": solution, "summary": "Neu beschrieben"})
    app.state.store.apply(rows)
    after = client.get(path, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert "Neu beschrieben" in after.text
    assert after.headers["etag"] != before.headers["etag"]


def _incoming(store: Store, node_id: str, label: str) -> set[tuple[str, str]]:
    """Oracle: (start node id, relationship type) of every relationship ending at the node."""
    out = set()
    for name, rel in REL_TYPES.items():
        if any(b == label for _, b in rel.pairs):
            out |= {(row["f"], name) for row in store.read(
                f"MATCH (a)-[r:{name}]->(b:{label} {{id: $id}}) RETURN a.id AS f", {"id": node_id})}
    return out


def test_hub_descriptions_are_paged(client: TestClient, pilot_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    source = pilot_store.read("MATCH (a)-[:SOURCED_FROM]->(s:Source) RETURN s.id AS id, count(a) AS n "
                              "ORDER BY n DESC LIMIT 1")[0]
    expected = _incoming(pilot_store, source["id"], "Source")
    page_size = max(7, len(expected) // 4)
    monkeypatch.setattr(rdf_export, "DESCRIPTION_PAGE_SIZE", page_size)
    me = URIRef(vocab.node_iri(BASE, source["id"]))
    rel_of = {URIRef(p): name for name, p in vocab.REL_PREDICATE.items()}
    path, seen, pages = f"/id/source/{key_of(source['id'])}", set(), 0
    while path:
        response = client.get(path, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        graph = _both_parsers(response.text, "application/n-triples")
        found = {(vocab.id_of_iri(str(s)), rel_of[p]) for s, p in graph.subject_predicates(me) if p in rel_of}
        assert len(found) <= page_size
        assert not found & seen
        seen |= found
        pages += 1
        following = _link(response, "next")
        path = urljoin(f"http://testserver{path}", following).removeprefix("http://testserver") if following else None
    assert seen == expected
    assert pages == -(-len(expected) // page_size) > 1
    assert client.get(f"/id/source/{key_of(source['id'])}?page={pages + 1}").status_code == 404


# ---- DCAT-AP.de / VoID -----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void", "/dataset.ttl"])
def test_dataset_description_for_portals(client: TestClient, pilot_store: Store, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = _both_parsers(response.text, "text/turtle")
    dataset = URIRef(f"{BASE}dataset")
    assert (dataset, RDF.type, ns.DCAT.Dataset) in graph and (dataset, RDF.type, VOID.Dataset) in graph
    assert {t.language for t in graph.objects(dataset, DCTERMS.title)} >= {"de", "en"}
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert isinstance(publisher, URIRef) and isinstance(graph.value(publisher, FOAF.name), Literal)
    assert isinstance(graph.value(dataset, DCTERMS.license), URIRef)
    states = {r["ags"] for r in pilot_store.read("MATCH (s:State) RETURN s.ags AS ags")}
    geocoding = {str(o) for o in graph.objects(dataset, URIRef(DCATDE + "politicalGeocodingURI"))}
    assert geocoding == {f"{vocab.GEOCODING}stateKey/{ags}" for ags in states}
    distributions = list(graph.objects(dataset, ns.DCAT.distribution))
    assert len(distributions) == len(MEDIA_TYPES)
    advertised = set()
    for distribution in distributions:
        assert isinstance(graph.value(distribution, DCTERMS.license), URIRef)
        url = str(graph.value(distribution, ns.DCAT.downloadURL))
        media_type = str(graph.value(distribution, ns.DCAT.mediaType)).rsplit("/", 2)
        served = client.head(_path(url))
        assert served.status_code == 200, url
        assert served.headers["content-type"].split(";")[0] == "/".join(media_type[-2:])
        advertised.add("/".join(media_type[-2:]))
    assert advertised == set(MEDIA_TYPES.values())
    assert str(graph.value(dataset, VOID.uriSpace)) == f"{BASE}id/"
    exported = list(ox.parse(client.get("/export?format=nt").content, ox.RdfFormat.N_TRIPLES))
    assert int(graph.value(dataset, VOID.triples)) == len(set(exported))
