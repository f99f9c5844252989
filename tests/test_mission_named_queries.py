"""The mission named queries give the same answer as their GraphQL fields, on the pilot data and a generated county.

The GraphQL fields are checked against the networkx oracle (test_mission_oracle.py); here the
other door must agree with them row for row, and the county questions with the oracle directly too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bench import synthetic
from graph_api.config import SAMPLE_DIR, Settings
from graph_api.mission import definitions
from graph_api.query_library import QUERIES_DIR, load_library, run_named
from graph_api.rows import GraphRows
from graph_api.store import Store, open_store
from tests import mission_oracle as oracle
from tests.graphql_client import GraphQLClient
from tests.test_mission_oracle import generated_store  # noqa: F401 - the shared generated county

LIBRARY = load_library()


@pytest.fixture(scope="module", params=["pilot", "generated"])
def graph(request: pytest.FixtureRequest) -> tuple[Store, GraphQLClient]:
    store = request.getfixturevalue("pilot_store" if request.param == "pilot" else "generated_store")
    return store, GraphQLClient(store)


def _named(store: Store, name: str, **params: object) -> list[dict]:
    result = run_named(store, LIBRARY[name], params, max_rows=100_000)
    assert not result.truncated
    return result.rows


def _counties(store: Store) -> list[str]:
    return [r["id"] for r in store.read("MATCH (c:County) RETURN c.id AS id ORDER BY id")]


@pytest.mark.parametrize("max_hops", [3, definitions.DEFAULT_COUNTY_HOPS])
def test_county_questions_agree(graph: tuple[Store, GraphQLClient], max_hops: int) -> None:
    store, api = graph
    for county in _counties(store):
        data = api.data("""query($c: ID!, $h: Int) {
            b: countyMunicipalBridges(county: $c, maxHops: $h, first: 100) { score node { id } municipalities { id } }
            r: countyReach(county: $c, maxHops: $h) { reachedCount unreached { reason municipality { id } } }
            k: keyPersonRisks(county: $c, maxHops: $h) { risks { hops paths municipality { id } person { id } } } }""",
                        {"c": county, "h": max_hops})
        bridges = _named(store, "county_municipality_bridges", county=county, max_hops=max_hops, limit=100)
        assert [(r["bridge_id"], r["score"], r["municipalities"]) for r in bridges] == [
            (b["node"]["id"], b["score"], len(b["municipalities"])) for b in data["b"]]
        keys = _named(store, "key_persons", county=county, max_hops=max_hops)
        assert [(r["municipality_id"], r["person_id"], r["hops"], r["paths"]) for r in keys] == [
            (k["municipality"]["id"], k["person"]["id"], k["hops"], k["paths"]) for k in data["k"]["risks"]]
        reach = _named(store, "county_reach", county=county, max_hops=max_hops)
        assert [(r["municipality_id"], r["reason"]) for r in reach if r["reason"]] == [
            (u["municipality"]["id"], u["reason"]) for u in data["r"]["unreached"]]
        assert sum(1 for r in reach if r["hops"] is not None) == data["r"]["reachedCount"]


@pytest.mark.parametrize("max_hops", [3, definitions.DEFAULT_COUNTY_HOPS])
def test_county_named_queries_agree_with_the_oracle(graph: tuple[Store, GraphQLClient], max_hops: int) -> None:
    """Not only with GraphQL: the named county queries against networkx over the raw rows, every county."""
    store, _ = graph
    raw = oracle.raw_rows(store)
    for county in _counties(store):
        expected = oracle.county(raw, county, max_hops)
        reach = _named(store, "county_reach", county=county, max_hops=max_hops)
        assert {r["municipality_id"]: (r["hops"], r["paths"]) for r in reach if r["hops"] is not None} == \
            expected.reached
        assert {r["municipality_id"]: r["reason"] for r in reach if r["reason"]} == expected.unreached
        bridges = _named(store, "county_municipality_bridges", county=county, max_hops=max_hops, limit=1000)
        assert [(r["bridge_id"], r["score"], r["municipalities"]) for r in bridges] == [
            (n, round(s, 4), len(ms)) for n, s, ms in expected.bridges[:1000]]
        keys = _named(store, "key_persons", county=county, max_hops=max_hops)
        assert [(r["municipality_id"], r["person_id"], r["hops"], r["paths"]) for r in keys] == expected.key_persons


def test_contact_paths_agree(graph: tuple[Store, GraphQLClient]) -> None:
    store, api = graph
    for county in _counties(store):
        admins = [r["id"] for r in store.read("MATCH (o:Organization)-[:ADMINISTERS]->(:County {id: $c}) "
                                              "RETURN o.id AS id ORDER BY id", {"c": county})]
        targets = [r["id"] for r in store.read("MATCH (c:County {id: $c}) MATCH (m:Municipality) "
                                               "WHERE m.county_ags = c.ags RETURN m.id AS id ORDER BY id",
                                               {"c": county})][::11]
        for admin in admins[:1]:
            for target in targets:
                got = api.data("""query($a: ID!, $b: ID!) { contactPaths(from: $a, to: $b, maxHops: 8, first: 5) {
                    hops steps { via node { id } } } }""", {"a": admin, "b": target})["contactPaths"]
                rows = _named(store, "contact_paths", **{"from": admin, "to": target, "max_hops": 8, "limit": 5})
                assert [(r["hops"], r["path"], r["via"]) for r in rows] == [
                    (p["hops"], [s["node"]["id"] for s in p["steps"]], [s["via"] for s in p["steps"][1:]])
                    for p in got]


def test_coverage_gaps_agree(graph: tuple[Store, GraphQLClient]) -> None:
    store, api = graph
    categories = [r["id"] for r in store.read("MATCH (:Solution)-[:IN_CATEGORY]->(c:Concept) "
                                              "RETURN DISTINCT c.id AS id ORDER BY id")]
    for county in _counties(store):
        for category in categories:
            got = api.data("""query($c: ID!, $k: ID!) { coverageGaps(county: $c, category: $k, first: 100) {
                totalCount edges { node { id } } } }""", {"c": county, "k": category})["coverageGaps"]
            rows = _named(store, "coverage_gaps", county=county, category=category)
            assert len(rows) == got["totalCount"]
            assert [r["municipality_id"] for r in rows][:100] == [e["node"]["id"] for e in got["edges"]]


def test_transfer_lineage_agrees(graph: tuple[Store, GraphQLClient]) -> None:
    store, api = graph
    for solution in [r["id"] for r in store.read("MATCH (s:Solution) RETURN s.id AS id ORDER BY id")]:
        got = api.data('query($s: ID!) { transferLineage(solution: $s) { id } }', {"s": solution})["transferLineage"]
        assert [r["adoption_id"] for r in _named(store, "transfer_lineage", solution=solution)] == [
            a["id"] for a in got]


def test_status_lists_in_the_named_queries_are_the_defined_ones() -> None:
    defined = {frozenset(definitions.ACTIVE), frozenset(definitions.TAKEN_UP), frozenset(definitions.INTERESTED),
               frozenset(definitions.ENDED)}
    for path in sorted(QUERIES_DIR.glob("*.cypher")):
        for found in re.findall(r"status IN \[([^\]]*)\]", path.read_text(encoding="utf-8")):
            statuses = frozenset(s.strip(" '\"") for s in found.split(","))
            assert statuses in defined, (path.name, sorted(statuses))


@pytest.mark.parametrize(("name", "params", "parameter"), [
    ("key_persons", {"county": "County:99999"}, "county"),
    ("county_municipality_bridges", {"county": "Municipality:13076060"}, "county"),
    ("county_reach", {"county": "County:13076", "max_hops": 0}, "max_hops"),
    ("contact_paths", {"to": "Actor:nope"}, "to"),
])
def test_unknown_ids_are_400_naming_the_parameter(pilot_store: Store, name: str, params: dict, parameter: str) -> None:
    http = TestClient(GraphQLClient(pilot_store).app)
    response = http.post(f"/queries/{name}", json=params)
    assert response.status_code == 400, response.text
    assert response.json()["detail"]["parameter"] == parameter


def test_the_user_docs_state_the_definitions() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "mission.md").read_text(encoding="utf-8")
    for edge in definitions.CONTACT_EDGES:
        assert f"| `{edge.type}` |" in text
    for status in (*definitions.ACTIVE, *definitions.INTERESTED, *definitions.ENDED):
        assert f"`{status}`" in text
    assert f"| {definitions.DEFAULT_CONTACT_PATH_HOPS} | {definitions.MAX_HOPS} |" in text
    assert f"| {definitions.DEFAULT_COUNTY_HOPS} | {definitions.MAX_HOPS} |" in text
    assert f"`{definitions.SEAL_AWARD_ID}`" in text and f"up to {definitions.LINEAGE_MAX_GENERATIONS}" in text
    for level in definitions.COVERING_LEVELS:
        assert {"Association": "its association", "County": "its county"}[level] in text


def test_adoptions_in_territory_agree_with_the_within_filter(graph: tuple[Store, GraphQLClient]) -> None:
    store, api = graph
    territories = [r["id"] for r in store.read(
        "MATCH (t:State) RETURN t.id AS id UNION ALL MATCH (t:County) RETURN t.id AS id "
        "UNION ALL MATCH (t:Association) RETURN t.id AS id")][:8]
    territories.append(store.read("MATCH (:Adoption)-[:BY]->(m:Municipality) RETURN m.id AS id LIMIT 1")[0]["id"])
    for territory in territories:
        for statuses in (list(definitions.ACTIVE), [*definitions.ACTIVE, *definitions.INTERESTED, *definitions.ENDED]):
            rows = _named(store, "adoptions_in_territory", territory=territory, statuses=statuses)
            got = api.data("""query($t: ID!, $s: [AdoptionStatus!]) { adoptions(filter: {within: $t, status: $s},
                first: 100) { totalCount edges { node { id } } } }""", {"t": territory, "s": statuses})["adoptions"]
            assert len(rows) == got["totalCount"]
            if got["totalCount"] <= 100:
                assert sorted(r["adoption_id"] for r in rows) == sorted(e["node"]["id"] for e in got["edges"])


def test_adoptions_in_territory_give_the_rows_of_its_cypher(graph: tuple[Store, GraphQLClient]) -> None:
    """The analytics answer (the adoption index) and the file's own Cypher, run as it stands, row for row."""
    store, _ = graph
    query = LIBRARY["adoptions_in_territory"]
    territories = [r["id"] for r in store.read(
        "MATCH (t:State) RETURN t.id AS id UNION ALL MATCH (t:County) RETURN t.id AS id "
        "UNION ALL MATCH (t:Association) RETURN t.id AS id UNION ALL MATCH (t:Municipality) RETURN t.id AS id")][::7]
    assert len(territories) > 5
    for territory in territories:
        for statuses in (list(definitions.ACTIVE), ["ABANDONED", "adopted"], query.bind({})["statuses"]):
            expected = store.read(query.text_for(store.dialect), {"territory": territory, "statuses": statuses})
            got = _named(store, "adoptions_in_territory", territory=territory, statuses=statuses)
            assert got == [{c: row[c] for c in query.columns} for row in expected], (territory, statuses)


@pytest.mark.parametrize("territory", ["County:99999", "Actor:nope", "nonsense", "Solution:digitallotsen"])
def test_adoptions_in_an_unknown_territory_are_400(pilot_store: Store, territory: str) -> None:
    http = TestClient(GraphQLClient(pilot_store).app)
    response = http.post("/queries/adoptions_in_territory", json={"territory": territory})
    assert response.status_code == 400, response.text
    assert response.json()["detail"]["parameter"] == "territory"


@pytest.fixture(scope="module")
def two_generated_counties(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Both counties of the bundled GV100AD extract, generated people and contacts between them."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path_factory.mktemp("two") / "g.lbdb")))
    store.apply(synthetic.read(SAMPLE_DIR / "gv100ad_pilot.ASC", scope="", seed=3, knows=2500, adoptions=100,
                               solutions=10))
    # the generator links people within a state: a few acquaintances across the state border, between
    # staff of municipal administrations, so that paths between the two county administrations exist
    staff = {ags: [r["id"] for r in store.read(
        "MATCH (x:Actor)-[:WORKS_FOR]->(:Organization)-[:ADMINISTERS]->(m:Municipality) WHERE m.county_ags = $ags "
        "RETURN x.id AS id ORDER BY id", {"ags": ags})] for ags in ("01053", "13076")}
    rows = GraphRows()
    for i in (0, 7, 19, 40):
        rows.add_rel("KNOWS", staff["01053"][i * 3], staff["13076"][i * 5])
    store.apply(rows)
    yield store
    store.close()


@pytest.mark.parametrize("which", ["pilot_store", "two_generated_counties"])
@pytest.mark.parametrize("max_hops", [4, 6, 10])
def test_brokers_between_counties_agree_with_the_oracle(request: pytest.FixtureRequest, which: str,
                                                        max_hops: int) -> None:
    store: Store = request.getfixturevalue(which)
    raw = oracle.raw_rows(store)
    counties = sorted(n for n, d in raw.nodes.items() if d["_label"] == "County")
    assert len(counties) == 2
    for a, b in (counties, counties[::-1]):
        rows = _named(store, "brokers_between_counties", county_a=a, county_b=b, max_hops=max_hops)
        assert [(r["broker_id"], r["paths"], r["share"]) for r in rows] == oracle.brokers(raw, a, b, max_hops)
        if max_hops == 10:
            assert rows, (which, a, b)  # the comparison is not between two empty lists


@pytest.mark.parametrize(("params", "parameter"), [
    ({"county_a": "County:99999"}, "county_a"), ({"county_b": "Municipality:13076060"}, "county_b"),
    ({"county_b": "County:01053"}, "county_b"), ({"max_hops": 11}, "max_hops")])
def test_brokers_refuse_unknown_or_equal_counties(pilot_store: Store, params: dict, parameter: str) -> None:
    http = TestClient(GraphQLClient(pilot_store).app)
    response = http.post("/queries/brokers_between_counties", json=params)
    assert response.status_code == 400, response.text
    assert response.json()["detail"]["parameter"] == parameter
