"""Turn GraphQL filter inputs into the names of the store's fixed filters plus parameters.

The filters' Cypher lives in the store (`graph_api.store.texts.FILTERS`); here they are chosen
by name, by which filter fields are set, and values only ever travel as parameters. Territory
filters (`within`, `county`, ...) resolve the territory once and compare ARS prefixes, so one
rule covers every level of the tree.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLError
from strawberry.types import Info

from graph_api.german import fold
from graph_api.model import TERRITORY_LABELS, label_of

Where = tuple[list[str], dict[str, Any]]
_PREFIX_LENGTH = {"State": 2, "County": 5, "Association": 9, "Municipality": 12}


async def territory(info: Info, node_id: str, expected: tuple[str, ...] = TERRITORY_LABELS) -> dict[str, Any]:
    label = label_of(node_id)
    if label not in expected:
        raise GraphQLError(f"'{node_id}' is not the id of a {' or '.join(expected)}")
    node = await info.context.node(node_id)
    if node is None:
        raise LookupError(f"unknown {label} '{node_id}'")
    return node


async def within_prefix(info: Info, node_id: str) -> str:
    node = await territory(info, node_id)
    return node["ars"][:_PREFIX_LENGTH[node["_label"]]]


async def _text(_info: Info, value: str) -> str:
    return fold(value.strip())  # the store folds names the same way (graph_api.german)


async def _plain(_info: Info, value: Any) -> Any:
    return str(value) if isinstance(value, str) else value


async def _values(_info: Info, value: list[Any]) -> list[str]:
    return [v.value for v in value]


async def _iso(_info: Info, value: Any) -> str:
    return value.isoformat()


async def _county_ags(info: Info, value: str) -> str:
    return (await territory(info, value, ("County",)))["ags"]


# filter field -> (fragment name, parameter name, how to turn the input into the parameter value)
Spec = dict[str, tuple[str, str, Callable[[Info, Any], Awaitable[Any]]]]
_MUNICIPALITY: Spec = {
    "county": ("county", "county_ags", _county_ags),
    "association": ("association", "association_prefix", within_prefix),
    "name_contains": ("name_contains", "name_contains", _text),
    "min_population": ("min_population", "min_population", _plain),
    "max_population": ("max_population", "max_population", _plain),
    "has_adopted": ("has_adopted", "has_adopted", _plain),
}
_ADOPTION: Spec = {
    "solution": ("solution", "solution", _plain),
    "adopter": ("adopter", "adopter", _plain),
    "within": ("within", "within_prefix", within_prefix),
    "status": ("status", "statuses", _values),
    "since": ("since", "since", _iso),
}
_SOLUTION: Spec = {
    "text": ("text", "text", _text),
    "category": ("category", "category", _plain),
    "need": ("need", "need", _plain),
    "adopted_within": ("adopted_within", "within_prefix", within_prefix),
}
_ORGANIZATION: Spec = {
    "kind": ("kind", "kinds", _values),
    "name_contains": ("name_contains", "name_contains", _text),
    "within": ("within", "within_prefix", within_prefix),
}
_ACTOR: Spec = {
    "organization": ("organization", "organization", _plain),
    "name_contains": ("name_contains", "name_contains", _text),
    "within": ("within", "within_prefix", within_prefix),
}


async def _where(info: Info, f: Any, spec: Spec) -> Where:
    where: list[str] = []
    params: dict[str, Any] = {}
    for field, (name, param, convert) in spec.items():
        value = getattr(f, field)
        if value is None or value == [] or value == "":
            continue
        where.append(name)
        params[param] = await convert(info, value)
    return where, params


async def municipality_where(info: Info, f: Any) -> Where:
    return await _where(info, f, _MUNICIPALITY)


async def adoption_where(info: Info, f: Any) -> Where:
    return await _where(info, f, _ADOPTION)


async def solution_where(info: Info, f: Any) -> Where:
    where, params = await _where(info, f, _SOLUTION)
    if f.awarded is not None:
        where.append("awarded_true" if f.awarded else "awarded_false")
    return where, params


async def organization_where(info: Info, f: Any) -> Where:
    return await _where(info, f, _ORGANIZATION)


async def actor_where(info: Info, f: Any) -> Where:
    where, params = await _where(info, f, _ACTOR)
    params["authorised"] = bool(info.context.authorised)
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
