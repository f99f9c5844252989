"""Abuse and access: every HTTP limit is hit once, tokens never reach a log, CORS is opt-in.

GraphQL's own limits (depth, aliases, tokens, cost) are hit by the declared cases in
`tests/bad_inputs/api/`; `first` caps by `test_graphql_api.py`. Here: body size (declared and
chunked), the per-client rate limit, the request time budget, the API token on every door that
needs it, and what a log may contain.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.store import Store

TOKEN = "limits-token-7c1e0d9b"
QUERY = {"query": '{ territory(key: "13076060") { name } }'}


@pytest.fixture
def app(pilot_store: Store):  # noqa: ANN201 - FastAPI app
    return create_app(Settings(api_token=TOKEN), store=pilot_store)


def _app(store: Store, **settings: Any) -> FastAPI:
    return create_app(Settings(api_token=TOKEN, **settings), store=store)


def test_declared_body_over_the_limit_is_413(pilot_store: Store) -> None:
    app = _app(pilot_store, max_body_bytes=1000)
    http = TestClient(app)
    assert http.post("/graphql", json=QUERY).status_code == 200
    response = http.post("/graphql", json={**QUERY, "variables": {"pad": "x" * 2000}})
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "request body too large: the limit is 1000 bytes"


def test_chunked_body_over_the_limit_is_413(pilot_store: Store) -> None:
    """Without Content-Length the body is counted while it arrives."""
    app = _app(pilot_store, max_body_bytes=1000)
    chunks = [b'{"query": "{ __typename }", "variables": {"pad": "', *([b"x" * 100] * 30), b'"}}']
    response = TestClient(app).post("/graphql", content=iter(chunks), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_rate_limit_answers_429_with_retry_after(pilot_store: Store) -> None:
    app = _app(pilot_store, rate_limit=0.01, rate_burst=3)  # one token per 100 s
    http = TestClient(app)
    statuses = [http.post("/graphql", json=QUERY).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = http.post("/graphql", json=QUERY)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 100
    assert "rate limit exceeded" in refused.json()["errors"][0]["message"]
    assert http.get("/readyz").status_code == 200  # probes are never limited
    other = TestClient(app, client=("192.0.2.7", 40000))  # another client has its own bucket
    assert other.post("/graphql", json=QUERY).status_code == 200


def test_rate_limit_can_be_switched_off(pilot_store: Store) -> None:
    app = _app(pilot_store, rate_limit=0, rate_burst=1)
    http = TestClient(app)
    assert {http.post("/graphql", json=QUERY).status_code for _ in range(10)} == {200}


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPGRAPH_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("COPGRAPH_RATE_LIMIT", "5")
    monkeypatch.setenv("COPGRAPH_RATE_BURST", "7")
    settings = Settings()
    assert (settings.max_body_bytes, settings.rate_limit, settings.rate_burst) == (2048, 5.0, 7)


def test_request_time_budget_is_enforced(pilot_store: Store) -> None:
    app = _app(pilot_store, graphql_timeout_ms=0)  # every store call finds the budget used up
    body = TestClient(app).post("/graphql", json=QUERY).json()
    assert body["errors"][0]["message"] == "the request exceeded its time limit of 0 ms"
    assert body["errors"][0]["path"] == ["territory"]


def test_doors_that_need_the_token(app) -> None:  # noqa: ANN001
    http = TestClient(app)
    mutation = {"query": 'mutation { deleteNode(id: "Solution:nothing-here") }'}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        assert "needs a valid API token" in http.post("/graphql", json=mutation, headers=headers).text
        assert http.post("/cypher", json={"query": "RETURN 1 AS x"}, headers=headers).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert http.post("/graphql", json=mutation, headers=auth).json() == {"data": {"deleteNode": False}}
    assert http.post("/cypher", json={"query": "RETURN 1 AS x"}, headers=auth).json()["rows"] == [{"x": 1}]


def test_no_token_configured_means_no_door_opens(pilot_store: Store) -> None:
    http = TestClient(create_app(Settings(api_token=None), store=pilot_store))
    for token in ("", "None", "null"):
        assert http.post("/cypher", json={"query": "RETURN 1 AS x"},
                         headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_read_only_cypher_cannot_write(app, pilot_store: Store) -> None:  # noqa: ANN001
    http = TestClient(app)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = pilot_store.node_label_counts()
    for query in ("MATCH (n:Solution) DETACH DELETE n", "CREATE (:Concept {id: 'Concept:x', label: 'x'})",
                  "MATCH (n:Municipality) SET n.name = 'x'",
                  "MATCH (n:Municipality) RETURN n LIMIT 1; MATCH (n) DELETE n"):
        assert http.post("/cypher", json={"query": query}, headers=auth).status_code == 403, query
    assert pilot_store.node_label_counts() == before


def test_token_never_reaches_the_log(app, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    http = TestClient(app)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    http.post("/graphql", json=QUERY, headers=auth)
    http.post("/graphql", json={"query": 'mutation { deleteNode(id: "Solution:nothing-here") }'}, headers=auth)
    http.post("/graphql", json={"query": "{ nosuch }"}, headers=auth)
    http.post("/graphql", json={"query": 'mutation { deleteNode(id: "x") }'}, headers={"Authorization": "Bearer no"})
    http.post("/cypher", json={"query": "MATCH (n) DELETE n"}, headers=auth)
    http.post("/cypher", json={"query": "THIS IS NOT CYPHER"}, headers=auth)
    TestClient(_app(app.state.store, graphql_timeout_ms=0)).post("/graphql", json=QUERY, headers=auth)
    captured = capsys.readouterr()
    assert caplog.records, "the requests above log their errors; the test must see the log"
    assert TOKEN not in caplog.text and TOKEN not in captured.out and TOKEN not in captured.err


def test_token_never_reaches_the_server_log(tmp_path: Path) -> None:
    """A real `copgraph serve`, uvicorn's access log included."""
    port = 19000 + os.getpid() % 1000
    log = tmp_path / "serve.log"
    env = {**os.environ, "COPGRAPH_API_TOKEN": TOKEN, "COPGRAPH_DB": str(tmp_path / "g.lbdb")}
    with log.open("w") as sink:
        server = subprocess.Popen([sys.executable, "-m", "graph_api.cli", "serve", "--port", str(port)],
                                  cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    httpx.get(f"{base}/healthz", timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            auth = {"Authorization": f"Bearer {TOKEN}"}
            httpx.post(f"{base}/graphql", json=QUERY, headers=auth, timeout=10)
            httpx.post(f"{base}/graphql", json={"query": "{ nosuch }"}, headers=auth, timeout=10)
            httpx.post(f"{base}/cypher", json={"query": "MATCH (n) DELETE n"}, headers=auth, timeout=10)
            httpx.post(f"{base}/cypher", json={"query": "RETURN 1 AS x"}, headers={"Authorization": "Bearer x"},
                       timeout=10)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    assert "POST /graphql" in text and "POST /cypher" in text  # the access log was written
    assert TOKEN not in text


def test_cors_is_off_by_default(app) -> None:  # noqa: ANN001
    http = TestClient(app)
    preflight = http.options("/graphql", headers={"Origin": "https://elsewhere.example",
                                                  "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    response = http.post("/graphql", json=QUERY, headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_the_configured_origins(pilot_store: Store) -> None:
    settings = Settings(api_token=TOKEN, cors_origins=("https://explorer.example",))
    http = TestClient(create_app(settings, store=pilot_store))
    preflight = http.options("/graphql", headers={"Origin": "https://explorer.example",
                                                  "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://explorer.example"
    response = http.post("/graphql", json=QUERY, headers={"Origin": "https://explorer.example"})
    assert response.headers["access-control-allow-origin"] == "https://explorer.example"
    refused = http.options("/graphql", headers={"Origin": "https://evil.example",
                                                "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    other = http.post("/graphql", json=QUERY, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cors_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPGRAPH_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ("https://a.example", "https://b.example")


def test_restricted_names_reach_no_anonymous_door(app, pilot_store: Store) -> None:  # noqa: ANN001
    """GraphQL, search, every named query and the RDF export, all without the token."""
    names = {r["name"] for r in pilot_store.read(
        "MATCH (a:Actor) WHERE a.visibility = 'restricted' RETURN a.name AS name")}
    assert names
    http = TestClient(app)
    answers = [http.post("/graphql", json={"query": "{ actors(first: 100) { edges { node { name roleLabel } } } }"}),
               http.get("/export", params={"format": "nt"})]
    answers += [http.post("/graphql", json={"query": 'query($t: String!) { search(text: $t) { node { id } } }',
                                            "variables": {"t": name}}) for name in sorted(names)[:5]]
    answers += [http.post(f"/queries/{q['name']}", json={}) for q in http.get("/queries").json()["queries"]]
    assert all(a.status_code == 200 for a in answers), [a.text[:200] for a in answers if a.status_code != 200]
    for answer in answers:
        assert not [name for name in names if name in answer.text], answer.request.url
