"""Every adoption with its solution, adopter and places, read once per version of the data.

Ranking all candidate solutions for one municipality needs, per solution, its distinct active
adopters at each distance from that municipality. Counted in the store, that is a pass over all
adoptions per request (~1 s for 100,000 adoptions at Germany scale, measured in
`bench/mission.py`); reading the adoptions once (~2 s) and answering from this index takes a few
milliseconds. The index is kept per store and replaced as soon as the store's `data_version`
changes, so no answer is computed from an older graph than a plain read would see. A `read`
that does not name its store (`mission_reads.StoreRead`) gets a fresh index every time.

The rows it hands out have the shape of `mission_reads.ADOPTIONS_OF_SOLUTIONS` (one per adoption and
administered place), so the analytics (`coverage`, `recommend`) work on either.
"""

from __future__ import annotations

import gc
import threading
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graph_api.mission.definitions import ACTIVE, SIMILAR_SIZE_FACTOR
from graph_api.mission.recommend import Adopter, similar_size
from graph_api.model import label_of
from graph_api.store import mission_reads as reads
from graph_api.store.mission_reads import Read


class Holder(NamedTuple):
    """An adopter: its label, name, regional key and population (territories), and for an
    organisation the places it administers and the places it serves."""

    id: str
    label: str
    name: str | None
    ars: str | None
    population: int | None
    administers: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()


class Entry(NamedTuple):
    """One (adoption, adopter) pair of one solution."""

    solution: str
    adoption: str
    status: str
    started_on: str | None
    adopter: str


@dataclass
class AdopterCounts:
    """Distinct active adopters of one solution by level (3 = same association ... 0 = elsewhere) and
    how many are municipalities of similar size."""

    levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    similar: int = 0


class _Keys(NamedTuple):
    """What ranks an adopter for a home: the first 9, 5 and 2 digits of each regional key it stands
    for (its own, or its administered places'), and a municipality's population (for 'similar size')."""

    k9: frozenset[str]
    k5: frozenset[str]
    k2: frozenset[str]
    similar_population: int | None


class _Active(NamedTuple):
    """A distinct active adopter of one solution and its active adoptions of it."""

    holder: Holder
    keys: _Keys
    adoptions: tuple[str, ...]


class _Near:
    """`recommend.proximity` of a home to an adopter's keys, the best one counting, by key prefixes."""

    def __init__(self, home: dict[str, Any]):
        ars = home.get("ars") or ""
        self.k9 = ars[:9] if ars[5:9] != "0000" else None
        self.k5, self.k2 = ars[:5], ars[:2]

    def level(self, keys: _Keys) -> int:
        if self.k9 is not None and self.k9 in keys.k9:
            return 3
        return 2 if self.k5 in keys.k5 else 1 if self.k2 in keys.k2 else 0


class AdoptionIndex:
    """The adoptions of the whole graph, grouped the ways the mission questions ask for them."""

    def __init__(self, solutions: list[dict[str, Any]], awards: list[dict[str, Any]], entries: list[Entry],
                 holders: dict[str, Holder], places: dict[str, dict[str, Any]], sourced: set[str]):
        self.solutions = sorted(solutions, key=lambda s: s["id"])
        self.solution = {s["id"]: s for s in self.solutions}
        self.awards: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in awards:
            self.awards[row["solution"]].append(row)
        self.places = places  # territory id -> {"ars", "name"}
        self.sourced = sourced  # adoptions with a real (non-illustrative) source
        self.by_solution: dict[str, list[Entry]] = defaultdict(list)
        self.by_holder: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            self.by_solution[entry.solution].append(entry)
            self.by_holder[entry.adopter].append(entry)
        # an adopter missing from the territory and organisation tables (another label) stands for nothing
        self.holders = {h: holders.get(h) or Holder(h, label_of(h) or "", None, None, None) for h in self.by_holder}
        self.by_place: dict[str, list[tuple[Entry, str | None]]] = defaultdict(list)
        for holder_id, found in self.by_holder.items():
            holder = self.holders[holder_id]
            if holder.label == "Organization":
                for place in holder.administers:
                    self.by_place[place] += [(entry, place) for entry in found]
            else:
                self.by_place[holder_id] += [(entry, None) for entry in found]
        self._keys_of = {h: self._keys(h) for h in self.by_holder}
        self._count_active()

    # ---- rows in the shape of ADOPTIONS_OF_SOLUTIONS ------------------------------------------
    def _rows(self, entry: Entry, place: str | None = None) -> list[dict[str, Any]]:
        holder = self.holders[entry.adopter]
        base = {"solution": entry.solution, "adoption": entry.adoption, "status": entry.status,
                "adopter": entry.adopter, "adopter_name": holder.name, "adopter_ars": holder.ars,
                "adopter_population": holder.population}
        targets = [place] if place is not None else list(holder.administers) or [None]
        return [{**base, "place": t, "place_ars": self.places.get(t, {}).get("ars") if t else None,
                 "place_name": self.places.get(t, {}).get("name") if t else None} for t in targets]

    def rows_of(self, solution_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Adoption rows of these solutions, one per adoption and administered place."""
        return [row for s in solution_ids for entry in self.by_solution.get(s, ()) for row in self._rows(entry)]

    def place_rows(self, places: Iterable[str]) -> list[dict[str, Any]]:
        """Adoption rows by these places or by organisations that administer them (the row's place)."""
        return [row for p in dict.fromkeys(places) for entry, place in self.by_place.get(p, ())
                for row in self._rows(entry, place)]

    # ---- ranking: distinct active adopters per solution, by distance --------------------------
    def _keys(self, holder_id: str) -> _Keys:
        holder = self.holders[holder_id]
        if holder.label == "Organization":
            keys = [a for a in (self.places.get(p, {}).get("ars") for p in holder.administers) if a]
        else:
            keys = [holder.ars] if holder.ars else []
        return _Keys(frozenset(k[:9] for k in keys), frozenset(k[:5] for k in keys), frozenset(k[:2] for k in keys),
                     holder.population if holder.label == "Municipality" else None)

    def _count_active(self) -> None:
        """Per solution its distinct active adopters (sorted by id) and how many lie within each key prefix."""
        adoptions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for solution, found in self.by_solution.items():
            for entry in found:
                if entry.status in ACTIVE:
                    adoptions[solution][entry.adopter].append(entry.adoption)
        self.active: dict[str, list[_Active]] = {}
        self.active_of: dict[str, dict[str, _Active]] = defaultdict(dict)  # adopter -> solution -> itself
        # within[(n, key)][solution]: distinct active adopters with a regional key whose first n digits are `key`
        self.within: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        populations: dict[str, list[int]] = defaultdict(list)
        for solution, by_adopter in adoptions.items():
            refs = [_Active(self.holders[a], self._keys_of[a], tuple(found)) for a, found in sorted(by_adopter.items())]
            self.active[solution] = refs
            for ref in refs:
                self.active_of[ref.holder.id][solution] = ref
                for n, keys in ((9, ref.keys.k9), (5, ref.keys.k5), (2, ref.keys.k2)):
                    for key in keys:
                        self.within[(n, key)][solution] += 1
                if ref.keys.similar_population:
                    populations[solution].append(ref.keys.similar_population)
        self.populations = {s: sorted(p) for s, p in populations.items()}

    def adopter_counts(self, home: dict[str, Any], solution_ids: Iterable[str]) -> dict[str, AdopterCounts]:
        """Per solution: how many adopters `adopters` would list at each level, and how many of them are
        municipalities of similar size, without listing them."""
        near = _Near(home)
        association = self.within.get((9, near.k9), {}) if near.k9 is not None else {}
        county, state = self.within.get((5, near.k5), {}), self.within.get((2, near.k2), {})
        population = home.get("population")
        out = {}
        for s in solution_ids:
            refs = self.active.get(s, ())
            total, a, c, st = len(refs), association.get(s, 0), county.get(s, 0), state.get(s, 0)
            similar = self._similar(s, population)
            own = self.active_of.get(home["id"], {}).get(s)
            if own is not None:  # the home's own adoption is no evidence for it
                level, own_population = near.level(own.keys), own.keys.similar_population
                total, a, c, st = total - 1, a - (level >= 3), c - (level >= 2), st - (level >= 1)
                similar -= int(bool(own_population) and similar_size(population, own_population))
            out[s] = AdopterCounts([total - st, st - c, c - a, a], similar)
        return out

    def _similar(self, solution: str, population: int | None) -> int:
        """How many of the solution's active municipality adopters are of similar size (`similar_size`)."""
        found = self.populations.get(solution)
        if not found or not population:
            return 0
        # both conditions of `similar_size` are monotone in the other population: bisect near the
        # bounds, then let the one definition decide the values at the edges
        low = bisect_left(found, population / SIMILAR_SIZE_FACTOR * (1 - 1e-9))
        while low < len(found) and not found[low] * SIMILAR_SIZE_FACTOR >= population:
            low += 1
        high = bisect_left(found, population * SIMILAR_SIZE_FACTOR * (1 - 1e-9), lo=low)
        while high < len(found) and population * SIMILAR_SIZE_FACTOR >= found[high]:
            high += 1
        return high - low

    def adopters(self, home: dict[str, Any], solution_ids: Iterable[str], adoptions: set[str] | None = None
                 ) -> dict[str, list[Adopter]]:
        """Per solution: its distinct active adopters other than `home` (only those with an adoption
        among `adoptions` if given), sorted by id, each at its nearest level to `home`."""
        near = _Near(home)
        out: dict[str, list[Adopter]] = {}
        for solution in solution_ids:
            found = [Adopter(r.holder.id, r.holder.name or r.holder.id, near.level(r.keys), r.holder.population,
                             r.holder.label == "Municipality")
                     for r in self.active.get(solution, ()) if r.holder.id != home["id"] and (
                         adoptions is None or not adoptions.isdisjoint(r.adoptions))]
            if found:
                out[solution] = found
        return out

    # ---- territory: adoptions whose adopter lies inside a regional key ------------------------
    def within_territory(self, prefix: str, statuses: set[str]) -> list[tuple[Entry, Holder]]:
        """Adoptions (with these statuses) by a territory whose key starts with `prefix`, or by an
        organisation that administers or serves one."""
        out = []
        for holder_id, entries in self.by_holder.items():
            holder = self.holders[holder_id]
            if holder.label == "Organization":
                keys = [self.places.get(p, {}).get("ars") for p in (*holder.administers, *holder.serves)]
            else:
                keys = [holder.ars]
            if any(k is not None and k.startswith(prefix) for k in keys):
                out += [(e, holder) for e in entries if e.status in statuses]
        return out


def build(read: Read) -> AdoptionIndex:
    """Read every adoption, its adopter and the places of adopting organisations.

    The cyclic garbage collector is paused while the ~300,000 objects of a Germany-scale index are
    made (they hold no cycles; measured: a third of the build went to collections that found nothing)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(read)
    finally:
        if paused:
            gc.enable()


def _build(read: Read) -> AdoptionIndex:
    rows = reads.index_rows(read)
    holders: dict[str, Holder] = {}
    places: dict[str, dict[str, Any]] = {}
    for row in rows["territories"]:
        places[row["id"]] = {"ars": row["ars"], "name": row["name"]}
        holders[row["id"]] = Holder(row["id"], label_of(row["id"]) or "", row["name"], row["ars"], row["population"])
    administers: dict[str, list[str]] = defaultdict(list)
    serves: dict[str, list[str]] = defaultdict(list)
    for row in rows["administers"]:
        administers[row["o"]].append(row["place"])
    for row in rows["serves"]:
        serves[row["o"]].append(row["place"])
    for row in rows["organisations"]:
        holders[row["id"]] = Holder(row["id"], "Organization", row["name"], None, None,
                                    tuple(sorted(set(administers.get(row["id"], ())))),
                                    tuple(sorted(set(serves.get(row["id"], ())))))
    entries = [Entry(r["solution"], r["adoption"], r["status"], r["started_on"], r["adopter"])
               for r in rows["adoptions"]]
    return AdoptionIndex(rows["solutions"], rows["awards"], entries, holders, places,
                         {r["id"] for r in rows["sourced"]})


_KEPT: weakref.WeakKeyDictionary[Any, tuple[Hashable, AdoptionIndex]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_BUILDING: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()


def current(read: Read) -> AdoptionIndex:
    """The index for the data `read` sees now: kept per store while its `data_version` stays the same."""
    store = getattr(read, "store", None)
    if store is None or store.data_version() is None:
        return build(read)
    with _LOCK:
        building = _BUILDING.setdefault(store, threading.Lock())
    with building:  # one build per store at a time; the others wait for it instead of building too
        version = store.data_version()
        kept = _KEPT.get(store)
        if kept is not None and kept[0] == version:
            return kept[1]
        # the version was read first: a write in between leaves a newer one. The build reads without the
        # caller's time budget: a request that gives up waiting leaves a finished index to the next one,
        # instead of every request starting a build it cannot finish (~5 s at Germany scale under load)
        index = build(lambda text, params: store.read(text, dict(params)))
        _KEPT[store] = (version, index)
        return index
