"""The export's whole-table reads give what the paged lookups by id gave: same pages, same triples.

`LadybugStore.export_pages` reads a label and each of its relationship types once, ordered by id,
and merges them page by page; `StoreReads.export_pages` (the plain way, which Neo4j uses) looks a
page's relationships up by its id list. The plain way is the oracle; the exported N-Triples are
also parsed by rdflib and compared as sets of triples.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import rdflib

from graph_api.config import Settings
from graph_api.model import NODE_PROPERTIES
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import out_rel_types
from graph_api.rdf.export import export
from graph_api.rows import GraphRows
from graph_api.store import Store, StoreUnavailable, open_store
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


def _concept_chain(store: Store, count: int) -> None:
    rows = GraphRows()
    for n in range(count):
        rows.add_node("Concept", {"id": f"Concept:k{n:03d}", "label": f"k{n}", "scheme": "chain"})
    for n in range(count - 1):
        rows.add_rel("BROADER", f"Concept:k{n:03d}", f"Concept:k{n + 1:03d}")
    store.apply(rows)


@pytest.mark.parametrize("end", ["close", "reopen"])
def test_a_suspended_export_never_holds_up_closing_or_reopening(tmp_path: Path, end: str) -> None:
    """A client reading an export slowly (or gone without closing it) holds a page, not the store:
    closing or reopening the database goes ahead, and the export then fails cleanly."""
    store = open_store(Settings(store="ladybug", db_path=str(tmp_path / "suspended.lbdb")))
    try:
        _concept_chain(store, 20)
        pages = store.export_pages("Concept", ["label"], ["BROADER"], 2)
        first, rels = next(pages)  # suspended between two pages
        assert [row["id"] for row in first] == ["Concept:k000", "Concept:k001"] and len(rels) == 2
        ender = threading.Thread(target=store.close if end == "close" else store._pool.reopen)
        ender.start()
        ender.join(timeout=60)  # a guard against hanging for ever, not a measure of speed
        assert not ender.is_alive(), f"{end} waited for the suspended export"
        with pytest.raises(StoreUnavailable, match="closed during the export"):
            next(pages)
        if end == "reopen":  # the store itself still works, and a new export reads everything
            assert sum(len(rows) for rows, _ in store.export_pages("Concept", ["label"], ["BROADER"], 7)) == 20
    finally:
        store.close()
