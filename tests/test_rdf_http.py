"""Linked data over HTTP: content negotiation on /id/{type}/{key} (q-values, 406, 404, Vary, Link)
and the streamed /export, through FastAPI's TestClient on the pilot store."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.rdf import vocab
from graph_api.rdf.negotiation import negotiate, parse_accept
from graph_api.store import Store

BASE = "https://data.example.org/cop/"
TURTLE, NT, JSONLD = "text/turtle", "application/n-triples", "application/ld+json"
OFFERED = [TURTLE, NT, JSONLD]
PARSE_AS = {TURTLE: "turtle", NT: "nt", JSONLD: "json-ld"}


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store=pilot_store), follow_redirects=False)


@pytest.fixture(scope="module")
def municipality(pilot_store: Store) -> dict:
    return pilot_store.read("MATCH (m:Municipality)-[:PART_OF]->(p) RETURN m.id AS id, m.name AS name, "
                            "p.id AS parent, p.name AS parent_name ORDER BY m.id LIMIT 1")[0]


# Accept header -> (status, media type); an empty header accepts anything.
NEGOTIATION = [
    ("", 200, TURTLE),
    ("*/*", 200, TURTLE),
    ("text/turtle", 200, TURTLE),
    ("application/n-triples", 200, NT),
    ("application/ld+json", 200, JSONLD),
    ("application/json, application/ld+json;q=0.5", 200, JSONLD),
    ("text/turtle;q=0.2, application/n-triples;q=0.9, application/ld+json;q=0.5", 200, NT),
    ("text/turtle;q=0.8, application/ld+json", 200, JSONLD),
    ("text/*;q=0.3, application/ld+json;q=0.2", 200, TURTLE),
    ("application/*", 200, NT),
    ("application/*;q=0.5, application/ld+json;q=0.9", 200, JSONLD),
    ("*/*;q=0.1, text/turtle;q=0", 200, NT),
    ("text/html", 303, None),  # browsers go to the Explorer's page of the node
    ("text/html, application/xhtml+xml;q=0.9", 303, None),
    ("text/turtle;q=0, application/n-triples;q=0, application/ld+json;q=0", 406, None),
    ("application/rdf+xml", 406, None),
    ("TEXT/Turtle", 200, TURTLE),
    ("text/html;q=0.9, */*;q=0.8", 303, None),
    ("text/html;q=0.5, */*;q=0.8", 200, TURTLE),
    ("image/png", 406, None),
]


@pytest.mark.parametrize("accept,status,media_type", NEGOTIATION)
def test_content_negotiation(client: TestClient, municipality: dict, accept: str, status: int,
                             media_type: str | None) -> None:
    headers = {"Accept": accept}
    key = municipality["id"].split(":")[1]
    response = client.get(f"/id/municipality/{key}", headers=headers)
    assert response.status_code == status, response.text
    assert "accept" in response.headers["vary"].lower()
    if media_type:
        assert response.headers["content-type"].split(";")[0] == media_type
        graph = Graph().parse(data=response.text, format=PARSE_AS[media_type])
        assert (URIRef(vocab.node_iri(BASE, municipality["id"])), RDFS.label, Literal(municipality["name"])) in graph
        link = response.headers["link"]
        assert 'rel="describedby"' in link
        assert all(f'type="{m}"' in link for m in OFFERED if m != media_type)


def test_description_has_both_directions_and_neighbour_labels(client: TestClient, pilot_store: Store) -> None:
    county = pilot_store.read("MATCH (c:County) RETURN c.id AS id ORDER BY c.id LIMIT 1")[0]["id"]
    children = pilot_store.read("MATCH (x)-[:PART_OF]->(c:County {id: $id}) RETURN x.id AS id, x.name AS name",
                                {"id": county})
    parent = pilot_store.read("MATCH (c:County {id: $id})-[:PART_OF]->(s) RETURN s.id AS id, s.name AS name",
                              {"id": county})[0]
    response = client.get(f"/id/county/{county.split(':')[1]}", headers={"Accept": TURTLE})
    graph = Graph().parse(data=response.text, format="turtle")
    me = URIRef(vocab.node_iri(BASE, county))
    part_of = URIRef(vocab.REL_PREDICATE["PART_OF"])
    assert (me, part_of, URIRef(vocab.node_iri(BASE, parent["id"]))) in graph
    assert (URIRef(vocab.node_iri(BASE, parent["id"])), RDFS.label, Literal(parent["name"])) in graph
    assert children
    for child in children:
        child_iri = URIRef(vocab.node_iri(BASE, child["id"]))
        assert (child_iri, part_of, me) in graph
        assert (child_iri, RDFS.label, Literal(child["name"])) in graph


def test_restricted_actor_description_withholds_the_name(client: TestClient, pilot_store: Store) -> None:
    actor = pilot_store.read("MATCH (a:Actor) WHERE a.visibility = 'restricted' RETURN a.id AS id, a.name AS name, "
                             "a.role_label AS role_label LIMIT 1")[0]
    response = client.get(f"/id/actor/{actor['id'].split(':')[1]}", headers={"Accept": NT})
    assert response.status_code == 200
    assert actor["name"] not in response.text
    assert actor["role_label"].replace('"', '\\"') in response.text


def test_unknown_resources_are_404(client: TestClient) -> None:
    for path in ("/id/municipality/99999999", "/id/solution/no-such-solution", "/id/spaceship/x",
                 "/id/scheme/no-such-scheme"):
        response = client.get(path, headers={"Accept": TURTLE})
        assert response.status_code == 404, path


def test_concept_scheme_is_dereferenceable(client: TestClient, pilot_store: Store) -> None:
    scheme = pilot_store.read("MATCH (c:Concept) RETURN c.scheme AS s LIMIT 1")[0]["s"]
    response = client.get(f"/id/scheme/{scheme}", headers={"Accept": JSONLD})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (URIRef(vocab.scheme_iri(BASE, scheme)), RDF.type, URIRef(vocab.SKOS_CONCEPT_SCHEME)) in graph


@pytest.mark.parametrize("fmt,media_type,rdflib_format", [
    ("ttl", TURTLE, "turtle"), ("nt", NT, "nt"), ("jsonld", JSONLD, "json-ld"),
    ("nq", "application/n-quads", "nquads"), ("trig", "application/trig", "trig")])
def test_export_streams_the_whole_graph(client: TestClient, pilot_store: Store, fmt: str, media_type: str,
                                        rdflib_format: str) -> None:
    with client.stream("GET", f"/export?format={fmt}") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        text = "".join(response.iter_text())
    dataset = Dataset()
    dataset.parse(data=text, format=rdflib_format)
    organisations = {s for s, _, _, _ in dataset.quads((None, RDF.type, URIRef(vocab.CLASS["Organization"]), None))}
    assert len(organisations) == pilot_store.node_label_counts()["Organization"]
    if fmt == "jsonld":
        assert json.loads(text)["@graph"]


def test_export_rejects_unknown_formats(client: TestClient) -> None:
    assert client.get("/export?format=rdfxml").status_code == 422


def test_accept_parser_edge_cases() -> None:
    assert negotiate("text/turtle;q=abc, application/n-triples", OFFERED) == NT
    assert negotiate("text/turtle;q=2", OFFERED) is None  # out-of-range q means q=0
    assert negotiate("garbage, , ;q=1", OFFERED) is None
    assert negotiate("text/turtle ; q=0.5 ; charset=utf-8, application/ld+json;q=0.4", OFFERED) == TURTLE
    assert [r.q for r in parse_accept("a/b;q=0.25, c/*")] == [0.25, 1.0]
    assert negotiate("*/*", []) is None
