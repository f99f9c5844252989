"""The /graphql endpoint itself: what it answers, refuses and caches, independent of the schema behind it.

The endpoint is a plain Starlette route (`graph_api.http.graphql`), not Strawberry's FastAPI router,
so every promise the router used to keep is pinned here: the HTTP methods, GraphiQL for a browser,
the refusals of odd bodies and parameters, no mutation by GET, and answers that are exactly what the
schema computes. POST bodies that are merely malformed are cases in `tests/bad_inputs/api/`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from graph_api.http.graphiql import EXAMPLES_FILE
from graph_api.schema import schema
from graph_api.schema.context import GraphContext
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

SAMPLE_GV100AD = Path(__file__).resolve().parents[1] / "data" / "sample" / "gv100ad_pilot.ASC"
HAGENOW = "13076060"


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def _gv100ad_municipality(ags: str) -> tuple[str, int]:
    """Name and population of a municipality read straight from the official fixed-width record
    (record type 60: key in columns 11-22 without the association part, name 23-72, population
    140-150), not through the loader."""
    for line in SAMPLE_GV100AD.read_text(encoding="latin-1").splitlines():
        if line.startswith("60") and line[10:15] + line[19:22] == ags:
            return line[22:72].strip(), int(line[139:150])
    raise LookupError(ags)


def test_one_entity_is_what_the_official_record_says(api: GraphQLClient) -> None:
    name, population = _gv100ad_municipality(HAGENOW)
    body = api.http.post("/graphql", json={"query": f'{{ territory(key: "{HAGENOW}") {{ name population }} }}'})
    assert body.status_code == 200 and body.headers["content-type"] == "application/json"
    assert body.json() == {"data": {"territory": {"name": name, "population": population}}}


def _example_operations() -> list[str]:
    """The named operations of GraphiQL's example document (one per mission question)."""
    text = EXAMPLES_FILE.read_text(encoding="utf-8")
    return re.findall(r"^(?:query|mutation)\s+(\w+)", text, flags=re.MULTILINE)


@pytest.mark.parametrize("operation", _example_operations())
def test_the_endpoint_answers_exactly_what_the_schema_computes(api: GraphQLClient, pilot_store: Store,
                                                               operation: str) -> None:
    document = EXAMPLES_FILE.read_text(encoding="utf-8")
    if f"mutation {operation}" in document:
        pytest.skip("the examples' mutations would write to the shared pilot store")
    over_http = api.http.post("/graphql", json={"query": document, "operationName": operation})
    direct = asyncio.run(schema.execute(document, operation_name=operation,
                                        context_value=GraphContext(store=api.app.state.store)))
    assert over_http.status_code == 200
    expected: dict[str, Any] = {"data": direct.data}
    if direct.errors:
        expected["errors"] = [e.formatted for e in direct.errors]
    assert over_http.json() == json.loads(json.dumps(expected))


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD"])
def test_methods_other_than_get_and_post_are_405(api: GraphQLClient, method: str) -> None:
    response = api.http.request(method, "/graphql", json={"query": "{ states { id } }"})
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"


def test_a_browser_opening_graphql_gets_graphiql(api: GraphQLClient) -> None:
    for accept in ("text/html,application/xhtml+xml", "*/*"):
        page = api.http.get("/graphql", headers={"accept": accept})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), accept


def test_a_get_by_hash_from_curl_is_answered_not_shown_graphiql(api: GraphQLClient) -> None:
    query = "{ states { id } }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    api.http.post("/graphql", json={"query": query, "extensions": extensions})
    by_hash = api.http.get("/graphql", params={"extensions": json.dumps(extensions)}, headers={"accept": "*/*"})
    assert by_hash.status_code == 200 and by_hash.headers["content-type"] == "application/json"
    assert by_hash.json() == api.http.post("/graphql", json={"query": query}).json()


def test_a_mutation_by_get_is_refused_even_with_the_token(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    mutation = 'mutation { deleteNode(id: "Solution:klimawerkstatt") }'
    refused = api.http.get("/graphql", params={"query": mutation},
                           headers={"accept": "application/json", "authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 400 and "mutations are not allowed" in refused.text
    assert fresh_pilot_store.nodes_by_ids(["Solution:klimawerkstatt"])


@pytest.mark.parametrize(("params", "message"), [
    ({"query": "query($k: String!) { territory(key: $k) { name } }", "variables": "{'k': 1}"},
     "Unable to parse request body as JSON"),
    ({"query": "query($f: Int) { solutions(first: $f) { totalCount } }", "variables": '{"f": NaN}'},
     "NaN is not a JSON number"),
    ({"query": "{ states { id } }", "extensions": "[" * 5_000 + "]" * 5_000}, "nested too deeply"),
    ({"query": "{ states { id } }", "variables": "[1]"}, "`variables` must be an object"),
])
def test_bad_get_parameters_are_400_and_never_cached(api: GraphQLClient, params: dict[str, str],
                                                     message: str) -> None:
    response = api.http.get("/graphql", params=params, headers={"accept": "application/json"})
    assert response.status_code == 400 and message in response.text, response.text[:300]
    assert "etag" not in response.headers and response.headers["cache-control"] == "private, no-store"


def test_a_body_nested_too_deeply_is_400(api: GraphQLClient) -> None:
    body = '{"query": "{ states { id } }", "variables": {"v": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = api.http.post("/graphql", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 400 and "nested too deeply" in response.text


def test_a_body_that_is_not_utf8_is_400(api: GraphQLClient) -> None:
    response = api.http.post("/graphql", content=b'{"query": "{ states { id \xff } }"}',
                             headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 400 and "not UTF-8" in response.text


def test_a_fragment_bomb_is_refused_with_its_code(api: GraphQLClient) -> None:
    """22 fragments that each spread the previous one twice: 2^21 fields once expanded."""
    fragments = ["fragment F0 on Municipality { name }"] + [
        f"fragment F{i} on Municipality {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 22)]
    query = f'{{ territory(key: "{HAGENOW}") {{ ...F21 }} }} ' + " ".join(fragments)
    body = api.http.post("/graphql", json={"query": query}).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] in {"COST_LIMIT", "TOKEN_LIMIT"}


def test_the_answer_to_a_token_is_never_stored_by_a_cache(api: GraphQLClient) -> None:
    response = api.http.post("/graphql", json={"query": "{ states { id } }"},
                             headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
