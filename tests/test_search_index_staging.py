"""A bulk load indexes its new nodes beside the graph write; the index must still follow the graph.

The oracle is the index rebuilt from scratch out of the stored graph (`rebuild_search`), compared
document by document, and the search answers before and after. Faults: a write the graph rules
refuse, an index write that fails after the graph committed, and a process killed at that moment.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.integrity import GraphRuleError
from graph_api.rows import GraphRows
from graph_api.store import search_index
from graph_api.store.base import StoreUnavailable
from graph_api.store.ladybug_store import COPY_THRESHOLD, LadybugStore
from graph_api.store.search_index import SearchIndex

SIZE = COPY_THRESHOLD + 50  # enough new nodes for the staged (threaded) path


def concepts(prefix: str, count: int = SIZE, *, cycle: bool = False) -> GraphRows:
    rows = GraphRows()
    for i in range(count):
        rows.add_node("Concept", {"id": f"Concept:{prefix}{i}", "label": f"{prefix.title()} Werkstatt-{i}",
                                  "definition": f"Übung {i} für Ämter", "scheme": "s"})
    if cycle:  # refused by the graph rules after every node was written in the transaction
        rows.add_rel("BROADER", f"Concept:{prefix}0", f"Concept:{prefix}1")
        rows.add_rel("BROADER", f"Concept:{prefix}1", f"Concept:{prefix}0")
    return rows


def documents(search_path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(search_path) as db:
        return db.execute("SELECT node_id, names, texts FROM docs ORDER BY node_id").fetchall()


def open_store(db: Path) -> LadybugStore:
    store = LadybugStore(db)
    store.ensure_schema()
    return store


def test_index_after_a_bulk_load_equals_a_rebuild(tmp_path: Path) -> None:
    db = tmp_path / "g.lbdb"
    store = open_store(db)
    try:
        store.apply(concepts("alpha"))
        store.apply(concepts("beta", 10))  # a small write takes the plain path beside the staged one
        loaded = documents(Path(f"{db}.search.sqlite"))
        hits = store.search("Alpha Werkstatt-7", 3)
        store.rebuild_search()
        assert documents(Path(f"{db}.search.sqlite")) == loaded
    finally:
        store.close()
    assert len(loaded) == SIZE + 10
    assert hits[0][0] == "Concept:alpha7"


def test_a_refused_bulk_write_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "g.lbdb"
    store = open_store(db)
    try:
        store.apply(concepts("alpha", 5))
        before = documents(Path(f"{db}.search.sqlite"))
        with pytest.raises(GraphRuleError):
            store.apply(concepts("gamma", cycle=True))
        assert documents(Path(f"{db}.search.sqlite")) == before
        assert store.search("Gamma", 5) == []
        assert store.node_label_counts()["Concept"] == 5
    finally:
        store.close()


def test_an_index_failure_after_the_graph_commit_is_repaired_at_the_next_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "g.lbdb"
    store = open_store(db)

    def broken(db: sqlite3.Connection, nodes: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    try:
        monkeypatch.setattr(search_index, "_write_documents", broken)
        with pytest.raises(StoreUnavailable, match="search index"):
            store.apply(concepts("alpha"))
        monkeypatch.undo()
        assert store.node_label_counts()["Concept"] == SIZE  # the graph write stands
        assert store.search("Alpha", 5) == []
    finally:
        store.close()
    assert Path(f"{db}.search.sqlite.pending").exists()
    store = open_store(db)  # the pending marker rebuilds the index from the graph
    try:
        assert [hit for hit, _ in store.search("Alpha Werkstatt-7", 1)] == ["Concept:alpha7"]
        assert len(documents(Path(f"{db}.search.sqlite"))) == SIZE
    finally:
        store.close()


_KILLED_AT_INDEX_COMMIT = """
import os, signal, sys
from graph_api.store import search_index
from graph_api.store.ladybug_store import LadybugStore
from tests.test_search_index_staging import concepts

def die(self):
    self._thread.join()  # the documents are written, not committed; the graph write has committed
    os.kill(os.getpid(), signal.SIGKILL)

search_index.StagedDocuments.commit = die
store = LadybugStore(sys.argv[1])
store.ensure_schema()
store.apply(concepts("alpha"))
"""


def test_a_process_killed_between_graph_commit_and_index_commit(tmp_path: Path) -> None:
    db = tmp_path / "g.lbdb"
    store = open_store(db)
    store.apply(concepts("zeta", 3))
    store.close()
    done = subprocess.run([sys.executable, "-c", _KILLED_AT_INDEX_COMMIT, str(db)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    store = open_store(db)
    try:
        assert store.node_label_counts()["Concept"] == SIZE + 3
        assert [hit for hit, _ in store.search("Alpha Werkstatt-9", 1)] == ["Concept:alpha9"]
        reopened = documents(Path(f"{db}.search.sqlite"))
        store.rebuild_search()
        assert documents(Path(f"{db}.search.sqlite")) == reopened
    finally:
        store.close()
    assert len(reopened) == SIZE + 3


def test_searches_during_a_staged_write_see_the_committed_state(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "s.sqlite")
    index.upsert([("Concept:old", {"label": "Klimawerkstatt"})])
    many = [(f"Concept:n{i}", {"label": f"Dorfladen {i}", "definition": "Ein Text " * 20}) for i in range(20_000)]
    # far more pages than SQLite's default cache holds: a spill would lock searches out mid-write
    staged = index.stage([("Concept:new", {"label": "Klimawerkstatt Neu"}), *many])
    try:
        staged._thread.join()  # written, transaction still open
        found: list[list[tuple[str, float]]] = []
        reader = threading.Thread(target=lambda: found.append(index.search("Klimawerkstatt", 5)))
        reader.start()
        reader.join(timeout=30)
        assert not reader.is_alive(), "a search waited for the staged write"
        assert [hit for hit, _ in found[0]] == ["Concept:old"]
        staged.commit()
        assert sorted(hit for hit, _ in index.search("Klimawerkstatt", 5)) == ["Concept:new", "Concept:old"]
        assert "neu" in index._vocabulary()  # the vocabulary of the fuzzy search sees the new words
        discarded = index.stage([("Concept:gone", {"label": "Verworfen"})])
        discarded.discard()
        assert index.search("Verworfen", 5) == []
    finally:
        index.close()
