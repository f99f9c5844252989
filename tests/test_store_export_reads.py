"""The export's whole-table reads give what the paged lookups by id gave: same pages, same triples.

`LadybugStore.export_pages` reads a label and each of its relationship types once, ordered by id,
and merges them page by page; `StoreReads.export_pages` (the plain way, which Neo4j uses) looks a
page's relationships up by its id list. The plain way is the oracle; the exported N-Triples are
also parsed by rdflib and compared as sets of triples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from graph_api.config import Settings
from graph_api.model import NODE_PROPERTIES
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import out_rel_types
from graph_api.rdf.export import export
from graph_api.rows import GraphRows
from graph_api.store import Store, open_store
from graph_api.store.ladybug_store import LadybugStore
from graph_api.store.reads import StoreReads

BASE = "https://copgraph.example.org/"
# ids whose order differs between naive byte, case-folded and locale collations
AWKWARD = ["Zebra", "apple", "Äpfel", "äpfel", "apfel", "a-b", "a_b", "a~b", "a", "ab", "a0", "A", "ß", "ss",
           "😀", "中文", "x" * 200]


def _pages(store: Store, reader: type, page_size: int) -> list[tuple[list[dict], dict]]:
    out = []
    for label in NODE_PROPERTIES:
        for rows, rels in reader.export_pages(store, label, list(v.NODE_PROPS[label]), out_rel_types(label),
                                              page_size):
            out.append((label, rows, {k: list(rel) for k, rel in rels.items() if rel}))
    return out


def _triples(store: Store) -> set[str]:
    return {line for chunk in export(store, BASE, "nt") for line in chunk.splitlines() if line}


def test_pilot_export_pages_and_triples_equal_the_paged_reads(pilot_store: Store, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    for size in (3, 5_000):  # page boundaries everywhere, and one page per label
        assert _pages(pilot_store, LadybugStore, size) == _pages(pilot_store, StoreReads, size)
    fast = _triples(pilot_store)
    monkeypatch.setattr(LadybugStore, "export_pages", StoreReads.export_pages)
    plain = _triples(pilot_store)
    assert fast == plain and len(fast) > 1_000
    parsed_fast = set(rdflib.Graph().parse(data="\n".join(sorted(fast)), format="nt"))
    parsed_plain = set(rdflib.Graph().parse(data="\n".join(sorted(plain)), format="nt"))
    assert parsed_fast == parsed_plain and len(parsed_fast) == len(fast)


def test_awkward_ids_keep_their_relationships_across_pages(tmp_path: Path) -> None:
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "awkward.lbdb")))
    try:
        rows = GraphRows()
        for key in AWKWARD:
            rows.add_node("Concept", {"id": f"Concept:{key}", "label": key, "scheme": "awkward"})
        for a, b in zip(AWKWARD, AWKWARD[1:], strict=False):  # a chain: acyclic, every node but one has a parent
            rows.add_rel("BROADER", f"Concept:{a}", f"Concept:{b}")
        store.apply(rows)
        for size in (1, 2, 7, 100):
            fast = _pages(store, LadybugStore, size)
            assert fast == _pages(store, StoreReads, size)
            found = {start: rel for _, _, rels in fast for start, rel in rels.items()}
            assert len(found) == len(AWKWARD) - 1  # no relationship lost at a page boundary
    finally:
        store.close()
