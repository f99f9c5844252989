"""Every Cypher text the linked-data layer sends (export pages, descriptions with paged incoming
relationships, concept schemes, SPARQL index updates) passes the Neo4j language-support lint.

The texts (now the store's typed reads and whole-table streams) are recorded from the real code
paths on the pilot store, so a new read is covered without anyone listing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import graph_api.rdf.export as rdf_export
from graph_api.rdf.export import describe_blocks, describe_scheme, export
from graph_api.rdf.sparql_index import SparqlIndex
from graph_api.store import Store
from tests.test_graphql_cypher_lint import lint_texts

BASE = "https://copgraph.example.org/"


def test_linked_data_cypher_passes_the_neo4j_lint(pilot_store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    texts: set[str] = set()
    read = pilot_store.read

    def recording_read(query: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        texts.add(query)
        return read(query, params, **kwargs)

    monkeypatch.setattr(pilot_store, "read", recording_read)  # the store's typed reads all end in read()
    stream = pilot_store._stream  # ... or, for the whole-table reads of an export, in _stream()

    def recording_stream(conn: Any, query: str) -> Any:
        texts.add(query)
        return stream(conn, query)

    monkeypatch.setattr(pilot_store, "_stream", recording_stream)
    execute = pilot_store._execute  # ... or, for the column reads of the N-Triples export, in _execute()

    def recording_execute(conn: Any, query: str, params: Any, timeout_ms: int | None) -> Any:
        texts.add(query)
        return execute(conn, query, params, timeout_ms)

    monkeypatch.setattr(pilot_store, "_execute", recording_execute)
    store = pilot_store
    for fmt in ("nt", "ttl"):  # the column path (N-Triples) and the block path (every other format)
        for _ in export(store, BASE, fmt):
            pass
    monkeypatch.setattr(rdf_export, "DESCRIPTION_PAGE_SIZE", 5)
    hub = pilot_store.read("MATCH (a)-[:SOURCED_FROM]->(s:Source) RETURN s.id AS id, count(a) AS n "
                           "ORDER BY n DESC LIMIT 1")[0]["id"]
    assert describe_blocks(store, BASE, hub, page=2) is not None
    scheme = pilot_store.read("MATCH (c:Concept) RETURN c.scheme AS s LIMIT 1")[0]["s"]
    assert describe_scheme(store, BASE, scheme) is not None
    index = SparqlIndex(lambda: store, BASE)
    index._update(frozenset({hub}), frozenset())
    assert len(texts) > 20
    lint_texts({f"rdf-{n}": text for n, text in enumerate(sorted(texts))}, tmp_path)
