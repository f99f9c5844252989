"""A cursor belongs to the ordering and the filter of the list that made it.

Sent with another ordering, direction or filter it is refused as `BAD_USER_INPUT` that says why,
instead of an internal error (a NAME key compared with populations) or a silently wrong page (a
DESC position read as an ASC one). Sent back unchanged it continues the same walk.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.store import Store
from tests.graphql_client import GraphQLClient

LIST = """query($order: OrderBy, $after: String, $filter: MunicipalityFilter) {
  municipalities(first: 3, after: $after, orderBy: $order, filter: $filter) {
    edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount } }"""
NESTED = """query($after: String, $filter: MunicipalityFilter) { node(id: "County:13076") { ... on County {
  municipalities(first: 3, after: $after, filter: $filter) { edges { cursor node { id } } } } } }"""


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def _post(api: GraphQLClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    return api.http.post("/graphql", json={"query": query, "variables": variables}).json()


def _cursor(api: GraphQLClient, **variables: Any) -> str:
    answer = _post(api, LIST, variables)
    assert not answer.get("errors"), answer
    return answer["data"]["municipalities"]["pageInfo"]["endCursor"]


def _refusal(answer: dict[str, Any]) -> str:
    assert answer.get("errors"), answer
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["BAD_USER_INPUT"], answer
    return answer["errors"][0]["message"]


def test_a_name_cursor_with_population_order_is_a_clear_bad_user_input(api: GraphQLClient) -> None:
    after = _cursor(api, order={"field": "NAME"})
    message = _refusal(_post(api, LIST, {"after": after, "order": {"field": "POPULATION"}}))
    assert "NAME" in message and "POPULATION" in message


def test_a_desc_cursor_with_asc_order_is_refused_not_a_wrong_page(api: GraphQLClient) -> None:
    after = _cursor(api, order={"field": "POPULATION", "direction": "DESC"})
    message = _refusal(_post(api, LIST, {"after": after, "order": {"field": "POPULATION", "direction": "ASC"}}))
    assert "DESC" in message and "ASC" in message


def test_a_cursor_of_another_filter_is_refused(api: GraphQLClient) -> None:
    after = _cursor(api, filter={"county": "County:13076"})
    assert "filter" in _refusal(_post(api, LIST, {"after": after, "filter": {"county": "County:01053"}}))
    assert "filter" in _refusal(_post(api, LIST, {"after": after}))


def test_a_nested_list_cursor_is_bound_to_its_filter(api: GraphQLClient) -> None:
    answer = _post(api, NESTED, {"filter": {"minPopulation": 1000}})
    after = answer["data"]["node"]["municipalities"]["edges"][-1]["cursor"]
    assert "filter" in _refusal(_post(api, NESTED, {"after": after}))


@pytest.mark.parametrize("order", [{"field": "NAME"}, {"field": "POPULATION", "direction": "DESC"}])
def test_the_same_cursor_continues_the_same_walk(api: GraphQLClient, order: dict[str, str]) -> None:
    seen: list[str] = []
    after = None
    while True:
        answer = _post(api, LIST, {"order": order, "after": after, "filter": {"county": "County:13076"}})
        assert not answer.get("errors"), answer
        page = answer["data"]["municipalities"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    whole = _post(api, LIST.replace("first: 3", "first: 100"),
                  {"order": order, "filter": {"county": "County:13076"}})["data"]["municipalities"]
    assert seen[:100] == [e["node"]["id"] for e in whole["edges"]] and len(seen) > 3
    assert len(seen) == len(set(seen))
