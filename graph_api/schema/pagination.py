"""Relay cursor connections with keyset cursors: (sort key, id), so pages never skip or repeat.

A cursor is the base64 of the JSON pair [sort key, id] of the last row seen; the next page
starts strictly after it in (key, id) order, which is stable while rows are added elsewhere.
Top-level lists push the keyset condition into Cypher; nested lists (a few hundred rows per
parent at most) are sliced here after one batched fetch.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError

MAX_FIRST = 100
T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def encode_cursor(key: Any, node_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, node_id], ensure_ascii=False).encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        key, node_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(node_id, str):
            raise ValueError
        return key, node_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise GraphQLError(f"invalid cursor '{cursor[:40]}': pass an endCursor from a previous page") from None


def check_first(first: int | None, default: int = 20) -> int:
    """Validate a page size; an explicit null means the default page size."""
    if first is None:
        return default
    if first < 0:
        raise GraphQLError("first must not be negative")
    if first > MAX_FIRST:
        raise GraphQLError(f"first={first} is above the maximum page size of {MAX_FIRST}; page with after")
    return first


def build(rows: list[tuple[Any, dict[str, Any]]], first: int, total: int, after: str | None,
          convert: Callable[[dict[str, Any]], Any]) -> Connection[Any]:
    """`rows` are (sort key, node) already past `after`, in order, up to first+1 of them."""
    page = rows[:first]
    edges = [Edge(cursor=encode_cursor(key, node["id"]), node=convert(node)) for key, node in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=len(rows) > first, has_previous_page=after is not None,
                           start_cursor=edges[0].cursor if edges else None,
                           end_cursor=edges[-1].cursor if edges else None),
        total_count=total,
    )


def _sortable(key: Any) -> tuple[int, Any]:
    return (0, key) if key is not None else (1, "")


def slice_nodes(nodes: list[dict[str, Any]], key_of: Callable[[dict[str, Any]], Any], first: int,
                after: str | None, convert: Callable[[dict[str, Any]], Any], descending: bool = False
                ) -> Connection[Any]:
    """Paginate an in-memory list the same way the Cypher keyset does."""
    first = check_first(first)
    keyed = sorted(((key_of(n), n) for n in nodes), key=lambda kn: (_sortable(kn[0]), kn[1]["id"]),
                   reverse=descending)
    if after is not None:
        after_key, after_id = decode_cursor(after)
        marker = (_sortable(after_key), after_id)
        def past(kn: tuple[Any, dict[str, Any]]) -> bool:
            position = (_sortable(kn[0]), kn[1]["id"])
            return position < marker if descending else position > marker

        keyed = [kn for kn in keyed if past(kn)]
    return build(keyed[:first + 1], first, len(nodes), after, convert)
