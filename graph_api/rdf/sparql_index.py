"""An in-memory pyoxigraph copy of the export, kept current after every write, for SPARQL.

The copy is built from exactly the blocks the export writes (so it holds what `/export` holds:
the anonymous view of `graph_api.policy`, sources as named graphs), streamed as N-Quads into
pyoxigraph's Rust parser, which is several times faster than building one Python object per
term. After a write it is updated incrementally: the statements about each touched node (its
properties, its outgoing relationships and their `rdf:Statement`s) are removed and written
anew from the store; a deleted node also loses the relationships pointing at it. A write that
touches more nodes than `REBUILD_ABOVE` marks the copy stale instead, and the next query
rebuilds it whole (cheaper than thousands of single-node reads). Updates are applied lazily,
before the next query, so a burst of writes costs one update.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph_api.model import label_of
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import (
    Block,
    graph_blocks,
    node_blocks,
    read_nodes_by_id,
    read_out_rels,
    role_block,
    role_titles,
    scheme_block,
)
from graph_api.rdf.changes import Change
from graph_api.rdf.writers import write_nq

REBUILD_ABOVE = 2_000


class _ChunkReader(io.RawIOBase):
    """A binary file object over an iterator of text chunks, so pyoxigraph parses while the export streams."""

    def __init__(self, chunks: Iterable[str]):
        self._chunks: Iterator[str] = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk.encode("utf-8")
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def load_blocks(store: ox.Store, blocks: Iterable[Block]) -> None:
    store.load(io.BufferedReader(_ChunkReader(write_nq(blocks)), 1 << 16), ox.RdfFormat.N_QUADS)


@dataclass(frozen=True)
class Update:
    """One incremental change: the nodes to restate (with their new statements as N-Quads) and to drop."""

    touched: frozenset[str]
    deleted: frozenset[str]
    nquads: bytes


def apply_update(store: ox.Store, base: str, update: Update) -> None:
    """Remove what the touched and deleted nodes stated (and what pointed at deleted ones), then add the new quads.

    Pure over (store, update), so the index and every query worker apply the same change the same way."""
    stale: list[ox.Quad] = []
    for node_id in update.touched | update.deleted:
        node = ox.NamedNode(v.node_iri(base, node_id))
        stale += store.quads_for_pattern(node, None, None, None)
        for statement in store.quads_for_pattern(None, ox.NamedNode(v.RDF_SUBJECT), node, None):
            stale += _statement_quads(store, statement.subject)
    for node_id in update.deleted:
        node = ox.NamedNode(v.node_iri(base, node_id))
        stale += store.quads_for_pattern(None, None, node, None)
        for statement in store.quads_for_pattern(None, ox.NamedNode(v.RDF_OBJECT), node, None):
            stale += _statement_quads(store, statement.subject)
    for quad in set(stale):
        store.remove(quad)
    if update.nquads:
        store.load(update.nquads, ox.RdfFormat.N_QUADS)


def _statement_quads(store: ox.Store, statement: ox.NamedNode | ox.BlankNode) -> list[ox.Quad]:
    """A Statement's quads and those of its membership interval and the interval's instants."""
    quads = list(store.quads_for_pattern(statement, None, None, None))
    for during in store.quads_for_pattern(statement, ox.NamedNode(v.ORG_MEMBER_DURING), None, None):
        quads += store.quads_for_pattern(during.object, None, None, None)
        for end in v.DURING_ENDS.values():
            for instant in store.quads_for_pattern(during.object, ox.NamedNode(end), None, None):
                quads += store.quads_for_pattern(instant.object, None, None, None)
    return quads


class SparqlIndex:
    """The pyoxigraph store behind `/sparql`: built on first use, then updated incrementally.

    `generation` counts states of the store; `updates` keeps the recent incremental updates so a
    query worker holding an older copy can catch up (`updates_since`) instead of being re-forked."""

    KEPT_UPDATES = 64

    def __init__(self, graph_store: Callable[[], Any], base: str):
        self._graph_store = graph_store  # called when needed: the app's store may open late
        self.base = base
        self._ox: ox.Store | None = None
        self.lock = threading.RLock()  # held while the store changes (and while a worker forks)
        self._touched: set[str] = set()
        self._deleted: set[str] = set()
        self.generation = 0
        self._updates: list[tuple[int, Update]] = []

    def on_change(self, change: Change) -> None:
        """Write listener: remember what changed; the next `current()` applies it."""
        with self.lock:
            self._touched |= change.touched
            self._deleted |= change.deleted

    def current(self) -> ox.Store:
        """The store, built on first use and brought up to date with every write seen since."""
        with self.lock:
            if self._ox is not None and len(self._touched) + len(self._deleted) > REBUILD_ABOVE:
                self._ox = None
            if self._ox is None:
                self._touched.clear()
                self._deleted.clear()
                self._ox = self._build()
                self.generation += 1
                self._updates.clear()
            elif self._touched or self._deleted:
                update = self._update(frozenset(self._touched), frozenset(self._deleted))
                self._touched.clear()
                self._deleted.clear()
                apply_update(self._ox, self.base, update)
                self.generation += 1
                self._updates = [*self._updates[-(self.KEPT_UPDATES - 1):], (self.generation, update)]
            return self._ox

    def updates_since(self, generation: int) -> list[Update] | None:
        """The updates that bring a copy of state `generation` to the current one; None when no longer kept."""
        with self.lock:
            if generation == self.generation:
                return []
            newer = [update for number, update in self._updates if number > generation]
            return newer if len(newer) == self.generation - generation else None

    def triple_count(self) -> int:
        return len(self.current())

    def _build(self) -> ox.Store:
        store = ox.Store()
        load_blocks(store, graph_blocks(self._graph_store(), self.base))
        return store

    def _update(self, touched: frozenset[str], deleted: frozenset[str]) -> Update:
        """The update restating the touched nodes from the graph store and dropping the deleted ones."""
        graph_store = self._graph_store()
        blocks: list[Block] = []
        alive = sorted(node_id for node_id in touched - deleted if label_of(node_id))
        for label, rows in read_nodes_by_id(graph_store, alive):
            rels = read_out_rels(graph_store, label, [row["id"] for row in rows])
            for row in rows:
                blocks += node_blocks(self.base, label, row, rels.get(row["id"], ()))
                if label == "Concept" and row.get("scheme"):
                    blocks.append(scheme_block(self.base, row["scheme"]))
        # an org:Role is named by its title, so its description never changes: restating it is harmless
        blocks += [role_block(self.base, title) for title in sorted(role_titles(blocks))]
        return Update(touched, deleted, "".join(write_nq(blocks)).encode("utf-8"))
