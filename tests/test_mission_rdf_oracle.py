"""The mission answers agree with the graph as its RDF export states it, queried with SPARQL (rdflib).

The other oracle tests read the graph's rows from the store; here the rows come from the other
end: the whole graph is exported as N-Triples, parsed by rdflib, and read back with SPARQL. The
networkx reference (`tests/mission_oracle.py`) then runs over those rows, and a coverage
question is also answered in SPARQL alone. GraphQL must agree with both on the pilot data and on
a generated county: a relationship the export drops or renames, or an answer that depends on
something the published graph does not say, shows up as a disagreement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import unquote

import pytest
from rdflib import Graph

from graph_api.mission import definitions
from graph_api.model import NODE_LABELS, REL_TYPES
from graph_api.query_library import QUERIES_DIR
from graph_api.rdf.export import export
from graph_api.store import Store
from tests import mission_oracle as oracle
from tests.graphql_client import GraphQLClient
from tests.test_mission_oracle import generated_store  # noqa: F401 - the shared generated county

BASE = "https://copgraph.example.org/"
PREFIXES = """PREFIX cg: <https://copgraph.example.org/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
# The classes and predicates as the published ontology names them (docs/linked-data.md), written
# out here rather than taken from the exporter's tables, so a renamed term is a disagreement.
CLASSES = {"County": "cg:County", "Association": "cg:MunicipalAssociation", "Municipality": "cg:Municipality",
           "State": "schema:State", "Organization": "org:Organization", "Actor": "foaf:Person",
           "Project": "foaf:Project", "Solution": "adms:Asset", "Adoption": "cg:Adoption",
           "Concept": "skos:Concept", "Award": "cg:Award", "Need": "cg:Need"}
# relationship type -> the predicates that state it (the second where its agent end is a place)
PREDICATES = {
    "KNOWS": ["foaf:knows"], "WORKS_FOR": ["schema:worksFor"], "SUB_ORGANIZATION_OF": ["org:subOrganizationOf"],
    "MEMBER_OF": ["org:memberOf", "cg:authorityMemberOf"], "ADMINISTERS": ["cg:administers"],
    "OWNED_BY": ["cg:ownedBy", "cg:ownedByAuthorityOf"], "PARTICIPATES_IN": ["cg:participatesIn"],
    "PART_OF": ["schema:containedInPlace"], "OF": ["prov:used"], "BY": ["cg:adopter", "cg:adoptedIn"],
    "LEARNED_FROM": ["prov:wasInformedBy"], "IN_CATEGORY": ["dcat:theme"], "BROADER": ["skos:broader"],
    "ADDRESSES": ["cg:addresses"], "RECEIVED": ["cg:received"], "CONCERNS": ["cg:concerns"],
    "NEEDED_BY": ["cg:neededBy", "cg:neededIn"],
}
PROPERTIES = {"ags": "cg:ags", "ars": "cg:ars", "county_ags": "cg:countyAgs", "population": "cg:population",
              "name": "schema:name", "status": "cg:adoptionStatus", "started_on": "schema:startDate",
              "maturity": "cg:maturity", "need_status": "cg:needStatus"}
_SEGMENTS = {label.lower(): label for label in NODE_LABELS}
_IRI = re.compile(r"^https?://[^#]+/id/(?P<segment>[a-z]+)/(?P<key>[^/#]+)$")


def node_id(iri: str) -> str | None:
    """`{base}id/{type}/{key}` -> `Type:key` (the contract's IRI scheme); anything else is not a node."""
    match = _IRI.match(str(iri))
    if not match or match["segment"] not in _SEGMENTS:
        return None
    return f"{_SEGMENTS[match['segment']]}:{unquote(match['key'])}"  # keys are percent-encoded in IRIs


def _select(graph: Graph, body: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PREFIXES + "PREFIX adms: <http://www.w3.org/ns/adms#>\n" + body)]


def rows_from_rdf(graph: Graph) -> oracle.Raw:
    """The oracle's rows (nodes with their label and properties, relationships by type), read with SPARQL."""
    nodes: dict[str, dict] = {}
    for label, cls in CLASSES.items():
        for (iri,) in _select(graph, f"SELECT ?n WHERE {{ ?n a {cls} }}"):
            if (nid := node_id(iri)) is not None and nid.startswith(f"{label}:"):
                nodes[nid] = {"id": nid, "_label": label}
    for prop, predicate in PROPERTIES.items():
        for iri, value in _select(graph, f"SELECT ?n ?v WHERE {{ ?n {predicate} ?v }}"):
            nid = node_id(iri)
            if nid in nodes:
                key = "status" if prop == "need_status" else prop
                nodes[nid][key] = value.toPython() if prop == "population" else str(value)
    edges: dict[str, list[tuple[str, str]]] = {t: [] for t in REL_TYPES}
    for rel, predicates in PREDICATES.items():
        found = set()
        for predicate in predicates:
            for a, b in _select(graph, f"SELECT ?a ?b WHERE {{ ?a {predicate} ?b }}"):
                ids = node_id(a), node_id(b)
                if ids[0] in nodes and ids[1] in nodes:
                    found.add(ids)
        edges[rel] = sorted(found)
    return oracle.Raw(nodes, edges)


@pytest.fixture(scope="module", params=["pilot", "generated"])
def exported(request: pytest.FixtureRequest) -> tuple[Store, GraphQLClient, Graph, oracle.Raw]:
    store = request.getfixturevalue("pilot_store" if request.param == "pilot" else "generated_store")
    graph = Graph()
    graph.parse(data="".join(export(store, BASE, "nt")), format="nt")
    return store, GraphQLClient(store), graph, rows_from_rdf(graph)


def _counties(raw: oracle.Raw) -> list[str]:
    return sorted(n for n, d in raw.nodes.items() if d["_label"] == "County")


def test_the_published_graph_has_the_rows_the_answers_rest_on(exported) -> None:
    """Every contact, adoption and concept relationship of the store is in the export, and no more."""
    store, _, _, from_rdf = exported
    from_store = oracle.raw_rows(store)
    for rel in PREDICATES:
        if rel == "PART_OF":  # the export states the territorial tree; the contact rule uses its first level
            assert set(from_rdf.edges[rel]) >= set(from_store.edges[rel])
            continue
        assert sorted(from_rdf.edges[rel]) == sorted(from_store.edges[rel]), rel


def test_county_reach_bridges_and_key_persons_agree_with_the_published_graph(exported) -> None:
    _, api, _, raw = exported
    for county in _counties(raw):
        expected = oracle.county(raw, county, 8)
        data = api.data("""query($c: ID!) { countyReach(county: $c, maxHops: 8) { unreached { reason
            municipality { id } } municipalities { hops paths municipality { id } } }
            countyMunicipalBridges(county: $c, maxHops: 8, first: 100) { score node { id } }
            keyPersonRisks(county: $c, maxHops: 8) { risks { municipality { id } person { id } hops paths } } }""",
                        {"c": county})
        assert {r["municipality"]["id"]: (r["hops"], r["paths"]) for r in data["countyReach"]["municipalities"]
                if r["hops"] is not None} == expected.reached, county
        assert {u["municipality"]["id"]: u["reason"] for u in data["countyReach"]["unreached"]} == expected.unreached
        assert [(b["node"]["id"], b["score"]) for b in data["countyMunicipalBridges"]] == [
            (n, round(s, 4)) for n, s, _ in expected.bridges[:100]]
        assert [(k["municipality"]["id"], k["person"]["id"], k["hops"], k["paths"])
                for k in data["keyPersonRisks"]["risks"]] == expected.key_persons
        assert expected.reached  # not two empty answers


def test_transfer_lineage_agrees_with_the_published_graph(exported) -> None:
    _, api, _, raw = exported
    solutions = sorted(n for n, d in raw.nodes.items() if d["_label"] == "Solution")
    chains = 0
    for solution in solutions:
        expected = oracle.lineage(raw, solution)
        chains += sum(1 for _, generation in expected if generation)
        got = api.data('query($s: ID!) { transferLineage(solution: $s) { id } }', {"s": solution})["transferLineage"]
        assert [a["id"] for a in got] == [a for a, _ in expected], solution
    assert chains  # some adoption did learn from another


COVERED = """SELECT DISTINCT ?m ?category WHERE {
  ?adoption cg:adoptionStatus ?status . FILTER(?status IN ("PILOT", "ADOPTED", "SCALED"))
  ?adoption prov:used/dcat:theme/skos:broader* ?category .
  { ?adoption cg:adoptedIn|(cg:adopter/cg:administers) ?m . ?m a cg:Municipality }
  UNION { ?adoption cg:adoptedIn|(cg:adopter/cg:administers) ?place . ?place a cg:MunicipalAssociation .
          ?m a cg:Municipality ; schema:containedInPlace ?place }
  UNION { ?adoption cg:adoptedIn|(cg:adopter/cg:administers) ?place . ?place a cg:County ; cg:ags ?ags .
          ?m a cg:Municipality ; cg:countyAgs ?ags }
}"""
INHABITED = """SELECT ?m ?name ?ags WHERE { ?m a cg:Municipality ; cg:countyAgs ?ags ; cg:population ?p ;
  schema:name ?name . FILTER(?p > 0) }"""


def test_coverage_gaps_agree_with_a_sparql_answer(exported) -> None:
    """docs/mission.md "Coverage" in SPARQL alone: active adoptions in the category or a narrower one, by the
    municipality, its association or its county, directly or through the organisation administering it."""
    _, api, graph, raw = exported
    covered: dict[str, set[str]] = defaultdict(set)
    for m, category in _select(graph, COVERED):
        covered[node_id(category)].add(node_id(m))
    inhabited = [(node_id(m), str(name), str(ags)) for m, name, ags in _select(graph, INHABITED)]
    categories = sorted({c for _, c in raw.edges["IN_CATEGORY"]} | {c for _, c in raw.edges["BROADER"]})
    some_gaps = some_cover = 0
    for county in _counties(raw):
        ags = raw.nodes[county]["ags"]
        for category in categories:
            gaps = sorted(((name.lower(), m) for m, name, c in inhabited if c == ags and m not in covered[category]))
            expected = [m for _, m in gaps]
            data = api.data("""query($c: ID!, $k: ID!) { coverageGaps(county: $c, category: $k, first: 100) {
                totalCount edges { node { id } } } coverage(county: $c, category: $k) { covered
                municipality { id population } } }""", {"c": county, "k": category})
            got = data["coverageGaps"]
            assert got["totalCount"] == len(expected), (county, category)
            assert [e["node"]["id"] for e in got["edges"]] == expected[:100], (county, category)
            assert sorted(e["municipality"]["id"] for e in data["coverage"]
                          if not e["covered"] and (e["municipality"]["population"] or 0) > 0) == sorted(expected)
            assert expected == oracle.coverage_gaps(raw, county, category)
            some_gaps += bool(expected)
            some_cover += len(expected) < sum(1 for _, _, c in inhabited if c == ags)
    assert some_gaps and some_cover  # neither everything covered nor nothing


def test_adopter_counts_agree_with_the_published_graph(exported) -> None:
    """`adopterCount` and transfer readiness count the distinct active adopters the export states."""
    _, api, graph, raw = exported
    adopters: dict[str, set[str]] = defaultdict(set)
    for solution, adopter in _select(graph, """SELECT DISTINCT ?s ?x WHERE { ?a prov:used ?s ;
            cg:adoptionStatus ?status ; cg:adopter|cg:adoptedIn ?x .
            FILTER(?status IN ("PILOT", "ADOPTED", "SCALED")) }"""):
        adopters[node_id(solution)].add(node_id(adopter))
    solutions = sorted(n for n, d in raw.nodes.items() if d["_label"] == "Solution")
    for chunk in (solutions[i:i + 40] for i in range(0, len(solutions), 40)):
        got = api.data("""query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Solution { adopterCount
            transferReadiness { adopterCount usedInTwoOrMoreAdministrations } } } }""", {"ids": chunk})["nodes"]
        for node in got:
            count = len(adopters[node["id"]])
            assert (node["adopterCount"], node["transferReadiness"]["adopterCount"]) == (count, count), node["id"]
            assert node["transferReadiness"]["usedInTwoOrMoreAdministrations"] == (count >= 2)
    assert max(len(a) for a in adopters.values()) >= 2
    # the named queries that count adopters count the same ones (awarded_solutions counted PLANNED and
    # CONSIDERING adopters as "adopters that use" a solution: the Willkommensmappe had 5 instead of 4)
    http = api.http
    awarded = http.post("/queries/awarded_solutions", json={"since_year": 1900}).json()["rows"]
    assert len(awarded) == len(raw.edges["RECEIVED"])
    assert {(r["solution_id"], r["adopters"]) for r in awarded} == {
        (r["solution_id"], len(adopters[r["solution_id"]])) for r in awarded}
    needs = sorted({c for _, c in raw.edges["ADDRESSES"]})
    for need in needs:
        rows = http.post("/queries/solutions_by_need", json={"need": need}).json()["rows"]
        assert all(r["active_adopters"] == len(adopters[r["solution_id"]]) for r in rows), need


def test_status_comparisons_in_the_named_queries_use_the_defined_sets() -> None:
    """A status compared with literals must be compared with a whole defined set (docs/mission.md), never
    `<> 'ABANDONED'` (which counts CONSIDERING and PLANNED as in use) or a hand-picked subset."""
    defined = {frozenset(definitions.ACTIVE), frozenset(definitions.TAKEN_UP), frozenset(definitions.INTERESTED),
               frozenset(definitions.ENDED)}
    for path in sorted(QUERIES_DIR.glob("*.cypher")):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//"))
        for match in re.finditer(r"status\s*(<>|=|!=|NOT\s+IN|IN)\s*(\[[^\]]*\]|'[^']*'|\$\w+)", text):
            operator, operand = match.group(1), match.group(2)
            if operand.startswith("$"):
                continue  # a parameter: the caller chooses the statuses
            assert operator == "IN", (path.name, match.group(0))
            statuses = frozenset(s.strip(" '\"") for s in operand.strip("[]").split(","))
            assert statuses in defined, (path.name, sorted(statuses))


def test_recommendations_agree_with_the_published_graph(exported) -> None:
    _, api, _, raw = exported
    towns = sorted((d.get("population") or 0, n) for n, d in raw.nodes.items()
                   if d["_label"] == "Municipality" and (d.get("population") or 0) > 0)[-6:]
    for _, town in towns:
        got = api.data("""query($m: ID!) { recommendSolutions(municipality: $m, first: 100) { score
            solution { id } } }""", {"m": town})["recommendSolutions"]
        assert [(r["solution"]["id"], r["score"]) for r in got] == oracle.recommendations(raw, town)[:100], town
