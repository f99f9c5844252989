"""Nested connections take `orderBy`; every page walk agrees with a plain-Python sort of the raw rows."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.store import Store
from tests import mission_oracle
from tests.filter_oracle import folded
from tests.graphql_client import GraphQLClient

COUNTY = """query($o: OrderBy, $after: String, $f: MunicipalityFilter) { node(id: "County:01053") { ... on County {
  municipalities(first: 9, after: $after, orderBy: $o, filter: $f) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }"""
ADOPTIONS = """query($o: OrderBy, $after: String) { node(id: "Solution:klimawerkstatt") { ... on Solution {
  adoptions(first: 2, after: $after, orderBy: $o) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }"""


def walk(api: GraphQLClient, query: str, field: str, variables: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = api.data(query, {**variables, "after": after})["node"][field]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


@pytest.fixture(scope="module")
def setup(pilot_store: Store) -> tuple[GraphQLClient, mission_oracle.Raw]:
    return GraphQLClient(pilot_store), mission_oracle.raw_rows(pilot_store)


@pytest.mark.parametrize("field", ["NAME", "POPULATION", "ID"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_county_municipalities_in_any_order(setup: tuple[GraphQLClient, mission_oracle.Raw], field: str,
                                            direction: str) -> None:
    api, raw = setup
    rows = [(i, d) for i, d in raw.nodes.items() if d["_label"] == "Municipality" and d["county_ags"] == "01053"]
    key = {"NAME": lambda d: folded(d["name"]), "POPULATION": lambda d: d.get("population") or -1,
           "ID": lambda d: d["id"]}[field]
    expected = [i for i, _ in sorted(rows, key=lambda r: (key(r[1]), r[0]), reverse=direction == "DESC")]
    got = walk(api, COUNTY, "municipalities", {"o": {"field": field, "direction": direction}})
    assert got == expected


def test_ordering_and_filter_together(setup: tuple[GraphQLClient, mission_oracle.Raw]) -> None:
    api, raw = setup
    f = {"population": {"gte": 2000}}
    rows = [(i, d) for i, d in raw.nodes.items() if d["_label"] == "Municipality" and d["county_ags"] == "01053"
            and (d.get("population") or -1) >= 2000]
    expected = [i for i, _ in sorted(rows, key=lambda r: (r[1]["population"], r[0]), reverse=True)]
    assert walk(api, COUNTY, "municipalities", {"o": {"field": "POPULATION", "direction": "DESC"}, "f": f}) == expected


def test_solution_adoptions_by_start(setup: tuple[GraphQLClient, mission_oracle.Raw]) -> None:
    api, raw = setup
    ids = [a for a, s in raw.edges["OF"] if s == "Solution:klimawerkstatt"]
    expected = sorted(ids, key=lambda a: (raw.nodes[a].get("started_on") or "", a), reverse=True)
    assert len(expected) > 2
    assert walk(api, ADOPTIONS, "adoptions", {"o": {"field": "STARTED_ON", "direction": "DESC"}}) == expected


def test_a_cursor_of_another_order_is_refused(setup: tuple[GraphQLClient, mission_oracle.Raw]) -> None:
    api, _ = setup
    by_name = api.data(COUNTY, {"o": {"field": "NAME"}})["node"]["municipalities"]["pageInfo"]["endCursor"]
    for other in ({"field": "POPULATION"}, {"field": "NAME", "direction": "DESC"}, None):
        body = api.post(COUNTY, {"o": other, "after": by_name}).json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (other, body)
    body = api.post(COUNTY, {"o": {"field": "ADOPTER_COUNT"}}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_people_never_sort_by_a_restricted_name(setup: tuple[GraphQLClient, mission_oracle.Raw]) -> None:
    api, raw = setup
    org = next(o for o, people in _employers(raw).items() if len(people) > 2)
    query = """query($id: ID!, $o: OrderBy) { node(id: $id) { ... on Organization {
      people(first: 100, orderBy: $o) { edges { node { id } } } } } }"""
    got = [e["node"]["id"] for e in api.data(query, {"id": org, "o": {"field": "NAME"}})["node"]["people"]["edges"]]
    assert got == sorted(_employers(raw)[org])


def _employers(raw: mission_oracle.Raw) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for actor, org in raw.edges["WORKS_FOR"]:
        found.setdefault(org, set()).add(actor)
    return found
