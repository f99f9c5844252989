"""Shortest contact paths by a breadth-first search from both ends, and what the county questions read from it.

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
    """Shortest paths from a set of start nodes to one target (or to all nodes within reach).

    `dist` is the position along the paths, `preds` the neighbours one position closer to the
    start (so every shortest path is a walk back along `preds`), `sigma` counts the paths from
    the start to each node, `via` names the relationship of each step."""

    sources: tuple[str, ...]
    dist: dict[str, int] = field(default_factory=dict)
    preds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sigma: dict[str, int] = field(default_factory=dict)
    via: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class _Ball:
    """Breadth-first ball around one or more centres: distances, predecessors (towards a centre), edge types."""

    dist: dict[str, int]
    frontier: list[str]
    preds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    via: dict[tuple[str, str], str] = field(default_factory=dict)
    radius: int = 0


def _grow(balls: list[_Ball], expand: Expand) -> None:
    """One more level for every ball, with one batched expansion of all their frontiers."""
    edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, rel, v in expand(sorted({x for ball in balls for x in ball.frontier})):
        edges[u].append((rel, v))
    for ball in balls:
        level = ball.radius + 1
        nxt: dict[str, None] = {}
        for u in ball.frontier:
            for rel, v in edges.get(u, ()):
                seen = ball.dist.get(v)
                if seen is None:
                    ball.dist[v] = seen = level
                    nxt[v] = None
                if seen == level:
                    ball.preds[v].add(u)
                    if (u, v) not in ball.via or _EDGE_RANK[rel] < _EDGE_RANK[ball.via[(u, v)]]:
                        ball.via[(u, v)] = rel
        ball.frontier = sorted(nxt)
        ball.radius = level


def _join(forward: _Ball, back: _Ball, sources: tuple[str, ...], target: str, hops: int) -> Layers:
    """The shortest paths of length `hops` from the forward ball's centres to `target`, as one layering.

    Positions up to the forward radius come from the forward ball (complete there); beyond it
    from the target's ball, whose radius covers the rest (the two radii add up to at least `hops`)."""
    rs = forward.radius
    inverse: dict[str, set[str]] = defaultdict(set)
    for u, closer in back.preds.items():
        for w in closer:
            inverse[w].add(u)
    pos, preds = {target: hops}, {}
    stack = [target]
    while stack:
        w = stack.pop()
        p = pos[w]
        if p == 0:
            continue
        if p <= rs:
            found = set(forward.preds.get(w, ()))
        else:
            found = {u for u in inverse.get(w, ()) if back.dist[u] == hops - p + 1
                     and (p - 1 > rs or forward.dist.get(u) == p - 1)}
        preds[w] = found
        for u in found:
            if u not in pos:
                pos[u] = p - 1
                stack.append(u)
    sigma: dict[str, int] = {}
    for node in sorted(pos, key=pos.__getitem__):
        sigma[node] = 1 if pos[node] == 0 else sum(sigma.get(u, 0) for u in preds.get(node, ()))
    keep = {n for n, count in sigma.items() if count}
    out = Layers(tuple(s for s in sources if s in keep))
    for node in keep:
        out.dist[node], out.sigma[node] = pos[node], sigma[node]
        if pos[node]:
            out.preds[node] = {u for u in preds[node] if u in keep}
            for u in out.preds[node]:
                out.via[(u, node)] = forward.via[(u, node)] if pos[node] <= rs else back.via[(node, u)]
    return out


def meet(sources: Iterable[str], targets: Iterable[str], expand: Expand, max_hops: int
         ) -> tuple[dict[str, Layers | None], set[str]]:
    """Shortest paths from `sources` to each target within `max_hops` (None: not within the limit).

    Searches from both ends at once — one ball around the sources, one around each target,
    always growing the side with the smaller frontier, every step one batched expansion — and
    stops for a target once the balls meet: the shortest paths run through where they overlap.
    Also returns every node found connected to the sources."""
    start = tuple(sorted(set(sources)))
    forward = _Ball(dict.fromkeys(start, 0), list(start))
    backs = {t: _Ball({t: 0}, [t]) for t in sorted(set(targets))}
    found: dict[str, Layers | None] = {}
    connected = set(forward.dist)
    pending = set(backs) if start else set()
    found |= {t: None for t in backs if not start}
    while pending:
        for t in sorted(pending):
            back = backs[t]
            small, large = sorted((back.dist, forward.dist), key=len)
            common = [v for v in small if v in large]
            if common:
                found[t] = _join(forward, back, start, t, min(forward.dist[v] + back.dist[v] for v in common))
                connected |= set(back.dist)
                pending.discard(t)
            elif forward.radius + back.radius >= max_hops or not forward.frontier or not back.frontier:
                found[t] = None
                pending.discard(t)
        if not pending:
            break
        if len(forward.frontier) <= sum(len(backs[t].frontier) for t in pending):
            _grow([forward], expand)
        else:
            _grow([backs[t] for t in sorted(pending) if backs[t].frontier], expand)
    connected |= set(forward.dist)
    return found, connected


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
