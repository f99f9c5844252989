"""Issue 14, checked from outside: no N+1 reads in the mission answers, and no Cypher outside the store.

Found: `recommendSolutions` loaded the adopters of each recommendation with a read of its own, and
Cypher texts lived in eight modules outside `graph_api/store` (the publiccode loader still had
fifteen). A read count that grows with `first`, or a Cypher text in a string literal of another
module, fails here.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.store import Store
from tests.graphql_client import GraphQLClient
from tests.read_counting import count_reads

RECOMMEND = """query($m: ID!, $n: Int) { recommendSolutions(municipality: $m, first: $n) { score reasons
  solution { id name awards { award } } nearestAdopters { __typename ... on Municipality { name } }
  evidence { id status adopter { __typename ... on Municipality { name } } } adopterCount } }"""


def test_recommendations_read_each_kind_of_thing_once_for_one_or_many(pilot_store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The reads do not grow with `first`: each text is read at most once per level of the answer that asks for
    it (the DataLoaders batch per level: nearest adopters, then the evidence's adopters), for one recommendation
    as for 25; a loop of reads would repeat a text once per recommendation."""
    api = GraphQLClient(pilot_store)
    town = "Municipality:01053100"  # Ratzeburg: many candidates with adopters
    api.data(RECOMMEND, {"m": town, "n": 1})  # the kept adoption index is built once, outside the count
    reads = count_reads(pilot_store, monkeypatch)
    counts = {}
    for first in (1, 25):
        reads.clear()
        found = api.data(RECOMMEND, {"m": town, "n": first})["recommendSolutions"]
        assert len(found) == first
        counts[first] = Counter(reads)
    assert all(n <= 2 for c in counts.values() for n in c.values()), counts
    assert sum(1 for r in found if r["evidence"]) >= 5  # enough recommendations with adopters to show N+1
    assert len(reads) <= 20  # a fixed handful: the home, its county, the needs log, one batch per label


# A Cypher statement inside a string: a clause with a pattern, a projection with AS, or a typed pattern.
CYPHER = re.compile(r"\b(OPTIONAL\s+)?MATCH\s*\(|\bMERGE\s*\(|\bCREATE\s*\(|\bUNWIND\s+[$\[\w]|\bDETACH\s+DELETE\b"
                    r"|\bRETURN\s+[\w.()*]+\s+AS\b|-\[:[A-Z_]+", re.IGNORECASE)
# Where Cypher may live: the store (every text of both dialects), the analysts' named queries.
OWN_CYPHER = ("graph_api/store/",)
SCANNED = ("graph_api", "loaders", "tools")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def cypher_literals(path: Path) -> list[int]:
    """Lines of string literals (f-string parts included, docstrings not) that contain Cypher."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant)
                   and isinstance(node.value, str) and id(node) not in docs and CYPHER.search(node.value)})


def test_the_detector_finds_cypher_anywhere_in_a_literal(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Docs may say MATCH (n) RETURN n.id AS id."""\n'
                      'A = "MATCH (n:Municipality) RETURN n"\n'
                      'B = f"UNWIND $rows AS r {A}"\n'
                      'C = "some text, then optional match (x)-[:KNOWS]->(y)"\n'
                      'D = "WITH n " + "RETURN n.name AS name"\n'
                      'E = "a match of two names"\n', encoding="utf-8")
    assert cypher_literals(sample) == [2, 3, 4, 5]


def test_no_cypher_outside_the_store() -> None:
    found = {}
    for folder in SCANNED:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if relative.startswith(OWN_CYPHER):
                continue
            if lines := cypher_literals(path):
                found[relative] = lines
    assert not found, f"Cypher outside graph_api/store: {found}"
