"""Turn GraphQL filter inputs into filter trees (plain JSON) that the store compiles to parameterised Cypher.

A filter input becomes `{"all": [...]}` of comparisons on the fields it sets, relationship
conditions (`adoptionsSome`, `solutionIs`, ...) and its `AND`/`OR`/`NOT` children; the store
(`graph_api.store.filter_texts`) is the one place that writes Cypher for it and every value
travels as a parameter. Territory filters (`within`, `county`, ...) resolve the territory here,
once, and compare ARS prefixes or AGS keys, so one rule covers every level of the tree. Actor
filters keep the store's named fragments, whose name condition depends on who asks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLError
from strawberry.types import Info

from graph_api.german import fold
from graph_api.mission.definitions import ACTIVE
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


Tree = dict[str, Any]
TREE = "tree"  # the store's name for a filter tree among the named filters (`graph_api.store.reads.TREE`)
_OPS = (("equals", "eq"), ("in_", "in"), ("contains", "contains"), ("starts_with", "startsWith"), ("lt", "lt"),
        ("lte", "lte"), ("gt", "gt"), ("gte", "gte"))


def _leaf(field: str, op: str, value: Any) -> Tree:  # noqa: ANN401 - any comparable value
    return {"field": field, "op": op, "value": value.isoformat() if isinstance(value, dt.date) else value}


def _condition(field: str, condition: Any) -> list[Tree]:  # noqa: ANN401 - Text/Int/DateCondition
    """Every bound a Text/Int/DateCondition gives, as comparisons on `field`."""
    leaves = []
    for attribute, op in _OPS:
        value = getattr(condition, attribute, None)
        if value is not None:
            leaves.append(_leaf(field, op, [v.isoformat() if isinstance(v, dt.date) else v for v in value]
                                if isinstance(value, list) else value))
    return leaves


def _given(value: Any) -> bool:  # noqa: ANN401
    """A single value that states a condition (an empty string states none). Lists are sets of allowed
    values: an empty list allows none, so list fields are tested with `is not None` instead."""
    return value is not None and value != ""


async def _ids_of(info: Info, ids: list[Any], expected: tuple[str, ...], key: str) -> list[str]:
    """The `key` property of each territory id, refused unless each is a known territory of `expected`."""
    return [(await territory(info, str(i), expected))[key] for i in ids]


def _combined(f: Any, own: list[Tree], child: Callable[[Any], Awaitable[Tree]]) -> Awaitable[Tree]:  # noqa: ANN401
    async def combine() -> Tree:
        parts = list(own)
        if f.and_:
            parts.append({"all": [await child(g) for g in f.and_]})
        if f.or_ is not None:
            parts.append({"any": [await child(g) for g in f.or_]})
        if f.not_ is not None:
            parts.append({"not": await child(f.not_)})
        return {"all": parts}
    return combine()


async def municipality_tree(info: Info, f: Any) -> Tree:  # noqa: ANN401 - MunicipalityFilter
    own: list[Tree] = []
    if _given(f.county):
        own.append(_leaf("county_ags", "eq", (await territory(info, str(f.county), ("County",)))["ags"]))
    if f.county_in is not None:
        own.append(_leaf("county_ags", "in", await _ids_of(info, f.county_in, ("County",), "ags")))
    if _given(f.association):
        own.append(_leaf("ars", "startsWith", await within_prefix(info, str(f.association))))
    if _given(f.name_contains):
        own.append(_leaf("name", "contains", f.name_contains.strip()))
    if f.min_population is not None:
        own.append(_leaf("population", "gte", f.min_population))
    if f.max_population is not None:
        own.append(_leaf("population", "lte", f.max_population))
    if _given(f.has_adopted) or f.has_adopted_status is not None:
        statuses = [s.value for s in f.has_adopted_status] if f.has_adopted_status is not None else list(ACTIVE)
        adoption = [_leaf("status", "in", statuses)]
        if _given(f.has_adopted):
            adoption.append(_leaf("solution", "eq", str(f.has_adopted)))
        own.append({"some": "adoptions", "where": {"all": adoption}})
    if f.id_in is not None:
        own.append(_leaf("id", "in", [str(i) for i in f.id_in]))
    if f.name is not None:
        own += _condition("name", f.name)
    if f.population is not None:
        own += _condition("population", f.population)
    if f.adoptions_some is not None:
        own.append({"some": "adoptions", "where": await adoption_tree(info, f.adoptions_some)})
    return await _combined(f, own, lambda g: municipality_tree(info, g))


async def adoption_tree(info: Info, f: Any) -> Tree:  # noqa: ANN401 - AdoptionFilter
    own: list[Tree] = []
    if _given(f.solution):
        own.append(_leaf("solution", "eq", str(f.solution)))
    if _given(f.adopter):
        own.append(_leaf("adopter", "eq", str(f.adopter)))
    if _given(f.within):
        own.append(_leaf("within", "startsWith", await within_prefix(info, str(f.within))))
    if f.status is not None:
        own.append(_leaf("status", "in", [s.value for s in f.status]))
    if f.since is not None:
        own.append(_leaf("started_on", "gte", f.since))
    if f.active is not None:
        own.append(_leaf("active", "eq", f.active))
    if f.id_in is not None:
        own.append(_leaf("id", "in", [str(i) for i in f.id_in]))
    if f.solution_in is not None:
        own.append(_leaf("solution", "in", [str(i) for i in f.solution_in]))
    if f.started_on is not None:
        own += _condition("started_on", f.started_on)
    if f.solution_is is not None:
        own.append({"some": "solution", "where": await solution_tree(info, f.solution_is)})
    if f.adopter_municipality_is is not None:
        own.append({"some": "adopter_municipality",
                    "where": await municipality_tree(info, f.adopter_municipality_is)})
    return await _combined(f, own, lambda g: adoption_tree(info, g))


async def solution_tree(info: Info, f: Any) -> Tree:  # noqa: ANN401 - SolutionFilter
    own: list[Tree] = []
    if _given(f.text) and f.text.strip():
        own.append(_leaf("text", "contains", f.text.strip()))
    if _given(f.category):
        own.append(_leaf("category", "eq", str(f.category)))
    if _given(f.need):
        own.append(_leaf("need", "eq", str(f.need)))
    if f.awarded is not None:
        own.append(_leaf("awarded", "eq", f.awarded))
    if _given(f.adopted_within):
        prefix = await within_prefix(info, str(f.adopted_within))
        own.append({"some": "adoptions", "where": {"all": [_leaf("active", "eq", True),
                                                             _leaf("within", "startsWith", prefix)]}})
    if f.id_in is not None:
        own.append(_leaf("id", "in", [str(i) for i in f.id_in]))
    if f.name is not None:
        own += _condition("name", f.name)
    if f.category_in is not None:
        own.append(_leaf("category", "in", [str(i) for i in f.category_in]))
    if f.adoptions_some is not None:
        own.append({"some": "adoptions", "where": await adoption_tree(info, f.adoptions_some)})
    return await _combined(f, own, lambda g: solution_tree(info, g))


async def organization_tree(info: Info, f: Any) -> Tree:  # noqa: ANN401 - OrganizationFilter
    own: list[Tree] = []
    if f.kind is not None:
        own.append(_leaf("kind", "in", [k.value for k in f.kind]))
    if _given(f.name_contains):
        own.append(_leaf("name", "contains", f.name_contains.strip()))
    if _given(f.within):
        own.append(_leaf("within", "startsWith", await within_prefix(info, str(f.within))))
    if f.id_in is not None:
        own.append(_leaf("id", "in", [str(i) for i in f.id_in]))
    if f.name is not None:
        own += _condition("name", f.name)
    if f.adoptions_some is not None:
        own.append({"some": "adoptions", "where": await adoption_tree(info, f.adoptions_some)})
    return await _combined(f, own, lambda g: organization_tree(info, g))


def _as_where(tree: Tree) -> Where:
    return [TREE], {TREE: tree}


async def municipality_where(info: Info, f: Any) -> Where:  # noqa: ANN401
    return _as_where(await municipality_tree(info, f))


async def adoption_where(info: Info, f: Any) -> Where:  # noqa: ANN401
    return _as_where(await adoption_tree(info, f))


async def solution_where(info: Info, f: Any) -> Where:  # noqa: ANN401
    return _as_where(await solution_tree(info, f))


async def organization_where(info: Info, f: Any) -> Where:  # noqa: ANN401
    return _as_where(await organization_tree(info, f))


# ActorFilter keeps its named fragments: the name condition depends on who asks (`graph_api.policy`)
async def _text(_info: Info, value: str) -> str:
    return fold(value.strip())  # the store folds names the same way (graph_api.german)


async def _plain(_info: Info, value: Any) -> Any:  # noqa: ANN401
    return str(value) if isinstance(value, str) else value


# filter field -> (fragment name, parameter name, how to turn the input into the parameter value)
Spec = dict[str, tuple[str, str, Callable[[Info, Any], Awaitable[Any]]]]
_ACTOR: Spec = {
    "organization": ("organization", "organization", _plain),
    "name_contains": ("name_contains", "name_contains", _text),
    "within": ("within", "within_prefix", within_prefix),
}


async def _where(info: Info, f: Any, spec: Spec) -> Where:  # noqa: ANN401
    where: list[str] = []
    params: dict[str, Any] = {}
    for field, (name, param, convert) in spec.items():
        value = getattr(f, field)
        if value is None or value == [] or value == "":
            continue
        where.append(name)
        params[param] = await convert(info, value)
    return where, params


async def actor_where(info: Info, f: Any) -> Where:  # noqa: ANN401
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
