"""Relay cursor connections with keyset cursors: (sort key, id), so pages never skip or repeat.

A cursor is the base64 of the JSON [sort key, id] of the last row seen plus the scope it was
made in (ordering, direction, filter digest: see `CursorScope`); the next page starts strictly
after it in (key, id) order, which is stable while rows are added elsewhere.
Top-level lists push the keyset condition into Cypher; nested lists (a few hundred rows per
parent at most) are sliced here after one batched fetch.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CursorScope:
    """What a cursor's position means: the list's ordering and direction and a digest of its filter.

    A position is only meaningful in the walk that made it: a NAME key compared with populations
    fails in the store, a DESC position read as ASC returns a wrong page without a word. So every
    cursor carries its scope and a cursor of another scope is refused with the reason."""

    order: str
    direction: str = "ASC"
    filter: str = ""

    @staticmethod
    def of(order: str, descending: bool = False, where: Any = None) -> CursorScope:
        digest = hashlib.sha256(json.dumps(where, sort_keys=True, default=str).encode()).hexdigest()[:12] \
            if where else ""
        return CursorScope(order, "DESC" if descending else "ASC", digest)

    def differs(self, other: CursorScope) -> str | None:
        """Why a cursor made in `other` cannot continue a walk in `self`, or None."""
        if (other.order, other.direction) != (self.order, self.direction):
            return (f"this cursor was made for {other.order} {other.direction} order; this list is ordered "
                    f"{self.order} {self.direction}")
        if other.filter != self.filter:
            return "this cursor was made for another filter; this list uses a different one"
        return None


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def encode_cursor(key: Any, node_id: str, scope: CursorScope) -> str:
    payload = [key, node_id, scope.order, scope.direction, scope.filter]
    return base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode()


def decode_cursor(cursor: str, scope: CursorScope) -> tuple[Any, str]:
    """The (key, id) position of `cursor`, refused unless it was made for `scope`."""
    try:
        key, node_id, order, direction, digest = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not all(isinstance(v, str) for v in (node_id, order, direction, digest)):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise bad_input(f"invalid cursor '{cursor[:40]}': pass an endCursor from a previous page") from None
    reason = scope.differs(CursorScope(order, direction, digest))
    if reason:
        raise bad_input(f"{reason}: pass an endCursor from a page of this same query, or start without after")
    return key, node_id


def check_first(first: int | None, default: int = 20) -> int:
    """Validate a page size; an explicit null means the default page size."""
    if first is None:
        return default
    if first < 0:
        raise bad_input("first must not be negative")
    if first > MAX_FIRST:
        raise bad_input(f"first={first} is above the maximum page size of {MAX_FIRST}; page with after")
    return first


def build(rows: list[tuple[Any, dict[str, Any]]], first: int, total: int, after: str | None,
          convert: Callable[[dict[str, Any]], Any], scope: CursorScope) -> Connection[Any]:
    """`rows` are (sort key, node) already past `after`, in order, up to first+1 of them."""
    page = rows[:first]
    edges = [Edge(cursor=encode_cursor(key, node["id"], scope), node=convert(node)) for key, node in page]
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
                after: str | None, convert: Callable[[dict[str, Any]], Any], scope: CursorScope,
                descending: bool = False) -> Connection[Any]:
    """Paginate an in-memory list the same way the Cypher keyset does; `scope` names its order and filter."""
    first = check_first(first)
    keyed = sorted(((key_of(n), n) for n in nodes), key=lambda kn: (_sortable(kn[0]), kn[1]["id"]),
                   reverse=descending)
    if after is not None:
        after_key, after_id = decode_cursor(after, scope)
        marker = (_sortable(after_key), after_id)
        def past(kn: tuple[Any, dict[str, Any]]) -> bool:
            position = (_sortable(kn[0]), kn[1]["id"])
            return position < marker if descending else position > marker

        keyed = [kn for kn in keyed if past(kn)]
    return build(keyed[:first + 1], first, len(nodes), after, convert, scope)
