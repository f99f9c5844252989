"""Which nodes a write touched, told to whoever keeps a derived copy of the graph.

The SPARQL index and the HTTP validators (Last-Modified) both depend on the graph, and every
write of a running server goes through the store it holds (GraphQL mutations, loads through
the API). `ObservedStore` wraps that store: it forwards everything and, after each successful
write, tells the listeners which node ids may have changed and which were deleted. Asking
the write for its touched ids (rather than diffing the graph) is what makes an incremental
update of the SPARQL index possible. A process writing to the same database directly (a CLI
load into a shared Neo4j) is not seen; the index rebuilds on the next server start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph_api.rows import GraphRows


@dataclass(frozen=True)
class Change:
    """Node ids whose own description (properties, outgoing relationships) may differ, and deleted ids."""

    touched: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()


@dataclass
class DataVersion:
    """When the graph last changed (server start until the first write) and who wants to know."""

    modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    listeners: list[Callable[[Change], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def changed(self, change: Change) -> None:
        with self._lock:
            self.modified = datetime.now(UTC)
        for listener in self.listeners:
            listener(change)


def touched_by(rows: GraphRows, replace: set[tuple[str, str]] | None = None) -> frozenset[str]:
    """Every node a batch of rows can change the description of: its nodes and its relationships' start nodes."""
    ids = {row["id"] for label_rows in rows.nodes.values() for row in label_rows}
    ids.update(row["from"] for rel_rows in rows.rels.values() for row in rel_rows)
    ids.update(node_id for _, node_id in replace or ())
    return frozenset(ids)


class ObservedStore:
    """Duck-typed store: forwards every call to `inner`, reports writes to `version` after they succeed."""

    _OWN = frozenset({"_inner", "version"})

    def __init__(self, inner: Any, version: DataVersion):
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "version", version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:  # settings such as a handle's retry_s reach the store
        if name in self._OWN:
            object.__setattr__(self, name, value)
        else:
            setattr(self._inner, name, value)

    def apply(self, rows: GraphRows, *args: Any, **kwargs: Any) -> Any:
        summary = self._inner.apply(rows, *args, **kwargs)
        if summary.changed or kwargs.get("replace"):
            self.version.changed(Change(touched=touched_by(rows, kwargs.get("replace"))))
        return summary

    def delete_node(self, node_id: str, *args: Any, **kwargs: Any) -> bool:
        deleted = self._inner.delete_node(node_id, *args, **kwargs)
        if deleted:
            self.version.changed(Change(deleted=frozenset({node_id})))
        return deleted

    def delete_contact(self, a: str, b: str) -> bool:
        deleted = self._inner.delete_contact(a, b)
        if deleted:
            self.version.changed(Change(touched=frozenset({a, b})))
        return deleted
