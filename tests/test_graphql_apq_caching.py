"""Automatic persisted queries (Apollo APQ) and ETags for GraphQL GET answers.

The hashes are computed here with hashlib, as an Apollo client computes them (SHA-256 of the
exact query text); the cache rules are checked against what a client sees: 304 only for the same
anonymous question at the same data, never for a caller with a token, never for errors.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from graph_api.http.persisted import MAX_PERSISTED_CHARS, PersistedQueries
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

QUERY = '{ solutions(first: 100) { totalCount edges { node { id name } } } }'
JSON = {"accept": "application/json"}


def extension(query: str, version: Any = 1) -> dict[str, Any]:  # noqa: ANN401
    return {"persistedQuery": {"version": version, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


def code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def test_the_apq_round_trip(api: GraphQLClient) -> None:
    query = '{ node(id: "County:13076") { id ... on County { name } } }'
    ext = extension(query)
    first = api.http.post("/graphql", json={"extensions": ext})
    assert first.status_code == 200 and code(first.json()) == "PERSISTED_QUERY_NOT_FOUND"
    assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"  # what Apollo clients look for
    registered = api.http.post("/graphql", json={"query": query, "extensions": ext}).json()
    assert registered == {"data": {"node": {"id": "County:13076", "name": "Ludwigslust-Parchim"}}}
    assert api.http.post("/graphql", json={"extensions": ext}).json() == registered
    by_get = api.http.get("/graphql", params={"extensions": json.dumps(ext)}, headers=JSON)
    assert by_get.status_code == 200 and by_get.json() == registered


def test_a_hash_that_is_not_the_query_is_refused_and_not_remembered(api: GraphQLClient) -> None:
    query, other = '{ states { id } }', '{ counties { id } }'
    wrong = extension(other)
    body = api.http.post("/graphql", json={"query": query, "extensions": wrong}).json()
    assert code(body) == "BAD_USER_INPUT" and body.get("data") is None
    assert code(api.http.post("/graphql", json={"extensions": wrong}).json()) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(("persisted", "expected"), [
    ({"version": 2, "sha256Hash": "0" * 64}, "PERSISTED_QUERY_NOT_SUPPORTED"),
    ({"version": "1", "sha256Hash": "0" * 64}, "PERSISTED_QUERY_NOT_SUPPORTED"),
    ("yes", "PERSISTED_QUERY_NOT_SUPPORTED"),
    ({"version": 1, "sha256Hash": "A" * 64}, "BAD_USER_INPUT"),
    ({"version": 1, "sha256Hash": "0" * 63}, "BAD_USER_INPUT"),
    ({"version": 1, "sha256Hash": 12}, "BAD_USER_INPUT"),
    ({"version": 1, "sha256Hash": "' OR 1=1 --" + "0" * 53}, "BAD_USER_INPUT"),
    ({"version": 1}, "BAD_USER_INPUT"),
])
def test_odd_persisted_query_extensions_are_refused_with_a_code(api: GraphQLClient, persisted: Any,  # noqa: ANN401
                                                                 expected: str) -> None:
    body = api.http.post("/graphql", json={"extensions": {"persistedQuery": persisted}}).json()
    assert code(body) == expected, body


def test_the_remembered_queries_are_bounded() -> None:
    queries = PersistedQueries(capacity=2)
    for name in ("a", "b", "c"):
        queries.put(name, name)
    assert queries.get("a") is None and queries.get("b") == "b" and queries.get("c") == "c"
    queries.get("b")
    queries.put("d", "d")  # "c" was used least recently
    assert queries.get("c") is None and queries.get("b") == "b"
    queries.put("huge", "x" * (MAX_PERSISTED_CHARS + 1))
    assert queries.get("huge") is None


def _get(api: GraphQLClient, query: str = QUERY, **headers: str) -> Any:  # noqa: ANN401
    return api.http.get("/graphql", params={"query": query}, headers={**JSON, **headers})


def test_an_anonymous_get_is_revalidated_with_its_etag_until_the_data_changes(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    first = _get(api)
    etag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["cache-control"] == "public, no-cache"
    assert "Authorization" in first.headers["vary"]
    again = _get(api, **{"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert _get(api, **{"if-none-match": f'"other", W/{etag}'}).status_code == 304
    assert _get(api, '{ solutions(first: 99) { totalCount } }', **{"if-none-match": etag}).status_code == 200
    api.data("""mutation($i: SolutionInput!) { upsertSolution(input: $i) { id } }""",
             {"i": {"id": "etag-test", "name": "ETag-Test", "sources": ["Source:illustrative-pilot-sample"]}},
             token=TOKEN)
    changed = _get(api, **{"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Solution:etag-test" in {e["node"]["id"] for e in changed.json()["data"]["solutions"]["edges"]}
    assert changed.json()["data"]["solutions"]["totalCount"] == first.json()["data"]["solutions"]["totalCount"] + 1


def test_token_bearing_gets_and_errors_are_never_cached(api: GraphQLClient) -> None:
    etag = _get(api).headers["etag"]
    with_token = _get(api, **{"if-none-match": etag, "authorization": f"Bearer {TOKEN}"})
    assert with_token.status_code == 200 and "etag" not in with_token.headers
    assert with_token.headers["cache-control"] == "no-store"  # the security headers make sure of it
    wrong_token = _get(api, **{"if-none-match": etag, "authorization": "Bearer nope"})
    assert wrong_token.status_code == 200 and "etag" not in wrong_token.headers
    broken = _get(api, "{ nodx }")
    assert "etag" not in broken.headers and broken.headers["cache-control"] == "private, no-store"
    mutation = _get(api, 'mutation { deleteNode(id: "Solution:klimawerkstatt") }')
    assert mutation.status_code >= 400 and "etag" not in mutation.headers
    posted = api.http.post("/graphql", json={"query": QUERY})
    assert "etag" not in posted.headers


def test_a_get_by_hash_has_the_same_etag_as_the_same_query(api: GraphQLClient) -> None:
    api.http.post("/graphql", json={"query": QUERY, "extensions": extension(QUERY)})
    by_text = _get(api)
    by_hash = api.http.get("/graphql", params={"extensions": json.dumps(extension(QUERY))}, headers=JSON)
    assert by_hash.status_code == 200 and by_hash.headers["etag"] == by_text.headers["etag"]
    assert by_hash.json() == by_text.json()
