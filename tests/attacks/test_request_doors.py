"""Attacks on request bodies and parameters: every malformed body or out-of-range parameter is a
400 that names the problem, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import Store

TOKEN = "attack-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
BODIES = {
    "invalid UTF-8": (b'{"query": "{ __typename }", "note": "\xff\xfe"}', "not UTF-8"),
    "arrays nested 100,000 deep": (b'{"query": "{ __typename }", "variables": ' + b"[" * 100_000 + b"]" * 100_000
                                   + b"}", "nested too deeply"),
    "not JSON": (b'{"query": ', "Unable to parse request body as JSON"),
}


# not JSON by RFC 8259 or beyond Python's integer conversion limit: Python's parser raised ValueError (500)
GRAPHQL_ONLY = {
    "a 5,000-digit integer": (b'{"query": "{ __typename }", "variables": {"x": 1' + b"0" * 5000 + b"}}",
                              "Exceeds the limit"),
    "NaN": (b'{"query": "{ __typename }", "variables": {"x": NaN}}', "NaN is not a JSON number"),
    "-Infinity": (b'{"query": "{ __typename }", "variables": {"x": -Infinity}}', "-Infinity is not a JSON number"),
}


@pytest.fixture(scope="module")
def client(pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(api_token=TOKEN), store=pilot_store), raise_server_exceptions=False)


@pytest.mark.parametrize("kind", [*BODIES, *GRAPHQL_ONLY])
def test_graphql_bodies_are_400_with_the_reason(client: TestClient, kind: str) -> None:
    body, reason = {**BODIES, **GRAPHQL_ONLY}[kind]
    response = client.post("/graphql", content=body, headers=AUTH)
    assert response.status_code == 400, response.text[:300]
    assert reason in response.text


@pytest.mark.parametrize("path", ["/cypher", "/queries/contact_paths"])
@pytest.mark.parametrize("kind", list(BODIES))
def test_query_bodies_are_refused(client: TestClient, path: str, kind: str) -> None:
    """FastAPI's own body parsing: 400 for undecodable and over-deep bodies, 422 (its validation error) for
    a body that is not JSON."""
    response = client.post(path, content=BODIES[kind][0], headers=AUTH)
    assert response.status_code == (422 if kind == "not JSON" else 400), response.text[:300]


@pytest.mark.parametrize("value", [b"NaN", b"-Infinity", b'"' + b"x" * 1_000_000 + b'"'])
def test_a_refused_cypher_body_never_echoes_its_input(client: TestClient, value: bytes) -> None:
    """FastAPI's own answer echoed the input: NaN could not be rendered (500), a megabyte came back whole."""
    response = client.post("/cypher", content=b'{"query": "RETURN 1", "max_rows": ' + value + b"}", headers=AUTH)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["detail"][0]["loc"] == ["body", "max_rows"] and len(response.text) < 1000


def test_variables_nested_below_the_json_limit_are_a_graphql_error(client: TestClient) -> None:
    nested = "[" * 900 + "]" * 900
    response = client.post("/graphql", content=f'{{"query": "query($k: String) {{ territory(key: $k) {{ id }} }}", '
                                                f'"variables": {{"k": {nested}}}}}', headers=AUTH)
    assert response.status_code in (200, 400), response.text[:300]
    assert response.json()["errors"]


@pytest.mark.parametrize("value", [-1, 0, 1001, 2**63, -(2**63) - 1, 10**30, "9" * 5000, 1.5, "1e3", True])
@pytest.mark.parametrize("name", ["contact_paths", "most_connected_actors", "similar_municipalities",
                                  "county_municipality_bridges"])
def test_a_limit_out_of_range_is_400_naming_it(client: TestClient, name: str, value: object) -> None:
    response = client.post(f"/queries/{name}", json={"limit": value})
    assert response.status_code == 400, response.text[:300]
    assert response.json()["detail"]["parameter"] == "limit"
    assert len(response.text) < 1000  # a hostile value is not echoed in full


def test_a_limit_in_range_answers(client: TestClient) -> None:
    response = client.post("/queries/most_connected_actors", json={"limit": 2})
    assert response.status_code == 200, response.text
    assert len(response.json()["rows"]) <= 2
