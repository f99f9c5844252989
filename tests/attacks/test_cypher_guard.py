"""Attacks on ad-hoc Cypher (`/cypher`, `copgraph cypher`, named queries): the allow-list guard.

Queries that could crash the engine are only ever sent to it in a subprocess (see
`test_cypher_containment.py`); here the guard alone is asked, and queries it lets through are
harmless reads."""

from __future__ import annotations

from pathlib import Path

import ladybug
import pytest

from graph_api.query_library import load_library
from graph_api.store import QueryRejected
from graph_api.store.guard import MAX_LENGTH, MAX_NESTING, check_read_query

REFUSED = {
    "LOAD glued to a digit": "UNWIND [1] AS x WITH x WHERE x=1LOAD FROM '{file}' (file_format='csv', header=false, "
                             "delim=':') RETURN column0 LIMIT 3",
    "LOAD glued to an exponent": "UNWIND [1] AS x WITH x WHERE x=1e5LOAD FROM '{file}' RETURN * LIMIT 3",
    "LOAD glued to a positional parameter": "UNWIND [1] AS x WITH x WHERE x=$1LOAD FROM '{file}' RETURN *",
    "LOAD behind a comment the engine ends later": "UNWIND [1] AS x /* **/ ' */ LOAD FROM '{file}' "
                                                   "(file_format='csv', header=false) RETURN * //'",
    "backticked setting": "CALL `threads`=100000",
    "backticked home directory": "CALL `home_directory`='/etc'",
    "setting after a statement": "RETURN 1; CALL threads=1",
    "READ_CSV_SERIAL": "CALL READ_CSV_SERIAL('{file}') RETURN *",
    "READ_CSV_PARALLEL": "CALL READ_CSV_PARALLEL('{file}') RETURN *",
    "READ_PARQUET": "CALL READ_PARQUET('{file}') RETURN *",
    "READ_NPY": "CALL READ_NPY('{file}') RETURN *",
    "table function in a reading query": "MATCH (n:Award) CALL read_csv_serial('{file}') RETURN *",
    "backticked table function": "RETURN `READ_CSV_SERIAL`('{file}')",
    "sequence": "RETURN nextval('s') AS n",
    "function name and bracket apart by the engine's whitespace": "RETURN current_setting\u180e('threads') AS t",
    "function name and bracket apart by a comment": "RETURN current_setting/* */('threads') AS t",
    "setting read": "RETURN current_setting('home_directory') AS h",
    "namespaced function (Neo4j plug-in)": "RETURN apoc.load.json('file:///{file}') AS j",
    "backticked namespaced function": "RETURN apoc.`count`('x') AS j",
    "namespaced function with a space": "RETURN apoc.load . json ('x') AS j",
    "COPY TO": "COPY (MATCH (n:Award) RETURN n.id) TO '{file}'",
    "LOAD CSV (Neo4j)": "LOAD CSV FROM 'file:///{file}' AS line RETURN line",
    "procedure (Neo4j)": "CALL db.labels()",
    "subquery (Neo4j)": "MATCH (n) CALL { MATCH (m) RETURN m } RETURN n",
    "USE": "USE other MATCH (n) RETURN n",
    "EXPLAIN": "EXPLAIN MATCH (n) RETURN n",
    "PROFILE": "PROFILE MATCH (n) RETURN n",
    "CREATE": "CREATE (:Source {id: 'Source:x'})",
    "write after reading": "MATCH (n:Award) SET n.name = 'x' RETURN n",
    "DETACH DELETE": "MATCH (n) DETACH DELETE n",
    "MERGE": "MATCH (a:Award) MERGE (b:Award {id: 'x'}) RETURN b",
    "two statements": "MATCH (n) RETURN n; MATCH (m) RETURN m",
    "INSTALL": "INSTALL httpfs",
    "ATTACH": "ATTACH '{file}' AS x (dbtype lbug)",
    "CHECKPOINT": "CHECKPOINT",
    "unterminated string": "RETURN 'abc",
    "unterminated comment": "RETURN 1 /* abc",
    "nested brackets": "RETURN " + "(" * 2500 + "1" + ")" * 2500,
    "too long": "RETURN '" + "x" * MAX_LENGTH + "'",
    "empty": "  // nothing",
}
ALLOWED = [
    "MATCH (n:Award) WHERE n.name <> 'COPY; DELETE' RETURN n.id AS id ORDER BY id // LOAD",
    "MATCH (`load`:Award) RETURN `load`.id AS id",
    "MATCH (n:Award) RETURN n.id AS id /* CALL threads=1 */",
    "MATCH p = (a:Actor)-[:KNOWS* SHORTEST 1..4]-(b:Actor) RETURN list_transform(rels(p), x -> label(x)) AS t",
    "UNWIND $ids AS i MATCH (m:Municipality {id: i}) RETURN m.name AS name SKIP 1 LIMIT 2",
    "OPTIONAL MATCH (m:Municipality) WITH count(m) AS n RETURN n UNION ALL RETURN 1 AS n",
    "MATCH (m:Municipality) WHERE EXISTS { MATCH (m)<-[:PART_OF]-(:Organization) } RETURN m.id AS id",
    "RETURN CAST(1 AS STRING) AS s, CASE WHEN 1 > 0 THEN 'a' ELSE 'b' END AS c, 1.5e3 AS f;",
    "RETURN " + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + " AS deep",
]


@pytest.mark.parametrize("kind", list(REFUSED))
def test_refused(kind: str, tmp_path: Path) -> None:
    with pytest.raises(QueryRejected):
        check_read_query(REFUSED[kind].replace("{file}", (tmp_path / "secret.csv").as_posix()))


@pytest.mark.parametrize("query", ALLOWED)
def test_allowed(query: str) -> None:
    check_read_query(query)


@pytest.mark.parametrize("name", list(load_library()))
def test_every_named_query_passes_the_guard(name: str) -> None:
    for text in load_library()[name].texts.values():
        check_read_query(text)


def test_the_comment_case_is_real_the_engine_reads_the_file(tmp_path: Path) -> None:
    """The engine ends `/* **/ ' */` at the second `*/`, so a first-`*/` tokenizer would see a string where
    the engine sees LOAD FROM; the guard must follow the engine."""
    secret = tmp_path / "secret.csv"
    secret.write_text("the secret\n", encoding="utf-8")
    conn = ladybug.Connection(ladybug.Database(str(tmp_path / "probe.lbdb")))
    query = REFUSED["LOAD behind a comment the engine ends later"].replace("{file}", secret.as_posix())
    assert conn.execute(query).get_all() == [[1, "the secret"]]
    with pytest.raises(QueryRejected, match="LOAD"):
        check_read_query(query)


@pytest.mark.parametrize("kind", ["LOAD glued to a digit", "backticked setting", "READ_CSV_SERIAL"])
def test_copgraph_cypher_refuses_them_too(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graph_api.cli import main

    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "g.lbdb"), "cypher", REFUSED[kind].replace("{file}", secret.as_posix())]) == 3
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and "root:x" not in captured.out
