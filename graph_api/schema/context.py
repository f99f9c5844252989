"""Per-request GraphQL context: the store, the caller's rights, a deadline and the DataLoaders.

All data access of resolvers goes through `GraphContext.query` (counted, so tests can prove
the number of store round trips is bounded) and the batching loaders below.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from graph_api import policy
from graph_api.model import label_of
from graph_api.schema import cypher
from graph_api.store import QueryTimeout, Store


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
        self.nodes: DataLoader[str, dict[str, Any] | None] = DataLoader(self._load_nodes)
        self.related: DataLoader[tuple[str, str], list[dict[str, Any]]] = DataLoader(self._load_related)
        self.children: DataLoader[tuple[str, str], list[dict[str, Any]]] = DataLoader(self._load_children)
        self.scalars: DataLoader[tuple[str, str], Any] = DataLoader(self._load_scalars)
        self.matches: DataLoader[tuple[str, str], bool] = DataLoader(self._load_matches)
        self.link_sources: DataLoader[tuple[str, str, str], str | None] = DataLoader(self._load_link_sources)
        self.filter_specs: dict[str, tuple[str, list[str], dict[str, Any]]] = {}

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

    async def query(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        self.queries += 1
        budget = self.remaining_ms()
        try:
            return await run_in_threadpool(self.store.read, text, params or {}, timeout_ms=budget)
        except QueryTimeout as exc:
            raise RequestTimedOut(f"the request exceeded its time limit of {self.timeout_ms} ms") from exc

    # ---- batch loaders ----------------------------------------------------------------
    async def _load_nodes(self, ids: list[str]) -> list[dict[str, Any] | None]:
        by_label: dict[str, list[str]] = defaultdict(list)
        for node_id in ids:
            label = label_of(node_id)
            if label:
                by_label[label].append(node_id)
        found: dict[str, dict[str, Any]] = {}
        for label, wanted in by_label.items():
            for row in await self.query(cypher.NODES_BY_ID[label], {"ids": wanted}):
                found[row["n"]["id"]] = row["n"]
        return [found.get(i) for i in ids]

    async def _load_grouped(self, keys: list[tuple[str, str]], text_for: Any) -> list[list[dict[str, Any]]]:
        """Group (name, parent id) keys by (name, parent label), one query per group."""
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name, parent in keys:
            groups[(name, label_of(parent) or "")].append(parent)
        results: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for (name, label), parents in groups.items():
            for row in await self.query(text_for(name, label), {"ids": list(dict.fromkeys(parents))}):
                results[(name, row.pop("key"))].append(row)
        return [results.get(k, []) for k in keys]

    async def _load_related(self, keys: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
        return await self._load_grouped(keys, cypher.relation_query)

    async def _load_children(self, keys: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
        def text(name: str, label: str) -> str:
            return cypher.ADOPTIONS_BY[label] if name == "adoptions" else cypher.CHILDREN[name]

        return await self._load_grouped(keys, text)

    async def _load_scalars(self, keys: list[tuple[str, str]]) -> list[Any]:
        texts = {"adopter_count": cypher.ADOPTER_COUNT}
        rows = await self._load_grouped(keys, lambda name, _label: texts[name])
        return [r[0]["n"] if r else None for r in rows]

    async def _load_matches(self, keys: list[tuple[str, str]]) -> list[bool]:
        """Which candidate ids satisfy a nested-list filter; one query per distinct filter."""
        wanted: dict[str, list[str]] = defaultdict(list)
        for signature, node_id in keys:
            wanted[signature].append(node_id)
        hits: set[tuple[str, str]] = set()
        for signature, ids in wanted.items():
            label, fragments, params = self.filter_specs[signature]
            text = f"MATCH (n:{label}) WHERE n.id IN $candidate_ids AND {' AND '.join(fragments)} RETURN n.id AS id"
            for row in await self.query(text, {**params, "candidate_ids": ids}):
                hits.add((signature, row["id"]))
        return [key in hits for key in keys]

    async def _load_link_sources(self, keys: list[tuple[str, str, str]]) -> list[str | None]:
        """The `source` of the relationship between two nodes (either direction), one query per kind of link."""
        groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
        for start, rel, end in keys:
            if rel in cypher.LINK_TYPES and label_of(start) and label_of(end):
                groups[(rel, label_of(start) or "", label_of(end) or "")].append({"f": start, "t": end})
        found: dict[tuple[str, str, str], str | None] = {}
        for (rel, a, b), pairs in groups.items():
            for row in await self.query(cypher.link_source_query(rel, a, b), {"pairs": pairs}):
                found[(row["f"], rel, row["t"])] = row["source"]
        return [found.get(key) for key in keys]

    async def node(self, node_id: str) -> dict[str, Any] | None:
        return await self.nodes.load(node_id) if label_of(node_id) else None

    async def rel(self, name: str, parent: str) -> list[dict[str, Any]]:
        return await self.related.load((name, parent))

    async def kids(self, name: str, parent: str) -> list[dict[str, Any]]:
        return await self.children.load((name, parent))

    async def scalar(self, name: str, parent: str) -> Hashable:
        return await self.scalars.load((name, parent))
