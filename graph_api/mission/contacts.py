"""Shortest contact paths as a breadth-first layering, and what the county questions read from it.

Paths are counted, never listed, for bridges and key persons: the number of shortest paths
through a node is (paths from the start to it) x (paths from it to the target), so a county with
thousands of parallel routes costs no more than one with a single route. Only `contactPaths`
lists paths, lazily and in a fixed order (fewest hops, then the ids along the way).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from graph_api.mission.definitions import CONTACT_EDGE_TYPES

Expand = Callable[[list[str]], list[tuple[str, str, str]]]
_EDGE_RANK = {t: i for i, t in enumerate(CONTACT_EDGE_TYPES)}


@dataclass
class Layers:
    """Breadth-first layers from a set of start nodes: distances, shortest-path predecessors, counts."""

    sources: tuple[str, ...]
    dist: dict[str, int] = field(default_factory=dict)
    preds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sigma: dict[str, int] = field(default_factory=dict)
    via: dict[tuple[str, str], str] = field(default_factory=dict)
    depth: int = 0

    def reached(self, node: str) -> bool:
        return node in self.dist


def layer(sources: Iterable[str], expand: Expand, max_hops: int, targets: Iterable[str] = ()) -> Layers:
    """Expand level by level up to `max_hops`; stop early once every target has its distance.

    A node's predecessors are its neighbours one level closer to the start, so every shortest
    path is a walk back along `preds`; `sigma` counts them."""
    out = Layers(tuple(sorted(set(sources))))
    for s in out.sources:
        out.dist[s], out.sigma[s] = 0, 1
    missing = set(targets) - set(out.sources)
    frontier = list(out.sources)
    level = 0
    while frontier and level < max_hops and (missing or not targets):
        nxt: dict[str, None] = {}
        for u, rel, v in expand(frontier):
            seen = out.dist.get(v)
            if seen is None:
                out.dist[v] = level + 1
                nxt[v] = None
                seen = level + 1
            if seen == level + 1:
                if u not in out.preds[v]:
                    out.preds[v].add(u)
                    out.sigma[v] = out.sigma.get(v, 0) + out.sigma[u]
                key = (u, v)
                if key not in out.via or _EDGE_RANK[rel] < _EDGE_RANK[out.via[key]]:
                    out.via[key] = rel
        level += 1
        frontier = sorted(nxt)
        missing -= set(nxt)
        out.depth = level
    return out


def component_until(start: str, expand: Expand, known: set[str]) -> tuple[bool, set[str]]:
    """Breadth-first from `start` until a node of `known` turns up (True) or nothing is left (False).

    Tells a place beyond the hop limit from one no chain of contacts reaches at all; a
    disconnected place sits in a small component, so this ends quickly either way."""
    seen = {start}
    frontier = [start]
    while frontier:
        nxt = set()
        for _, _, v in expand(frontier):
            if v in known:
                return True, seen
            if v not in seen:
                seen.add(v)
                nxt.add(v)
        frontier = sorted(nxt)
    return False, seen


def _on_paths_to(layers: Layers, target: str) -> dict[str, int]:
    """For every node on a shortest path to `target`: the number of shortest paths from it to `target`."""
    below = {target: 1}
    order = [target]
    for node in order:  # grows while walking: predecessors are one level closer to the start
        for p in layers.preds.get(node, ()):
            if p not in below:
                below[p] = 0
                order.append(p)
    for node in sorted(order, key=lambda n: -layers.dist[n]):
        for p in layers.preds.get(node, ()):
            below[p] += below[node]
    return below


def through_counts(layers: Layers, target: str) -> dict[str, int]:
    """Shortest start->target paths through each node of their union (the start and target included)."""
    below = _on_paths_to(layers, target)
    return {n: layers.sigma[n] * below[n] for n in below}


def paths(layers: Layers, target: str, first: int) -> list[tuple[list[str], list[str]]]:
    """The first `first` shortest paths to `target` in (ids along the way) order, with the edge types."""
    if target not in layers.dist or target in layers.sources:
        return []
    below = _on_paths_to(layers, target)
    succ: dict[str, list[str]] = defaultdict(list)
    for node in below:
        for p in layers.preds.get(node, ()):
            succ[p].append(node)
    starts = sorted(s for s in layers.sources if s in below)

    def walk(path: list[str]) -> Iterator[list[str]]:
        if path[-1] == target:
            yield path
            return
        for nxt in sorted(succ[path[-1]]):
            yield from walk([*path, nxt])

    found = []
    for start in starts:
        for path in walk([start]):
            found.append((path, [layers.via[(a, b)] for a, b in zip(path, path[1:], strict=False)]))
            if len(found) >= first:
                return found
    return found
