"""Read, inside a write's own transaction, the part of the graph the whole-graph rules need.

`Store.apply` calls `violations(run, rows, replaced)` after its writes and before its commit,
so the rules of `graph_api.integrity` see the graph exactly as the write leaves it (what was
stored plus what the write adds, minus the relationships it replaces), and a refused write is
rolled back with the rest of its transaction. Only the neighbourhood of the nodes the write
touches is read: forward reachability in the acyclic hierarchies (a new cycle must run through
a touched node), one hop of LEARNED_FROM both ways for the date order, and the roles and owners
of touched actors and organisations. The texts are the same on LadybugDB and Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graph_api.integrity import ACYCLIC, DATED, NO_SELF_LOOPS, Facts, Violation, check, note_rel
from graph_api.model import REL_TYPES, label_of
from graph_api.rows import GraphRows

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]  # as `graph_api.store.base.Run`
CHUNK = 20_000

# relationship type -> the end (0 = start, 1 = end) whose node's rules it touches
_TOUCHES = {"LEARNED_FROM": (0, 1), "BROADER": (0,), "SUB_ORGANIZATION_OF": (0,), "OWNED_BY": (0,),
            "WORKS_FOR": (0,), "DERIVED_FROM": (0,)}
_RULE_LABELS = {"Adoption", "Project", "Concept", "Organization", "Actor", "Solution"}


def outgoing(rel: str, label: str) -> str:
    return f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[:{rel}]->(b:{label}) RETURN a.id AS f, b.id AS t"


LEARNERS = ("UNWIND $ids AS i MATCH (a:Adoption)-[:LEARNED_FROM]->(b:Adoption {id: i}) "
            "RETURN a.id AS f, b.id AS t")
ROLES = ("UNWIND $ids AS i MATCH (a:Actor {id: i})-[r:WORKS_FOR]->(o:Organization) "
         "RETURN a.id AS f, o.id AS t, r.since AS since, r.until AS until")


def dates(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, n.started_on AS s, n.ended_on AS e"


def owners(to_label: str) -> str:
    return (f"UNWIND $ids AS i MATCH (o:Organization {{id: i}})-[r:OWNED_BY]->(x:{to_label}) "
            "RETURN o.id AS f, x.id AS t, r.share AS share")


def texts() -> dict[str, str]:
    """Every text this module sends (for the Neo4j lint)."""
    out = {f"rules-outgoing-{rel}": outgoing(rel, label) for rel, (label, _) in ACYCLIC.items()}
    out |= {f"rules-dates-{label}": dates(label) for label in DATED}
    out |= {f"rules-owners-{to}": owners(to) for _, to in REL_TYPES["OWNED_BY"].pairs}
    return out | {"rules-learners": LEARNERS, "rules-roles": ROLES}


def violations(run: Run, rows: GraphRows, replaced: set[tuple[str, str]] | None = None) -> list[Violation]:
    """The whole-graph rules broken by the graph as `rows` (already written through `run`) leave it."""
    touched = _touched(rows, replaced or set())
    if not touched:
        return []
    facts = Facts(focus=touched)
    for (rel, _, _), rel_rows in rows.rels.items():  # a self-loop can only come from the write itself
        for row in rel_rows:
            if rel in NO_SELF_LOOPS and row["from"] == row["to"]:
                facts.self_loops.append((rel, row["from"]))
    by_label: dict[str, set[str]] = {}
    for node_id in touched:
        by_label.setdefault(label_of(node_id) or "", set()).add(node_id)
    for rel, (label, _) in ACYCLIC.items():
        _reach(run, facts, rel, label, by_label.get(label, set()))
    adoptions = by_label.get("Adoption", set())
    for row in _read(run, LEARNERS, adoptions):
        facts.add_edge("LEARNED_FROM", row["f"], row["t"])
    lineage = facts.edges.get("LEARNED_FROM", {})
    dated = {"Adoption": adoptions | set(lineage) | {t for ts in lineage.values() for t in ts},
             "Project": by_label.get("Project", set())}
    for label, ids in dated.items():
        for row in _read(run, dates(label), ids):
            facts.dates[row["id"]] = (row["s"], row["e"])
    for row in _read(run, ROLES, by_label.get("Actor", set())):
        note_rel(facts, "WORKS_FOR", row["f"], row["t"], row)
    organisations = by_label.get("Organization", set())
    for _, to_label in REL_TYPES["OWNED_BY"].pairs:
        for row in _read(run, owners(to_label), organisations):
            note_rel(facts, "OWNED_BY", row["f"], row["t"], row)
    return check(facts)


def _touched(rows: GraphRows, replaced: set[tuple[str, str]]) -> set[str]:
    touched = {node_id for _, node_id in replaced}
    for label in _RULE_LABELS:
        touched.update(row["id"] for row in rows.nodes.get(label, []))
    for (rel, _, _), rel_rows in rows.rels.items():
        for end in _TOUCHES.get(rel, ()):
            touched.update(row["to" if end else "from"] for row in rel_rows)
    return {t for t in touched if label_of(t) in _RULE_LABELS}


def _reach(run: Run, facts: Facts, rel: str, label: str, starts: set[str]) -> None:
    """Every edge of `rel` reachable from `starts`: enough to see any cycle through them."""
    seen: set[str] = set()
    frontier = set(starts)
    while frontier:
        seen |= frontier
        found = list(_read(run, outgoing(rel, label), frontier))
        for row in found:
            facts.add_edge(rel, row["f"], row["t"])
        frontier = {row["t"] for row in found} - seen


def _read(run: Run, text: str, ids: set[str]) -> Iterator[dict]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield from run(text, {"ids": ordered[start:start + CHUNK]})
