"""Root fields a front end needs without guessing keys: `nodes(ids:)`, `states`, `counties`, and one
`Territory` fragment that validates on every level (consistent `kind` nullability)."""

from __future__ import annotations

import pytest

from graph_api.store import Store
from tests.graphql_client import GraphQLClient


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def test_nodes_answers_in_the_order_asked_with_null_for_unknown_ids(api: GraphQLClient) -> None:
    ids = ["Municipality:13076060", "County:99999", "State:13"]
    nodes = api.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})["nodes"]
    assert nodes == [{"id": "Municipality:13076060"}, None, {"id": "State:13"}]


def test_nodes_refuses_more_ids_than_a_page(api: GraphQLClient) -> None:
    body = api.post("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["State:13"] * 101}).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body


def test_states_and_counties_are_the_stored_ones(api: GraphQLClient, pilot_store: Store) -> None:
    data = api.data("{ states { id name } counties { id state: parent { id } } }")
    stored_states = sorted(r["id"] for r in pilot_store.read("MATCH (n:State) RETURN n.id AS id", {}))
    stored_counties = sorted(r["id"] for r in pilot_store.read("MATCH (n:County) RETURN n.id AS id", {}))
    assert [s["id"] for s in data["states"]] == stored_states and stored_states
    assert [c["id"] for c in data["counties"]] == stored_counties and stored_counties
    state = data["counties"][0]["state"]["id"]
    of_state = api.data("query($s: ID!) { counties(state: $s) { id } }", {"s": state})["counties"]
    assert [c["id"] for c in of_state] == [c["id"] for c in data["counties"] if c["state"]["id"] == state]


def test_counties_of_an_unknown_state_is_not_found(api: GraphQLClient) -> None:
    body = api.post('{ counties(state: "State:99") { id } }').json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], body


def test_one_territory_fragment_validates_on_every_level(api: GraphQLClient) -> None:
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ...T } }
      fragment T on Territory { id ... on County { kind } ... on Association { kind } ... on Municipality { kind } }"""
    nodes = api.data(query, {"ids": ["County:13076", "Association:130765658", "Municipality:13076060"]})["nodes"]
    assert all(n["kind"] for n in nodes), nodes
