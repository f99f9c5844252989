"""Generated attacks on the two text doors: GraphQL documents and Cypher texts.

Hypothesis builds texts from the pieces the found attacks were made of (fragment spreads, nested
lists with `first`, variables, brackets, strings, comments, backticks, keywords glued to numbers,
table functions) plus arbitrary text. Whatever arrives, the server answers without a 5xx, stays
up (`/healthz`, a known query), and the graph is byte-for-byte what it was (canonical dump).
Example counts are small so the suite stays fast; the guard alone gets more examples.
"""

from __future__ import annotations

import contextlib

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import QueryRejected, Store
from graph_api.store.canonical import canonical_dump
from graph_api.store.guard import check_read_query

TOKEN = "fuzz-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# derandomize: the same examples on every run, so CI cannot turn red by chance; no example database in the tree
FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])

_GRAPHQL_PIECES = [
    "{", "}", "(", ")", "[", "]", ":", "...", "$f", "query", "fragment F on Query", "fragment G on Territory",
    "...F", "...G", "... on Territory", "municipalities", "territory", "parent", "edges", "node", "id", "name",
    "adoptions", "contacts", "knows", "__typename", "__schema", "first:", "100", "100.0", "-1", "2147483648",
    '"13076060"', "key:", "a:", "@skip(if: true)", "($f: Int = 100)", "mutation", "deleteNode", "#", "\n",
]
_CYPHER_PIECES = [
    "MATCH", "OPTIONAL MATCH", "RETURN", "WITH", "UNWIND", "WHERE", "LIMIT", "SKIP", "ORDER BY", "UNION", "CALL",
    "LOAD", "FROM", "COPY", "CREATE", "SET", "DELETE", "DETACH", "MERGE", "1", "1LOAD", "1e5", "$1", "$p", "(", ")",
    "[", "]", "{", "}", "(n)", "(n:Award)", "-[:KNOWS]->", "-[*1..3]-", "n.id", "AS", "x", "`threads`",
    "`home_directory`", "=", "100000", "'/etc/passwd'", "READ_CSV_SERIAL('/etc/passwd')", "count(n)",
    "list_transform([1], x -> x)", "nextval('s')", "/*", "*/", "**/", "//", "\n", "\r", "'", '"', "`", ";", ",",
    "*", "CHECKPOINT", "INSTALL", "ATTACH", "EXISTS {", "CASE WHEN", "THEN", "ELSE", "END",
]


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    joined = st.lists(st.sampled_from(pieces), max_size=40).map(" ".join)
    glued = st.lists(st.sampled_from(pieces), max_size=20).map("".join)
    return st.one_of(joined, glued, st.text(max_size=200))


_BEFORE: dict[int, str] = {}  # canonical dump per store, taken before the first generated request


@pytest.fixture(scope="module")
def http(pilot_store: Store) -> TestClient:
    _BEFORE[id(pilot_store)] = canonical_dump(pilot_store)
    with TestClient(create_app(Settings(api_token=TOKEN), store=pilot_store)) as client:
        yield client


def _still_up(http: TestClient) -> None:
    assert http.get("/healthz").status_code == 200
    known = http.post("/graphql", json={"query": '{ territory(key: "13076060") { id } }'})
    assert known.json()["data"]["territory"]["id"] == "Municipality:13076060"


@FEW
@given(document=_texts(_GRAPHQL_PIECES), variables=st.one_of(st.just({}), st.fixed_dictionaries(
    {"f": st.one_of(st.integers(-10, 10**6), st.floats(allow_nan=False), st.text(max_size=5))})))
def test_generated_graphql_documents(http: TestClient, document: str, variables: dict) -> None:
    response = http.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code in (200, 400), (document, response.status_code, response.text[:300])
    if response.status_code == 200:
        assert "errors" in response.json() or "data" in response.json()
    _still_up(http)


@FEW
@given(query=_texts(_CYPHER_PIECES))
def test_generated_cypher_texts(http: TestClient, query: str) -> None:
    response = http.post("/cypher", json={"query": query or "x"}, headers=AUTH)
    assert response.status_code in (200, 400, 403, 422, 504), (query, response.status_code, response.text[:300])
    _still_up(http)


def test_the_graph_is_unchanged_after_the_fuzzing(http: TestClient, pilot_store: Store) -> None:
    """Runs after the generated requests of this module (pytest keeps file order)."""
    assert canonical_dump(pilot_store) == _BEFORE[id(pilot_store)]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(query=_texts(_CYPHER_PIECES))
def test_the_guard_refuses_or_passes_but_never_breaks(query: str) -> None:
    """Any text: the guard answers with a refusal or lets it pass, never with another exception."""
    with contextlib.suppress(QueryRejected):
        check_read_query(query)
