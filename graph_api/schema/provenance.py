"""Provenance of answers: which sources state a node or a link, and whether it is illustrative.

The one rule: a node or link is *illustrative* unless at least one of its sources is real (a
Source not flagged `illustrative: true`); a statement without any source is illustrative too,
since nothing backs it. Resolvers of every type ask here, through the request's batched loaders, so a
page of N answers costs a fixed number of store reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info


def is_illustrative(sources: Iterable[dict[str, Any] | None]) -> bool:
    """The rule above, for the source nodes of one statement."""
    return not any(source is not None and not source.get("illustrative") for source in sources)


async def sources_of(info: Info, node_id: str) -> list[dict[str, Any]]:
    """The Source nodes a node is SOURCED_FROM (batched)."""
    if node_id.startswith("Source:"):
        return []
    return [row["n"] for row in await info.context.rel("any.sources", node_id)]


async def node_is_illustrative(info: Info, node_id: str) -> bool:
    if node_id.startswith("Source:"):
        found = await info.context.node(node_id)
        return bool((found or {"illustrative": True}).get("illustrative"))
    return is_illustrative(await sources_of(info, node_id))


async def link_source(info: Info, start: str, rel: str, end: str) -> dict[str, Any] | None:
    """The Source node a relationship names in its `source` property (either direction; batched)."""
    source_id = await info.context.link_sources.load((start, rel, end))
    return await info.context.node(source_id) if source_id else None


async def link_is_illustrative(info: Info, start: str, rel: str, end: str) -> bool:
    return is_illustrative([await link_source(info, start, rel, end)])
