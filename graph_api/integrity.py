"""Whole-graph rules every write must keep, checked on the graph as it will be after the write.

A record can be valid alone and still break the graph together with what is stored: an
adoption that learns from one that learns from it, an end date before a start date kept from
an earlier write, shares of one company that add up to more than 100 %. These rules are
therefore checked on `Facts` — the part of the graph a write touches — gathered either from a
loader's rows (`copgraph validate`, with file and line) or from the store inside the write's
own transaction (`graph_api.store.facts`), so every door (curated loader, RDF import,
mutations) is held to the same rules with the same messages. Fields are named as the GraphQL
API spells them (`startedOn`, `learnedFrom`), the one spelling a user sees in every answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_api.rows import GraphRows, LoadError, LoadProblem

# Hierarchies that must stay acyclic: relationship type -> (label, API field of the start node)
ACYCLIC: dict[str, tuple[str, str]] = {
    "LEARNED_FROM": ("Adoption", "learnedFrom"),
    "BROADER": ("Concept", "broader"),
    "SUB_ORGANIZATION_OF": ("Organization", "parent"),
    "DERIVED_FROM": ("Solution", "derivedFrom"),  # publiccode isBasedOn: a fork cannot be its own ancestor
}
# Relationship types whose two ends must differ, with the start node's API field
NO_SELF_LOOPS: dict[str, str] = {**{rel: name for rel, (_, name) in ACYCLIC.items()},
                                 "OWNED_BY": "owners", "MEMBER_OF": "memberOf", "KNOWS": "knows"}
_SELF_LOOP_TEXT = {"LEARNED_FROM": "an adoption cannot learn from itself",
                   "BROADER": "a concept cannot be broader than itself",
                   "SUB_ORGANIZATION_OF": "an organisation cannot be its own parent",
                   "DERIVED_FROM": "a solution cannot be derived from itself",
                   "OWNED_BY": "an organisation cannot own itself",
                   "MEMBER_OF": "an organisation cannot be a member of itself",
                   "KNOWS": "an actor cannot be their own contact"}
DATED = ("Adoption", "Project")  # labels with started_on / ended_on
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Violation:
    """One broken rule: the node it is reported on, the API field, and a self-contained sentence."""

    node: str
    field: str
    message: str
    involves: tuple[str, ...] = ()  # other nodes the broken rule is about (cycle members, the teacher)

    def __str__(self) -> str:
        return f"{self.node}: {self.field}: {self.message}"


class GraphRuleError(LoadError):
    """A write would break a whole-graph rule; it was rolled back (nothing of it is stored)."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__([LoadProblem("<graph>", None, v.field, f"{v.node}: {v.message}") for v in violations])


@dataclass
class Facts:
    """What the rules need of a (part of a) graph; everything keyed by node id."""

    dates: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> (started_on, ended_on)
    edges: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # ACYCLIC rel -> from -> {to}
    self_loops: list[tuple[str, str]] = field(default_factory=list)  # (rel type, node id)
    roles: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # actor, org, since, until
    shares: dict[str, dict[str, float | None]] = field(default_factory=dict)  # owned org -> owner -> share
    focus: set[str] | None = None  # report only violations that involve these ids (None: all)

    def add_edge(self, rel: str, start: str, end: str) -> None:
        self.edges.setdefault(rel, {}).setdefault(start, set()).add(end)

    @classmethod
    def from_rows(cls, rows: GraphRows) -> Facts:
        """The facts a loader's rows state by themselves (later rows of one id win, as in the store)."""
        facts = cls()
        for label in DATED:
            for row in rows.nodes.get(label, []):
                before = facts.dates.get(row["id"], (None, None))
                facts.dates[row["id"]] = (row.get("started_on") or before[0], row.get("ended_on") or before[1])
        for (rel, _, _), rel_rows in rows.rels.items():
            for row in rel_rows:
                note_rel(facts, rel, row["from"], row["to"], row)
        return facts


def note_rel(facts: Facts, rel: str, start: str, end: str, props: dict[str, Any]) -> None:
    """Record one relationship in `facts` (shared by both ways of gathering them)."""
    if rel in NO_SELF_LOOPS and start == end:
        facts.self_loops.append((rel, start))
    if rel in ACYCLIC:
        facts.add_edge(rel, start, end)
    elif rel == "OWNED_BY":
        facts.shares.setdefault(start, {})[end] = props.get("share")
    elif rel == "WORKS_FOR":
        facts.roles.append((start, end, props.get("since"), props.get("until")))


def check(facts: Facts) -> list[Violation]:
    """Every violation of the whole-graph rules in `facts`, in a stable order."""
    found = [*_self_loops(facts), *_cycles_of(facts), *_date_order(facts), *_learner_after_teacher(facts),
             *_roles(facts), *_shares(facts)]
    if facts.focus is not None:
        found = [v for v in found if facts.focus.intersection((v.node, *v.involves))]
    return sorted(set(found), key=lambda v: (v.node, v.field, v.message))


def _self_loops(facts: Facts) -> Iterable[Violation]:
    for rel, node in facts.self_loops:
        yield Violation(node, NO_SELF_LOOPS[rel], f"{_SELF_LOOP_TEXT[rel]} ('{node}')")


def _cycles_of(facts: Facts) -> Iterable[Violation]:
    for rel, graph in facts.edges.items():
        _, name = ACYCLIC[rel]
        for cycle in find_cycles({k: sorted(v) for k, v in graph.items()}):
            if len(cycle) > 1:  # self-loops have their own message
                yield Violation(cycle[0], name, "forms a cycle: " + " -> ".join([*cycle, cycle[0]]), tuple(cycle))


def _date_order(facts: Facts) -> Iterable[Violation]:
    for node, (started, ended) in facts.dates.items():
        if started and ended and ended < started:
            yield Violation(node, "endedOn", f"{ended} is before startedOn {started}")


def _learner_after_teacher(facts: Facts) -> Iterable[Violation]:
    for learner, teachers in facts.edges.get("LEARNED_FROM", {}).items():
        learner_start = facts.dates.get(learner, (None, None))[0]
        for teacher in sorted(teachers):
            teacher_start = facts.dates.get(teacher, (None, None))[0]
            if learner_start and teacher_start and learner_start < teacher_start:
                yield Violation(learner, "learnedFrom",
                                f"'{learner}' (startedOn {learner_start}) cannot learn from '{teacher}', "
                                f"which started later ({teacher_start})", (teacher,))


def _roles(facts: Facts) -> Iterable[Violation]:
    for actor, org, since, until in facts.roles:
        if since and until and until < since:
            yield Violation(actor, "roles.until", f"{until} is before roles.since {since} (role at '{org}')")


def _shares(facts: Facts) -> Iterable[Violation]:
    for owned, owners in facts.shares.items():
        for owner, share in sorted(owners.items()):
            if share is not None and not 0 <= share <= 1:
                yield Violation(owned, "owners.share", f"share {share:g} of owner '{owner}' is not within 0..1")
        total = sum(s for s in owners.values() if s is not None)
        if total > 1 + SHARE_TOLERANCE:
            listed = ", ".join(f"'{o}' {s:g}" for o, s in sorted(owners.items()) if s is not None)
            yield Violation(owned, "owners", f"ownership shares sum to {total:g}, more than 1 ({listed})")


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One representative per cycle, found by depth-first search with colouring (self-loops included)."""
    state: dict[str, int] = {}
    found: list[list[str]] = []
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Any]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                found.append(path[path.index(child):])
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph.get(child, ()))))
    return found
