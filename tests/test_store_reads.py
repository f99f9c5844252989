"""The typed store reads: batches instead of N+1, one home for every Cypher text.

Found: `search` loaded its hits one by one (30 hits, 30 reads), "nodes by ids" was written six
times across the code, and Cypher texts lived in eight modules outside the store.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.model import label_of
from graph_api.store import Store
from tests.graphql_client import GraphQLClient
from tests.read_counting import count_reads


def test_search_reads_its_hits_in_one_batch_per_label(pilot_any: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    api = GraphQLClient(pilot_any)
    reads = count_reads(pilot_any, monkeypatch)
    hits = api.data('{ search(text: "gemeinde", first: 30) { score node { id } } }')["search"]
    labels = {label_of(h["node"]["id"]) for h in hits}
    assert len(hits) > 2 * len(labels)  # enough hits per label that one read per hit would show
    # the candidates' nodes (ranked and privacy-filtered before the page is cut, so candidates of other
    # labels may be read too): one read per label, never one per hit
    labels_read = [re.search(r"MATCH \(n:(\w+)", query).group(1) for query in reads]
    assert len(labels_read) == len(set(labels_read)) and labels <= set(labels_read)


def test_nodes_by_ids_skips_unknown_and_foreign_ids(pilot_any: Store) -> None:
    found = pilot_any.nodes_by_ids(["Municipality:13076060", "Municipality:00000000", "NoSuchLabel:1",
                                    "County:13076", "Municipality:13076060"])
    assert set(found) == {"Municipality:13076060", "County:13076"}
    assert found["County:13076"]["_label"] == "County"


def _cypher_in(path: Path) -> list[int]:
    """Lines of string constants in `path` that start like a Cypher statement."""
    starts = ("MATCH ", "UNWIND ", "OPTIONAL MATCH", "CALL ", "RETURN ", "CREATE ", "MERGE ")
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lstrip().startswith(starts):
            lines.append(node.lineno)
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
                and str(node.values[0].value).lstrip().startswith(starts):
            lines.append(node.lineno)
    return lines


def test_cypher_lives_in_the_store() -> None:
    """Outside graph_api/store only the mission queries still carry Cypher (they move with graph_api/mission)."""
    allowed = {"graph_api/schema/mission.py"}
    found = {}
    for path in sorted((PROJECT_ROOT / "graph_api").rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if relative.startswith(("graph_api/store/", "graph_api/mission/")) or relative in allowed:
            continue
        if lines := _cypher_in(path):
            found[relative] = lines
    assert not found, f"Cypher outside the store: {found}"
