"""GraphQL types and resolvers of the mission questions; every answer comes from `graph_api.mission.answers`.

Resolvers only translate: arguments in, `answers.*` in a worker thread within the request's
time budget, nodes loaded through the request's DataLoader, and `MissionInputError` out as a
GraphQL error with `extensions.code` (`NOT_FOUND`, `BAD_USER_INPUT`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from graph_api.mission import answers
from graph_api.mission import recommend as recommend_analytics
from graph_api.mission.errors import MissionInputError
from graph_api.schema import provenance
from graph_api.schema.context import GraphContext, RequestTimedOut
from graph_api.schema.pagination import check_first
from graph_api.schema.types import (
    Actor,
    Adopter,
    Adoption,
    Association,
    County,
    Municipality,
    Node,
    Solution,
    Source,
    to_type,
)
from graph_api.store import QueryTimeout
from graph_api.store.mission_reads import StoreRead

T = TypeVar("T")


def _reader(context: GraphContext) -> StoreRead:
    def read(text: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        context.queries += 1
        return context.store.read(text, dict(params), timeout_ms=context.remaining_ms())
    return StoreRead(context.store, read)


async def answer(info: Info, question: Callable[..., T], *args: Any) -> T:
    """Run one question of `answers` for this request; its input errors become coded GraphQL errors."""
    context: GraphContext = info.context
    try:
        return await run_in_threadpool(question, _reader(context), *args)
    except MissionInputError as exc:
        raise GraphQLError(str(exc), extensions={"code": exc.code, "argument": exc.argument}) from None
    except QueryTimeout as exc:
        raise RequestTimedOut(f"the request exceeded its time limit of {context.timeout_ms} ms") from exc


async def load(info: Info, ids: list[str]) -> list[Any]:
    nodes = await info.context.nodes.load_many(ids)
    return [to_type(n) for n in nodes if n]


# ---- contact paths ---------------------------------------------------------------------------


@strawberry.type
class PathStep:
    node: Node
    via: str | None = strawberry.field(
        description="Relationship type that leads to this node from the previous step (null on the first step).")
    _previous: strawberry.Private[str | None] = None

    @strawberry.field(description="The source that states the link from the previous step (null on the first "
                                  "step, or when no source states the link).")
    async def via_source(self, info: Info) -> Source | None:
        if self._previous is None or self.via is None:
            return None
        found = await provenance.link_source(info, self._previous, self.via, str(self.node.id))
        return to_type(found) if found else None

    @strawberry.field(description="True when this step's node, or its link from the previous step, is illustrative.")
    async def illustrative(self, info: Info) -> bool:
        if await provenance.node_is_illustrative(info, str(self.node.id)):
            return True
        if self._previous is None or self.via is None:
            return False
        return await provenance.link_is_illustrative(info, self._previous, self.via, str(self.node.id))


@strawberry.type(description="One chain of contacts; steps[0] is the start, the last step the target.")
class ContactPath:
    hops: int
    steps: list[PathStep]


# with excludeIllustrative, paths are taken from this many times `first` shortest ones
SOURCED_PATH_POOL = 10


async def contact_paths(info: Info, start: str, target: str, max_hops: int, first: int,
                        exclude_illustrative: bool = False) -> list[ContactPath]:
    wanted = first * SOURCED_PATH_POOL if exclude_illustrative else first
    found = await answer(info, answers.contact_paths, info.context.store.dialect, start, target, max_hops, wanted)
    out = []
    for path in found:
        nodes = await load(info, path.ids)
        steps = [PathStep(node=n, via=None if i == 0 else path.via[i - 1],
                          _previous=None if i == 0 else path.ids[i - 1]) for i, n in enumerate(nodes)]
        if exclude_illustrative and any([await step.illustrative(info) for step in steps]):
            continue
        out.append(ContactPath(hops=len(path.via), steps=steps))
    return out[:first]


# ---- county ↔ municipality contacts -------------------------------------------------------------


@strawberry.enum(description="Why a municipality has no contact path from its county administration.")
class UnreachedReason(Enum):
    BEYOND_MAX_HOPS = "BEYOND_MAX_HOPS"
    NO_OWN_ADMINISTRATION = "NO_OWN_ADMINISTRATION"
    NOT_CONNECTED = "NOT_CONNECTED"
    NO_COUNTY_ADMINISTRATION = "NO_COUNTY_ADMINISTRATION"


@strawberry.type(description="A municipality of the county without a contact path within the hop limit.")
class UnreachedMunicipality:
    municipality: Municipality
    reason: UnreachedReason
    explanation: str


@strawberry.type(description="An actor, organisation or project between a county's administration and its "
                             "municipalities (never a municipality's own administration or staff).")
class Bridge:
    node: Node
    municipalities: list[Municipality]
    score: float = strawberry.field(
        description="Sum over the county's municipalities of the share of their shortest contact paths from the "
                    "county administration that run through this node.")


@strawberry.type(description="A municipality whose every shortest contact path from the county administration runs "
                             "through one person who is not its own staff.")
class KeyPersonRisk:
    municipality: Municipality
    person: Actor
    hops: int
    paths: int = strawberry.field(description="Number of shortest paths (all run through the person).")


@strawberry.type(description="One municipality of the county: how its county administration reaches it, or why not.")
class MunicipalityReach:
    municipality: Municipality
    hops: int | None = strawberry.field(description="Hops of its shortest contact paths; null when not reached.")
    paths: int = strawberry.field(description="Number of shortest contact paths (0 when not reached).")
    reason: UnreachedReason | None
    explanation: str | None


@strawberry.type(description="Every municipality of a county, reached within maxHops or not (with the reason).")
class CountyReach:
    county: County
    max_hops: int
    municipality_count: int
    reached_count: int
    municipalities: list[MunicipalityReach]
    unreached: list[UnreachedMunicipality]


@strawberry.type(description="Key-person risks over every municipality of a county; those not reached are listed.")
class KeyPersonRisks:
    county: County
    max_hops: int
    municipality_count: int
    reached_count: int
    risks: list[KeyPersonRisk]
    unreached: list[UnreachedMunicipality]


async def _unreached(info: Info, found: answers.CountyAnswer) -> list[UnreachedMunicipality]:
    return [UnreachedMunicipality(municipality=to_type(r.municipality), reason=UnreachedReason(r.reason),
                                  explanation=r.explanation or "") for r in found.unreached]


async def county_answer(info: Info, county: str, max_hops: int) -> answers.CountyAnswer:
    """The county question once per request and limit, however many of its fields the request asks for.

    A front end asks for bridges, reach and key persons of a county together; each is a view of the same
    answer (~60 ms CPU at Germany scale), and one answer also keeps the three views consistent with each
    other should the graph change during the request. Concurrent resolvers await the same task."""
    key = ("county_contacts", county, max_hops)
    pending = info.context.mission_answers.get(key)
    if pending is None:
        pending = info.context.mission_answers[key] = asyncio.ensure_future(
            answer(info, answers.county_contacts, info.context.store.dialect, county, max_hops))
    return await pending


async def county_bridges(info: Info, county: str, max_hops: int, first: int) -> list[Bridge]:
    found = await county_answer(info, county, max_hops)
    top = found.bridges[:first]
    nodes = await load(info, [b.id for b in top])
    by_id = {m["id"]: m for m in (r.municipality for r in found.reach)}
    return [Bridge(node=n, score=round(b.score, 4),
                   municipalities=[to_type(by_id[m]) for m in sorted(b.municipalities)])
            for n, b in zip(nodes, top, strict=True)]


async def county_reach(info: Info, county: str, max_hops: int) -> CountyReach:
    found = await county_answer(info, county, max_hops)
    municipalities = [MunicipalityReach(municipality=to_type(r.municipality), hops=r.hops, paths=r.paths,
                                        reason=UnreachedReason(r.reason) if r.reason else None,
                                        explanation=r.explanation) for r in found.reach]
    return CountyReach(county=to_type(found.county), max_hops=max_hops, municipality_count=len(found.reach),
                       reached_count=len(found.reach) - len(found.unreached), municipalities=municipalities,
                       unreached=await _unreached(info, found))


async def key_person_risks(info: Info, county: str, max_hops: int) -> KeyPersonRisks:
    found = await county_answer(info, county, max_hops)
    people = await load(info, [k.person for k in found.key_persons])
    risks = [KeyPersonRisk(municipality=to_type(k.municipality), person=p, hops=k.hops, paths=k.paths)
             for k, p in zip(found.key_persons, people, strict=True)]
    return KeyPersonRisks(county=to_type(found.county), max_hops=max_hops, municipality_count=len(found.reach),
                          reached_count=len(found.reach) - len(found.unreached), risks=risks,
                          unreached=await _unreached(info, found))


# ---- recommendations, lineage, coverage ---------------------------------------------------------


@strawberry.type
class Recommendation:
    solution: Solution
    score: float
    reasons: list[str] = strawberry.field(
        description="Each reason names its evidence: the award by name, or the adopters it counts (the nearest "
                    f"{recommend_analytics.NAMED_PER_REASON} by name, the rest counted), e.g. 'in use by 2 adopters "
                    "elsewhere in the same county: Boizenburg/ Elbe, Stadt, Wittenburg, Stadt' or 'awarded the seal "
                    "'Bewährt vor Ort' (2024)'.")
    nearest_adopters: list[Adopter]
    evidence_count: int = strawberry.field(
        description="How many active adoptions (PILOT, ADOPTED, SCALED) by other adopters the reasons count.")
    adopter_count: int = strawberry.field(description="Distinct adopters behind those adoptions.")
    illustrative_adopter_count: int = strawberry.field(
        description="How many of those adopters are known only from illustrative sample data.")
    _evidence: strawberry.Private[list[str]]
    _links: strawberry.Private[dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]]

    @strawberry.field(description="The first `first` (at most 100) of the adoptions the reasons count, nearest "
                                  "adopter first (as the reasons name them), then by id; each with its sources and "
                                  "whether it is illustrative. `evidenceCount` says how many there are.")
    async def evidence(self, info: Info, first: int | None = 20) -> list[Adoption]:
        ids = self._evidence[:check_first(first)]
        await _prime_links(info, {a: self._links[a] for a in ids if a in self._links})
        return await load(info, ids)


# What `Adoption.solution`, `.adopter`, `.sources` and `.illustrative` read, by relation name (`store.texts`)
_LINKS = ("adoption.solution", "adoption.adopter", "any.sources")


async def _prime_links(info: Info, links: dict[str, tuple[tuple[str, ...], ...]]) -> None:
    """Hand the request's relation loader what the adoption index already knows of these adoptions (their
    solution, adopter and sources), with their nodes in one batch per label: at Germany scale each relation
    read for a page of adoptions scans its relationship table (~70 ms each, measured), the nodes by id ~5 ms."""
    wanted = sorted({node for found in links.values() for group in found for node in group})
    nodes = dict(zip(wanted, await info.context.nodes.load_many(wanted), strict=True))
    for adoption, found in links.items():
        for name, group in zip(_LINKS, found, strict=True):
            if all(nodes.get(node) for node in group):  # rows as the relation read gives them: by node id
                info.context.related.prime((name, adoption), [{"n": nodes[node]} for node in group])


async def recommend(info: Info, municipality: str, need: str | None, first: int,
                    exclude_illustrative: bool = False) -> list[Recommendation]:
    recommended = await answer(info, answers.recommendations_with_evidence, municipality, need, first,
                               exclude_illustrative)
    found = recommended.scored
    adopters = await load(info, [a for scored in found for a in scored.nearest])  # one batch for all
    by_id = {str(a.id): a for a in adopters}
    return [Recommendation(solution=to_type(s.solution), score=s.score, reasons=s.reasons,
                           nearest_adopters=[by_id[a] for a in s.nearest if a in by_id],
                           evidence_count=s.found.evidence_count, adopter_count=s.found.adopters,
                           illustrative_adopter_count=s.found.illustrative, _evidence=s.found.evidence,
                           _links=recommended.links)
            for s in found]


async def lineage(info: Info, solution: str, exclude_illustrative: bool = False) -> list[Adoption]:
    ordered = await answer(info, answers.lineage, solution)
    out = [to_type(node) for node, _, _ in ordered]
    if exclude_illustrative:
        out = [a for a in out if not await provenance.node_is_illustrative(info, str(a.id))]
    return out


@strawberry.type(description="An active adoption that covers a municipality: its own, or via its association or "
                             "county.")
class Cover:
    adoption: Adoption
    via: Association | None = strawberry.field(description="Null when the adoption is the municipality's own.")
    via_county: County | None = strawberry.field(description="Set when the county's adoption covers it.")


@strawberry.type(description="Whether a municipality practises a category, and through which adoptions.")
class MunicipalityCoverage:
    municipality: Municipality
    covered: bool
    covered_by: list[Cover]


async def coverage(info: Info, county: str, category: str) -> list[Any]:
    return await answer(info, answers.coverage, county, category)


async def coverage_entries(info: Info, county: str, category: str) -> list[MunicipalityCoverage]:
    entries = await coverage(info, county, category)
    out = []
    for e in entries:
        adoptions = await load(info, [c.adoption for c in e.covers])
        vias = await info.context.nodes.load_many([c.via or "" for c in e.covers])
        covers = []
        for adoption, via in zip(adoptions, vias, strict=True):
            label = (via or {}).get("_label") or ((via or {}).get("id") or "").partition(":")[0]
            covers.append(Cover(adoption=adoption, via=to_type(via) if via and label == "Association" else None,
                                via_county=to_type(via) if via and label == "County" else None))
        out.append(MunicipalityCoverage(municipality=to_type(e.municipality), covered=e.covered, covered_by=covers))
    return out
