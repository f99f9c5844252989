"""GraphQL view of the change history: `changes(since, id)` for token holders.

History records hold the before and after values of every changed property, personal data of
restricted actors included, so only callers with a token may read them (as they may read that
data on the nodes themselves). Values are JSON texts, the one form that keeps every type.
"""

from __future__ import annotations

import json

import strawberry
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from graph_api.store.history import ChangeRecord

MAX_CHANGES = 1_000


@strawberry.type(description="One property (or relationship 'TYPE->target') before and after a change, as JSON.")
class PropertyChange:
    name: str
    before: str | None
    after: str | None


@strawberry.type(description="What one write changed on one node: who (a token's name or the local user of a "
                             "load), when (UTC), which write (a mutation or 'load <source> <files>').")
class Change:
    at: str
    who: str
    what: str
    node: strawberry.ID
    action: str = strawberry.field(description="created, updated, deleted or relationships")
    properties: list[PropertyChange]


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_change(record: ChangeRecord) -> Change:
    return Change(at=record.at, who=record.who, what=record.what, node=strawberry.ID(record.node),
                  action=record.action,
                  properties=[PropertyChange(name=k, before=_json(b), after=_json(a))
                              for k, (b, a) in sorted(record.properties.items())])


async def changes(info: Info, since: str | None, node_id: str | None, first: int) -> list[Change]:
    if not info.context.authorised:
        raise PermissionError("the change history needs a valid API token (Authorization: Bearer <token>)")
    if not 1 <= first <= MAX_CHANGES:
        raise GraphQLError(f"first must be between 1 and {MAX_CHANGES}")
    records = await run_in_threadpool(info.context.store.history, node_id, since, first)
    return [to_change(r) for r in records]
