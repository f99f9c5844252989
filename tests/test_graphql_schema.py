"""The served schema is the committed SDL, and it keeps every type, field and argument of the contract core."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
)

from graph_api.schema.sdl import SDL_PATH, served_sdl
from tests.conftest import SHARED

CORE = SHARED / "contract" / "core.graphql"


def test_committed_sdl_matches_the_served_schema() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == served_sdl(), (
        "graph_api/schema.graphql is stale: run `python -m graph_api.schema.sdl > graph_api/schema.graphql`")


def contract_differences(core_sdl: str, served: str) -> list[str]:
    """Everything of the core that the served schema lacks or types differently."""
    core, mine = build_schema(core_sdl), build_schema(served)
    problems: list[str] = []
    for name, ctype in core.type_map.items():
        if name.startswith("__"):
            continue
        stype = mine.type_map.get(name)
        if stype is None:
            problems.append(f"type {name} is missing")
            continue
        if type(stype) is not type(ctype):
            problems.append(f"{name} is a {type(stype).__name__}, the core says {type(ctype).__name__}")
            continue
        if isinstance(ctype, GraphQLObjectType | GraphQLInterfaceType):
            missing = {i.name for i in ctype.interfaces} - {i.name for i in stype.interfaces}
            problems += [f"{name} does not implement {i}" for i in sorted(missing)]
        if isinstance(ctype, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for fname, cfield in ctype.fields.items():
                sfield = stype.fields.get(fname)
                if sfield is None:
                    problems.append(f"{name}.{fname} is missing")
                    continue
                if str(sfield.type) != str(cfield.type):
                    problems.append(f"{name}.{fname} is {sfield.type}, the core says {cfield.type}")
                for aname, carg in getattr(cfield, "args", {}).items():
                    sarg = sfield.args.get(aname)
                    if sarg is None:
                        problems.append(f"{name}.{fname}({aname}) is missing")
                    elif str(sarg.type) != str(carg.type):
                        problems.append(f"{name}.{fname}({aname}) is {sarg.type}, the core says {carg.type}")
                    elif carg.default_value != sarg.default_value:
                        problems.append(f"{name}.{fname}({aname}) default differs")
                for aname, sarg in getattr(sfield, "args", {}).items():
                    if aname not in getattr(cfield, "args", {}) and sarg.type.__class__.__name__ == "GraphQLNonNull" \
                            and sarg.default_value is None:
                        problems.append(f"{name}.{fname} adds a required argument {aname}")
        if isinstance(ctype, GraphQLEnumType):
            problems += [f"{name}.{v} is missing" for v in ctype.values if v not in stype.values]
        if isinstance(ctype, GraphQLUnionType):
            missing = {t.name for t in ctype.types} - {t.name for t in stype.types}
            problems += [f"union {name} lacks {t}" for t in sorted(missing)]
    return problems


@pytest.mark.skipif(not CORE.exists(), reason="../shared/contract/core.graphql not present")
def test_served_schema_keeps_the_contract_core() -> None:
    assert contract_differences(CORE.read_text(encoding="utf-8"), served_sdl()) == []


def test_the_comparison_notices_a_dropped_field() -> None:
    core = "type Query { a: Int b(x: Int = 1): String }"
    assert contract_differences(core, "type Query { a: Int }") == ["Query.b is missing"]
    assert contract_differences(core, "type Query { a: String b(x: Int = 1): String }") == [
        "Query.a is String, the core says Int"]


def test_the_committed_sdl_is_a_valid_schema_for_graphql_core() -> None:
    """graphql-core (the reference implementation's port, not our code) accepts the committed SDL as a
    schema; the schema refers to no undefined type and every interface is implemented correctly."""
    from graphql import validate_schema

    built = build_schema(SDL_PATH.read_text(encoding="utf-8"))
    assert validate_schema(built) == []
    for name in ("TextCondition", "IntCondition", "DateCondition", "SearchType", "Visibility", "AdoptionStats"):
        assert name in built.type_map, name
