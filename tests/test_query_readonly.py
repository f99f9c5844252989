"""The analysts' query paths are read-only for real, time- and row-limited, on every backend:
the store's `read_only`, the HTTP endpoints (`/queries`, `/cypher`) and the CLI (`query`, `cypher`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.cli import main
from graph_api.config import Settings
from graph_api.store import QueryRejected, QueryTimeout, Store

TOKEN = "test-token-queries"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# one per kind of write, each aimed at data the pilot sample really has
WRITES = {
    "CREATE": "CREATE (:Source {id: 'Source:injected', title: 'x'})",
    "MERGE": "MERGE (s:Source {id: 'Source:injected'}) RETURN s.id AS id",
    "SET": "MATCH (m:Municipality {id: 'Municipality:13076060'}) SET m.name = 'changed' RETURN m.name AS name",
    "DELETE": "MATCH (a:Adoption)-[r:LEARNED_FROM]->(:Adoption) DELETE r",
    "DETACH DELETE": "MATCH (n:Award) DETACH DELETE n",
    "DROP": "DROP TABLE Award",
    "COPY": "COPY Award FROM 'awards.csv'",
}
# statements that read or write outside the graph, which the engines' read-only modes let through
OUTSIDE = {
    "COPY TO": "COPY (MATCH (n:Award) RETURN n.id) TO '{file}'",
    "LOAD FROM": "LOAD FROM '{file}' (file_format='csv', header=false) RETURN * LIMIT 1",
    "LOAD CSV": "LOAD CSV FROM 'file:///{file}' AS line RETURN line LIMIT 1",
    "CHECKPOINT": "CHECKPOINT",
    "INSTALL": "INSTALL httpfs",
    "two statements": "MATCH (n:Award) RETURN n.id AS id; MATCH (n:Award) RETURN n.id AS id",
}
EXPENSIVE = "MATCH (a)-[*1..4]-(b)-[*1..4]-(c) RETURN count(*) AS paths"


def _snapshot(store: Store) -> tuple[dict[str, int], dict[str, int], str]:
    name = store.read("MATCH (m:Municipality {id: 'Municipality:13076060'}) RETURN m.name AS name")[0]["name"]
    return store.node_label_counts(), store.rel_type_counts(), name


@pytest.mark.parametrize("kind", list(WRITES))
def test_writes_are_refused_and_change_nothing(fresh_pilot_store: Store, kind: str) -> None:
    before = _snapshot(fresh_pilot_store)
    with pytest.raises(QueryRejected):
        fresh_pilot_store.read_only(WRITES[kind], timeout_ms=5_000, max_rows=10)
    assert _snapshot(fresh_pilot_store) == before
    assert before[0]["Award"] > 0 and before[1]["LEARNED_FROM"] > 0  # the writes had something to destroy


@pytest.mark.parametrize("kind", list(OUTSIDE))
def test_file_access_and_engine_commands_are_refused(empty_store: Store, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "leak.csv"
    source = tmp_path / "secret.csv"
    source.write_text("secret\n", encoding="utf-8")
    query = OUTSIDE[kind].format(file=(target if kind == "COPY TO" else source).as_posix())
    with pytest.raises(QueryRejected, match="not allowed|one statement"):
        empty_store.read_only(query, timeout_ms=5_000, max_rows=10)
    assert not target.exists()
    assert empty_store.health()


def test_keywords_inside_strings_and_properties_are_not_refused(fresh_pilot_store: Store) -> None:
    result = fresh_pilot_store.read_only(
        "MATCH (n:Award) WHERE n.name <> 'COPY; DELETE' RETURN n.id AS id ORDER BY id // LOAD",
        timeout_ms=5_000, max_rows=10)
    assert [r["id"] for r in result.rows] == ["Award:bewaehrt-vor-ort", "Award:demo-preis-gute-verwaltungsidee"]


def test_time_limit_cancels_an_expensive_query(fresh_pilot_store: Store) -> None:
    with pytest.raises(QueryTimeout, match="time limit of 1 ms"):
        fresh_pilot_store.read_only(EXPENSIVE, timeout_ms=1, max_rows=10)
    assert fresh_pilot_store.read_only("RETURN 1 AS ok", timeout_ms=5_000, max_rows=1).rows == [{"ok": 1}]


# ---- HTTP ---------------------------------------------------------------------------------------

@pytest.fixture
def client(pilot_store: Store) -> TestClient:
    """The shared pilot store: these tests only read (or are refused)."""
    return TestClient(create_app(Settings(api_token=TOKEN), store=pilot_store))


@pytest.fixture
def fresh_client(fresh_pilot_store: Store) -> TestClient:
    return TestClient(create_app(Settings(api_token=TOKEN), store=fresh_pilot_store))


def test_list_of_named_queries(client: TestClient) -> None:
    queries = {q["name"]: q for q in client.get("/queries").json()["queries"]}
    assert len(queries) >= 15
    assert queries["adopters_of_solution"]["parameters"] == [
        {"name": "solution", "type": "string", "required": False, "default": "Solution:digitale-lokale-agenda"}]
    assert queries["contact_paths"]["columns"] == ["hops", "path", "via"]
    assert all(q["description"] for q in queries.values())


def test_named_query_with_json_parameters(client: TestClient) -> None:
    response = client.post("/queries/adopters_of_solution", json={"solution": "Solution:boizenburg-laeuft"})
    assert response.status_code == 200
    body = response.json()
    assert body["columns"][:3] == ["adoption_id", "adopter_id", "adopter_name"]
    assert body["truncated"] is False
    assert {r["adopter_id"] for r in body["rows"]} >= {"Municipality:13076014"}


def test_named_query_errors_name_the_problem(client: TestClient) -> None:
    assert client.post("/queries/no_such_query", json={}).status_code == 404
    bad = client.post("/queries/most_connected_actors", json={"limit": "many"})
    assert bad.status_code == 400 and bad.json()["detail"]["parameter"] == "limit"
    unknown = client.post("/queries/most_connected_actors", json={"limt": 3})
    assert unknown.status_code == 400 and unknown.json()["detail"]["parameter"] == "limt"
    wrong_list = client.post("/queries/adoptions_in_territory", json={"statuses": "ADOPTED"})
    assert wrong_list.status_code == 200  # a comma-separated string is a list of one
    not_a_list = client.post("/queries/adoptions_in_territory", json={"statuses": [1, 2]})
    assert not_a_list.status_code == 400 and not_a_list.json()["detail"]["parameter"] == "statuses"


def test_row_limit_cuts_and_flags(pilot_store: Store) -> None:
    client = TestClient(create_app(Settings(api_token=TOKEN, query_max_rows=5), store=pilot_store))
    body = client.post("/queries/coverage_gaps", json={}).json()
    assert len(body["rows"]) == 5 and body["truncated"] is True
    short = client.post("/queries/contact_paths", json={}).json()
    assert 0 < len(short["rows"]) <= 5 and short["truncated"] is False


def test_cypher_needs_the_token(client: TestClient) -> None:
    query = {"query": "MATCH (n:Award) RETURN n.id AS id ORDER BY id"}
    assert client.post("/cypher", json=query).status_code == 401
    assert client.post("/cypher", json=query, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.post("/cypher", json=query, headers=AUTH)
    assert ok.status_code == 200
    assert ok.json() == {"columns": ["id"], "truncated": False,
                         "rows": [{"id": "Award:bewaehrt-vor-ort"}, {"id": "Award:demo-preis-gute-verwaltungsidee"}]}


@pytest.mark.parametrize("kind", ["CREATE", "MERGE", "SET", "DELETE", "DROP", "COPY"])
def test_cypher_refuses_writes_over_http(fresh_client: TestClient, fresh_pilot_store: Store, kind: str) -> None:
    before = _snapshot(fresh_pilot_store)
    response = fresh_client.post("/cypher", json={"query": WRITES[kind]}, headers=AUTH)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"] or "not allowed" in response.json()["detail"]
    assert _snapshot(fresh_pilot_store) == before


def test_cypher_time_limit_and_bad_query(client: TestClient, pilot_store: Store) -> None:
    impatient = TestClient(create_app(Settings(api_token=TOKEN, query_timeout_ms=1), store=pilot_store))
    slow = impatient.post("/cypher", json={"query": EXPENSIVE}, headers=AUTH)
    assert slow.status_code == 504 and "time limit" in slow.json()["detail"]
    broken = client.post("/cypher", json={"query": "MATCH (n:Award RETURN n"}, headers=AUTH)
    assert broken.status_code == 400 and broken.json()["detail"].startswith("the query failed: ")
    cut = client.post("/cypher", json={"query": "MATCH (m:Municipality) RETURN m.id AS id", "max_rows": 3},
                      headers=AUTH).json()
    assert len(cut["rows"]) == 3 and cut["truncated"] is True


# ---- CLI ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pilot_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from graph_api.ingest import load_sample
    from graph_api.store import open_store

    path = str(tmp_path_factory.mktemp("cli-queries") / "pilot.lbdb")
    store = open_store(Settings(store="ladybug", db_path=path))
    load_sample(store)
    store.close()
    return path


def test_cli_query_formats(pilot_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pilot_db, "query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "adopters_of_solution" in listing and "--param solution=<string>" in listing
    assert main(["--db", pilot_db, "query", "adopters_of_solution", "--param",
                 "solution=Solution:boizenburg-laeuft", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "adoption_id,adopter_id,adopter_name,status,started_on,ended_on,outcome"
    assert any(line.startswith("Adoption:boizenburg-laeuft,Municipality:13076014,") for line in lines[1:])
    assert main(["--db", pilot_db, "query", "most_connected_actors", "-p", "limit=2"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["actor_id", "display_name", "contacts", "organizations", "projects", "adoptions",
                                "degree"]
    assert table[-1] == "(2 rows)"


def test_cli_query_bad_parameter_and_truncation(pilot_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pilot_db, "query", "most_connected_actors", "-p", "limit=lots"]) == 2
    assert "parameter 'limit': expected int" in capsys.readouterr().err
    assert main(["--db", pilot_db, "query", "nothing_like_this"]) == 2
    assert main(["--db", pilot_db, "query", "coverage_gaps", "--max-rows", "2", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert '"truncated": true' in captured.out and "cut at 2 rows" in captured.err


def test_cli_cypher_reads_and_refuses_writes(pilot_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pilot_db, "cypher", "MATCH (c:County) RETURN c.id AS id ORDER BY id", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["id", "County:01053", "County:13076"]
    assert main(["--db", pilot_db, "cypher", "MATCH (c:County {id: $id}) RETURN c.name AS name",
                 "-p", "id=County:13076", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["name", "Ludwigslust-Parchim"]
    assert main(["--db", pilot_db, "cypher", "MATCH (c:County) DETACH DELETE c"]) == 3
    assert "read-only" in capsys.readouterr().err
    assert main(["--db", pilot_db, "cypher", "MATCH (c:County) RETURN count(c) AS n", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "2"]
