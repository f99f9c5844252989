"""The order in which knowledge of a solution travelled: teachers before learners.

Generation = the length of the longest LEARNED_FROM chain behind an adoption (0 = learned from
nobody recorded); adoptions are ordered by generation, then start date, then id. That is a
topological order, and one a Cypher query can compute too (`queries/transfer_lineage.cypher`).
"""

from __future__ import annotations

from typing import Any

from graph_api.mission.definitions import LINEAGE_MAX_GENERATIONS


def generations(parents: dict[str, set[str]]) -> dict[str, int]:
    """Longest chain of teachers behind each adoption (capped; the loaders refuse cycles)."""
    memo: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node in memo:
            return memo[node]
        below = [depth(p, seen | {node}) + 1 for p in parents.get(node, ()) if p not in seen]
        memo[node] = min(max(below, default=0), LINEAGE_MAX_GENERATIONS)
        return memo[node]

    return {node: depth(node, frozenset()) for node in parents}


def order(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int, list[str]]]:
    """(adoption, generation, teachers) in lineage order, from rows of (n, parents)."""
    nodes = {r["n"]["id"]: r["n"] for r in rows}
    parents = {r["n"]["id"]: {p for p in r["parents"] if p} for r in rows}
    gen = generations(parents)
    ranked = sorted(nodes, key=lambda i: (gen[i], nodes[i].get("started_on") or "", i))
    return [(nodes[i], gen[i], sorted(parents[i])) for i in ranked]
