"""A canonical, byte-comparable dump of a whole graph: every node, property and relationship.

Reliability tests compare two stores (or one store before and after a rejected input) by
this text rather than by counts, so a half-written batch or one changed property shows up.
It only uses `Store.read` and the fixed vocabulary, so it works on both backends.
"""

from __future__ import annotations

import json
from typing import Any

from graph_api.model import NODE_PROPERTIES, REL_TYPES
from graph_api.store.base import Store


def _value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 12.0 and 12 are the same property value in both backends
    return value


def canonical_lines(store: Store) -> list[str]:
    """One sorted JSON line per node and per relationship (None-valued properties omitted)."""
    lines: list[str] = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"n.{p} AS {p}" for p in ["id", *props])
        for row in store.read(f"MATCH (n:{label}) RETURN {columns}"):
            clean = {k: _value(v) for k, v in row.items() if v is not None}
            lines.append(json.dumps(["node", label, clean], sort_keys=True, ensure_ascii=False))
    for name, rel in REL_TYPES.items():
        columns = ", ".join(f"r.{p} AS {p}" for p in rel.properties)
        returned = "a.id AS _from, b.id AS _to" + (f", {columns}" if columns else "")
        for row in store.read(f"MATCH (a)-[r:{name}]->(b) RETURN {returned}"):
            clean = {k: _value(v) for k, v in row.items() if v is not None}
            lines.append(json.dumps(["rel", name, clean], sort_keys=True, ensure_ascii=False))
    return sorted(lines)


def canonical_dump(store: Store) -> str:
    """The whole graph as one deterministic text; equal texts mean equal graphs."""
    return "\n".join(canonical_lines(store)) + "\n"
