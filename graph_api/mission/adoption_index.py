"""Every adoption with its solution, adopter and places, read once and then kept up to date by writes.

Ranking all candidate solutions for one municipality needs, per solution, its distinct active
adopters at each distance from that municipality. Counted in the store, that is a pass over all
adoptions per request (~1 s for 100,000 adoptions at Germany scale, measured in
`bench/mission.py`); reading the adoptions once (~1.2 s) and answering from this index takes a few
milliseconds.

The index is kept per store with the `data_version` it reflects. When the version moves on, the
store's journal (`Store.changed_since`) names the nodes the writes in between touched; only their
rows are read again and only the solutions and adopters they concern are counted again
(`AdoptionIndex.refresh`), so a write costs the next question milliseconds instead of a rebuild.
When the journal cannot say (a raw transaction, a bulk load, another process's write) or a write
touched more than `REFRESH_MAX` nodes, the index is built anew. Either way no answer is computed
from an older graph than a plain read would see. A `read` that does not name its store
(`mission_reads.StoreRead`) gets a fresh index every time.

The rows it hands out have the shape of the coverage rows (one per adoption and administered
place), so the analytics (`coverage`, `recommend`) work on either.
"""

from __future__ import annotations

import gc
import heapq
import math
import threading
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graph_api.mission.definitions import ACTIVE, SIMILAR_SIZE_FACTOR
from graph_api.mission.recommend import NEAREST_SHOWN, Adopter, Found, nearest_first, similar_size
from graph_api.model import label_of
from graph_api.store import adoption_reads
from graph_api.store.mission_reads import Read

REFRESH_MAX = 2_000  # touched nodes above which a rebuild is cheaper than reading them one by one
EVIDENCE_MAX = 100  # adoptions `Found.evidence` lists (the most `Recommendation.evidence` pages)


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
    """A distinct active adopter of one solution, its active adoptions of it (sorted), and whether none
    of them has a real source (then it is known only from illustrative data)."""

    holder: Holder
    keys: _Keys
    adoptions: tuple[str, ...]
    shaky: bool

    @property
    def size(self) -> int:
        return self.holder.population or 1  # as `recommend.nearest_first` compares sizes


@dataclass
class _Adopters:
    """The distinct active adopters of one solution, arranged for answering any home quickly: by id, by key
    prefix, and by size in both directions (the nearest in size to a home are found by walking outwards)."""

    refs: list[_Active]  # by id
    members: dict[tuple[int, str], list[_Active]]  # (9|5|2, key prefix) -> adopters standing for such a key
    upward: list[_Active]  # by (size, id)
    upward_sizes: list[int]
    downward: list[_Active]  # by (-size, id)
    downward_sizes: list[int]  # negated sizes, ascending
    populations: list[int]  # sorted populations of the municipality adopters (for 'similar size')
    adoptions: int
    shaky: int


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
    """The adoptions of the whole graph, grouped the ways the mission questions ask for them.

    Primary data (as read): solutions, awards, territories and organisations (`known`), the entries of
    each adoption and which adoptions have a real source. Everything else is derived per solution and per
    adopter, so a write re-derives only what it touched (`refresh`)."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]]):
        self._owned: set[int] | None = None  # None: every inner container is this index's own (see `_own`)
        self.solution: dict[str, dict[str, Any]] = {s["id"]: s for s in rows["solutions"]}
        self.awards: dict[str, list[dict[str, Any]]] = {}
        for row in rows["awards"]:
            self._own(self.awards, row["solution"], list).append(row)
        self.places: dict[str, dict[str, Any]] = {}  # territory id -> {"ars", "name"}
        self.known: dict[str, Holder] = {}  # every territory and organisation
        self._administers: dict[str, set[str]] = {}
        self._serves: dict[str, set[str]] = {}
        self.administered_by: dict[str, set[str]] = {}  # place -> organisations
        for row in rows["territories"]:
            self._set_territory(row)
        for row in rows["administers"]:
            self._own(self._administers, row["o"], set).add(row["place"])
        for row in rows["serves"]:
            self._own(self._serves, row["o"], set).add(row["place"])
        for row in rows["organisations"]:
            self._set_organisation(row)
        self.real_source: dict[str, bool] = {r["id"]: not r["illustrative"] for r in rows["sources"]}
        self.sources_of: dict[str, tuple[str, ...]] = {}  # adoption -> its sources, by id
        linked: dict[str, list[str]] = defaultdict(list)
        for r in rows["adoption_sources"]:
            linked[r["adoption"]].append(r["source"])
        self.sourced: set[str] = set()  # adoptions with a real source (`provenance`'s rule)
        for adoption, sources in linked.items():
            self._set_sources(adoption, sources)
        self.entries: dict[str, tuple[Entry, ...]] = {}
        self.by_solution: dict[str, set[str]] = {}  # solution -> adoptions
        self.by_holder: dict[str, set[str]] = {}  # adopter -> adoptions
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for r in rows["adoptions"]:
            grouped[r["adoption"]].append(Entry(r["solution"], r["adoption"], r["status"], r["started_on"],
                                                r["adopter"]))
        for adoption, found in grouped.items():
            self._set_entries(adoption, found)
        self._keys_of: dict[str, _Keys] = {}
        self.active: dict[str, _Adopters] = {}
        self.active_of: dict[str, dict[str, _Active]] = {}  # adopter -> solution -> itself
        # within[(n, key)][solution]: distinct active adopters with a regional key whose first n digits are `key`
        self.within: dict[tuple[int, str], dict[str, int]] = {}
        self._sort_solutions()
        for solution in list(self.by_solution):
            self._recount(solution)

    # ---- copies: a refresh never changes an index that answers may still be reading -----------------
    _SHARED = ("solution", "awards", "places", "known", "_administers", "_serves", "administered_by", "entries",
               "by_solution", "by_holder", "_keys_of", "active", "active_of", "within", "real_source", "sources_of")

    def clone(self) -> AdoptionIndex:
        """A copy to refresh: its dictionaries are new, the containers inside them shared until `_own`
        copies one that is about to change (a few milliseconds, where a deep copy costs a build)."""
        copy = object.__new__(AdoptionIndex)
        copy.__dict__.update(self.__dict__)
        for name in self._SHARED:
            setattr(copy, name, getattr(self, name).copy())
        copy.sourced = set(self.sourced)
        copy._owned = set()
        return copy

    def _own(self, groups: dict[Any, Any], key: Any, make: Any) -> Any:  # noqa: ANN401 - any inner container
        """`groups[key]` (made if missing), copied first if it may be shared with the index this one was cloned
        from."""
        found = groups.get(key)
        if found is None:
            found = groups[key] = make()
        elif self._owned is not None and id(found) not in self._owned:
            found = groups[key] = found.copy()
        else:
            return found
        if self._owned is not None:
            self._owned.add(id(found))
        return found

    # ---- primary data ---------------------------------------------------------------------------
    def _sort_solutions(self) -> None:
        self.solutions = [self.solution[s] for s in sorted(self.solution)]

    def _set_territory(self, row: dict[str, Any]) -> None:
        self.places[row["id"]] = {"ars": row["ars"], "name": row["name"]}
        self.known[row["id"]] = Holder(row["id"], label_of(row["id"]) or "", row["name"], row["ars"],
                                       row["population"])

    def _set_organisation(self, row: dict[str, Any]) -> None:
        administers = tuple(sorted(self._administers.get(row["id"], ())))
        for place in administers:
            self._own(self.administered_by, place, set).add(row["id"])
        self.known[row["id"]] = Holder(row["id"], "Organization", row["name"], None, None, administers,
                                       tuple(sorted(self._serves.get(row["id"], ()))))

    def _drop_organisation(self, org: str) -> None:
        old = self.known.pop(org, None)
        for place in old.administers if old and old.label == "Organization" else ():
            self._discard(self.administered_by, place, org)

    def _set_sources(self, adoption: str, sources: Iterable[str]) -> None:
        kept = tuple(sorted(set(sources)))
        if kept:
            self.sources_of[adoption] = kept
        else:
            self.sources_of.pop(adoption, None)
        if any(self.real_source.get(s, False) for s in kept):
            self.sourced.add(adoption)
        else:
            self.sourced.discard(adoption)

    def _set_entries(self, adoption: str, found: Iterable[Entry]) -> None:
        for entry in self.entries.pop(adoption, ()):
            self._discard(self.by_solution, entry.solution, adoption)
            self._discard(self.by_holder, entry.adopter, adoption)
        kept = tuple(sorted(set(found)))
        if kept:
            self.entries[adoption] = kept
        for entry in kept:
            self._own(self.by_solution, entry.solution, set).add(adoption)
            self._own(self.by_holder, entry.adopter, set).add(adoption)

    def _discard(self, groups: dict[str, set[str]], key: str, item: str) -> None:
        if key in groups:
            found = self._own(groups, key, set)
            found.discard(item)
            if not found:
                del groups[key]

    def holder(self, holder_id: str) -> Holder:
        """An adopter; one missing from the territory and organisation tables (another label) stands for nothing."""
        return self.known.get(holder_id) or Holder(holder_id, label_of(holder_id) or "", None, None, None)

    def entries_of_solution(self, solution: str) -> list[Entry]:
        """The (adoption, adopter) pairs of one solution, by adoption and adopter."""
        return [e for a in sorted(self.by_solution.get(solution, ())) for e in self.entries[a]
                if e.solution == solution]

    def entries_of_holder(self, holder_id: str) -> list[Entry]:
        return [e for a in sorted(self.by_holder.get(holder_id, ())) for e in self.entries[a]
                if e.adopter == holder_id]

    # ---- rows in the shape of the coverage rows ---------------------------------------------------
    def _rows(self, entry: Entry, place: str | None = None) -> list[dict[str, Any]]:
        holder = self.holder(entry.adopter)
        base = {"solution": entry.solution, "adoption": entry.adoption, "status": entry.status,
                "adopter": entry.adopter, "adopter_name": holder.name, "adopter_ars": holder.ars,
                "adopter_population": holder.population}
        targets = [place] if place is not None else list(holder.administers) or [None]
        return [{**base, "place": t, "place_ars": self.places.get(t, {}).get("ars") if t else None,
                 "place_name": self.places.get(t, {}).get("name") if t else None} for t in targets]

    def rows_of(self, solution_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Adoption rows of these solutions, one per adoption and administered place."""
        return [row for s in solution_ids for entry in self.entries_of_solution(s) for row in self._rows(entry)]

    def place_rows(self, places: Iterable[str]) -> list[dict[str, Any]]:
        """Adoption rows by these places or by organisations that administer them (the row's place)."""
        out = []
        for place in dict.fromkeys(places):
            if self.holder(place).label != "Organization":
                out += [row for entry in self.entries_of_holder(place) for row in self._rows(entry)]
            for org in sorted(self.administered_by.get(place, ())):
                if self.holder(org).label == "Organization":
                    out += [row for entry in self.entries_of_holder(org) for row in self._rows(entry, place)]
        return out

    # ---- ranking: distinct active adopters per solution, by distance --------------------------
    def _keys(self, holder_id: str) -> _Keys:
        found = self._keys_of.get(holder_id)
        if found is not None:
            return found
        holder = self.holder(holder_id)
        if holder.label == "Organization":
            keys = [a for a in (self.places.get(p, {}).get("ars") for p in holder.administers) if a]
        else:
            keys = [holder.ars] if holder.ars else []
        found = _Keys(frozenset(k[:9] for k in keys), frozenset(k[:5] for k in keys),
                      frozenset(k[:2] for k in keys), holder.population if holder.label == "Municipality" else None)
        self._keys_of[holder_id] = found
        return found

    def _recount(self, solution: str) -> None:
        """Derive the solution's distinct active adopters again, replacing its share of `within` and
        `active_of`."""
        old = self.active.pop(solution, None)
        for ref in old.refs if old else ():
            if ref.holder.id in self.active_of:
                mine = self._own(self.active_of, ref.holder.id, dict)
                mine.pop(solution, None)
                if not mine:
                    del self.active_of[ref.holder.id]
        for key in old.members if old else ():
            if key in self.within:
                counts = self._own(self.within, key, dict)
                counts.pop(solution, None)
                if not counts:
                    del self.within[key]
        by_adopter: dict[str, list[str]] = defaultdict(list)
        for entry in self.entries_of_solution(solution):
            if entry.status in ACTIVE:
                by_adopter[entry.adopter].append(entry.adoption)
        if not by_adopter:
            return
        refs = []
        for adopter, adoptions in sorted(by_adopter.items()):
            kept = tuple(sorted(set(adoptions)))
            refs.append(_Active(self.holder(adopter), self._keys(adopter), kept, self.sourced.isdisjoint(kept)))
        members: dict[tuple[int, str], list[_Active]] = defaultdict(list)
        for ref in refs:
            self._own(self.active_of, ref.holder.id, dict)[solution] = ref
            for n, keys in ((9, ref.keys.k9), (5, ref.keys.k5), (2, ref.keys.k2)):
                for key in keys:
                    members[(n, key)].append(ref)
        for key, found in members.items():
            self._own(self.within, key, dict)[solution] = len(found)
        upward = sorted(refs, key=lambda r: (r.size, r.holder.id))
        downward = sorted(refs, key=lambda r: (-r.size, r.holder.id))
        self.active[solution] = _Adopters(
            refs, dict(members), upward, [r.size for r in upward], downward, [-r.size for r in downward],
            sorted(r.keys.similar_population for r in refs if r.keys.similar_population),
            sum(len(r.adoptions) for r in refs), sum(r.shaky for r in refs))

    def adopter_counts(self, home: dict[str, Any], solution_ids: Iterable[str]) -> dict[str, AdopterCounts]:
        """Per solution: how many adopters `adopters` would list at each level, and how many of them are
        municipalities of similar size, without listing them."""
        near = _Near(home)
        association = self.within.get((9, near.k9), {}) if near.k9 is not None else {}
        county, state = self.within.get((5, near.k5), {}), self.within.get((2, near.k2), {})
        population = home.get("population")
        out = {}
        for s in solution_ids:
            found = self.active.get(s)
            total, a, c, st = len(found.refs) if found else 0, association.get(s, 0), county.get(s, 0), state.get(s, 0)
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
        found = self.active.get(solution)
        if not found or not found.populations or not population:
            return 0
        sizes = found.populations
        # both conditions of `similar_size` are monotone in the other population: bisect near the
        # bounds, then let the one definition decide the values at the edges
        low = bisect_left(sizes, population / SIMILAR_SIZE_FACTOR * (1 - 1e-9))
        while low < len(sizes) and not sizes[low] * SIMILAR_SIZE_FACTOR >= population:
            low += 1
        high = bisect_left(sizes, population * SIMILAR_SIZE_FACTOR * (1 - 1e-9), lo=low)
        while high < len(sizes) and population * SIMILAR_SIZE_FACTOR >= sizes[high]:
            high += 1
        return high - low

    def adopters(self, home: dict[str, Any], solution_ids: Iterable[str], adoptions: set[str] | None = None
                 ) -> dict[str, list[Adopter]]:
        """Per solution: its distinct active adopters other than `home` (only those with an adoption
        among `adoptions` if given), sorted by id, each at its nearest level to `home`."""
        near = _Near(home)
        out: dict[str, list[Adopter]] = {}
        for solution in solution_ids:
            found = self.active.get(solution)
            listed = [self._adopter(r, near.level(r.keys)) for r in (found.refs if found else ())
                      if r.holder.id != home["id"] and (adoptions is None or not adoptions.isdisjoint(r.adoptions))]
            if listed:
                out[solution] = listed
        return out

    @staticmethod
    def _adopter(ref: _Active, level: int) -> Adopter:
        return Adopter(ref.holder.id, ref.holder.name or ref.holder.id, level, ref.holder.population,
                       ref.holder.label == "Municipality")

    def found(self, home: dict[str, Any], solution: str, named: int, limit: int = EVIDENCE_MAX) -> Found:
        """What a recommendation of `solution` to `home` says and lists, without visiting every adopter of a
        popular solution: the adopters of the home's association, county and state come from `members`; of
        the others only the nearest in size are visited, walking outwards by size.

        The same as `Found.of` over all `adopters` (the reference; tests compare the two)."""
        near, home_id = _Near(home), home["id"]
        population = home.get("population") or 1
        data = self.active.get(solution)
        if data is None:
            return Found.of([], home, {}, named, limit, 0, 0)
        by_level: dict[int, list[_Active]] = {}
        closer: set[str] = {home_id}
        for level, key in ((3, (9, near.k9)), (2, (5, near.k5)), (1, (2, near.k2))):
            here = [r for r in (data.members.get(key, ()) if key[1] is not None else ()) if r.holder.id not in closer]
            by_level[level] = here
            closer.update(r.holder.id for r in here)
        own = self.active_of.get(home_id, {}).get(solution)
        total = len(data.refs) - (own is not None)
        elsewhere = total - sum(len(v) for v in by_level.values())
        listed: list[Adopter] = []
        for level in (3, 2, 1):
            listed += nearest_first([self._adopter(r, level) for r in by_level[level]], home)
        adoptions = sum(len(self.active_of[a.id][solution].adoptions) for a in listed)
        # the elsewhere adopters in nearest order, as far as any list needs them: the first `named`, enough
        # for the nearest and the evidence, and for the similar-size names all within the similar-size range
        similar_wanted = named - sum(1 for a in listed if a.is_municipality and similar_size(home.get("population"),
                                                                                           a.population))
        similar_seen, closer_count = 0, len(listed)
        widest = math.log(SIMILAR_SIZE_FACTOR) * (1 + 1e-9)
        for ref in self._outwards(data, population, closer):
            distance = abs(math.log(ref.size / population))
            if len(listed) - closer_count >= named and len(listed) >= NEAREST_SHOWN and adoptions >= limit and (
                    similar_seen >= similar_wanted or distance > widest):
                break
            adopter = self._adopter(ref, 0)
            listed.append(adopter)
            adoptions += len(ref.adoptions)
            if adopter.is_municipality and similar_size(home.get("population"), adopter.population):
                similar_seen += 1
        own_shaky = own is not None and own.shaky
        counts = [elsewhere, len(by_level[1]), len(by_level[2]), len(by_level[3])]
        similar = self.adopter_counts(home, [solution])[solution].similar
        evidence = {a.id: self.active_of[a.id][solution].adoptions for a in listed}
        own_adoptions = len(own.adoptions) if own else 0
        return Found.of(listed, home, evidence, named, limit, data.adoptions - own_adoptions,
                        data.shaky - own_shaky, counts=counts, similar=similar)

    @staticmethod
    def _outwards(data: _Adopters, population: int, skip: set[str]) -> Iterator[_Active]:
        """The solution's adopters not in `skip` by (distance in size from `population`, id): two walks, one
        up from `population` and one down, merged by distance (`recommend.nearest_first`'s order)."""
        up = bisect_left(data.upward_sizes, population)  # sizes >= population, ascending
        down = bisect_right(data.downward_sizes, -population)  # sizes < population, descending

        def walk(refs: list[_Active], start: int) -> Iterator[tuple[float, str, _Active]]:
            for ref in refs[start:]:
                if ref.holder.id not in skip:
                    yield abs(math.log(ref.size / population)), ref.holder.id, ref

        for _, _, ref in heapq.merge(walk(data.upward, up), walk(data.downward, down)):
            yield ref

    # ---- territory: adoptions whose adopter lies inside a regional key ------------------------
    def within_territory(self, prefix: str, statuses: set[str]) -> list[tuple[Entry, Holder]]:
        """Adoptions (with these statuses) by a territory whose key starts with `prefix`, or by an
        organisation that administers or serves one."""
        out = []
        for holder_id in self.by_holder:
            holder = self.holder(holder_id)
            if holder.label == "Organization":
                keys = [self.places.get(p, {}).get("ars") for p in (*holder.administers, *holder.serves)]
            else:
                keys = [holder.ars]
            if any(k is not None and k.startswith(prefix) for k in keys):
                out += [(e, holder) for e in self.entries_of_holder(holder_id) if e.status in statuses]
        return out

    # ---- following writes -----------------------------------------------------------------------
    def refresh(self, rows: dict[str, Any]) -> None:
        """Take in the rows of the nodes a write touched (`adoption_reads.touched_rows`): their entries,
        sources, solutions, awards, territories and organisations as stored now (absent: deleted); then
        count again the solutions and adopters they concern."""
        solutions: set[str] = set()
        holders: set[str] = set()
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for r in rows["adoptions"]:
            grouped[r["adoption"]].append(Entry(r["solution"], r["adoption"], r["status"], r["started_on"],
                                                r["adopter"]))
        stored_sources = {r["id"]: r for r in rows["sources"]}
        for source in rows["source_ids"]:
            if source in stored_sources:
                self.real_source[source] = not stored_sources[source]["illustrative"]
            else:
                self.real_source.pop(source, None)
        linked: dict[str, list[str]] = defaultdict(list)
        for r in rows["adoption_sources"]:
            linked[r["adoption"]].append(r["source"])
        for adoption in rows["adoption_ids"]:
            for entry in (*self.entries.get(adoption, ()), *grouped.get(adoption, ())):
                solutions.add(entry.solution)
                holders.add(entry.adopter)
            self._set_entries(adoption, grouped.get(adoption, ()))
            self._set_sources(adoption, linked.get(adoption, ()))
        stored = {s["id"]: s for s in rows["solutions"]}
        for solution in rows["solution_ids"]:
            if solution in stored:
                self.solution[solution] = stored[solution]
            else:
                self.solution.pop(solution, None)
            self.awards.pop(solution, None)
        for row in rows["awards"]:
            self._own(self.awards, row["solution"], list).append(row)
        self._sort_solutions()
        places = {r["id"]: r for r in rows["territories"]}
        for place in rows["territory_ids"]:
            if place in places:
                self._set_territory(places[place])
            else:
                self.places.pop(place, None)
                self.known.pop(place, None)
            holders.add(place)
            holders.update(self.administered_by.get(place, ()))  # their keys come from this place
        organisations = {r["id"]: r for r in rows["organisations"]}
        for org in rows["organisation_ids"]:
            self._drop_organisation(org)
            self._administers.pop(org, None)
            self._serves.pop(org, None)
        for row in rows["administers"]:
            self._own(self._administers, row["o"], set).add(row["place"])
        for row in rows["serves"]:
            self._own(self._serves, row["o"], set).add(row["place"])
        for org in rows["organisation_ids"]:
            if org in organisations:
                self._set_organisation(organisations[org])
            holders.add(org)
        for holder_id in holders:
            self._keys_of.pop(holder_id, None)
            solutions.update(self.active_of.get(holder_id, {}))
            solutions.update(e.solution for e in self.entries_of_holder(holder_id))
        for solution in solutions:
            self._recount(solution)

    def snapshot(self) -> dict[str, Any]:
        """Everything the answers read, in a comparable form: an index kept up to date by `refresh` must equal
        a fresh build on the same graph."""
        return {
            "solutions": [s["id"] for s in self.solutions], "solution": self.solution,
            "awards": {s: sorted(map(repr, rows)) for s, rows in self.awards.items() if rows},
            "places": self.places, "sourced": self.sourced, "entries": self.entries, "sources_of": self.sources_of,
            "real_source": self.real_source,
            "holders": {h: self.holder(h) for h in sorted(self.by_holder)},
            "administered_by": {p: sorted(o) for p, o in self.administered_by.items() if o},
            "active": {s: [(r.holder, r.keys, r.adoptions, r.shaky) for r in a.refs] for s, a in self.active.items()},
            "within": {k: dict(v) for k, v in self.within.items() if v},
            "populations": {s: a.populations for s, a in self.active.items()},
        }


def build(read: Read) -> AdoptionIndex:
    """Read every adoption, its adopter and the places of adopting organisations.

    The cyclic garbage collector is paused while the ~300,000 objects of a Germany-scale index are
    made (they hold no cycles; measured: a third of the build went to collections that found nothing)."""
    return _without_gc(lambda: AdoptionIndex(adoption_reads.full_rows(read)))


def _without_gc(make: Any) -> AdoptionIndex:  # noqa: ANN401 - a function making the index
    paused = gc.isenabled()
    gc.disable()
    try:
        return make()
    finally:
        if paused:
            gc.enable()


_KEPT: weakref.WeakKeyDictionary[Any, tuple[Hashable, AdoptionIndex]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_BUILDING: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
STATS = {"built": 0, "refreshed": 0}  # how the kept indexes were brought up to date (tests and benches read it)


def current(read: Read) -> AdoptionIndex:
    """The index for the data `read` sees now: kept per store, brought up to date after writes."""
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
        # the version was read first: a write in between leaves a newer one, and its touched nodes are read
        # again next time. Reads here run without the caller's time budget: a request that gives up waiting
        # leaves a finished index to the next one, instead of every request starting a build it cannot finish
        touched = store.changed_since(kept[0]) if kept is not None else None
        if touched is not None and len(touched) <= REFRESH_MAX:
            # answers may still be reading the kept index: the refresh changes a copy (`clone`)
            index = kept[1].clone()
            index.refresh(store.adoption_index_changes(touched))
            STATS["refreshed"] += 1
        else:
            index = _without_gc(lambda: AdoptionIndex(store.adoption_index_rows()))
            STATS["built"] += 1
        _KEPT[store] = (version, index)
        return index
