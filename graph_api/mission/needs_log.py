"""The Lotse's view of the needs log: the open needs of a county, each with its best matches.

A need of a municipality is matched by the municipality's own recommendations (`answers.recommendations`,
which already weighs its open recorded needs), keeping those that address this need; a need of an
Amt, a county or an organisation has no municipality to rank for, so its matches are the solutions
addressing what it concerns, ranked by their distinct active adopters (the first 'Bewährt vor Ort'
criterion). Either way each match names why it matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_api.mission import answers
from graph_api.mission.adoption_index import current
from graph_api.mission.answers import require
from graph_api.mission.definitions import ACTIVE, OPEN_NEEDS
from graph_api.model import label_of
from graph_api.store import mission_reads as reads
from graph_api.store.mission_reads import Read

# how many recommendations of a municipality are searched for the ones that answer one of its needs
_SEARCH_DEPTH = 10_000


@dataclass
class Match:
    solution: str
    score: float
    reasons: list[str]


@dataclass
class NeedMatches:
    need: str
    holder: str
    matches: list[Match] = field(default_factory=list)


def open_needs(read: Read, county_id: str, first: int, statuses: tuple[str, ...] = OPEN_NEEDS) -> list[NeedMatches]:
    """The county's needs in `statuses`, newest first, each with its `first` best matches."""
    require(read, county_id, ("County",), "county")
    rows = read(reads.NEEDS_IN_COUNTY, {"county": county_id, "statuses": list(statuses)})
    out = [NeedMatches(r["need"], r["holder"]) for r in rows]
    addressing: dict[str, dict[str, str]] = {}  # need -> solution -> label of the concept it answers
    for row in read(reads.SOLUTIONS_FOR_NEEDS, {"needs": [n.need for n in out]}):
        addressing.setdefault(row["need"], {}).setdefault(row["solution"], row.get("label") or row["concept"])
    recommended: dict[str, list[Any]] = {}
    index = current(read)
    for entry in out:
        fits = addressing.get(entry.need, {})
        if label_of(entry.holder) == "Municipality":
            if entry.holder not in recommended:
                recommended[entry.holder] = answers.recommendations(read, entry.holder, None, _SEARCH_DEPTH)
            entry.matches = [Match(s.solution["id"], s.score, s.reasons) for s in recommended[entry.holder]
                             if s.solution["id"] in fits][:first]
            continue
        counted = sorted(((len({e.adopter for e in index.entries_of_solution(s) if e.status in ACTIVE}), s)
                          for s in fits), key=lambda x: (-x[0], x[1]))
        entry.matches = [Match(s, float(n), [f"addresses '{fits[s]}'", f"in use by {n} adopter{'s' if n != 1 else ''}"])
                         for n, s in counted[:first]]
    return out


def municipalities_needing(read: Read, category_id: str) -> set[str]:
    """Municipalities with an open recorded need (their own or their administration's) that a solution of the
    category addresses: the coverage gaps a Lotse can fill first."""
    rows = read(reads.NEEDING_CATEGORY, {"category": category_id, "open": list(OPEN_NEEDS)})
    return {r["administered"] or r["holder"] for r in rows
            if label_of(r["administered"] or r["holder"]) == "Municipality"}
