"""Every GraphQL error carries `extensions.code`, so a front end can branch on the kind of failure.

Codes follow the names Apollo and GraphQL tooling use: UNAUTHENTICATED / FORBIDDEN, NOT_FOUND,
BAD_USER_INPUT, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, OPERATION_RESOLUTION_FAILURE and
the limit codes of `schema/cost.py`. Error paths and input paths use the API's own spelling.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def _errors(api: GraphQLClient, query: str, variables: dict[str, Any] | None = None,
            token: str | None = None, operation_name: str | None = None) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body: dict[str, Any] = {"query": query, "variables": variables or {}}
    if operation_name is not None:
        body["operationName"] = operation_name
    answer = api.http.post("/graphql", json=body, headers=headers).json()
    assert answer.get("errors"), answer
    return answer["errors"]


def _codes(errors: list[dict[str, Any]]) -> set[str]:
    return {(e.get("extensions") or {}).get("code") for e in errors}


@pytest.mark.parametrize(("query", "code"), [
    ("{ node(id: ", "GRAPHQL_PARSE_FAILED"),
    ("{ nodx }", "GRAPHQL_VALIDATION_FAILED"),
    ('{ territory(key: "abc") { id } }', "BAD_USER_INPUT"),
    ('{ territory(key: "1234") { id } }', "BAD_USER_INPUT"),
    ("{ municipalities(first: 500) { totalCount } }", "BAD_USER_INPUT"),
    ("{ municipalities(first: -1) { totalCount } }", "BAD_USER_INPUT"),
    ('{ municipalities(first: 1, after: "zzz") { totalCount } }', "BAD_USER_INPUT"),
    ('{ municipalities(filter: {county: "County:99999"}) { totalCount } }', "NOT_FOUND"),
    ('{ municipalities(filter: {county: "State:13"}) { totalCount } }', "BAD_USER_INPUT"),
    ('{ countyReach(county: "County:99999") { unreached { reason } } }', "NOT_FOUND"),
    ('mutation { deleteNode(id: "State:13") }', "UNAUTHENTICATED"),
    ("{ changes { at who } }", "UNAUTHENTICATED"),
])
def test_every_error_names_its_kind(api: GraphQLClient, query: str, code: str) -> None:
    errors = _errors(api, query)
    assert _codes(errors) == {code}, errors


def test_a_wrong_token_is_unauthenticated(api: GraphQLClient) -> None:
    errors = _errors(api, 'mutation { deleteNode(id: "State:13") }', token=TOKEN + "x")
    assert _codes(errors) == {"UNAUTHENTICATED"}, errors


def test_two_operations_without_operation_name_fail_as_the_spec_requires(api: GraphQLClient) -> None:
    document = 'query A { node(id: "State:13") { id } } query B { node(id: "State:01") { id } }'
    errors = _errors(api, document)
    assert _codes(errors) == {"OPERATION_RESOLUTION_FAILURE"}, errors
    assert "operationName" in errors[0]["message"]
    answer = api.http.post("/graphql", json={"query": document, "operationName": "B"}).json()
    assert answer == {"data": {"node": {"id": "State:01"}}}


def test_a_bad_mutation_input_names_the_field_as_the_api_spells_it(api: GraphQLClient) -> None:
    errors = _errors(api, 'mutation { upsertAdoption(input: {id: "x1", solution: "Solution:nope", '
                          'adopter: "Municipality:13076060", status: ADOPTED, roleLabel: "x"}) { id } }',
                     token=TOKEN)
    assert _codes(errors) == {"GRAPHQL_VALIDATION_FAILED"}, errors
    errors = _errors(api, 'mutation($i: AdoptionInput!) { upsertAdoption(input: $i) { id } }',
                     {"i": {"id": "x1", "solution": "Solution:nope", "adopter": "Municipality:13076060",
                            "status": "ADOPTED", "startedOn": "2020-13-45"}}, token=TOKEN)
    assert _codes(errors) == {"BAD_USER_INPUT"}, errors
    assert ".startedOn" in errors[0]["message"] and "started_on" not in errors[0]["message"]
    errors = _errors(api, 'mutation { upsertAdoption(input: {id: "x1", solution: "Solution:kommunale-app", '
                          'adopter: "Municipality:13076060", status: ADOPTED, startedOn: "2020-01-01", '
                          'endedOn: "2019-01-01"}) { id } }', token=TOKEN)
    assert _codes(errors) == {"BAD_USER_INPUT"}, errors
    text = " ".join(e["message"] for e in errors)
    assert "input.endedOn" in text and "ended_on" not in text and "started_on" not in text


def test_limit_errors_keep_their_own_code(api: GraphQLClient) -> None:
    assert _codes(_errors(api, "{" * 100)) == {"NESTING_LIMIT"}
