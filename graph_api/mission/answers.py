"""Each mission question answered from the store's rows: the one entry GraphQL and the named queries call.

Functions are synchronous and take the store's `read(text, params)` and dialect, so a GraphQL
resolver runs them in a worker thread within its request budget and a named query runs them
as they are. Ids are checked first: an unknown id is `NotFound`, an id of the wrong kind `BadInput`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph_api.mission import adoption_index
from graph_api.mission import county as county_analytics
from graph_api.mission import coverage as coverage_analytics
from graph_api.mission import lineage as lineage_analytics
from graph_api.mission import recommend as recommend_analytics
from graph_api.mission.contacts import meet, paths, through_counts
from graph_api.mission.definitions import BRIDGE_LABELS, CONTACT_LABELS, MAX_HOPS, OPEN_NEEDS
from graph_api.mission.errors import BadInput, NotFound
from graph_api.model import TERRITORY_LABELS, label_of
from graph_api.store import mission_reads as reads
from graph_api.store.mission_reads import Read


def require(read: Read, node_id: str, labels: tuple[str, ...], argument: str) -> dict[str, Any]:
    """The node `node_id` if it exists and has one of `labels`."""
    label = label_of(node_id)
    if label is None:
        raise BadInput(argument, f"{argument}: '{node_id}' is not a valid id; ids look like 'Municipality:13076060'")
    if label not in labels:
        raise BadInput(argument, f"{argument}: '{node_id}' is a {label}; expected {' or '.join(labels)}")
    found = reads.node(read, node_id)
    if found is None:
        raise NotFound(argument, f"{argument}: no {label} '{node_id}' in the graph")
    return found


def check_hops(max_hops: int, argument: str = "maxHops") -> int:
    if not 1 <= max_hops <= MAX_HOPS:
        raise BadInput(argument, f"{argument} must be between 1 and {MAX_HOPS}")
    return max_hops


@dataclass
class PathAnswer:
    ids: list[str]
    via: list[str]


def contact_paths(read: Read, dialect: str, start: str, target: str, max_hops: int, first: int
                  ) -> list[PathAnswer]:
    """The first `first` shortest contact paths from `start` to `target` within `max_hops`."""
    check_hops(max_hops)
    require(read, start, CONTACT_LABELS, "from")
    require(read, target, CONTACT_LABELS, "to")
    if start == target:
        raise BadInput("to", "from and to are the same node")
    found, _ = meet([start], [target], lambda ids: reads.contact_neighbours(read, dialect, ids), max_hops)
    layers = found[target]
    return [PathAnswer(ids, via) for ids, via in paths(layers, target, first)] if layers else []


@dataclass
class CountyAnswer:
    county: dict[str, Any]
    max_hops: int
    reach: list[county_analytics.Reach]
    bridges: list[county_analytics.Bridge]
    key_persons: list[county_analytics.KeyPerson]

    @property
    def unreached(self) -> list[county_analytics.Reach]:
        return [r for r in self.reach if r.reason]


def county_contacts(read: Read, dialect: str, county_id: str, max_hops: int) -> CountyAnswer:
    """Reach, bridges and key persons between a county's administration and all its municipalities."""
    check_hops(max_hops)
    county = require(read, county_id, ("County",), "county")
    contacts = reads.Contacts(read, dialect)  # every node's edges read once, those around the county in bulk
    frame = reads.county_frame(read, county, contacts)
    targets = [m["id"] for m in frame["municipalities"]]
    expand = contacts.expand
    found, connected = meet(frame["sources"], targets, expand, max_hops)
    bridges, keys = county_analytics.analyse(frame, found)
    return CountyAnswer(county, max_hops, county_analytics.reach(frame, found, max_hops, expand, connected),
                        bridges, keys)


def brokers(read: Read, dialect: str, county_a: str, county_b: str, max_hops: int) -> tuple[int, dict[str, int]]:
    """Shortest contact paths between each administration of one county and each of the other's:
    how many there are, and how many run through each person, organisation or project on the way."""
    check_hops(max_hops)
    first = require(read, county_a, ("County",), "county_a")
    second = require(read, county_b, ("County",), "county_b")
    if first["id"] == second["id"]:
        raise BadInput("county_b", "county_b is the same county as county_a")
    starts, ends = ([r["id"] for r in read(reads.COUNTY_ADMINISTRATIONS, {"county": c["id"]})] for c in (first, second))
    contacts = reads.Contacts(read, dialect)
    total, through = 0, defaultdict(int)
    for start in sorted(starts):  # every pair of administrations with its own shortest paths
        found, _ = meet([start], [e for e in ends if e != start], contacts.expand, max_hops)
        for end, layers in sorted(found.items()):
            if layers is None:
                continue
            total += layers.sigma[end]
            for node, count in through_counts(layers, end).items():
                if node not in (start, end) and label_of(node) in BRIDGE_LABELS:
                    through[node] += count
    return total, dict(through)


def coverage(read: Read, county_id: str, category_id: str) -> list[coverage_analytics.Coverage]:
    """Every municipality of the county with the active adoptions in the category that cover it."""
    county = require(read, county_id, ("County",), "county")
    require(read, category_id, ("Concept",), "category")
    solutions = [r["id"] for r in read(reads.SOLUTIONS_IN_CATEGORY, {"category": category_id})]
    rows = adoption_index.current(read).rows_of(solutions)
    return coverage_analytics.coverage(reads.county_municipalities(read, county), county, rows)


def recommendations(read: Read, municipality_id: str, need_id: str | None, first: int,
                    sourced_only: bool = False) -> list[recommend_analytics.Scored]:
    """Ranked recommendations for a municipality (optionally only solutions addressing `need_id`).

    `sourced_only` counts only adoptions with a real (non-illustrative) source as evidence."""
    return _recommendations(read, adoption_index.current(read), municipality_id, need_id, first, sourced_only)


def _recommendations(read: Read, index: adoption_index.AdoptionIndex, municipality_id: str, need_id: str | None,
                     first: int, sourced_only: bool) -> list[recommend_analytics.Scored]:
    home = require(read, municipality_id, ("Municipality",), "municipality")
    need = require(read, need_id, ("Concept",), "need") if need_id is not None else None
    county = reads.node(read, f"County:{home['county_ags']}") or {"id": f"County:{home['county_ags']}"}
    home = reads.municipality(read, municipality_id) or home
    candidates = ([index.solution[r["id"]] for r in read(reads.SOLUTIONS_FOR_NEED, {"need": need_id})
                   if r["id"] in index.solution] if need else list(index.solutions))
    places = [home["id"], *([home["_association"]] if home.get("_association") else []), county["id"]]
    # what it took up or what covers it, whatever the source says
    skip = recommend_analytics.excluded(home, county, index.place_rows(places))
    candidates = [s for s in candidates if s["id"] not in skip]
    awards = {s["id"]: index.awards[s["id"]] for s in candidates if s["id"] in index.awards}
    recorded = recorded_needs(read, municipality_id) if need is None else {}  # an argument overrides the log
    if not sourced_only:  # rank every candidate by counts, name the evidence of the first few only
        counts = index.adopter_counts(home, [s["id"] for s in candidates])
        candidates = recommend_analytics.rank(candidates, counts, awards, need, recorded)[:first]
    named = recommend_analytics.NAMED_PER_REASON
    if sourced_only:  # only adopters with a sourced adoption count, and only those adoptions: listed in full
        ids = sorted(s["id"] for s in candidates)
        listed = index.adopters(home, ids, index.sourced)
        found = {}
        for s in ids:
            counted = {a.id: tuple(x for x in index.active_of[a.id][s].adoptions if x in index.sourced)
                       for a in listed.get(s, ())}
            found[s] = recommend_analytics.Found.of(listed.get(s, []), home, counted, named,
                                                    adoption_index.EVIDENCE_MAX, sum(map(len, counted.values())), 0)
    else:
        found = {s["id"]: index.found(home, s["id"], named) for s in candidates}
    return recommend_analytics.score(home, candidates, found, awards, need, recorded)[:first]


def recorded_needs(read: Read, municipality_id: str) -> dict[str, list[dict[str, Any]]]:
    """The municipality's open recorded needs (the needs log) each solution addresses, by solution id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in read(reads.RECORDED_NEEDS, {"home": municipality_id, "open": list(OPEN_NEEDS)}):
        out.setdefault(row["solution"], []).append(row)
    return {k: sorted(v, key=lambda r: (r["need"], r["concept"])) for k, v in out.items()}


@dataclass
class Recommended:
    """Recommendations with what their evidence links to, from one version of the adoption index."""

    scored: list[recommend_analytics.Scored]
    # adoption of any `Found.evidence` -> (its solutions, its adopters, its sources), each by id: what the
    # GraphQL evidence asks of every adoption, known here without a relationship read per kind
    links: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]


def recommendations_with_evidence(read: Read, municipality_id: str, need_id: str | None, first: int,
                                  sourced_only: bool = False) -> Recommended:
    """`recommendations`, each with its evidence (`Scored.found`) and the evidence's links.

    An adopter is illustrative when none of its counted adoptions has a real source (`provenance`'s rule)."""
    index = adoption_index.current(read)
    scored = _recommendations(read, index, municipality_id, need_id, first, sourced_only)
    links = {}
    for adoption in {a for s in scored for a in s.found.evidence}:
        entries = index.entries.get(adoption, ())
        links[adoption] = (tuple(sorted({e.solution for e in entries})), tuple(sorted({e.adopter for e in entries})),
                           index.sources_of.get(adoption, ()))
    return Recommended(scored, links)


# How much of a territory's regional key (ARS) its members share (a municipality: all of it).
TERRITORY_PREFIX = {"State": 2, "County": 5, "Association": 9, "Municipality": 12}


def adoptions_within(read: Read, territory_id: str, statuses: list[str]
                     ) -> list[tuple[adoption_index.Entry, adoption_index.Holder]]:
    """Adoptions with these statuses by adopters inside the territory: a territory whose ARS starts with
    the territory's prefix, or an organisation that administers or serves one; by start date (none
    last), then adoption id."""
    territory = require(read, territory_id, TERRITORY_LABELS, "territory")
    if not territory.get("ars"):
        return []
    prefix = territory["ars"][:TERRITORY_PREFIX[territory["_label"]]]
    found = adoption_index.current(read).within_territory(prefix, set(statuses))
    return sorted(found, key=lambda f: (f[0].started_on is None, f[0].started_on or "", f[0].adoption,
                                        f[0].adopter, f[0].solution))


def lineage(read: Read, solution_id: str) -> list[tuple[dict[str, Any], int, list[str]]]:
    """Adoptions of a solution in lineage order, with their generation and teachers."""
    require(read, solution_id, ("Solution",), "solution")
    return lineage_analytics.order(read(reads.LINEAGE, {"solution": solution_id}))
