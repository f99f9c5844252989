"""The mission queries on the pilot data, with their expected answers written out.

If the pilot data changes on purpose, update these answers deliberately: they are what a
municipality, a county or a Lösungslotse would see.
"""

from __future__ import annotations

import pytest

from graph_api.store import Store
from tests.graphql_client import GraphQLClient

LUP_ADMIN = "Organization:kreisverwaltung-ludwigslust-parchim"
HAGENOW = "Municipality:13076060"


@pytest.fixture(scope="module")
def api(pilot_any: Store) -> GraphQLClient:
    return GraphQLClient(pilot_any)


def test_contact_paths_from_the_county_administration_to_hagenow(api: GraphQLClient) -> None:
    paths = api.data("""query($f: ID!, $t: ID!) { contactPaths(from: $f, to: $t, first: 5) {
        hops steps { via node { id } } } }""", {"f": LUP_ADMIN, "t": HAGENOW})["contactPaths"]
    assert [[(s["via"], s["node"]["id"]) for s in p["steps"]] for p in paths] == [
        [(None, LUP_ADMIN), ("PARTICIPATES_IN", f"Project:{project}"), ("PARTICIPATES_IN", HAGENOW)]
        for project in ("chatbot-verbund-landvorteil", "kohorte-digitale-lokale-agenda-lup",
                        "landvorteil-innovative-verwaltung")]
    assert {p["hops"] for p in paths} == {2}


def test_contact_paths_respect_max_hops_and_validate_ids(api: GraphQLClient) -> None:
    none = api.data(f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{HAGENOW}", maxHops: 1) {{ hops }} }}')
    assert none == {"contactPaths": []}
    assert "maxHops must be between 1 and 8" in api.errors(
        f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{HAGENOW}", maxHops: 9) {{ hops }} }}')[0]
    assert "is not a valid id" in api.errors(f'{{ contactPaths(from: "x", to: "{HAGENOW}") {{ hops }} }}')[0]


def test_county_municipal_bridges(api: GraphQLClient) -> None:
    bridges = api.data("""{ countyMunicipalBridges(county: "County:13076", first: 3) {
        score node { id } municipalities { id } } }""")["countyMunicipalBridges"]
    assert [(b["node"]["id"], b["score"], [m["id"] for m in b["municipalities"]]) for b in bridges] == [
        ("Actor:digitallotse-kreis-lup", 4.0, ["Municipality:13076060", "Municipality:13076088",
                                               "Municipality:13076108", "Municipality:13076152"]),
        ("Actor:kommunalbeauftragte-kreis-lup", 2.0, ["Municipality:13076050", "Municipality:13076159"]),
        ("Actor:landrat-lup", 1.5, ["Municipality:13076014", "Municipality:13076090"]),
    ]


def test_key_person_risks(api: GraphQLClient) -> None:
    risks = api.data("""{ keyPersonRisks(county: "County:01053") { hops municipality { id } person { id } } }""")[
        "keyPersonRisks"]
    assert [(r["municipality"]["id"], r["person"]["id"], r["hops"]) for r in risks] == [
        ("Municipality:01053116", "Actor:digitalisierung-kreis-rz", 5),
        ("Municipality:01053116", "Actor:it-schwarzenbek", 5),
        ("Municipality:01053129", "Actor:buergermeister-wentorf", 4),
        ("Municipality:01053129", "Actor:landrat-hzl", 4),
    ]


def test_recommend_solutions_for_hagenow(api: GraphQLClient) -> None:
    recs = api.data("""{ recommendSolutions(municipality: "Municipality:13076060", first: 3) {
        score reasons solution { id } nearestAdopters { ... on Municipality { id } ... on Organization { id } } } }""")[
        "recommendSolutions"]
    assert [(r["solution"]["id"], r["score"]) for r in recs] == [
        ("Solution:kommunale-app", 7.5), ("Solution:online-terminvergabe", 7.5), ("Solution:boizenburg-laeuft", 5.5)]
    assert recs[0]["reasons"] == [
        "adopted by 2 adopter(s) in the same county", "adopted by 1 adopter(s) in other states",
        "adopted by 2 municipalities of similar size", "maturity: proven"]
    assert [a["id"] for a in recs[0]["nearestAdopters"]] == [
        "Municipality:13076014", "Municipality:13076152", "Municipality:01053032"]
    adopted = api.data("""{ node(id: "Municipality:13076060") { ... on Municipality { adoptions(first: 50) {
        edges { node { status solution { id } } } } } } }""")["node"]["adoptions"]["edges"]
    taken = {e["node"]["solution"]["id"] for e in adopted if e["node"]["status"] != "ABANDONED"}
    assert not taken & {r["solution"]["id"] for r in recs}


def test_recommendations_for_a_need_only_address_it(api: GraphQLClient) -> None:
    recs = api.data("""{ recommendSolutions(municipality: "Municipality:01053100", need: "Concept:need-buergernaehe",
        first: 10) { reasons solution { id needs { id broader { id } } } } }""")["recommendSolutions"]
    assert recs
    for rec in recs:
        assert "addresses the stated need Concept:need-buergernaehe" in rec["reasons"]
        needs = rec["solution"]["needs"]
        assert any(n["id"] == "Concept:need-buergernaehe" or (n["broader"] or {}).get("id") ==
                   "Concept:need-buergernaehe" for n in needs)


def test_transfer_lineage_of_the_digital_agenda(api: GraphQLClient) -> None:
    lineage = api.data('{ transferLineage(solution: "Solution:digitale-lokale-agenda") { id } }')["transferLineage"]
    assert [a["id"].removeprefix("Adoption:") for a in lineage] == [
        "hagenow-digitale-lokale-agenda", "boizenburg-digitale-lokale-agenda", "grabow-digitale-lokale-agenda",
        "parchim-digitale-lokale-agenda", "wittenburg-digitale-lokale-agenda", "ratzeburg-digitale-lokale-agenda",
        "zarrentin-digitale-lokale-agenda", "moelln-digitale-lokale-agenda"]


def test_coverage_gaps(api: GraphQLClient, pilot_any: Store) -> None:
    gaps = api.data("""{ coverageGaps(county: "County:13076", category: "Concept:topic-digitalisierung", first: 100) {
        totalCount edges { node { id } } } }""")["coverageGaps"]
    gap_ids = {e["node"]["id"] for e in gaps["edges"]}
    assert HAGENOW not in gap_ids  # Hagenow has the digital agenda
    inhabited = pilot_any.read("MATCH (m:Municipality) WHERE m.county_ags = '13076' AND m.population > 0 "
                                 "RETURN count(m) AS c")[0]["c"]
    assert 0 < gaps["totalCount"] < inhabited


@pytest.mark.parametrize(("filter_", "expected"), [
    ('{need: "Concept:need-erreichbarkeit"}', ["Solution:chatbot-buergerservice", "Solution:digitaler-buergerservice",
                                               "Solution:maengelmelder", "Solution:kommunale-app",
                                               "Solution:online-terminvergabe"]),
])
def test_solution_filters(api: GraphQLClient, filter_: str, expected: list[str]) -> None:
    data = api.data(f"{{ solutions(filter: {filter_}, first: 50) {{ edges {{ node {{ id }} }} }} }}")
    assert sorted(e["node"]["id"] for e in data["solutions"]["edges"]) == sorted(expected)


def test_solution_filter_counts(api: GraphQLClient) -> None:
    data = api.data("""{ awarded: solutions(filter: {awarded: true}) { totalCount }
        notAwarded: solutions(filter: {awarded: false}) { totalCount } all: solutions { totalCount }
        within: solutions(filter: {adoptedWithin: "County:01053"}) { totalCount }
        both: solutions(filter: {adoptedWithin: "County:01053", awarded: true, need: "Concept:need-buergernaehe"}) {
          edges { node { id } } } }""")
    assert data["awarded"]["totalCount"] == 8 and data["within"]["totalCount"] == 17
    assert data["awarded"]["totalCount"] + data["notAwarded"]["totalCount"] == data["all"]["totalCount"] == 32


def test_adoption_filters(api: GraphQLClient) -> None:
    data = api.data("""{ adoptions(filter: {within: "County:01053", status: [ADOPTED, SCALED]}, first: 50) {
        totalCount edges { node { id status } } }
        since: adoptions(filter: {since: "2025-01-01", within: "State:13"}, first: 50) {
          edges { node { startedOn } } } }""")
    assert data["adoptions"]["totalCount"] == 9
    assert {e["node"]["status"] for e in data["adoptions"]["edges"]} <= {"ADOPTED", "SCALED"}
    assert all(e["node"]["startedOn"] >= "2025-01-01" for e in data["since"]["edges"])


def test_organization_and_actor_filters(api: GraphQLClient) -> None:
    data = api.data("""{ organizations(filter: {kind: [PUBLIC_ENTERPRISE], within: "County:13076"}, first: 50) {
        edges { node { id owners { share owner { id } } } } }
        actors(filter: {organization: "Organization:kreisverwaltung-ludwigslust-parchim"}, first: 50) {
        edges { node { id roles { organization { id } } } } } }""")
    grabow = next(e["node"] for e in data["organizations"]["edges"]
                  if e["node"]["id"] == "Organization:stadtwerke-ludwigslust-grabow")
    assert sorted((o["owner"]["id"], o["share"]) for o in grabow["owners"]) == [
        ("Municipality:13076050", 0.3), ("Municipality:13076090", 0.7)]
    for edge in data["actors"]["edges"]:
        assert LUP_ADMIN in {r["organization"]["id"] for r in edge["node"]["roles"]}
    assert "Actor:digitallotse-kreis-lup" in {e["node"]["id"] for e in data["actors"]["edges"]}


def test_solutions_ordered_by_adopter_count(api: GraphQLClient) -> None:
    edges = api.data("""{ solutions(first: 100, orderBy: {field: ADOPTER_COUNT, direction: DESC}) {
        edges { node { id adopterCount } } } }""")["solutions"]["edges"]
    counts = [e["node"]["adopterCount"] for e in edges]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 3
    assert "cannot be ordered by POPULATION" in api.errors(
        "{ solutions(orderBy: {field: POPULATION}) { totalCount } }")[0]
