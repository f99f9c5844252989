"""Attacks on the GraphQL door: documents that cost far more than they look, and requests that
would hold the server. Each case was found against copgraph (issue 15) and must stay refused
with a coded error, quickly and without blocking other requests."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import parse

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.schema import BUDGET, schema
from graph_api.schema import cost as cost_module
from graph_api.store import Store

NESTED_LISTS = ("query($f: Int = 100) { municipalities(first: $f) { edges { node { adoptions(first: $f) { edges {"
                " node { contacts { knows(first: $f) { edges { node { id } } } } } } } } } } }")


def fragment_bomb(levels: int, leaf: str = "__typename") -> str:
    """`fragment Fk on Query { ...Fk-1 ...Fk-1 }`: 2^levels fields once expanded, a few hundred bytes."""
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }}\n" + "\n".join(fragments)


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    with TestClient(create_app(Settings(api_token="attack-token"), store=pilot_store)) as http:
        yield http


def _errors(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors"), body
    return body["errors"]


def _code(errors: list[dict[str, Any]]) -> str | None:
    return (errors[0].get("extensions") or {}).get("code")


def test_the_857_byte_fragment_bomb_is_refused_by_cost(client: TestClient) -> None:
    bomb = fragment_bomb(21)
    assert len(bomb.encode()) < 1000
    errors = _errors(client, bomb)
    assert _code(errors) == "COST_LIMIT", errors
    assert "2097152" in errors[0]["message"]


@pytest.mark.parametrize(("leaf", "code"), [("__typename", "COST_LIMIT"), ("a: __typename", "ALIAS_LIMIT"),
                                            ("territory(key: \"1\") { parent { parent { id } } }", "COST_LIMIT")])
def test_fragment_doubling_is_measured_once_per_fragment(leaf: str, code: str, monkeypatch) -> None:
    """60 doubling levels (2^60 fields expanded) are measured by visiting each written field once."""
    visits = []
    original = cost_module._Walk.field

    def counted(self, node, parent):
        visits.append(node)
        return original(self, node, parent)

    monkeypatch.setattr(cost_module._Walk, "field", counted)
    document = parse(fragment_bomb(60, leaf))
    errors = cost_module.measure(schema._schema, document, {}, None, BUDGET)
    assert errors and errors[0].extensions["code"] == code
    assert len(visits) <= leaf.count("{") + 1


def test_a_fragment_bomb_of_depth_is_refused_as_too_deep() -> None:
    deep = "fragment D on Territory { parent { parent { parent { parent { parent { parent { id } } } } } } }"
    document = parse("query { territory(key: \"1\") { ...E } }\nfragment E on Territory { parent { ...D } }\n"
                     "fragment C on Territory { parent { ...D } }\n" + deep.replace("{ id }", "{ ...D2 }")
                     + "\nfragment D2 on Territory { parent { parent { parent { parent { parent { id } } } } } }")
    errors = cost_module.measure(schema._schema, document, {}, None, BUDGET)
    assert errors and errors[0].extensions["code"] == "DEPTH_LIMIT"


@pytest.mark.parametrize("variables", [{}, {"f": 100}, {"f": 100.0}], ids=["default", "int", "float"])
def test_first_from_a_variable_counts_as_it_executes(client: TestClient, variables: dict[str, Any]) -> None:
    literal = NESTED_LISTS.replace("query($f: Int = 100) ", "").replace("$f", "100")
    expected = _errors(client, literal)[0]["message"]
    errors = _errors(client, NESTED_LISTS, variables)
    assert _code(errors) == "COST_LIMIT"
    assert errors[0]["message"] == expected


def test_a_variable_of_the_wrong_type_is_bad_user_input(client: TestClient) -> None:
    errors = _errors(client, NESTED_LISTS, {"f": "a hundred"})
    assert _code(errors) == "BAD_USER_INPUT", errors


def test_deeply_nested_brackets_are_refused_before_parsing(client: TestClient) -> None:
    query = "{ territory(key: " + "[" * 2000 + "\"1\"" + "]" * 2000 + ") { id } }"
    errors = _errors(client, query)
    assert _code(errors) == "NESTING_LIMIT", errors


def test_too_many_tokens_is_a_coded_refusal(client: TestClient) -> None:
    errors = _errors(client, "{" + " __typename" * 5001 + " }")
    assert _code(errors) == "TOKEN_LIMIT", errors


def _unseen_document() -> str:
    """A document no request sent before: one that fitted the budget is not measured again (`FitsCache`),
    so the blocking `measure` below would never run for a text an earlier test sent."""
    return f"query Busy{uuid.uuid4().hex} {{ __typename }}"


def _blocking_measure(started: threading.Event, release: threading.Event, seen: dict[str, bool]):
    original = cost_module.measure

    def measure(*args, **kwargs):
        started.set()
        # synchronous work that holds its thread, as a costly document would; never the event loop
        seen["released"] = release.wait(timeout=30)
        return original(*args, **kwargs)

    return measure


def test_healthz_answers_while_a_graphql_request_is_busy(pilot_store: Store, monkeypatch) -> None:
    started, release, seen = threading.Event(), threading.Event(), {}
    monkeypatch.setattr(cost_module, "measure", _blocking_measure(started, release, seen))
    with TestClient(create_app(Settings(), store=pilot_store)) as http:  # one event loop for every request
        answers: dict[str, Any] = {}
        busy = threading.Thread(target=lambda: answers.update(graphql=http.post(
            "/graphql", json={"query": _unseen_document()})))
        busy.start()
        assert started.wait(timeout=30)
        health = http.get("/healthz")  # would wait for the busy request if it held the loop
        release.set()
        busy.join()
    assert health.status_code == 200
    assert seen["released"], "the GraphQL request blocked /healthz until it gave up"
    assert answers["graphql"].json()["data"] == {"__typename": "Query"}


def test_a_request_past_its_budget_is_answered_even_while_its_thread_is_busy(pilot_store: Store,
                                                                             monkeypatch) -> None:
    started, release, seen = threading.Event(), threading.Event(), {}
    monkeypatch.setattr(cost_module, "measure", _blocking_measure(started, release, seen))
    app = create_app(Settings(graphql_timeout_ms=50), store=pilot_store)
    with TestClient(app) as http:
        response = http.post("/graphql", json={"query": _unseen_document()})
        still_blocked = not release.is_set() and "released" not in seen
        release.set()
    errors = response.json()["errors"]
    assert still_blocked
    assert _code(errors) == "TIMEOUT" and "50 ms" in errors[0]["message"]


@pytest.mark.parametrize("omitted", ["{ countyMunicipalBridges(county: \"County:13076\") { municipalities { id } } }",
                                     "query($n: Int) { countyMunicipalBridges(county: \"County:13076\", first: $n) "
                                     "{ municipalities { id } } }"])
def test_an_omitted_first_counts_with_the_schemas_default(omitted: str) -> None:
    """`countyMunicipalBridges(first: Int = 20)`: leaving `first` out (or its variable) still asks for 20."""
    explicit = "{ countyMunicipalBridges(county: \"County:13076\", first: 20) { municipalities { id } } }"
    nothing_fits = cost_module.Budget(max_tokens=5_000, max_nesting=64, max_depth=12, max_aliases=30, max_cost=0)

    def refusal(text: str) -> str:
        return cost_module.measure(schema._schema, parse(text), {}, None, nothing_fits)[0].message

    assert refusal(omitted) == refusal(explicit)
