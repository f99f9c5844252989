"""The root `Query`: lookups, top-level lists with keyset pagination, search and the mission queries."""

from __future__ import annotations

import asyncio
import re
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from graph_api.mission import needs_log as mission_needs
from graph_api.mission.coverage import gaps
from graph_api.mission.definitions import CONTACT_EDGE_TYPES, DEFAULT_CONTACT_PATH_HOPS, DEFAULT_COUNTY_HOPS
from graph_api.model import NODE_LABELS
from graph_api.schema import aggregations, history, mission, needs_log
from graph_api.schema.filters import (
    Where,
    actor_where,
    adoption_where,
    municipality_where,
    organization_where,
    solution_where,
)
from graph_api.schema.filters import territory as known_territory
from graph_api.schema.needs_log import OpenNeed
from graph_api.schema.pagination import (
    MAX_FIRST,
    Connection,
    CursorScope,
    PageInfo,
    bad_input,
    build,
    check_first,
    decode_cursor,
    encode_cursor,
    slice_nodes,
)
from graph_api.schema.types import (
    Actor,
    ActorFilter,
    Adoption,
    AdoptionFilter,
    County,
    Municipality,
    MunicipalityFilter,
    NeedStatus,
    Node,
    OrderBy,
    OrderDirection,
    OrderField,
    Organization,
    OrganizationFilter,
    Solution,
    SolutionFilter,
    State,
    Territory,
    ctx,
    to_type,
)

_KEY_RE = re.compile(r"^\d+$")
SEARCHABLE_LABELS = NODE_LABELS


async def _top_level(info: Info, label: str, where: Where, order: OrderBy | None, first: int, after: str | None,
                     default: OrderField) -> Connection[Any]:
    first = check_first(first)
    field = order.field if order else default
    if field is OrderField.NAME and label == "Actor":
        field = OrderField.ID  # restricted names must not leak through their sort order
    descending = bool(order and order.direction is OrderDirection.DESC)
    filters, params = where
    scope = CursorScope.of(field.value, descending, [label, filters, params])
    context = ctx(info)
    rows, total = await context.call(context.store.list_page, label, filters, params, order=field.value,
                                     descending=descending, after=decode_cursor(after, scope) if after else None,
                                     limit=first + 1)
    return build(rows, first, total, after, to_type, scope)


_ALL_TERRITORIES = 1_000  # Germany has 16 Länder and about 400 counties


async def _all(info: Info, label: str) -> list[dict[str, Any]]:
    """Every node of a small territorial level, by id (= official key order)."""
    context = ctx(info)
    rows, _ = await context.call(context.store.list_page, label, [], {}, order="ID", descending=False, after=None,
                                 limit=_ALL_TERRITORIES)
    return [node for _, node in rows]


def sourced_only(where: Where, exclude_illustrative: bool) -> Where:
    """`excludeIllustrative`: keep only nodes with at least one real source (`schema.provenance`)."""
    fragments, params = where
    return ([*fragments, "sourced_only"], params) if exclude_illustrative else where


SourcedOnly = Annotated[bool, strawberry.argument(
    description="Only sourced facts: leave out what only illustrative sample data states.")]


def hops_or_default(max_hops: int | None, default: int) -> int:
    """An explicit `maxHops: null` means the question's documented default, as an omitted argument does."""
    return default if max_hops is None else max_hops


@strawberry.type
class SearchHit:
    node: Node
    score: float = strawberry.field(description="Higher is better; it orders hits as explained in `search`.")


SearchType = strawberry.enum(Enum("SearchType", {re.sub(r"(?<!^)(?=[A-Z])", "_", label).upper(): label
                                                 for label in SEARCHABLE_LABELS}),
                             description="Kinds of node a search may be limited to.")
_SEARCH_HELP = ("Search over names and descriptions (German spellings fold: 'Buergerservice' finds 'Bürgerservice'). "
                "Words match as prefixes and plural stems ('Chatbots' finds 'Chatbot …'), hyphenated and joined "
                "spellings meet ('Klima-Werkstatt' = 'Klimawerkstatt'); when that finds too little, misspelt words "
                "of five letters or more match within one edit, of eight or more within two ('Hagenwo', 'Ratzebrug', "
                "'Möln'). An official key finds its territory (AGS 2/5/8 digits, ARS 9/12, postcode). Ranking: the "
                "key, then names that are the query, then names holding every word, territories and organisations "
                "before solutions, concepts and people; then text relevance. Restricted people are found only by "
                "their role label.")
MAX_SEARCH_OFFSET = 1_000  # paging reaches this far into the ranked hits


def _search_types(types: list[Any] | None) -> list[str] | None:
    return [t.value for t in types] if types is not None else None


@strawberry.type
class SearchHitEdge:
    cursor: str
    node: SearchHit


@strawberry.type
class SearchHitConnection:
    edges: list[SearchHitEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description=f"Hits found (counted up to {MAX_SEARCH_OFFSET}).")


WithOpenNeed = Annotated[bool, strawberry.argument(
    description="Only gaps whose municipality (or its administration) recorded an open need that a solution of the "
                "category addresses (the needs log).")]


@strawberry.type
class Query:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        found = await ctx(info).node(str(id))
        return to_type(found) if found else None

    @strawberry.field(description=f"Nodes by id, in the order asked; null for an unknown id (at most {MAX_FIRST}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_FIRST:
            raise ValueError(f"{len(ids)} ids asked; at most {MAX_FIRST} per request")
        found = await asyncio.gather(*(ctx(info).node(str(i)) for i in ids))  # one batch through the loader
        return [to_type(n) if n else None for n in found]

    @strawberry.field(description="Every Land, by official key.")
    async def states(self, info: Info) -> list[State]:
        return [to_type(n) for n in await _all(info, "State")]

    @strawberry.field(description="Every county (Kreis, kreisfreie Stadt, ...) by official key; of one Land when "
                                  "`state` is given.")
    async def counties(self, info: Info, state: strawberry.ID | None = None) -> list[County]:
        if state is None:
            return [to_type(n) for n in await _all(info, "County")]
        await known_territory(info, str(state), ("State",))
        rows = await ctx(info).kids("state.counties", str(state))
        nodes = await ctx(info).nodes.load_many([r["id"] for r in sorted(rows, key=lambda r: r["id"])])
        return [to_type(n) for n in nodes if n]

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
                             after: str | None = None, order_by: OrderBy | None = None,
                             exclude_illustrative: SourcedOnly = False) -> Connection[Municipality]:
        where = sourced_only(await municipality_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await _top_level(info, "Municipality", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def organizations(self, info: Info, filter: OrganizationFilter | None = None, first: int | None = 20,
                            after: str | None = None, order_by: OrderBy | None = None,
                            exclude_illustrative: SourcedOnly = False
                            ) -> Connection[Organization]:
        where = sourced_only(await organization_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await _top_level(info, "Organization", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def actors(self, info: Info, filter: ActorFilter | None = None, first: int | None = 20,
                     after: str | None = None, order_by: OrderBy | None = None,
                     exclude_illustrative: SourcedOnly = False) -> Connection[Actor]:
        where = sourced_only(await actor_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await _top_level(info, "Actor", where, order_by, first, after, OrderField.ID)

    @strawberry.field
    async def solutions(self, info: Info, filter: SolutionFilter | None = None, first: int | None = 20,
                        after: str | None = None, order_by: OrderBy | None = None,
                        exclude_illustrative: SourcedOnly = False) -> Connection[Solution]:
        where = sourced_only(await solution_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await _top_level(info, "Solution", where, order_by, first, after, OrderField.NAME)

    @strawberry.field
    async def adoptions(self, info: Info, filter: AdoptionFilter | None = None, first: int | None = 20,
                        after: str | None = None, order_by: OrderBy | None = None,
                        exclude_illustrative: SourcedOnly = False) -> Connection[Adoption]:
        where = sourced_only(await adoption_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await _top_level(info, "Adoption", where, order_by, first, after, OrderField.STARTED_ON)

    @strawberry.field(description="Adoption counts by status, start year, county and category for charts, over "
                                  "the same filter as `adoptions` (counts adoptions, not adopters).")
    async def adoption_stats(self, info: Info, filter: AdoptionFilter | None = None,
                             exclude_illustrative: SourcedOnly = False) -> aggregations.AdoptionStats:
        where = sourced_only(await adoption_where(info, filter) if filter else ([], {}), exclude_illustrative)
        return await aggregations.adoption_stats(info, where)

    @strawberry.field(description=_SEARCH_HELP)
    async def search(self, info: Info, text: str, first: int | None = 10,
                     types: list[SearchType] | None = None) -> list[SearchHit]:  # type: ignore[valid-type]
        first = check_first(first)
        context = ctx(info)
        hits, _ = await context.call(context.store.search_nodes, _search_text(text), first,
                                     types=_search_types(types))
        return [SearchHit(node=to_type(node), score=score) for node, score in hits]

    @strawberry.field(description="`search` as a connection, for paging with `after`: " + _SEARCH_HELP)
    async def search_page(self, info: Info, text: str, first: int | None = 10, after: str | None = None,
                          types: list[SearchType] | None = None  # type: ignore[valid-type]
                          ) -> SearchHitConnection:
        first = check_first(first)
        text = _search_text(text)
        scope = CursorScope.of("RELEVANCE", where=["search", text, _search_types(types)])
        offset = 0
        if after is not None:
            position, _ = decode_cursor(after, scope)
            if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < MAX_SEARCH_OFFSET:
                raise bad_input("invalid cursor: pass an endCursor from a previous page")
            offset = position + 1
        first = min(first, MAX_SEARCH_OFFSET - offset)
        context = ctx(info)
        hits, total = await context.call(context.store.search_nodes, text, first, types=_search_types(types),
                                         offset=offset)
        edges = [SearchHitEdge(cursor=encode_cursor(offset + i, node["id"], scope),
                               node=SearchHit(node=to_type(node), score=score)) for i, (node, score) in enumerate(hits)]
        return SearchHitConnection(
            edges=edges, total_count=min(total, MAX_SEARCH_OFFSET),
            page_info=PageInfo(has_next_page=offset + len(edges) < min(total, MAX_SEARCH_OFFSET),
                               has_previous_page=offset > 0, start_cursor=edges[0].cursor if edges else None,
                               end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="Shortest contact paths between two actors, organisations, projects or "
                                  "territories (fewest hops, then by the ids along the way). Edges and limits: "
                                  "docs/mission.md. Edges: " + ", ".join(CONTACT_EDGE_TYPES))
    async def contact_paths(self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                            to: strawberry.ID, max_hops: int | None = DEFAULT_CONTACT_PATH_HOPS,
                            first: int | None = 3, exclude_illustrative: SourcedOnly = False
                            ) -> list[mission.ContactPath]:
        hops = hops_or_default(max_hops, DEFAULT_CONTACT_PATH_HOPS)
        return await mission.contact_paths(info, str(from_), str(to), hops, check_first(first),
                                           exclude_illustrative)

    @strawberry.field(description="Who connects a county administration with its municipalities, strongest first, "
                                  "counted over every municipality reached within maxHops; `countyReach` lists "
                                  "those not reached, with the reason.")
    async def county_municipal_bridges(self, info: Info, county: strawberry.ID,
                                       max_hops: int | None = DEFAULT_COUNTY_HOPS,
                                       first: int | None = 20) -> list[mission.Bridge]:
        hops = hops_or_default(max_hops, DEFAULT_COUNTY_HOPS)
        return await mission.county_bridges(info, str(county), hops, check_first(first))

    @strawberry.field(description="Every municipality of a county: hops and number of shortest contact paths from the "
                                  "county administration, or why it is not reached within maxHops.")
    async def county_reach(self, info: Info, county: strawberry.ID,
                           max_hops: int | None = DEFAULT_COUNTY_HOPS) -> mission.CountyReach:
        hops = hops_or_default(max_hops, DEFAULT_COUNTY_HOPS)
        return await mission.county_reach(info, str(county), hops)

    @strawberry.field(description="Municipalities of a county whose every shortest contact path from the county "
                                  "administration runs through one person who is not their own staff; every "
                                  "municipality not reached within maxHops is listed with the reason.")
    async def key_person_risks(self, info: Info, county: strawberry.ID,
                               max_hops: int | None = DEFAULT_COUNTY_HOPS) -> mission.KeyPersonRisks:
        hops = hops_or_default(max_hops, DEFAULT_COUNTY_HOPS)
        return await mission.key_person_risks(info, str(county), hops)

    @strawberry.field(description="Solutions a municipality has not taken up and that do not already cover it via "
                                  "its association or county, ranked; every reason names its evidence.")
    async def recommend_solutions(self, info: Info, municipality: strawberry.ID, need: strawberry.ID | None = None,
                                  first: int | None = 5, exclude_illustrative: SourcedOnly = False
                                  ) -> list[mission.Recommendation]:
        return await mission.recommend(info, str(municipality), str(need) if need is not None else None,
                                       check_first(first), exclude_illustrative)

    @strawberry.field(description="The Lotse's view of the needs log: needs of a county, its Ämter and "
                                  "municipalities and their administrations (default: OPEN and MATCHED), newest "
                                  "first, each with its best matches (`first` per need).")
    async def open_needs(self, info: Info, county: strawberry.ID, first: int | None = 3,
                         status: list[NeedStatus] | None = None) -> list[OpenNeed]:
        return await needs_log.open_needs(info, str(county), check_first(first), status)

    @strawberry.field(description="Adoptions of one solution in the order knowledge travelled: by generation "
                                  "(longest chain of teachers), then start date, then id.")
    async def transfer_lineage(self, info: Info, solution: strawberry.ID,
                               exclude_illustrative: SourcedOnly = False) -> list[Adoption]:
        return await mission.lineage(info, str(solution), exclude_illustrative)

    @strawberry.field(description="Inhabited municipalities of a county with no active adoption (PILOT, ADOPTED, "
                                  "SCALED) in a category or a narrower one — neither their own nor via their "
                                  "association or county.")
    async def coverage_gaps(self, info: Info, county: strawberry.ID, category: strawberry.ID, first: int | None = 20,
                            after: str | None = None, with_open_need: WithOpenNeed = False
                            ) -> Connection[Municipality]:
        entries = await mission.coverage(info, str(county), str(category))
        found = gaps(entries)
        if with_open_need:
            needing = await mission.answer(info, mission_needs.municipalities_needing, str(category))
            found = [m for m in found if m["id"] in needing]
        return slice_nodes(found, lambda n: (n.get("name") or "").lower(), first, after, to_type,
                           CursorScope.of("NAME", where=["coverageGaps", str(county), str(category),
                                                         *(["withOpenNeed"] if with_open_need else [])]))

    @strawberry.field(description="Every municipality of a county and the active adoptions in a category that cover "
                                  "it: its own, or via its association or county (never silently merged).")
    async def coverage(self, info: Info, county: strawberry.ID, category: strawberry.ID
                       ) -> list[mission.MunicipalityCoverage]:
        return await mission.coverage_entries(info, str(county), str(category))

    @strawberry.field(description="The change history (token holders only): every mutation and load, oldest "
                                  "first; `since` is an ISO date or timestamp (UTC), `id` one node's history.")
    async def changes(self, info: Info, since: str | None = None, id: strawberry.ID | None = None,
                      first: int = 100) -> list[history.Change]:
        return await history.changes(info, since, str(id) if id is not None else None, first)


MAX_SEARCH_TEXT = 200  # characters: a name or a few words; longer texts are not searches


def _search_text(text: str) -> str:
    if len(text) > MAX_SEARCH_TEXT:
        raise bad_input(f"the search text has {len(text)} characters; at most {MAX_SEARCH_TEXT}")
    return text


async def _territory_by_ars(info: Info, ars: str) -> dict[str, Any] | None:
    """A 12-digit ARS names a municipality, or a higher level when right-padded with zeros.

    The most specific unit wins: a kreisfreie Stadt's ARS is both its county's and its own."""
    context = ctx(info)
    found = await context.call(context.store.municipality_by_ars, ars)
    if found:
        return found
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
