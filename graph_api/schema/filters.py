"""Turn GraphQL filter inputs into fixed Cypher WHERE fragments plus parameters.

Fragments come from `graph_api.schema.cypher` and are chosen by which filter fields are set;
values only ever travel as parameters. Territory filters (`within`, `county`, ...) resolve the
territory once and compare ARS prefixes, so one rule covers every level of the tree.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLError
from strawberry.types import Info

from graph_api.model import TERRITORY_LABELS, label_of
from graph_api.schema import cypher

Where = tuple[list[str], dict[str, Any]]
_PREFIX_LENGTH = {"State": 2, "County": 5, "Association": 9, "Municipality": 12}


async def territory(info: Info, node_id: str, expected: tuple[str, ...] = TERRITORY_LABELS) -> dict[str, Any]:
    label = label_of(node_id)
    if label not in expected:
        raise GraphQLError(f"'{node_id}' is not the id of a {' or '.join(expected)}")
    node = await info.context.node(node_id)
    if node is None:
        raise GraphQLError(f"unknown {label} '{node_id}'")
    return node


async def within_prefix(info: Info, node_id: str) -> str:
    node = await territory(info, node_id)
    return node["ars"][:_PREFIX_LENGTH[node["_label"]]]


def _lower(text: str) -> str:
    return text.strip().lower()


async def municipality_where(info: Info, f: Any) -> Where:
    where, params = [], {}
    if f.county:
        where.append(cypher.MUNICIPALITY_FILTERS["county"])
        params["county_ags"] = (await territory(info, f.county, ("County",)))["ags"]
    if f.association:
        where.append(cypher.MUNICIPALITY_FILTERS["association"])
        params["association_prefix"] = await within_prefix(info, f.association)
    if f.name_contains:
        where.append(cypher.MUNICIPALITY_FILTERS["name_contains"])
        params["name_contains"] = _lower(f.name_contains)
    if f.min_population is not None:
        where.append(cypher.MUNICIPALITY_FILTERS["min_population"])
        params["min_population"] = f.min_population
    if f.max_population is not None:
        where.append(cypher.MUNICIPALITY_FILTERS["max_population"])
        params["max_population"] = f.max_population
    if f.has_adopted:
        where.append(cypher.MUNICIPALITY_FILTERS["has_adopted"])
        params["has_adopted"] = str(f.has_adopted)
    return where, params


async def adoption_where(info: Info, f: Any) -> Where:
    where, params = [], {}
    if f.solution:
        where.append(cypher.ADOPTION_FILTERS["solution"])
        params["solution"] = str(f.solution)
    if f.adopter:
        where.append(cypher.ADOPTION_FILTERS["adopter"])
        params["adopter"] = str(f.adopter)
    if f.within:
        where.append(cypher.ADOPTION_FILTERS["within"])
        params["within_prefix"] = await within_prefix(info, f.within)
    if f.status:
        where.append(cypher.ADOPTION_FILTERS["status"])
        params["statuses"] = [s.value for s in f.status]
    if f.since:
        where.append(cypher.ADOPTION_FILTERS["since"])
        params["since"] = f.since.isoformat()
    return where, params


async def solution_where(info: Info, f: Any) -> Where:
    where, params = [], {}
    if f.text:
        where.append(cypher.SOLUTION_FILTERS["text"])
        params["text"] = _lower(f.text)
    if f.category:
        where.append(cypher.SOLUTION_FILTERS["category"])
        params["category"] = str(f.category)
    if f.need:
        where.append(cypher.SOLUTION_FILTERS["need"])
        params["need"] = str(f.need)
    if f.awarded is not None:
        where.append(cypher.SOLUTION_FILTERS["awarded_true" if f.awarded else "awarded_false"])
    if f.adopted_within:
        where.append(f"({cypher.SOLUTION_FILTERS['adopted_within']})")
        params["within_prefix"] = await within_prefix(info, f.adopted_within)
    return where, params


async def organization_where(info: Info, f: Any) -> Where:
    where, params = [], {}
    if f.kind:
        where.append(cypher.ORGANIZATION_FILTERS["kind"])
        params["kinds"] = [k.value for k in f.kind]
    if f.name_contains:
        where.append(cypher.ORGANIZATION_FILTERS["name_contains"])
        params["name_contains"] = _lower(f.name_contains)
    if f.within:
        where.append(cypher.ORGANIZATION_FILTERS["within"])
        params["within_prefix"] = await within_prefix(info, f.within)
    return where, params


async def actor_where(info: Info, f: Any) -> Where:
    where, params = [], {}
    if f.organization:
        where.append(cypher.ACTOR_FILTERS["organization"])
        params["organization"] = str(f.organization)
    if f.name_contains:
        where.append(cypher.ACTOR_FILTERS["name_contains"])
        params["name_contains"] = _lower(f.name_contains)
        params["authorised"] = bool(info.context.authorised)
    if f.within:
        where.append(cypher.ACTOR_FILTERS["within"])
        params["within_prefix"] = await within_prefix(info, f.within)
    return where, params


def restrict(info: Info, label: str, where: Where) -> Callable[[list[dict[str, Any]]], Awaitable[list[dict[str, Any]]]]:
    """A filter for nested pages: keeps the candidates that satisfy `where`, batched across parents."""
    fragments, params = where

    async def keep(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not fragments:
            return nodes
        signature = json.dumps([label, fragments, params], sort_keys=True, default=str)
        info.context.filter_specs[signature] = (label, fragments, params)
        flags = await info.context.matches.load_many([(signature, n["id"]) for n in nodes])
        return [n for n, ok in zip(nodes, flags, strict=True) if ok]

    return keep
