"""Read, inside a write's own transaction, the part of the graph the whole-graph rules need.

`Store.apply` calls `violations(run, rows, replaced)` after its writes and before its commit,
so the rules of `graph_api.integrity` see the graph exactly as the write leaves it (what was
stored plus what the write adds, minus the relationships it replaces), and a refused write is
rolled back with the rest of its transaction. Only the neighbourhood of the nodes the write
touches is read: forward reachability in the acyclic hierarchies (a new cycle must run through
a touched node), one hop of LEARNED_FROM both ways for the date order, and the roles and owners
of touched actors and organisations. The texts are the same on LadybugDB and Neo4j.

A bulk load touches most nodes of a label (every adoption that gets its lineage, every actor its
role): looking them up by id, chunk by chunk and hop by hop, cost a quarter of a Germany-scale
load, while one scan of the relationship or node table answers the same question at once. So
when the touched nodes are at least a quarter of their label (`SCAN_SHARE`), the table is read
whole and filtered here; both ways gather the same facts (tests/test_store_facts_scan.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graph_api.integrity import ACYCLIC, DATED, NO_SELF_LOOPS, Facts, Violation, check, note_rel
from graph_api.model import REL_TYPES, label_of
from graph_api.rows import GraphRows
from graph_api.store.reads import SCAN_SHARE
from graph_api.store.texts import label_count

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


def outgoing_all(rel: str, label: str) -> str:
    return f"MATCH (a:{label})-[:{rel}]->(b:{label}) RETURN a.id AS f, b.id AS t"


ROLES_ALL = ("MATCH (a:Actor)-[r:WORKS_FOR]->(o:Organization) "
             "RETURN a.id AS f, o.id AS t, r.since AS since, r.until AS until")


def dates_all(label: str) -> str:
    return f"MATCH (n:{label}) RETURN n.id AS id, n.started_on AS s, n.ended_on AS e"


def owners_all(to_label: str) -> str:
    return f"MATCH (o:Organization)-[r:OWNED_BY]->(x:{to_label}) RETURN o.id AS f, x.id AS t, r.share AS share"


def texts() -> dict[str, str]:
    """Every text this module sends (for the Neo4j lint)."""
    out = {f"rules-outgoing-{rel}": outgoing(rel, label) for rel, (label, _) in ACYCLIC.items()}
    out |= {f"rules-dates-{label}": dates(label) for label in DATED}
    out |= {f"rules-owners-{to}": owners(to) for _, to in REL_TYPES["OWNED_BY"].pairs}
    out |= {f"rules-outgoing-all-{rel}": outgoing_all(rel, label) for rel, (label, _) in ACYCLIC.items()}
    out |= {f"rules-dates-all-{label}": dates_all(label) for label in DATED}
    out |= {f"rules-owners-all-{to}": owners_all(to) for _, to in REL_TYPES["OWNED_BY"].pairs}
    return out | {"rules-learners": LEARNERS, "rules-roles": ROLES, "rules-roles-all": ROLES_ALL}


def violations(run: Run, rows: GraphRows, replaced: set[tuple[str, str]] | None = None) -> list[Violation]:
    """The whole-graph rules broken by the graph as `rows` (already written through `run`) leave it."""
    facts = gather(run, rows, replaced)
    return check(facts) if facts is not None else []


def gather(run: Run, rows: GraphRows, replaced: set[tuple[str, str]] | None = None, *,
           scan_share: float | None = None) -> Facts | None:
    """The facts the rules need about the nodes `rows` touch (None: it touches none); `scan_share`
    overrides `SCAN_SHARE` (0: always scan, infinity: always look up by id)."""
    touched = _touched(rows, replaced or set())
    if not touched:
        return None
    facts = Facts(focus=touched)
    for (rel, _, _), rel_rows in rows.rels.items():  # a self-loop can only come from the write itself
        for row in rel_rows:
            if rel in NO_SELF_LOOPS and row["from"] == row["to"]:
                facts.self_loops.append((rel, row["from"]))
    by_label: dict[str, set[str]] = {}
    for node_id in touched:
        by_label.setdefault(label_of(node_id) or "", set()).add(node_id)
    scan = _Scan(run, by_label, scan_share)
    for rel, (label, _) in ACYCLIC.items():
        _reach(run, facts, rel, label, by_label.get(label, set()), scan)
    adoptions = by_label.get("Adoption", set())
    learners = (scan.rows(outgoing_all("LEARNED_FROM", "Adoption"), "t", adoptions) if scan("Adoption")
                else _read(run, LEARNERS, adoptions))
    for row in learners:
        facts.add_edge("LEARNED_FROM", row["f"], row["t"])
    lineage = facts.edges.get("LEARNED_FROM", {})
    dated = {"Adoption": adoptions | set(lineage) | {t for ts in lineage.values() for t in ts},
             "Project": by_label.get("Project", set())}
    for label, ids in dated.items():
        found = scan.rows(dates_all(label), "id", ids) if scan(label) else _read(run, dates(label), ids)
        for row in found:
            facts.dates[row["id"]] = (row["s"], row["e"])
    actors = by_label.get("Actor", set())
    for row in scan.rows(ROLES_ALL, "f", actors) if scan("Actor") else _read(run, ROLES, actors):
        note_rel(facts, "WORKS_FOR", row["f"], row["t"], row)
    organisations = by_label.get("Organization", set())
    for _, to_label in REL_TYPES["OWNED_BY"].pairs:
        found = (scan.rows(owners_all(to_label), "f", organisations) if scan("Organization")
                 else _read(run, owners(to_label), organisations))
        for row in found:
            note_rel(facts, "OWNED_BY", row["f"], row["t"], row)
    return facts


class _Scan:
    """Decides per label whether the touched nodes are many enough to read whole tables instead of
    looking them up by id, and reads (and keeps) those tables."""

    def __init__(self, run: Run, by_label: dict[str, set[str]], share: float | None = None) -> None:
        self._run, self._by_label = run, by_label
        self._share = SCAN_SHARE if share is None else share
        self._decided: dict[str, bool] = {}
        self._tables: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, label: str) -> bool:
        if label not in self._decided:
            touched = len(self._by_label.get(label, ()))
            self._decided[label] = touched > 0 and touched >= self._share * self._run(label_count(label), {})[0]["c"]
        return self._decided[label]

    def table(self, text: str) -> list[dict[str, Any]]:
        if text not in self._tables:
            self._tables[text] = self._run(text, {})
        return self._tables[text]

    def rows(self, text: str, column: str, ids: set[str]) -> list[dict[str, Any]]:
        """The rows of a whole-table read whose `column` is one of `ids`."""
        return [row for row in self.table(text) if row[column] in ids]


def _touched(rows: GraphRows, replaced: set[tuple[str, str]]) -> set[str]:
    touched = {node_id for _, node_id in replaced}
    for label in _RULE_LABELS:
        touched.update(row["id"] for row in rows.nodes.get(label, []))
    for (rel, _, _), rel_rows in rows.rels.items():
        for end in _TOUCHES.get(rel, ()):
            touched.update(row["to" if end else "from"] for row in rel_rows)
    return {t for t in touched if label_of(t) in _RULE_LABELS}


def _reach(run: Run, facts: Facts, rel: str, label: str, starts: set[str], scan: _Scan) -> None:
    """Every edge of `rel` reachable from `starts`: enough to see any cycle through them."""
    edges: dict[str, list[str]] | None = None
    if starts and scan(label):  # the whole hierarchy in one read, walked here
        edges = {}
        for row in scan.table(outgoing_all(rel, label)):
            edges.setdefault(row["f"], []).append(row["t"])
    seen: set[str] = set()
    frontier = set(starts)
    while frontier:
        seen |= frontier
        if edges is None:
            found = [(row["f"], row["t"]) for row in _read(run, outgoing(rel, label), frontier)]
        else:
            found = [(start, end) for start in frontier for end in edges.get(start, ())]
        for start, end in found:
            facts.add_edge(rel, start, end)
        frontier = {end for _, end in found} - seen


def _read(run: Run, text: str, ids: set[str]) -> Iterator[dict]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield from run(text, {"ids": ordered[start:start + CHUNK]})
