"""GraphQL through the HTTP app: lookups, pagination walks, filters, privacy, mutations, limits, batching."""

from __future__ import annotations

import pytest

from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient


@pytest.fixture(scope="module")
def api(pilot_any: Store) -> GraphQLClient:
    return GraphQLClient(pilot_any)


def test_health_and_readiness(api: GraphQLClient) -> None:
    assert api.http.get("/healthz").json() == {"status": "ok"}
    assert api.http.get("/readyz").status_code == 200


def test_graphiql_opens_on_the_mission_examples(api: GraphQLClient) -> None:
    page = api.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'data-examples="graphiql/examples.graphql"' in page.text
    assert "CountyToHagenow" in api.http.get("/graphiql/examples.graphql").text


@pytest.mark.parametrize(("key", "expected"), [
    ("13076060", ("Municipality:13076060", "Hagenow, Stadt", "MUNICIPALITY")),
    ("13076", ("County:13076", "Ludwigslust-Parchim", "COUNTY")),
    ("13", ("State:13", "Mecklenburg-Vorpommern", "STATE")),
    ("130765658", ("Association:130765658", "Hagenow-Land", "ASSOCIATION")),
    ("130760060060", ("Municipality:13076060", "Hagenow, Stadt", "MUNICIPALITY")),
    ("010530000000", ("County:01053", "Herzogtum Lauenburg", "COUNTY")),
    ("130765658000", ("Association:130765658", "Hagenow-Land", "ASSOCIATION")),
])
def test_territory_by_any_key(api: GraphQLClient, key: str, expected: tuple[str, str, str]) -> None:
    t = api.data("query($k: String!) { territory(key: $k) { id name level } }", {"k": key})["territory"]
    assert (t["id"], t["name"], t["level"]) == expected


def test_territory_details_and_parent_chain(api: GraphQLClient) -> None:
    t = api.data("""{ territory(key: "13076108") { id ars population parent { id parent { id parent { id } } }
        ... on Municipality { ags postcode areaHectares county { id name seat kind } association { id kind } } } }""")[
        "territory"]
    assert t == {"id": "Municipality:13076108", "ars": "130760108108", "population": 17622,
                 "parent": {"id": "Association:130760108", "parent": {"id": "County:13076",
                                                                       "parent": {"id": "State:13"}}},
                 "ags": "13076108", "postcode": "19370", "areaHectares": 12481.0,
                 "county": {"id": "County:13076", "name": "Ludwigslust-Parchim", "seat": "Parchim",
                            "kind": "Landkreis"},
                 "association": {"id": "Association:130760108", "kind": "verbandsfreie Gemeinde"}}


def test_unknown_and_malformed_keys(api: GraphQLClient) -> None:
    assert api.data('{ territory(key: "99999999") { id } }') == {"territory": None}
    assert "not an official key" in api.errors('{ territory(key: "13O76") { id } }')[0]
    assert "has 7 digits" in api.errors('{ territory(key: "1307606") { id } }')[0]


def _walk(api: GraphQLClient, query: str, path: list[str], variables: dict, page: int) -> tuple[list[str], int]:
    seen, after, total = [], None, None
    while True:
        data = api.data(query, {**variables, "first": page, "after": after})
        for step in path:
            data = data[step]
        total = data["totalCount"]
        seen += [e["node"]["id"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return seen, total
        after = data["pageInfo"]["endCursor"]


@pytest.mark.parametrize("page", [1, 7, 50, 100])
def test_nested_pagination_walk_has_no_duplicates_or_gaps(api: GraphQLClient, page: int) -> None:
    query = """query($first: Int, $after: String) { territory(key: "13076") { ... on County {
        municipalities(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { id } } } } } }"""
    seen, total = _walk(api, query, ["territory", "municipalities"], {}, page)
    assert total == 142 and len(seen) == 142 and len(set(seen)) == 142


@pytest.mark.parametrize("order", ["NAME", "POPULATION"])
def test_top_level_pagination_walk_with_filter_and_order(api: GraphQLClient, order: str) -> None:
    query = """query($first: Int, $after: String, $order: OrderField!) {
        municipalities(filter: {county: "County:01053"}, first: $first, after: $after,
                       orderBy: {field: $order, direction: DESC}) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name population } } } }"""
    seen, total = _walk(api, query, ["municipalities"], {"order": order}, 13)
    assert total == 133 and len(seen) == 133 and len(set(seen)) == 133
    first_page = api.data(query, {"order": order, "first": 3, "after": None})["municipalities"]["edges"]
    if order == "POPULATION":
        assert [e["node"]["name"] for e in first_page][0] == "Geesthacht, Stadt"


def test_filters_combine(api: GraphQLClient) -> None:
    data = api.data("""{ municipalities(filter: {county: "County:13076", minPopulation: 10000, nameContains: "LUD"},
        first: 10) { totalCount edges { node { name population } } } }""")["municipalities"]
    assert data == {"totalCount": 1, "edges": [{"node": {"name": "Ludwigslust, Stadt", "population": 11959}}]}
    amt = api.data("""{ municipalities(filter: {association: "Association:130765658"}, first: 1) {
        totalCount } }""")["municipalities"]
    assert amt["totalCount"] == 19


def test_first_is_capped(api: GraphQLClient) -> None:
    message = api.errors("{ municipalities(first: 101) { totalCount } }")[0]
    assert "first=101 is above the maximum page size of 100" in message
    assert "invalid cursor" in api.errors('{ municipalities(after: "nonsense") { totalCount } }')[0]


def test_adoptions_of_a_solution_with_adopters(api: GraphQLClient, pilot_any: Store) -> None:
    expected = pilot_any.read(
        "MATCH (a:Adoption)-[:OF]->(:Solution {id: 'Solution:digitale-lokale-agenda'}) MATCH (a)-[:BY]->(t) "
        "RETURN a.id AS id, t.id AS adopter ORDER BY id")
    data = api.data("""{ node(id: "Solution:digitale-lokale-agenda") { ... on Solution { name
        adoptions(first: 100) { totalCount edges { node { id status solution { id }
        adopter { __typename ... on Municipality { id } ... on Organization { id } ... on County { id } } }
        } } } } }""")
    adoptions = data["node"]["adoptions"]
    assert adoptions["totalCount"] == len(expected) >= 3
    got = sorted((e["node"]["id"], e["node"]["adopter"]["id"]) for e in adoptions["edges"])
    assert got == [(r["id"], r["adopter"]) for r in expected]
    assert {e["node"]["solution"]["id"] for e in adoptions["edges"]} == {"Solution:digitale-lokale-agenda"}


def test_node_resolves_every_type(api: GraphQLClient, pilot_any: Store) -> None:
    for label in ("State", "County", "Association", "Municipality", "Organization", "Actor", "Solution", "Concept",
                  "Adoption", "Project", "Source", "Award"):
        node_id = pilot_any.read(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT 1")[0]["id"]
        data = api.data("query($id: ID!) { node(id: $id) { id __typename } }", {"id": node_id})
        assert data["node"] == {"id": node_id, "__typename": label}
    assert api.data('{ node(id: "Solution:does-not-exist") { id } }') == {"node": None}
    assert api.data('{ node(id: "garbage") { id } }') == {"node": None}


def test_restricted_actor_shows_role_label_without_token(api: GraphQLClient, pilot_any: Store) -> None:
    actor = pilot_any.read("MATCH (a:Actor) WHERE a.visibility = 'restricted' AND a.name <> a.role_label "
                             "RETURN a.id AS id, a.name AS name, a.role_label AS role ORDER BY id LIMIT 1")[0]
    query = "query($id: ID!) { node(id: $id) { ... on Actor { name roleLabel visibility email } } }"
    anonymous = api.data(query, {"id": actor["id"]})["node"]
    assert anonymous == {"name": actor["role"], "roleLabel": actor["role"], "visibility": "RESTRICTED", "email": None}
    assert api.data(query, {"id": actor["id"]}, token=TOKEN)["node"]["name"] == actor["name"]
    assert api.data(query, {"id": actor["id"]}, token="wrong")["node"]["name"] == actor["role"]
    listed = api.data("{ actors(first: 100) { edges { node { name } } } }")["actors"]["edges"]
    assert actor["name"] not in {e["node"]["name"] for e in listed}


def test_search_is_german_friendly(api: GraphQLClient) -> None:
    hits = api.data('{ search(text: "Buergerservice", first: 5) { score node { id __typename } } }')["search"]
    assert hits and hits == sorted(hits, key=lambda h: -h["score"])
    umlaut = api.data('{ search(text: "Bürgerservice", first: 5) { node { id } } }')["search"]
    assert [h["node"]["id"] for h in hits] == [h["node"]["id"] for h in umlaut]
    top = [h["node"]["id"] for h in api.data('{ search(text: "hagenow", first: 10) { node { id } } }')["search"]]
    assert "Municipality:13076060" in top and "Organization:stadtverwaltung-hagenow" in top


def test_depth_limit(api: GraphQLClient) -> None:
    deep = "{ territory(key: \"13076060\") { " + "parent { " * 14 + "id" + " }" * 14 + " } }"
    assert "exceeds maximum operation depth" in api.errors(deep)[0]


def test_cost_limit(api: GraphQLClient) -> None:
    query = """{ municipalities(first: 100) { edges { node { adoptions(first: 100) { edges { node {
        contacts { knows(first: 100) { edges { node { id } } } } } } } } } } }"""
    assert "query cost" in api.errors(query)[0] and "exceeds the limit" in api.errors(query)[0]


def test_nested_page_costs_a_bounded_number_of_store_queries(pilot_any: Store, monkeypatch) -> None:
    api = GraphQLClient(pilot_any)
    calls = []
    original = pilot_any.read

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(pilot_any, "read", counting)
    query = """query($n: Int) { territory(key: "13076") { ... on County { municipalities(first: $n) { edges { node {
        name county { name } association { name } organizations { name }
        adoptions(first: 5) { edges { node { status solution { name } adopter { __typename } } } } } } } } } }"""
    counts = {}
    for n in (50, 100):
        calls.clear()
        api.data(query, {"n": n})
        counts[n] = len(calls)
    assert counts[50] == counts[100] <= 12, counts
