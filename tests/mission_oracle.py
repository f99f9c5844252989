"""An independent reference for the mission answers: networkx over the graph's raw rows.

Written from `docs/mission.md`, not from `graph_api.mission` (nothing of it is imported): the
rules are restated here on purpose so that a wrong rule in production shows up as a
disagreement, not as a copy of itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph_api.model import NODE_LABELS, REL_TYPES
from graph_api.store import Store

# docs/mission.md, "Contacts": these relationship types, both directions; PART_OF only from a
# municipality to its association. Ties between two nodes name the first type of this list.
CONTACT_TYPES = ["KNOWS", "WORKS_FOR", "SUB_ORGANIZATION_OF", "MEMBER_OF", "ADMINISTERS", "OWNED_BY",
                 "PARTICIPATES_IN", "PART_OF"]
ACTIVE = {"PILOT", "ADOPTED", "SCALED"}


@dataclass
class Raw:
    nodes: dict[str, dict[str, Any]]
    edges: dict[str, list[tuple[str, str]]]


def raw_rows(store: Store) -> Raw:
    """Every node and relationship, read label by label and type by type."""
    nodes = {}
    for label in NODE_LABELS:
        for row in store.read(f"MATCH (n:{label}) RETURN n AS n"):
            nodes[row["n"]["id"]] = {**row["n"], "_label": label}
    edges = {t: [(r["a"], r["b"]) for r in store.read(f"MATCH (a)-[:{t}]->(b) RETURN a.id AS a, b.id AS b")]
             for t in REL_TYPES}
    return Raw(nodes, edges)


def label(raw: Raw, node: str) -> str:
    return raw.nodes[node]["_label"]


def contact_graph(raw: Raw) -> tuple[nx.Graph, dict[frozenset[str], str]]:
    graph = nx.Graph()
    via: dict[frozenset[str], str] = {}
    for rel in CONTACT_TYPES:
        for a, b in raw.edges[rel]:
            if rel == "PART_OF" and (label(raw, a), label(raw, b)) != ("Municipality", "Association"):
                continue
            graph.add_edge(a, b)
            via.setdefault(frozenset((a, b)), rel)
    return graph, via


def shortest_paths(graph: nx.Graph, sources: list[str], target: str, max_hops: int) -> list[list[str]]:
    """All shortest paths from the nearest of `sources` to `target` of at most `max_hops` hops."""
    if target not in graph:
        return []
    lengths = {s: nx.shortest_path_length(graph, s, target) for s in sources
               if s in graph and nx.has_path(graph, s, target)}
    if not lengths or min(lengths.values()) > max_hops:
        return []
    best = min(lengths.values())
    return sorted(p for s, d in lengths.items() if d == best for p in nx.all_shortest_paths(graph, s, target))


@dataclass
class CountyOracle:
    reached: dict[str, tuple[int, int]]          # municipality -> (hops, number of shortest paths)
    unreached: dict[str, str]                    # municipality -> reason
    bridges: list[tuple[str, float, list[str]]]  # (node, score, municipalities), strongest first
    key_persons: list[tuple[str, str, int, int]]  # (municipality, actor, hops, paths)


def _municipality_side(raw: Raw, municipality: str) -> set[str]:
    """The municipality, its association, their administrations with departments, and their staff."""
    side = {municipality} | {b for a, b in raw.edges["PART_OF"] if a == municipality and label(raw, b) == "Association"}
    orgs = {o for o, t in raw.edges["ADMINISTERS"] if t in side}
    departments = nx.DiGraph(raw.edges["SUB_ORGANIZATION_OF"])
    for org in list(orgs):
        if org in departments:
            orgs |= nx.ancestors(departments, org)
    staff = {x for x, o in raw.edges["WORKS_FOR"] if o in orgs}
    return side | orgs | staff


def county(raw: Raw, county_id: str, max_hops: int) -> CountyOracle:
    graph, _ = contact_graph(raw)
    ags = raw.nodes[county_id]["ags"]
    sources = sorted(o for o, t in raw.edges["ADMINISTERS"] if t == county_id)
    municipalities = sorted(n for n, d in raw.nodes.items() if d["_label"] == "Municipality" and d["county_ags"] == ags)
    reached, unreached = {}, {}
    scores: dict[str, float] = defaultdict(float)
    served: dict[str, set[str]] = defaultdict(set)
    keys = []
    for m in municipalities:
        found = shortest_paths(graph, sources, m, max_hops)
        if not found:
            side = _municipality_side(raw, m)
            own = any(label(raw, n) == "Organization" for n in side)
            connected = any(s in graph and m in graph and nx.has_path(graph, s, m) for s in sources)
            unreached[m] = ("NO_COUNTY_ADMINISTRATION" if not sources else
                            "NO_OWN_ADMINISTRATION" if not own else
                            "BEYOND_MAX_HOPS" if connected else "NOT_CONNECTED")
            continue
        reached[m] = (len(found[0]) - 1, len(found))
        excluded = _municipality_side(raw, m) | set(sources)
        on: dict[str, int] = defaultdict(int)
        for path in found:
            for node in set(path):
                on[node] += 1
        for node, count in on.items():
            if node in excluded or label(raw, node) not in ("Actor", "Organization", "Project"):
                continue
            scores[node] += count / len(found)
            served[node].add(m)
            if label(raw, node) == "Actor" and count == len(found):
                keys.append((m, node, len(found[0]) - 1, len(found)))
    bridges = sorted(((n, s, sorted(served[n])) for n, s in scores.items()), key=lambda b: (-round(b[1], 9), b[0]))
    return CountyOracle(reached, unreached, bridges, sorted(keys))


def contact_paths(raw: Raw, start: str, target: str, max_hops: int, first: int) -> list[tuple[list[str], list[str]]]:
    graph, via = contact_graph(raw)
    found = shortest_paths(graph, [start], target, max_hops)[:first]
    return [(p, [via[frozenset(pair)] for pair in zip(p, p[1:], strict=False)]) for p in found]


def lineage(raw: Raw, solution: str) -> list[tuple[str, int]]:
    """(adoption, generation) by generation, start date, id; generation = longest LEARNED_FROM chain."""
    adoptions = sorted(a for a, s in raw.edges["OF"] if s == solution)
    learned = nx.DiGraph()
    learned.add_nodes_from(n for n, d in raw.nodes.items() if d["_label"] == "Adoption")
    learned.add_edges_from(raw.edges["LEARNED_FROM"])
    generation = {}
    for a in adoptions:
        behind = learned.subgraph(nx.descendants(learned, a) | {a})
        generation[a] = nx.dag_longest_path_length(behind)
    order = sorted(adoptions, key=lambda a: (generation[a], raw.nodes[a].get("started_on") or "", a))
    return [(a, generation[a]) for a in order]


def coverage_gaps(raw: Raw, county_id: str, category: str) -> list[str]:
    """Inhabited municipalities without an active adoption in the category: own, via association or county."""
    broader = nx.DiGraph(raw.edges["BROADER"])
    concepts = {category} | (nx.ancestors(broader, category) if category in broader else set())
    solutions = {s for s, c in raw.edges["IN_CATEGORY"] if c in concepts}
    active = {a for a, s in raw.edges["OF"] if s in solutions and raw.nodes[a]["status"] in ACTIVE}
    adopters = {t for a, t in raw.edges["BY"] if a in active}
    administering = defaultdict(set)
    for o, t in raw.edges["ADMINISTERS"]:
        administering[t].add(o)
    ags = raw.nodes[county_id]["ags"]
    gaps = []
    for m, d in raw.nodes.items():
        if d["_label"] != "Municipality" or d["county_ags"] != ags or not (d.get("population") or 0) > 0:
            continue
        places = {m, county_id} | {b for a, b in raw.edges["PART_OF"] if a == m and label(raw, b) == "Association"}
        stand_for = places | {o for p in places for o in administering[p]}
        if not stand_for & adopters:
            gaps.append(m)
    return sorted(gaps, key=lambda m: ((raw.nodes[m].get("name") or "").lower(), m))


# docs/mission.md, "Recommendations"
WEIGHTS = {3: 3.0, 2: 2.0, 1: 1.0, 0: 0.5}
SEAL = "Award:bewaehrt-vor-ort"
INTERESTED = {"CONSIDERING", "PLANNED"}


def _distance(home_ars: str, other_ars: str | None) -> int:
    """3 same association (not for a verbandsfrei home), 2 same county, 1 same state, 0 elsewhere."""
    if not other_ars:
        return 0
    if other_ars[:9] == home_ars[:9] and home_ars[5:9] != "0000":
        return 3
    return 2 if other_ars[:5] == home_ars[:5] else 1 if other_ars[:2] == home_ars[:2] else 0


def _similar(a: int | None, b: int | None) -> bool:
    return bool(a) and bool(b) and b <= 2 * a and a <= 2 * b


def recommendations(raw: Raw, municipality: str, need: str | None = None) -> list[tuple[str, float]]:
    """Every candidate solution with its score, best first (ties by id)."""
    home = raw.nodes[municipality]
    solution_of = dict(raw.edges["OF"])
    by = defaultdict(set)
    for a, x in raw.edges["BY"]:
        by[a].add(x)
    administers = defaultdict(set)
    for o, t in raw.edges["ADMINISTERS"]:
        administers[o].add(t)
    association = [b for a, b in raw.edges["PART_OF"] if a == municipality and label(raw, b) == "Association"]
    county = f"County:{home['county_ags']}"

    def places(adopter: str) -> set[str]:
        return administers[adopter] if label(raw, adopter) == "Organization" else {adopter}

    taken, covered = set(), set()
    for adoption, solution in solution_of.items():
        status = raw.nodes[adoption]["status"]
        for adopter in by[adoption]:
            where = places(adopter)
            if municipality in where and status in ACTIVE | INTERESTED:
                taken.add(solution)
            if where & {*association, county} and status in ACTIVE:
                covered.add(solution)
    solutions = sorted(n for n, d in raw.nodes.items() if d["_label"] == "Solution")
    if need is not None:
        broader = nx.DiGraph(raw.edges["BROADER"])
        wanted = {need} | (nx.ancestors(broader, need) if need in broader else set())
        solutions = sorted({s for s, c in raw.edges["ADDRESSES"] if c in wanted})
    recorded = set()  # solutions that address an open recorded need of the municipality (the needs log)
    if need is None:
        broader = nx.DiGraph(raw.edges["BROADER"])
        holders = {municipality} | {o for o, t in raw.edges["ADMINISTERS"] if t == municipality}
        concerned = {c for n, c in raw.edges["CONCERNS"] if raw.nodes[n]["status"] in ("OPEN", "MATCHED")
                     and any(h in holders for m, h in raw.edges["NEEDED_BY"] if m == n)}
        wanted = {x for c in concerned for x in {c} | (nx.ancestors(broader, c) if c in broader else set())}
        recorded = {s for s, c in raw.edges["ADDRESSES"] if c in wanted}
    scored = []
    for solution in solutions:
        if solution in taken or solution in covered:
            continue
        adopters = {x for a, s in solution_of.items() if s == solution and raw.nodes[a]["status"] in ACTIVE
                    for x in by[a] if x != municipality}
        score = 0.0
        for x in adopters:
            keys = [raw.nodes[p].get("ars") for p in places(x)]
            score += WEIGHTS[max((_distance(home["ars"], k) for k in keys), default=0)]
            if label(raw, x) == "Municipality" and _similar(home.get("population"), raw.nodes[x].get("population")):
                score += 1.0
        score += sum(2.0 if w == SEAL else 1.0 for s, w in raw.edges["RECEIVED"] if s == solution)
        score += 3.0 if need is not None or solution in recorded else 0.0
        score += 1.0 if raw.nodes[solution].get("maturity") in ("proven", "scaled") else 0.0
        scored.append((solution, round(score, 3)))
    return sorted(scored, key=lambda s: (-s[1], s[0]))


def brokers(raw: Raw, county_a: str, county_b: str, max_hops: int) -> list[tuple[str, int, float]]:
    """(node, paths through it, share of all paths) over the shortest contact paths of every pair of the
    two counties' administrations; only people, organisations and projects between the two ends."""
    graph, _ = contact_graph(raw)
    starts = sorted(o for o, t in raw.edges["ADMINISTERS"] if t == county_a)
    ends = sorted(o for o, t in raw.edges["ADMINISTERS"] if t == county_b)
    total, through = 0, defaultdict(int)
    for a in starts:
        for b in ends:
            if a == b:
                continue
            found = shortest_paths(graph, [a], b, max_hops)
            total += len(found)
            for path in found:
                for node in path[1:-1]:
                    if label(raw, node) in ("Actor", "Organization", "Project"):
                        through[node] += 1
    return sorted(((n, c, round(c / total, 3)) for n, c in through.items()), key=lambda b: (-b[1], b[0]))


def adopters_by_level(raw: Raw, municipality: str, solution: str) -> dict[int, set[str]]:
    """docs/mission.md, "Recommendations": the solution's distinct active adopters other than the
    municipality, each at its nearest level (3 same association ... 0 other states)."""
    home = raw.nodes[municipality]
    administers = defaultdict(set)
    for o, t in raw.edges["ADMINISTERS"]:
        administers[o].add(t)
    adoptions = {a for a, s in raw.edges["OF"] if s == solution and raw.nodes[a]["status"] in ACTIVE}
    found: dict[int, set[str]] = defaultdict(set)
    for a, x in raw.edges["BY"]:
        if a in adoptions and x != municipality:
            places = administers[x] if label(raw, x) == "Organization" else {x}
            found[max((_distance(home["ars"], raw.nodes[p].get("ars")) for p in places), default=0)].add(x)
    return found


def recommendation_evidence(raw: Raw, municipality: str, solution: str) -> tuple[set[str], int]:
    """The active adoptions of the solution by other adopters, and how many of those adopters have no
    adoption among them with a real source (a Source not flagged illustrative)."""
    real = {s for s, d in raw.nodes.items() if d["_label"] == "Source" and not d.get("illustrative")}
    sourced = {a for a, s in raw.edges["SOURCED_FROM"] if s in real}
    by: dict[str, set[str]] = defaultdict(set)
    for a, x in raw.edges["BY"]:
        if x != municipality:
            by[x].add(a)
    adoptions = {a for a, s in raw.edges["OF"] if s == solution and raw.nodes[a]["status"] in ACTIVE}
    counted = {x: found & adoptions for x, found in by.items() if found & adoptions}
    return set().union(*counted.values()), sum(1 for found in counted.values() if not found & sourced)
