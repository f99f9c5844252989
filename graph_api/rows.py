"""Graph rows: what every loader produces and what the store writes.

A loader is a function from a source to `GraphRows`; it never talks to a database. Keeping
the rows plain (dicts keyed by property name) lets one store method apply any loader's output
idempotently and atomically, and lets tests inspect a loader's result without a store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph_api.model import NODE_PROPERTIES, REL_TYPES, label_of


@dataclass(frozen=True)
class LoadProblem:
    """One defect in an input, located precisely enough to fix it without guessing."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


class LoadError(Exception):
    """Raised with every problem found in an input; nothing of that input has been written."""

    def __init__(self, problems: list[LoadProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class GraphRows:
    """Nodes by label and relationships by (type, from label, to label).

    Node rows are dicts with an `id` and property values (None = not stated by this source,
    so an existing value is kept). Relationship rows are dicts with `from`, `to` and properties.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # relationship types these rows state completely for their start nodes: any other stored
    # relationship of that type from such a node is stale and removed (a municipality that moved Amt)
    exclusive: set[str] = field(default_factory=set)
    # what a loader could not use and says so (an unmatched adopter name): shown to whoever loads, never dropped
    notes: list[str] = field(default_factory=list)

    def add_node(self, label: str, row: dict[str, Any]) -> None:
        self.nodes[label].append(row)

    def add_rel(self, rel_type: str, from_id: str, to_id: str, **props: Any) -> None:
        from_label, to_label = label_of(from_id), label_of(to_id)
        if from_label is None or to_label is None:
            raise ValueError(f"{rel_type}: cannot route ids {from_id!r} -> {to_id!r}")
        if not REL_TYPES[rel_type].allows(from_label, to_label):
            raise ValueError(f"{rel_type} does not join {from_label} to {to_label}")
        self.rels[(rel_type, from_label, to_label)].append({"from": from_id, "to": to_id, **props})

    def extend(self, other: GraphRows) -> None:
        for label, rows in other.nodes.items():
            self.nodes[label].extend(rows)
        for key, rows in other.rels.items():
            self.rels[key].extend(rows)
        self.exclusive |= other.exclusive
        self.notes.extend(other.notes)

    def node_ids(self) -> set[str]:
        return {row["id"] for rows in self.nodes.values() for row in rows}

    def counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items() if rows}
        for (rel_type, _, _), rows in self.rels.items():
            out[rel_type] = out.get(rel_type, 0) + len(rows)
        return out

    def check_properties(self) -> None:
        """Guard against a loader emitting a property the schema does not declare."""
        for label, rows in self.nodes.items():
            allowed = NODE_PROPERTIES[label].keys() | {"id"}
            for row in rows:
                extra = row.keys() - allowed
                if extra:
                    raise ValueError(f"{label} {row.get('id')}: undeclared properties {sorted(extra)}")
        for (rel_type, _, _), rows in self.rels.items():
            allowed = REL_TYPES[rel_type].properties.keys() | {"from", "to"}
            for row in rows:
                extra = row.keys() - allowed
                if extra:
                    raise ValueError(f"{rel_type}: undeclared properties {sorted(extra)}")


@dataclass
class ApplySummary:
    """What one `Store.apply` did, per label or relationship type."""

    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deleted: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # stale relationships removed
    notes: list[str] = field(default_factory=list)  # the loader's notes (GraphRows.notes)

    def merge(self, other: ApplySummary) -> None:
        for mine, theirs in ((self.created, other.created), (self.updated, other.updated),
                             (self.unchanged, other.unchanged), (self.deleted, other.deleted)):
            for key, value in theirs.items():
                mine[key] += value
        self.notes.extend(other.notes)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def table(self) -> str:
        keys = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [f"{'type':<22}{'created':>10}{'updated':>10}{'unchanged':>11}"]
        lines += [f"{k:<22}{self.created.get(k, 0):>10}{self.updated.get(k, 0):>10}"
                  f"{self.unchanged.get(k, 0):>11}" for k in keys]
        lines += [f"stale {k} relationships removed: {n}" for k, n in sorted(self.deleted.items()) if n]
        return "\n".join(lines)
