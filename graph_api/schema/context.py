"""Per-request GraphQL context: the store, the caller's rights, a deadline and the DataLoaders.

Resolvers reach the store through the batching loaders below and `GraphContext.call`, which runs
a typed store method (`graph_api/store/reads.py`) with the request's remaining time and counts
the calls, so tests can prove the number of store round trips is bounded.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from graph_api import policy
from graph_api.model import label_of
from graph_api.store import QueryTimeout, Store, texts

T = TypeVar("T")


class RequestTimedOut(Exception):
    """The request used up its time budget."""


@dataclass
class GraphContext(BaseContext):
    store: Store
    authorised: bool = False
    timeout_ms: int = 10_000
    base_iri: str = ""
    caller: str = "anonymous"
    queries: int = 0
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        super().__init__()
        # mission answers asked by several fields of this request (county bridges, reach, key persons of one
        # county and limit): computed once, shared (`graph_api.schema.mission.county_answer`)
        self.mission_answers: dict[tuple[Any, ...], Any] = {}
        self.filter_specs: dict[str, tuple[str, list[str], dict[str, Any]]] = {}

    # The DataLoaders are made when a resolver first needs one: most requests use one or two of them,
    # and making all six up front was a tenth of the context's share of a single entity's CPU.
    @cached_property
    def nodes(self) -> DataLoader[str, dict[str, Any] | None]:
        return DataLoader(self._load_nodes)

    @cached_property
    def related(self) -> DataLoader[tuple[str, str], list[dict[str, Any]]]:
        return DataLoader(self._load_related)

    @cached_property
    def children(self) -> DataLoader[tuple[str, str], list[dict[str, Any]]]:
        return DataLoader(self._load_children)

    @cached_property
    def adopter_counts(self) -> DataLoader[str, int]:
        return DataLoader(self._load_adopter_counts)

    @cached_property
    def matches(self) -> DataLoader[tuple[str, str], bool]:
        return DataLoader(self._load_matches)

    @cached_property
    def link_sources(self) -> DataLoader[tuple[str, str, str], str | None]:
        return DataLoader(self._load_link_sources)

    @property
    def viewer(self) -> policy.Viewer:
        """Who is asking, for the personal-data rule (`graph_api.policy`)."""
        return policy.TOKEN_HOLDER if self.authorised else policy.ANONYMOUS

    # ---- the one door to the store ----------------------------------------------------
    def remaining_ms(self) -> int:
        left = self.timeout_ms - int((time.monotonic() - self.started) * 1000)
        if left <= 0:
            raise RequestTimedOut(f"the request exceeded its time limit of {self.timeout_ms} ms")
        return left

    async def call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:  # noqa: ANN401
        """Run a typed store method with what is left of the request's time, in the request's own thread.

        Each request already runs on a loop of its own in a worker thread (`deadline.py`), so the
        store call blocks nothing but this request; handing it to yet another thread cost two thread
        switches per call (on a busy machine each waits for a time slice: most of a single entity's
        overhead over its store query). The engine interrupts the read at the budget."""
        self.queries += 1
        budget = self.remaining_ms()
        try:
            return method(*args, timeout_ms=budget, **kwargs)
        except QueryTimeout as exc:
            raise RequestTimedOut(f"the request exceeded its time limit of {self.timeout_ms} ms") from exc

    # ---- batch loaders ----------------------------------------------------------------
    async def _load_nodes(self, ids: list[str]) -> list[dict[str, Any] | None]:
        found = await self.call(self.store.nodes_by_ids, ids)
        return [found.get(i) for i in ids]

    async def _load_grouped(self, keys: list[tuple[str, str]], method: Callable[..., list[dict[str, Any]]]
                            ) -> list[list[dict[str, Any]]]:
        """Group (name, parent id) keys by (name, parent label), one store call per group."""
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name, parent in keys:
            groups[(name, label_of(parent) or "")].append(parent)
        results: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for (name, label), parents in groups.items():
            for row in await self.call(method, name, label, list(dict.fromkeys(parents))):
                results[(name, row.pop("key"))].append(row)
        return [results.get(k, []) for k in keys]

    async def _load_related(self, keys: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
        return await self._load_grouped(keys, self.store.related)

    async def _load_children(self, keys: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
        return await self._load_grouped(keys, self.store.children)

    async def _load_adopter_counts(self, ids: list[str]) -> list[int]:
        counts = await self.call(self.store.adopter_counts, list(dict.fromkeys(ids)))
        return [counts.get(i, 0) for i in ids]

    async def _load_matches(self, keys: list[tuple[str, str]]) -> list[bool]:
        """Which candidate ids satisfy a nested-list filter; one store call per distinct filter."""
        wanted: dict[str, list[str]] = defaultdict(list)
        for signature, node_id in keys:
            wanted[signature].append(node_id)
        hits: set[tuple[str, str]] = set()
        for signature, ids in wanted.items():
            label, filters, params = self.filter_specs[signature]
            hits.update((signature, i) for i in await self.call(self.store.matching, label, filters, params, ids))
        return [key in hits for key in keys]

    async def _load_link_sources(self, keys: list[tuple[str, str, str]]) -> list[str | None]:
        """The `source` of the relationship between two nodes (either direction), one query per kind of link."""
        groups: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
        for start, rel, end in keys:
            if rel in texts.LINK_TYPES and label_of(start) and label_of(end):
                groups[(rel, label_of(start) or "", label_of(end) or "")].append((start, end))
        found: dict[tuple[str, str, str], str | None] = {}
        for (rel, a, b), pairs in groups.items():
            sources = await self.call(self.store.link_sources, rel, a, b, pairs)
            found |= {(f, rel, t): source for (f, t), source in sources.items()}
        return [found.get(key) for key in keys]

    async def node(self, node_id: str) -> dict[str, Any] | None:
        return await self.nodes.load(node_id) if label_of(node_id) else None

    async def rel(self, name: str, parent: str) -> list[dict[str, Any]]:
        return await self.related.load((name, parent))

    async def kids(self, name: str, parent: str) -> list[dict[str, Any]]:
        return await self.children.load((name, parent))

    async def adopter_count(self, solution_id: str) -> int:
        return await self.adopter_counts.load(solution_id)
