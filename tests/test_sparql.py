"""The read-only SPARQL endpoint: the documented mission examples against Cypher oracles, result
formats, refused updates, the personal-data rule, currency after writes (incremental update =
rebuild), the time and size limits, and outside clients (SPARQLWrapper; roqet when installed)."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi.testclient import TestClient
from rdflib import Graph

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.rdf import vocab
from graph_api.rdf.sparql_index import SparqlIndex
from graph_api.rdf.sparql_query import SparqlLimits
from graph_api.rows import GraphRows
from graph_api.store import Store

BASE = "https://copgraph.example.org/"  # the base the documented examples name
EXAMPLES = PROJECT_ROOT / "docs" / "sparql"
ALL_STATUSES = ["CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED"]
ORGANISATIONS = ("SELECT ?o ?name WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; "
                 "<https://schema.org/name> ?name }")


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store=pilot_store))


def _select(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: b["value"] for k, b in row.items()} for row in response.json()["results"]["bindings"]]


def _id(iri: str | None) -> str | None:
    return vocab.id_of_iri(iri) if iri else None


def _example(name: str) -> str:
    return (EXAMPLES / f"{name}.rq").read_text(encoding="utf-8")


# ---- the documented mission examples, each against an oracle computed from the store ---------
def test_adoptions_in_ludwigslust_parchim_and_whom_they_learned_from(client: TestClient, pilot_store: Store) -> None:
    cypher = (PROJECT_ROOT / "queries" / "adoptions_in_territory.cypher").read_text(encoding="utf-8")
    adoptions = pilot_store.read(cypher, {"territory": "County:13076", "statuses": ALL_STATUSES})
    teachers: dict[str, set[tuple[str, str]]] = {}
    for row in pilot_store.read("MATCH (a:Adoption)-[:LEARNED_FROM]->(b:Adoption)-[:BY]->(t) "
                                "RETURN a.id AS a, b.id AS b, t.id AS t"):
        teachers.setdefault(row["a"], set()).add((row["b"], row["t"]))
    expected = {(a["adoption_id"], a["solution_id"], a["adopter_id"], b, t)
                for a in adoptions for b, t in teachers.get(a["adoption_id"], {(None, None)})}
    rows = _select(client, _example("adoptions_in_ludwigslust_parchim"))
    got = {(_id(r["adoption"]), _id(r["solution"]), _id(r["adopter"]), _id(r.get("learnedFrom")),
            _id(r.get("teacher"))) for r in rows}
    assert got == expected
    assert any(t for *_, t in expected)  # the example does show lineage


def test_public_enterprises_and_owners(client: TestClient, pilot_store: Store) -> None:
    cypher = (PROJECT_ROOT / "queries" / "public_enterprises.cypher").read_text(encoding="utf-8")
    expected = {(r["enterprise_id"], r["owner_id"], r["share"]) for r in pilot_store.read(cypher)}
    rows = _select(client, _example("public_enterprises"))
    got = {(_id(r["enterprise"]), _id(r.get("owner")), float(r["share"]) if "share" in r else None) for r in rows}
    assert got == expected
    assert any(share is not None for *_, share in expected)


def test_county_municipality_contacts(client: TestClient, pilot_store: Store) -> None:
    parent = {r["c"]: r["p"] for r in pilot_store.read("MATCH (c)-[:PART_OF]->(p) RETURN c.id AS c, p.id AS p")}

    def ancestors(node: str) -> set[str]:
        out = set()
        while node in parent:
            node = parent[node]
            out.add(node)
        return out

    administers = pilot_store.read("MATCH (o:Organization)-[:ADMINISTERS]->(p) RETURN o.id AS o, p.id AS p")
    works = pilot_store.read("MATCH (a:Actor)-[:WORKS_FOR]->(o:Organization) RETURN a.id AS a, o.id AS o")
    knows = pilot_store.read("MATCH (a:Actor)-[:KNOWS]->(b:Actor) RETURN a.id AS a, b.id AS b")
    neighbours: dict[str, set[str]] = {}
    for k in knows:
        neighbours.setdefault(k["a"], set()).add(k["b"])
        neighbours.setdefault(k["b"], set()).add(k["a"])
    staff: dict[str, set[str]] = {}
    for w in works:
        staff.setdefault(w["o"], set()).add(w["a"])
    expected = set()
    for county_admin in (a for a in administers if a["p"].startswith("County:")):
        for municipal_admin in administers:
            if county_admin["p"] not in ancestors(municipal_admin["p"]):
                continue
            for person in staff.get(county_admin["o"], ()):
                for other in neighbours.get(person, set()) & staff.get(municipal_admin["o"], set()):
                    expected.add((county_admin["p"], person, other, municipal_admin["p"]))
    rows = _select(client, _example("county_municipality_contacts"))
    got = {(_id(r["county"]), _id(r["countyPerson"]), _id(r["municipalPerson"]), _id(r["place"])) for r in rows}
    assert got == expected
    assert expected


# ---- protocol and formats --------------------------------------------------------------------
def test_select_in_every_results_format_agrees(client: TestClient, pilot_store: Store) -> None:
    expected = {(vocab.node_iri(BASE, r["id"]), r["name"])
                for r in pilot_store.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name")}
    as_json = client.get("/sparql", params={"query": ORGANISATIONS})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    assert {(b["o"]["value"], b["name"]["value"]) for b in as_json.json()["results"]["bindings"]} == expected
    as_xml = client.get("/sparql", params={"query": ORGANISATIONS},
                        headers={"Accept": "application/sparql-results+xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(as_xml.content).findall(".//r:result", ns)
    assert {(r.find("r:binding[@name='o']/r:uri", ns).text, r.find("r:binding[@name='name']/r:literal", ns).text)
            for r in results} == expected
    as_csv = client.get("/sparql", params={"query": ORGANISATIONS}, headers={"Accept": "text/csv"})
    assert {(r["o"], r["name"]) for r in csv.DictReader(io.StringIO(as_csv.text))} == expected
    post_form = client.post("/sparql", data={"query": ORGANISATIONS}, headers={"Accept": "text/csv"})
    post_direct = client.post("/sparql", content=ORGANISATIONS.encode(),
                              headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert post_form.text == post_direct.text == as_csv.text


def test_construct_returns_rdf_both_parsers_read(client: TestClient) -> None:
    query = "CONSTRUCT { ?o ?p ?v } WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; ?p ?v }"
    turtle = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    nt = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) == len(list(ox.parse(nt.content, ox.RdfFormat.N_TRIPLES))) > 0
    ask = client.get("/sparql", params={"query": "ASK { ?s a <http://www.w3.org/ns/org#Organization> }"})
    assert ask.json()["boolean"] is True
    describe = client.get("/sparql", params={"query": f"DESCRIBE <{BASE}id/county/13076>"},
                          headers={"Accept": "application/n-triples"})
    assert describe.status_code == 200 and f"<{BASE}id/county/13076>" in describe.text


def test_named_graphs_are_the_sources(client: TestClient, pilot_store: Store) -> None:
    sources = {vocab.node_iri(BASE, r["id"]) for r in pilot_store.read(
        "MATCH ()-[:SOURCED_FROM]->(s:Source) RETURN DISTINCT s.id AS id")}
    rows = _select(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sources <= {r["g"] for r in rows}


@pytest.mark.parametrize("how", ["form-update", "sparql-update", "update-in-query", "get-update"])
def test_updates_are_refused(client: TestClient, how: str) -> None:
    update = f"INSERT DATA {{ <{BASE}id/solution/x> <https://schema.org/name> \"injected\" }}"
    if how == "form-update":
        response = client.post("/sparql", data={"update": update})
    elif how == "sparql-update":
        response = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    elif how == "update-in-query":
        response = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"})
    else:
        response = client.get("/sparql", params={"update": update})
    assert response.status_code == 400
    assert "read-only" in response.text
    assert not _select(client, 'SELECT ?s WHERE { ?s ?p "injected" }')


def test_bad_requests(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "SELEKT *"}).status_code == 400
    assert client.get("/sparql", params={"query": ORGANISATIONS}, headers={"Accept": "image/png"}).status_code == 406
    assert client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post("/sparql", data={"query": ""}).status_code == 400
    service = client.get("/sparql")
    assert service.status_code == 200
    assert len(Graph().parse(data=service.text, format="turtle")) > 0


def test_only_what_the_export_publishes_is_queryable(client: TestClient, pilot_store: Store) -> None:
    restricted = pilot_store.read("MATCH (a:Actor) WHERE a.visibility <> 'public' OR a.visibility IS NULL "
                                  "RETURN a.name AS name, a.email AS email")
    everything = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/n-triples"}).text
    assert restricted
    for actor in restricted:
        if actor["name"]:
            assert f'"{actor["name"]}"' not in everything
    for row in pilot_store.read("MATCH (a:Actor) RETURN a.email AS email, a.phone AS phone"):
        for value in (row["email"], row["phone"]):
            assert not value or value not in everything


# ---- kept current after writes ----------------------------------------------------------------
def _union_triples(store: ox.Store) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store}


def test_writes_reach_the_endpoint_and_incremental_equals_rebuild(fresh_pilot_store: Store) -> None:
    app = create_app(Settings(base_iri=BASE), store=fresh_pilot_store)
    client = TestClient(app)
    store = app.state.store
    assert _select(client, ORGANISATIONS)  # index and workers exist before the writes
    actors = [r["id"] for r in fresh_pilot_store.read("MATCH (a:Actor) RETURN a.id AS id ORDER BY a.id LIMIT 2")]
    municipality = fresh_pilot_store.read("MATCH (m:Municipality) RETURN m.id AS id ORDER BY m.id LIMIT 1")[0]["id"]
    target = fresh_pilot_store.read("MATCH (a:Adoption)-[:LEARNED_FROM]->(b:Adoption) RETURN b.id AS id "
                                    "LIMIT 1")[0]["id"]
    contact = fresh_pilot_store.read("MATCH (a:Actor)-[:KNOWS]->(b:Actor) RETURN a.id AS a, b.id AS b LIMIT 1")[0]

    rows = GraphRows()
    rows.add_node("Municipality", {"id": municipality, "name": "Umbenannt an der Elde"})
    rows.add_rel("KNOWS", actors[0], actors[1], since="2024-01-01")
    store.apply(rows)
    iri = vocab.node_iri(BASE, municipality)
    renamed = _select(client, f"SELECT ?n WHERE {{ <{iri}> <https://schema.org/name> ?n }}")
    assert [r["n"] for r in renamed] == ["Umbenannt an der Elde"]

    assert store.delete_node(target)
    assert store.delete_contact(contact["a"], contact["b"])
    gone = _select(client, f"SELECT ?s ?p WHERE {{ ?s ?p <{vocab.node_iri(BASE, target)}> }}")
    assert gone == []

    incremental = app.state.sparql.current()
    rebuilt = SparqlIndex(lambda: fresh_pilot_store, BASE).current()
    assert set(incremental) == set(rebuilt)
    served = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/n-triples"})
    assert {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(served.content, ox.RdfFormat.N_TRIPLES)} == _union_triples(rebuilt)


# ---- limits ------------------------------------------------------------------------------------
def test_a_runaway_query_is_stopped_and_the_endpoint_recovers(pilot_store: Store) -> None:
    app = create_app(Settings(base_iri=BASE), store=pilot_store)
    app.state.sparql_limits = SparqlLimits(timeout_s=1.0)
    client = TestClient(app)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = client.get("/sparql", params={"query": runaway})
    assert response.status_code == 504
    assert _select(client, ORGANISATIONS)


def test_results_above_the_size_limit_are_refused(pilot_store: Store) -> None:
    app = create_app(Settings(base_iri=BASE), store=pilot_store)
    app.state.sparql_limits = SparqlLimits(max_bytes=10_000)
    client = TestClient(app)
    assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}).status_code == 413
    assert client.get("/sparql", params={"query": ORGANISATIONS + " LIMIT 3"}).status_code == 200


# ---- outside clients over real HTTP ------------------------------------------------------------
@pytest.fixture(scope="module")
def live_endpoint(pilot_store: Store) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(base_iri=BASE), store=pilot_store),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/sparql"
    server.should_exit = True
    thread.join(10)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_runs_the_examples(live_endpoint: str, client: TestClient, method: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    for example in sorted(EXAMPLES.glob("*.rq")):
        wrapper = SPARQLWrapper(live_endpoint)
        wrapper.setMethod(method)
        wrapper.setQuery(example.read_text(encoding="utf-8"))
        wrapper.setReturnFormat(JSON)
        bindings = wrapper.query().convert()["results"]["bindings"]
        assert [{k: b["value"] for k, b in row.items()} for row in bindings] == _select(client, example.read_text())


@pytest.mark.skipif(shutil.which("roqet") is None, reason="roqet (Debian rasqal-utils) not installed")
def test_roqet_runs_an_example(live_endpoint: str, client: TestClient) -> None:
    query = _example("public_enterprises")
    result = subprocess.run(["roqet", "-q", "-p", live_endpoint, "-r", "xml", "-e", query],
                            capture_output=True, text=True, timeout=60, check=True)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(result.stdout).findall(".//r:result", ns)
    got = [(r.find("r:binding[@name='enterprise']/r:uri", ns).text,
            r.find("r:binding[@name='name']/r:literal", ns).text) for r in results]
    assert got == [(r["enterprise"], r["name"]) for r in _select(client, query)]


def test_the_sparql_benchmark_runs_on_the_pilot_territories() -> None:
    from bench.sparql import run
    from graph_api.config import SAMPLE_DIR

    result = run(SAMPLE_DIR / "gv100ad_pilot.ASC", iterations=3)
    examples = {path.stem for path in EXAMPLES.glob("*.rq")}
    assert examples <= set(result)
    assert all(result[name]["rows"] > 0 and result[name]["n"] >= 3 for name in examples)
    assert result["quads"] > 0 and result["update_after_one_record_write_ms"] >= 0
