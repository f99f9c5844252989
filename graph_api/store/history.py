"""The change history: who changed which node when, and each changed property before and after.

Every `Store.apply` and `Store.delete_node` writes its records in its own transaction, so a
change is recorded exactly when it is committed (a refused or failed write leaves no record).
Records live in their own table (`ChangeRecord`), outside the graph vocabulary of
`graph_api.model`: they are about the graph, not part of it, so exports, search and the mission
queries never see them. One record per node and write; relationship changes are recorded on
their start node as properties named `REL->target` (values: the relationship's properties).
Values are stored as JSON so every type survives both backends unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]  # as `graph_api.store.base.Run`
LABEL = "ChangeRecord"
COLUMNS = {"id": "STRING", "at": "STRING", "who": "STRING", "what": "STRING", "node": "STRING",
           "action": "STRING", "properties": "STRING"}
CHUNK = 5_000

LADYBUG_DDL = (f"CREATE NODE TABLE IF NOT EXISTS {LABEL}("
               + ", ".join(f"{c} {t}{' PRIMARY KEY' if c == 'id' else ''}" for c, t in COLUMNS.items()) + ")")
NEO4J_DDL = f"CREATE CONSTRAINT change_record_id IF NOT EXISTS FOR (c:{LABEL}) REQUIRE c.id IS UNIQUE"
COUNT = f"MATCH (c:{LABEL}) RETURN count(c) AS c"  # grows with every recorded write (`Neo4jStore.data_version`)
CREATE = (f"UNWIND $rows AS r CREATE (:{LABEL} {{id: r.id, at: r.at, who: r.who, what: r.what, node: r.node, "
          "action: r.action, properties: r.properties})")


def read_text(node: bool, since: bool) -> str:
    """The history read with the filters given (LadybugDB cannot type a null parameter in a comparison)."""
    conditions = [c for c, on in (("c.node = $node", node), ("c.at >= $since", since)) if on]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return (f"MATCH (c:{LABEL}){where} RETURN c.at AS at, c.who AS who, c.what AS what, c.node AS node, "
            "c.action AS action, c.properties AS properties ORDER BY c.at, c.node LIMIT $limit")


@dataclass(frozen=True)
class Origin:
    """Who made a write (a token's name, or the local user of the CLI) and what it was."""

    who: str
    what: str


UNKNOWN = Origin("unknown", "apply")


@dataclass
class Change:
    """One node's change in one write."""

    node: str
    action: str  # created, updated, deleted, relationships
    properties: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (before, after)


@dataclass(frozen=True)
class ChangeRecord:
    at: str
    who: str
    what: str
    node: str
    action: str
    properties: dict[str, tuple[Any, Any]]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


# Above this many changed nodes, a write's creations are recorded per label ("Municipality:*" with the
# count and the first ids): a full GV100AD load would otherwise log ~16,000 records, and that much
# write-ahead log made the engine abort instead of failing cleanly when the disk filled up.
DETAIL_LIMIT = 2_000
SAMPLE_IDS = 20


def condense(changes: list[Change], created_rels: Sequence[tuple[str, Sequence[Mapping[str, Any]]]] = ()
             ) -> list[Change]:
    """The changes of one write, with bulk creations (nodes and relationships) summed up per label or type.

    `created_rels` are new relationships not noted in `changes` as (type, rows with `from`): a bulk load
    gives them here in one piece, because a `Change` per relationship cost a fifth of a Germany-scale
    load only to be summed up. Sample ids are the first start nodes in the order the rows were given."""
    if not created_rels and len(changes) <= DETAIL_LIMIT:
        return changes
    kept: list[Change] = []
    created: dict[str, tuple[list[int], list[str]]] = {}  # kind -> ([count], first ids)

    def note(kind: str, ids: Sequence[str], count: int) -> None:
        counted, sample = created.setdefault(kind, ([0], []))
        counted[0] += count
        sample.extend(ids[:SAMPLE_IDS - len(sample)])

    for change in changes:
        linked = {k: v for k, v in change.properties.items() if not (v[0] is None and "->" in k)}
        for name in change.properties.keys() - linked.keys():  # created relationships, of new nodes too
            note(name.partition("->")[0], [change.node], 1)
        if change.action == "created":
            note(change.node.partition(":")[0], [change.node], 1)
        elif linked:
            kept.append(Change(change.node, change.action, linked))
    for rel_type, rows in created_rels:
        note(rel_type, [row["from"] for row in rows[:SAMPLE_IDS]], len(rows))
    for kind, (count, ids) in sorted(created.items()):
        kept.append(Change(f"{kind}:*", "created", {"count": (None, count[0]), "ids": (None, ids)}))
    return kept


def detailed(changes: Mapping[str, Change], created_rels: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]
             ) -> bool:
    """True when `condense` would keep every change of a write whose new relationships are `created_rels`:
    at most `DETAIL_LIMIT` nodes with a change (a relationship is recorded on its start node)."""
    if len(changes) + sum(len(rows) for _, rows in created_rels) <= DETAIL_LIMIT:
        return True
    nodes = {node for node, change in changes.items() if change.properties}
    for _, rows in created_rels:
        nodes.update(row["from"] for row in rows)
        if len(nodes) > DETAIL_LIMIT:
            return False
    return True


def rows_of(origin: Origin, changes: Iterable[Change]) -> list[dict[str, Any]]:
    """One record row per change (the columns of `COLUMNS`), all with the same time."""
    at = now()
    return [{"id": uuid.uuid4().hex, "at": at, "who": origin.who, "what": origin.what, "node": c.node,
             "action": c.action, "properties": json.dumps({k: list(v) for k, v in sorted(c.properties.items())},
                                                          ensure_ascii=False, default=str)}
            for c in changes]


def create(run: Run, rows: list[dict[str, Any]]) -> None:
    """Write record rows in the caller's transaction (a backend may use its bulk path instead)."""
    for start in range(0, len(rows), CHUNK):
        run(CREATE, {"rows": rows[start:start + CHUNK]})


def read(reader: Callable[..., list[dict[str, Any]]], node: str | None = None, since: str | None = None,
         limit: int = 1_000) -> list[ChangeRecord]:
    """Records of one node (or all), oldest first, from `since` (an ISO timestamp or date) on."""
    params = {k: v for k, v in (("node", node), ("since", since)) if v is not None}
    rows = reader(read_text(node is not None, since is not None), {**params, "limit": limit})
    return [ChangeRecord(r["at"], r["who"], r["what"], r["node"], r["action"],
                         {k: (v[0], v[1]) for k, v in json.loads(r["properties"] or "{}").items()}) for r in rows]


def texts() -> dict[str, str]:
    """Every Neo4j text of this module (for the lint)."""
    reads = {f"history-read-{n}-{s}": read_text(n, s) for n in (False, True) for s in (False, True)}
    return {"history-create": CREATE, "history-count": COUNT, "history-ddl": NEO4J_DDL, **reads}
