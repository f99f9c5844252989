"""GraphQL of the needs log's Lotse view: open needs per county with their best matches."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph_api.mission import needs_log
from graph_api.schema.mission import answer, load
from graph_api.schema.types import Need, NeedStatus, Node, Solution


@strawberry.type(description="A solution that answers a recorded need, with its score and the reasons.")
class NeedMatch:
    solution: Solution
    score: float = strawberry.field(description="For a municipality's need its recommendation score; otherwise "
                                                "the solution's distinct active adopters.")
    reasons: list[str]


@strawberry.type(description="One entry of the needs log with its best matches.")
class OpenNeed:
    need: Need
    needed_by: Node
    best_matches: list[NeedMatch]


async def open_needs(info: Info, county: str, first: int, status: list[NeedStatus] | None) -> list[OpenNeed]:
    statuses = tuple(s.value for s in status) if status else needs_log.OPEN_NEEDS
    found = await answer(info, needs_log.open_needs, county, first, statuses)
    out = []
    for entry in found:
        need, holder = await load(info, [entry.need, entry.holder])
        solutions = await load(info, [m.solution for m in entry.matches])
        out.append(OpenNeed(need=need, needed_by=holder, best_matches=[
            NeedMatch(solution=s, score=m.score, reasons=m.reasons)
            for s, m in zip(solutions, entry.matches, strict=True)]))
    return out
