"""The mission queries: contact paths, county–municipality bridges, key-person risks,
recommendations, transfer lineage and coverage gaps — each one Cypher query per request.

Shortest paths are the one place the dialects differ (LadybugDB `* ALL SHORTEST`, Neo4j
`allShortestPaths`), so both texts stand side by side here; the variable-length bound is
chosen from a fixed set of texts (1..MAX_HOPS), never spliced in from a request.
The analysis on top of the rows (path shares, topological order, scores) is plain Python.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# Edges through which knowledge travels between people, organisations and projects.
CONTACT_EDGES = ("KNOWS", "WORKS_FOR", "SUB_ORGANIZATION_OF", "MEMBER_OF", "ADMINISTERS", "OWNED_BY",
                 "PARTICIPATES_IN")
# Bridges and key persons look at people and organisations only: a shared project is a link,
# but not one a person carries (so it would hide exactly the dependence on individuals).
PEOPLE_EDGES = tuple(e for e in CONTACT_EDGES if e != "PARTICIPATES_IN")
MAX_HOPS = 8
PATH_ROW_LIMIT = 5_000
ACTIVE = ("PILOT", "ADOPTED", "SCALED")


def _path_texts(dialect: str, source: str, target: str, target_where: str,
                edges: tuple[str, ...] = CONTACT_EDGES) -> dict[int, str]:
    _EDGES = "|".join(edges)  # noqa: N806 - a constant of the text being built
    texts = {}
    for hops in range(1, MAX_HOPS + 1):
        if dialect == "neo4j":
            texts[hops] = (f"MATCH {source} MATCH {target} {target_where} "
                           f"MATCH p = allShortestPaths((a)-[:{_EDGES}*1..{hops}]-(b)) "
                           "RETURN nodes(p) AS ns, [r IN relationships(p) | type(r)] AS via LIMIT $limit")
        else:
            texts[hops] = (f"MATCH {source} MATCH {target} {target_where} "
                           f"MATCH p = (a)-[:{_EDGES}* ALL SHORTEST 1..{hops}]-(b) "
                           "RETURN nodes(p) AS ns, list_transform(rels(p), x -> label(x)) AS via LIMIT $limit")
    return texts


def contact_path_query(dialect: str, from_label: str, to_label: str, hops: int) -> str:
    return _path_texts(dialect, f"(a:{from_label} {{id: $start}})", f"(b:{to_label} {{id: $target}})", "")[hops]


def county_paths_query(dialect: str, hops: int = 5) -> str:
    """All shortest people-and-organisation paths from a county's administrations to its municipalities."""
    return _path_texts(dialect, "(:County {id: $county})<-[:ADMINISTERS]-(a:Organization)",
                       "(b:Municipality)", "WHERE b.county_ags = $county_ags", PEOPLE_EDGES)[hops]


@dataclass
class PathRow:
    nodes: list[dict[str, Any]]
    via: list[str]

    @property
    def ids(self) -> list[str]:
        return [n["id"] for n in self.nodes]


def rank_paths(rows: list[dict[str, Any]], first: int) -> list[PathRow]:
    """Deterministic order: fewest hops, then by the ids along the way."""
    paths = [PathRow(r["ns"], r["via"]) for r in rows]
    unique = {tuple(p.ids): p for p in paths}
    return sorted(unique.values(), key=lambda p: (len(p.via), p.ids))[:first]


@dataclass
class BridgeScore:
    node: dict[str, Any]
    score: float = 0.0
    municipalities: dict[str, dict[str, Any]] = field(default_factory=dict)


BRIDGE_LABELS = ("Actor", "Organization", "Project")


def _intermediaries(path: PathRow) -> list[dict[str, Any]]:
    """Actors, organisations and projects strictly between the county administration and the
    municipality, excluding the municipality's own administration (the destination's door)."""
    inner = path.nodes[1:-1]
    if inner and path.via and path.via[-1] == "ADMINISTERS":
        inner = inner[:-1]
    return [n for n in inner if n.get("_label") in BRIDGE_LABELS]


def bridges(rows: list[dict[str, Any]]) -> tuple[list[BridgeScore], dict[str, list[PathRow]]]:
    """Score = sum over municipalities of the share of their shortest paths running through the node
    (Brandes' pair dependency restricted to county -> municipality pairs)."""
    by_target: dict[str, list[PathRow]] = defaultdict(list)
    for row in rows:
        path = PathRow(row["ns"], row["via"])
        by_target[path.ids[-1]].append(path)
    scores: dict[str, BridgeScore] = {}
    for paths in by_target.values():
        share = 1.0 / len(paths)
        for path in paths:
            municipality = path.nodes[-1]
            for node in {n["id"]: n for n in _intermediaries(path)}.values():
                entry = scores.setdefault(node["id"], BridgeScore(node))
                entry.score += share
                entry.municipalities[municipality["id"]] = municipality
    ranked = sorted(scores.values(), key=lambda b: (-round(b.score, 9), b.node["id"]))
    return ranked, by_target


def key_person_risks(by_target: dict[str, list[PathRow]]) -> list[tuple[dict[str, Any], dict[str, Any], int]]:
    """(municipality, person, hops) where one actor lies on every shortest path from the county."""
    risks = []
    for paths in by_target.values():
        common: set[str] | None = None
        actors: dict[str, dict[str, Any]] = {}
        for path in paths:
            inner = {n["id"]: n for n in path.nodes[1:-1] if n.get("_label") == "Actor"}
            actors.update(inner)
            common = set(inner) if common is None else common & set(inner)
        for actor_id in sorted(common or ()):
            risks.append((paths[0].nodes[-1], actors[actor_id], len(paths[0].via)))
    return sorted(risks, key=lambda r: (r[0].get("name", ""), r[1]["id"]))


# ---- recommendations -------------------------------------------------------------------------

RECOMMEND = (
    "MATCH (m:Municipality {id: $municipality}) "
    "MATCH (s:Solution) "
    "WHERE NOT EXISTS { MATCH (s)<-[:OF]-(x:Adoption)-[:BY]->(m) WHERE x.status <> 'ABANDONED' } "
    "AND NOT EXISTS { MATCH (s)<-[:OF]-(x:Adoption)-[:BY]->(:Organization)-[:ADMINISTERS]->(m) "
    "WHERE x.status <> 'ABANDONED' } "
    "{need} "
    "OPTIONAL MATCH (s)<-[:OF]-(a:Adoption)-[:BY]->(t) WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] "
    "OPTIONAL MATCH (t)-[:ADMINISTERS|SERVES]->(tt) "
    "RETURN s AS s, m AS m, "
    "collect(DISTINCT {id: t.id, ars: coalesce(t.ars, tt.ars), population: t.population}) AS adopters, "
    "COUNT { MATCH (s)-[:RECEIVED]->(:Award) } AS awards, "
    "COUNT { MATCH (s)-[:ADDRESSES]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $need}) } AS fits"
)
RECOMMEND_FOR_NEED = RECOMMEND.replace(
    "{need}", "AND EXISTS { MATCH (s)-[:ADDRESSES]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $need}) }")
RECOMMEND_ANY = RECOMMEND.replace("{need}", "")


def _proximity(home_ars: str, other_ars: str | None) -> int:
    """3 = same Amt/association, 2 = same county, 1 = same state, 0 = elsewhere."""
    if not other_ars:
        return 0
    for level, length in ((3, 9), (2, 5), (1, 2)):
        if home_ars[:length] == other_ars[:length] and not (length == 9 and other_ars[5:9] == "0000"):
            return level
    return 0


def _similar_size(a: int | None, b: int | None) -> bool:
    return bool(a and b) and abs(math.log(a / b)) <= math.log(2)


@dataclass
class Scored:
    solution: dict[str, Any]
    score: float
    reasons: list[str]
    nearest: list[str]


def score_recommendations(rows: list[dict[str, Any]], need: str | None) -> list[Scored]:
    out = []
    for row in rows:
        home = row["m"]
        adopters = [a for a in row["adopters"] if a.get("id")]
        levels = [_proximity(home["ars"], a.get("ars")) for a in adopters]
        same_amt, same_county, same_state = (sum(1 for v in levels if v >= k) for k in (3, 2, 1))
        similar = sum(1 for a in adopters if _similar_size(home.get("population"), a.get("population")))
        score, reasons = 0.0, []
        if same_amt:
            score += 3 * same_amt
            reasons.append(f"adopted by {same_amt} adopter(s) in the same Amt")
        if same_county:
            score += 2 * same_county
            reasons.append(f"adopted by {same_county} adopter(s) in the same county")
        if same_state - same_county > 0:
            score += 1 * (same_state - same_county)
            reasons.append(f"adopted by {same_state - same_county} adopter(s) elsewhere in the same state")
        if len(adopters) - same_state > 0:
            score += 0.5 * (len(adopters) - same_state)
            reasons.append(f"adopted by {len(adopters) - same_state} adopter(s) in other states")
        if similar:
            score += similar
            reasons.append(f"adopted by {similar} municipalit{'y' if similar == 1 else 'ies'} of similar size")
        if row["awards"]:
            score += 2
            reasons.append("awarded the seal 'Bewährt vor Ort'" if row["awards"] == 1
                           else f"received {row['awards']} awards")
        if need and row["fits"]:
            score += 3
            reasons.append(f"addresses the stated need {need}")
        if row["s"].get("maturity") in ("proven", "scaled"):
            score += 1
            reasons.append(f"maturity: {row['s']['maturity']}")
        ranked_adopters = sorted(
            adopters, key=lambda a: (-_proximity(home["ars"], a.get("ars")),
                                     abs(math.log((a.get("population") or 1) / (home.get("population") or 1))),
                                     a["id"]))
        out.append(Scored(row["s"], round(score, 3), reasons or ["not adopted here yet"],
                          [a["id"] for a in ranked_adopters[:3]]))
    return sorted(out, key=lambda s: (-s.score, s.solution["id"]))


# ---- transfer lineage and coverage -------------------------------------------------------------

LINEAGE = (
    "MATCH (a:Adoption)-[:OF]->(:Solution {id: $solution}) "
    "OPTIONAL MATCH (a)-[:LEARNED_FROM]->(b:Adoption) "
    "RETURN a AS n, collect(b.id) AS parents"
)


def lineage_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Topological order along LEARNED_FROM (teachers first), ties by start date then id."""
    nodes = {r["n"]["id"]: r["n"] for r in rows}
    parents = {r["n"]["id"]: {p for p in r["parents"] if p in nodes} for r in rows}
    done: list[dict[str, Any]] = []
    placed: set[str] = set()
    while len(done) < len(nodes):
        ready = [i for i in nodes if i not in placed and parents[i] <= placed]
        if not ready:  # a cycle (the loaders refuse them, but stay total): fall back to dates
            ready = [i for i in nodes if i not in placed]
        nxt = min(ready, key=lambda i: (nodes[i].get("started_on") or "9999", i))
        done.append(nodes[nxt])
        placed.add(nxt)
    return done


COVERAGE_GAPS = (
    "MATCH (c:County {id: $county}) "
    "MATCH (m:Municipality) WHERE m.county_ags = c.ags AND m.population > 0 "
    "AND NOT EXISTS { MATCH (m)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)-[:IN_CATEGORY]->(:Concept)"
    "-[:BROADER*0..5]->(:Concept {id: $category}) WHERE a.status <> 'ABANDONED' } "
    "AND NOT EXISTS { MATCH (m)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)"
    "-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category}) WHERE a.status <> 'ABANDONED' } "
    "RETURN m AS n"
)
