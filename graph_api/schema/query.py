"""The root `Query`: lookups, top-level lists with keyset pagination, search and the mission queries."""

from __future__ import annotations

import re
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from graph_api.model import label_of
from graph_api.schema import cypher, mission
from graph_api.schema.filters import (
    Where,
    actor_where,
    adoption_where,
    municipality_where,
    organization_where,
    solution_where,
    territory,
)
from graph_api.schema.pagination import Connection, build, check_first, decode_cursor, slice_nodes
from graph_api.schema.types import (
    Actor,
    ActorFilter,
    Adopter,
    Adoption,
    AdoptionFilter,
    Municipality,
    MunicipalityFilter,
    Node,
    OrderBy,
    OrderDirection,
    OrderField,
    Organization,
    OrganizationFilter,
    Solution,
    SolutionFilter,
    Territory,
    ctx,
    to_type,
)

_KEY_RE = re.compile(r"^\d+$")


async def _top_level(info: Info, label: str, where: Where, order: OrderBy | None, first: int, after: str | None,
                     default: OrderField) -> Connection[Any]:
    first = check_first(first)
    field = order.field if order else default
    if field is OrderField.NAME and label == "Actor":
        field = OrderField.ID  # restricted names must not leak through their sort order
    descending = bool(order and order.direction is OrderDirection.DESC)
    fragments, params = where
    page, count = cypher.list_query(label, fragments, field.value, descending, after is not None)
    params = {**params, "limit": first + 1}
    if after is not None:
        params["after_key"], params["after_id"] = decode_cursor(after)
    rows = await ctx(info).query(page, params)
    total = (await ctx(info).query(count, params))[0]["total"]
    return build([(r["k"], r["n"]) for r in rows], first, total, after, to_type)


def _path_to_type(path: mission.PathRow) -> ContactPath:
    steps = [PathStep(node=to_type(n), via=None if i == 0 else path.via[i - 1]) for i, n in enumerate(path.nodes)]
    return ContactPath(hops=len(path.via), steps=steps)


@strawberry.type(description="One chain of contacts; steps[0] is the start, the last step the target.")
class ContactPath:
    hops: int
    steps: list[PathStep]


@strawberry.type
class PathStep:
    node: Node
    via: str | None = strawberry.field(
        description="Relationship type that leads to this node from the previous step (null on the first step).")


@strawberry.type(description="An actor, organisation or project that links a county's administration with "
                             "municipalities.")
class Bridge:
    node: Node
    municipalities: list[Municipality]
    score: float = strawberry.field(
        description="Sum over the county's municipalities of the share of their shortest contact paths from the "
                    "county administration that run through this node.")


@strawberry.type(description="A municipality whose every shortest contact path to its county runs through one person.")
class KeyPersonRisk:
    municipality: Municipality
    person: Actor
    hops: int


@strawberry.type
class Recommendation:
    solution: Solution
    score: float
    reasons: list[str] = strawberry.field(
        description="Human-readable reasons, e.g. 'adopted by 3 adopter(s) in the same county'.")
    nearest_adopters: list[Adopter]


@strawberry.type
class SearchHit:
    node: Node
    score: float


def _check_hops(max_hops: int | None) -> int:
    if max_hops is None:
        return 4
    if not 1 <= max_hops <= mission.MAX_HOPS:
        raise GraphQLError(f"maxHops must be between 1 and {mission.MAX_HOPS}")
    return max_hops


def _check_id(node_id: str, *labels: str) -> str:
    label = label_of(node_id)
    if label is None or (labels and label not in labels):
        expected = " or ".join(labels) if labels else "any type"
        raise GraphQLError(f"'{node_id}' is not a valid id ({expected}); ids look like 'Municipality:13076060'")
    return label


async def _county_paths(info: Info, county: str) -> list[dict[str, Any]]:
    node = await territory(info, county, ("County",))
    text = mission.county_paths_query(ctx(info).store.dialect)
    return await ctx(info).query(text, {"county": county, "county_ags": node["ags"], "limit": mission.PATH_ROW_LIMIT})


@strawberry.type
class Query:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        found = await ctx(info).node(str(id))
        return to_type(found) if found else None

    @strawberry.field(description="Any official key: AGS (2, 5 or 8 digits) or ARS (9 or 12 digits).")
    async def territory(self, info: Info, key: str) -> Territory | None:
        key = key.strip()
        if not _KEY_RE.match(key):
            raise GraphQLError(f"'{key}' is not an official key (digits only: AGS 2/5/8, ARS 9/12)")
        by_length = {2: "State", 5: "County", 8: "Municipality", 9: "Association"}
        if len(key) in by_length:
            node = await ctx(info).node(f"{by_length[len(key)]}:{key}")
        elif len(key) == 12:
            node = await _territory_by_ars(info, key)
        else:
            raise GraphQLError(f"'{key}' has {len(key)} digits; AGS has 2, 5 or 8, ARS 9 or 12")
        return to_type(node) if node else None

    @strawberry.field
    async def municipalities(self, info: Info, filter: MunicipalityFilter | None = None, first: int | None = 20,
                             after: str | None = None, order_by: OrderBy | None = None) -> Connection[Municipality]:
        where = await municipality_where(info, filter) if filter else ([], {})
        return await _top_level(info, "Municipality", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def organizations(self, info: Info, filter: OrganizationFilter | None = None, first: int | None = 20,
                            after: str | None = None, order_by: OrderBy | None = None
                            ) -> Connection[Organization]:
        where = await organization_where(info, filter) if filter else ([], {})
        return await _top_level(info, "Organization", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def actors(self, info: Info, filter: ActorFilter | None = None, first: int | None = 20,
                     after: str | None = None, order_by: OrderBy | None = None) -> Connection[Actor]:
        where = await actor_where(info, filter) if filter else ([], {})
        return await _top_level(info, "Actor", where, order_by, first, after, OrderField.ID)

    @strawberry.field
    async def solutions(self, info: Info, filter: SolutionFilter | None = None, first: int | None = 20,
                        after: str | None = None, order_by: OrderBy | None = None) -> Connection[Solution]:
        where = await solution_where(info, filter) if filter else ([], {})
        return await _top_level(info, "Solution", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def adoptions(self, info: Info, filter: AdoptionFilter | None = None, first: int | None = 20,
                        after: str | None = None, order_by: OrderBy | None = None) -> Connection[Adoption]:
        where = await adoption_where(info, filter) if filter else ([], {})
        return await _top_level(info, "Adoption", where, order_by, first, after, OrderField.STARTED_ON)

    @strawberry.field(description="Full-text search over names and descriptions of all entities (German-friendly: "
                                  "'Buergerservice' finds 'Bürgerservice').")
    async def search(self, info: Info, text: str, first: int | None = 10) -> list[SearchHit]:
        first = check_first(first)
        context = ctx(info)
        context.queries += 1
        hits = await run_in_threadpool(context.store.search, text, first)
        nodes = [await context.node(node_id) for node_id, _ in hits]
        return [SearchHit(node=to_type(n), score=score) for n, (_, score) in zip(nodes, hits, strict=True) if n]

    @strawberry.field(description="Shortest chains of people and organisations between two nodes (actors, "
                                  "organisations, projects or territories). Edges: " + ", ".join(mission.CONTACT_EDGES))
    async def contact_paths(self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                            to: strawberry.ID, max_hops: int | None = 4, first: int | None = 3) -> list[ContactPath]:
        first = check_first(first)
        from_label, to_label = _check_id(str(from_)), _check_id(str(to))
        if str(from_) == str(to):
            raise GraphQLError("from and to are the same node")
        text = mission.contact_path_query(ctx(info).store.dialect, from_label, to_label, _check_hops(max_hops))
        rows = await ctx(info).query(text, {"start": str(from_), "target": str(to), "limit": mission.PATH_ROW_LIMIT})
        return [_path_to_type(p) for p in mission.rank_paths(rows, first)]

    @strawberry.field(description="Who connects a county administration with its municipalities, strongest first.")
    async def county_municipal_bridges(self, info: Info, county: strawberry.ID, first: int | None = 20) -> list[Bridge]:
        first = check_first(first)
        ranked, _ = mission.bridges(await _county_paths(info, str(county)))
        return [Bridge(node=to_type(b.node), score=round(b.score, 4),
                       municipalities=[to_type(m) for _, m in sorted(b.municipalities.items())])
                for b in ranked[:first]]

    @strawberry.field(description="Municipalities of a county whose every shortest contact path from the county "
                                  "administration runs through a single person (knowledge depends on them).")
    async def key_person_risks(self, info: Info, county: strawberry.ID) -> list[KeyPersonRisk]:
        _, by_target = mission.bridges(await _county_paths(info, str(county)))
        return [KeyPersonRisk(municipality=to_type(m), person=to_type(a), hops=h)
                for m, a, h in mission.key_person_risks(by_target)]

    @strawberry.field(description="Proven solutions a municipality has not adopted yet, ranked, with reasons.")
    async def recommend_solutions(self, info: Info, municipality: strawberry.ID, need: strawberry.ID | None = None,
                                  first: int | None = 5) -> list[Recommendation]:
        first = check_first(first)
        await territory(info, str(municipality), ("Municipality",))
        if need is not None:
            _check_id(str(need), "Concept")
        text = mission.RECOMMEND_FOR_NEED if need else mission.RECOMMEND_ANY
        rows = await ctx(info).query(text, {"municipality": str(municipality), "need": str(need or "")})
        scored = mission.score_recommendations(rows, str(need) if need else None)[:first]
        out = []
        for s in scored:
            adopters = [await ctx(info).node(i) for i in s.nearest]
            out.append(Recommendation(solution=to_type(s.solution), score=s.score, reasons=s.reasons,
                                      nearest_adopters=[to_type(a) for a in adopters if a]))
        return out

    @strawberry.field(description="Adoptions of one solution in the order knowledge travelled (who learned from whom).")
    async def transfer_lineage(self, info: Info, solution: strawberry.ID) -> list[Adoption]:
        _check_id(str(solution), "Solution")
        rows = await ctx(info).query(mission.LINEAGE, {"solution": str(solution)})
        return [to_type(n) for n in mission.lineage_order(rows)]

    @strawberry.field(description="Municipalities of a county (inhabited) with no adoption of any solution in a "
                                  "category or its narrower categories.")
    async def coverage_gaps(self, info: Info, county: strawberry.ID, category: strawberry.ID, first: int | None = 20,
                            after: str | None = None) -> Connection[Municipality]:
        await territory(info, str(county), ("County",))
        _check_id(str(category), "Concept")
        rows = await ctx(info).query(mission.COVERAGE_GAPS, {"county": str(county), "category": str(category)})
        return slice_nodes([r["n"] for r in rows], lambda n: (n.get("name") or "").lower(), first, after, to_type)


async def _territory_by_ars(info: Info, ars: str) -> dict[str, Any] | None:
    """A 12-digit ARS names a municipality, or a higher level when right-padded with zeros.

    The most specific unit wins: a kreisfreie Stadt's ARS is both its county's and its own."""
    rows = await ctx(info).query(cypher.TERRITORY_BY_KEY["ars"], {"ars": ars})
    if rows:
        return rows[0]["n"]
    candidates = []
    if ars.endswith("000"):
        candidates.append(f"Association:{ars[:9]}")
    if ars.endswith("0000000"):
        candidates.append(f"County:{ars[:5]}")
    if ars.endswith("0000000000"):
        candidates.append(f"State:{ars[:2]}")
    for candidate in candidates:
        node = await ctx(info).node(candidate)
        if node:
            return node
    return None
